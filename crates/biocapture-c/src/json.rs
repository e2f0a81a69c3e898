//! The full report as JSON: the library's [`FingerprintSummary`] and
//! [`FaceSummary`], the same fields, names, order and rounding as a line of
//! `examples/assess` (without its `file` and `overlay`), so a C caller's log
//! reads like the command line's. CI compares the two on the committed
//! testdata.

use biocapture_core::{
    FaceReport, FaceSummary, FingerprintReport, FingerprintSummary, Lang, Verdict,
};
use serde::Serialize;

fn to_json<T: Serialize>(v: &T) -> String {
    // Plain structs of numbers, strings and codes: serialisation cannot
    // fail; should it ever, the caller gets an empty object, not a panic.
    serde_json::to_string(v).unwrap_or_else(|_| "{}".to_string())
}

/// A fingerprint report and its verdict as one JSON object; `ms` is the
/// time the assessment and the verdict took.
pub(crate) fn fingerprint(report: &FingerprintReport, verdict: &Verdict, ms: f64) -> String {
    to_json(&FingerprintSummary::new(report, verdict).with_ms(ms))
}

/// A face report and its verdict as one JSON object; `ms` is the time the
/// assessment took; `hint` is the first finding's hint in `lang`.
pub(crate) fn face(report: &FaceReport, verdict: &Verdict, ms: f64, lang: Lang) -> String {
    to_json(&FaceSummary::new(report, verdict, lang).with_ms(ms))
}
