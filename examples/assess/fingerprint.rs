//! The `fingerprint` subcommand.

use crate::{json, Failure, Options};
use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView};
use std::path::Path;
use std::time::Instant;

pub(crate) struct Session {
    assessor: FingerprintAssessor,
    policy: FingerprintPolicy,
    ppi: u32,
    overlay: Option<std::path::PathBuf>,
    /// Overlay names already written, so same-named inputs do not collide.
    written: std::collections::HashSet<String>,
}

impl Session {
    pub(crate) fn new(opts: &Options) -> Self {
        Self {
            assessor: FingerprintAssessor::new(FingerprintConfig::default())
                .expect("the default configuration is valid"),
            policy: FingerprintPolicy::default(),
            ppi: opts.ppi,
            overlay: opts.overlay.clone(),
            written: Default::default(),
        }
    }

    pub(crate) fn assess_file(&mut self, path: &Path) -> Result<json::Obj, Failure> {
        let img = image::open(path).map_err(Failure::decode)?.to_luma8();
        let view = GrayView::from(&img).with_ppi(self.ppi);
        let t = Instant::now();
        let report = self.assessor.assess(view).map_err(Failure::assess)?;
        let verdict = self.policy.judge(&report);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if let Some(dir) = &self.overlay {
            let name = crate::overlay_name(path, &mut self.written);
            overlay(&img, &report)
                .save(dir.join(name))
                .map_err(Failure::io)?;
        }
        Ok(json::Obj::new()
            .str("verdict", verdict.decision.as_str())
            .strs("reasons", verdict.codes())
            .num("ms", ms)
            .num("clarity", report.clarity as f64)
            .num("foreground_fraction", report.foreground.fraction as f64)
            .num("ridge_period", report.ridge_period as f64)
            .num("ridge_contrast", report.ridge_contrast as f64)
            .num("mean_grey", report.actionable.mean_grey as f64)
            .num("mean_block_quality", report.mean_block_quality as f64)
            .num("foreground_px_500", report.foreground.area_px_500 as f64)
            .num("x_coh", mean_fg(&report, &report.blocks.coherence))
            .num("x_good", {
                let n = report.quality_map.iter().filter(|&&q| q >= 60).count();
                n as f64 * 256.0
            })
            .num("x_clar", mean_fg(&report, &report.blocks.clarity)))
    }
}

fn mean_fg(r: &biocapture::FingerprintReport, m: &ndarray::Array2<f32>) -> f64 {
    let mut s = 0.0;
    let mut n = 0.0;
    for (v, &f) in m.iter().zip(r.foreground.mask.iter()) {
        if f {
            s += *v as f64;
            n += 1.0;
        }
    }
    if n > 0.0 {
        s / n
    } else {
        0.0
    }
}

/// The print with its quality map over it: green = good block, red = poor,
/// blue tint = background.
fn overlay(img: &image::GrayImage, r: &biocapture::FingerprintReport) -> image::RgbImage {
    let (w, h) = img.dimensions();
    let mut out = image::RgbImage::new(w, h);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let g = img.get_pixel(x, y)[0] as f32;
        let bx = ((x as f32 / r.block_px) as usize).min(r.quality_map.ncols() - 1);
        let by = ((y as f32 / r.block_px) as usize).min(r.quality_map.nrows() - 1);
        let (tint, a) = if r.foreground.mask[(by, bx)] {
            let q = r.quality_map[(by, bx)] as f32 / 100.0;
            ([255.0 * (1.0 - q), 255.0 * q, 0.0], 0.35)
        } else {
            ([0.0, 80.0, 255.0], 0.25)
        };
        *p = image::Rgb([0, 1, 2].map(|c| (g * (1.0 - a) + tint[c] * a) as u8));
    }
    out
}
