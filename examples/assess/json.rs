//! A tiny JSON-object writer: enough for one flat-ish line per file.

use std::fmt::Write;

/// Builds one JSON object, field by field.
#[derive(Debug, Default)]
pub(crate) struct Obj {
    buf: String,
}

impl Obj {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn key(&mut self, k: &str) {
        self.buf.push(if self.buf.is_empty() { '{' } else { ',' });
        push_str(&mut self.buf, k);
        self.buf.push(':');
    }

    pub(crate) fn str(mut self, k: &str, v: &str) -> Self {
        self.key(k);
        push_str(&mut self.buf, v);
        self
    }

    /// A number; non-finite values become `null` (JSON has no NaN).
    pub(crate) fn num(mut self, k: &str, v: f64) -> Self {
        self.key(k);
        push_num(&mut self.buf, v);
        self
    }

    pub(crate) fn bool(mut self, k: &str, v: bool) -> Self {
        self.key(k);
        self.buf.push_str(if v { "true" } else { "false" });
        self
    }

    /// A pre-rendered JSON value (object, array).
    pub(crate) fn raw(mut self, k: &str, json: &str) -> Self {
        self.key(k);
        self.buf.push_str(json);
        self
    }

    pub(crate) fn strs<'a>(self, k: &str, vs: impl IntoIterator<Item = &'a str>) -> Self {
        let mut a = String::from("[");
        for (i, v) in vs.into_iter().enumerate() {
            if i > 0 {
                a.push(',');
            }
            push_str(&mut a, v);
        }
        a.push(']');
        self.raw(k, &a)
    }

    pub(crate) fn nums(self, k: &str, vs: &[f64]) -> Self {
        let mut a = String::from("[");
        for (i, &v) in vs.iter().enumerate() {
            if i > 0 {
                a.push(',');
            }
            push_num(&mut a, v);
        }
        a.push(']');
        self.raw(k, &a)
    }

    /// Appends every field of `other` after this object's fields.
    pub(crate) fn merge(mut self, other: Obj) -> Self {
        if !other.buf.is_empty() {
            if self.buf.is_empty() {
                self.buf.push('{');
            } else {
                self.buf.push(',');
            }
            self.buf.push_str(&other.buf[1..]);
        }
        self
    }

    pub(crate) fn finish(mut self) -> String {
        if self.buf.is_empty() {
            self.buf.push('{');
        }
        self.buf.push('}');
        self.buf
    }
}

fn push_num(out: &mut String, v: f64) {
    if v.is_finite() {
        // Four decimals are more than any of our measures resolve.
        let r = (v * 1e4).round() / 1e4;
        let _ = write!(out, "{r}");
    } else {
        out.push_str("null");
    }
}

fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
