//! The `fingerprint` subcommand.

use crate::{json, Failure, Options};
use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView};
use std::path::Path;
use std::time::Instant;

pub(crate) struct Session {
    assessor: FingerprintAssessor,
    policy: FingerprintPolicy,
    ppi: u32,
}

impl Session {
    pub(crate) fn new(opts: &Options) -> Self {
        Self {
            assessor: FingerprintAssessor::new(FingerprintConfig::default())
                .expect("the default configuration is valid"),
            policy: FingerprintPolicy::default(),
            ppi: opts.ppi,
        }
    }

    pub(crate) fn assess_file(&mut self, path: &Path) -> Result<json::Obj, Failure> {
        let img = image::open(path).map_err(Failure::decode)?.to_luma8();
        let view = GrayView::from(&img).with_ppi(self.ppi);
        let t = Instant::now();
        let report = self.assessor.assess(view).map_err(Failure::assess)?;
        let verdict = self.policy.judge(&report);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        Ok(json::Obj::new()
            .str("verdict", verdict.decision.as_str())
            .strs("reasons", verdict.codes())
            .num("ms", ms)
            .num("clarity", report.clarity as f64)
            .num("foreground_fraction", report.foreground.fraction as f64)
            .num("ridge_period", report.ridge_period as f64)
            .num("ridge_contrast", report.ridge_contrast as f64)
            .num("mean_grey", report.actionable.mean_grey as f64))
    }
}
