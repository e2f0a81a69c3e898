//! The `fingerprint` subcommand.

use crate::{draw, Failure, Options};
use biocapture::{
    FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintSummary, GrayView,
    SensorProfile,
};
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
    /// # Errors
    ///
    /// The sensor profile's file cannot be read, parsed or validated.
    pub(crate) fn new(opts: &Options) -> Result<Self, String> {
        let mut config = FingerprintConfig::default();
        if let Some(path) = &opts.profile {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let profile: SensorProfile = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a sensor profile: {e}", path.display()))?;
            config = config.with_profile(profile);
        }
        let assessor =
            FingerprintAssessor::new(config).map_err(|e| format!("sensor profile: {e}"))?;
        Ok(Self {
            assessor,
            policy: FingerprintPolicy::default(),
            ppi: opts.ppi,
            overlay: opts.overlay.clone(),
            written: Default::default(),
        })
    }

    pub(crate) fn assess_file(&mut self, path: &Path) -> Result<FingerprintSummary, Failure> {
        let img = image::open(path).map_err(Failure::decode)?.to_luma8();
        let view = GrayView::from(&img).with_ppi(self.ppi);
        let t = Instant::now();
        let report = self.assessor.assess(view).map_err(Failure::assess)?;
        let verdict = self.policy.judge(&report);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if let Some(dir) = &self.overlay {
            let name = crate::overlay_name(path, &mut self.written);
            overlay(&img, &report, &verdict)
                .save(dir.join(name))
                .map_err(Failure::io)?;
        }
        Ok(FingerprintSummary::new(&report, &verdict).with_ms(ms))
    }
}

/// Three panels side by side, each the print with one block map over it:
/// quality (red = poor .. green = good; blue = background), moisture
/// (orange = dry .. blue = wet) and smudge (magenta = smeared or latent
/// ridges), with a caption band: panel titles, the verdict and its reasons,
/// and the headline numbers.
fn overlay(
    img: &image::GrayImage,
    r: &biocapture::FingerprintReport,
    verdict: &biocapture::Verdict,
) -> image::RgbImage {
    let (w, h) = img.dimensions();
    let gap = 6;
    // Caption text scales with the print so it stays legible on big ones.
    let k = (w / 300).clamp(1, 3);
    let line = 10 * k;
    let band = 3 * line + 4 * k;
    let mut out =
        image::RgbImage::from_pixel(3 * w + 2 * gap, h + band, image::Rgb([255, 255, 255]));
    let (rows, cols) = r.quality_map.dim();
    for y in 0..h {
        for x in 0..w {
            let g = img.get_pixel(x, y)[0] as f32;
            let bx = ((x as f32 / r.block_px) as usize).min(cols - 1);
            let by = ((y as f32 / r.block_px) as usize).min(rows - 1);
            let idx = (by, bx);
            let quality = if r.foreground.mask[idx] {
                let q = r.quality_map[idx] as f32 / 100.0;
                ([255.0 * (1.0 - q), 255.0 * q, 0.0], 0.4)
            } else {
                ([0.0, 80.0, 255.0], 0.25)
            };
            let m = r.moisture.map[idx];
            let moisture = if !r.foreground.contact[idx] {
                ([0.0, 0.0, 0.0], 0.0)
            } else if m >= 0.0 {
                ([0.0, 90.0, 255.0], 0.6 * m)
            } else {
                ([255.0, 140.0, 0.0], -0.6 * m)
            };
            let smudge = ([230.0, 0.0, 200.0], 0.6 * r.smudge.map[idx]);
            for (panel, (tint, a)) in [quality, moisture, smudge].into_iter().enumerate() {
                let px = image::Rgb([0, 1, 2].map(|c| (g * (1.0 - a) + tint[c] * a) as u8));
                out.put_pixel(panel as u32 * (w + gap) + x, y, px);
            }
        }
    }
    let ink = image::Rgb([20, 20, 20]);
    let titles = [
        format!("QUALITY  CLARITY {:.0}", r.clarity),
        format!(
            "MOISTURE {:+.2} {}",
            r.moisture.index,
            r.moisture.class.as_str()
        ),
        format!(
            "SMUDGE {:.2}  BLUR {:.2}  RESIDUE {:.2}",
            r.smudge.largest_patch, r.smudge.motion_blur, r.smudge.residue_fraction
        ),
    ];
    for (panel, t) in titles.iter().enumerate() {
        let x = (panel as u32 * (w + gap)) as i64 + 2;
        draw::text(&mut out, x, (h + 2 * k) as i64, t, ink, k);
    }
    let (colour, word) = if verdict.is_pass() {
        (image::Rgb([0, 130, 0]), "PASS".to_string())
    } else {
        (
            image::Rgb([200, 0, 0]),
            format!("RETAKE: {}", verdict.codes().join(", ")),
        )
    };
    draw::text(&mut out, 2, (h + 2 * k + line) as i64, &word, colour, k);
    if let Some(hint) = verdict.first_hint(biocapture::Lang::En) {
        draw::text(&mut out, 2, (h + 2 * k + 2 * line) as i64, hint, ink, k);
    }
    out
}
