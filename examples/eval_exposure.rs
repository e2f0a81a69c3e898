//! Washed-out faces: does `too_bright` catch faces pushed towards white,
//! and does the check add reasons to real portraits as they are?
//!
//! ```text
//! cargo run --release --example eval_exposure -- [DIR]...
//! ```
//!
//! Every image under each `DIR/images` (default: the CSU, AFW, Menpo and
//! scikit-image sets under `../shared/data/face`) is assessed as it is and
//! with each sRGB channel value `v` replaced by `255 (v / 255)^g` for the
//! gammas of [`GAMMAS`] (g < 1 pushes towards white without clipping).
//! Per set and version it prints the faces found, the share given
//! `too_bright`, and the medians of the face's mean luminance, clipped
//! share and shadow level. On the unchanged images it also prints the
//! share given any reason the policy without the shadow check
//! (`max_shadow_luminance` = 1) does not give: the new check's false
//! reasons, if the portraits as they are count as well exposed. With
//! `--csv FILE` first, every face's set, gamma, file and measures
//! (luminance mean, variance, clipped share, shadow level) are written to
//! `FILE` as well.

use std::path::{Path, PathBuf};

use biocapture::{FaceAssessor, FaceConfig, FacePolicy, Reason, RgbView};

type Error = Box<dyn std::error::Error>;

/// The gammas applied (1 = the image as it is).
const GAMMAS: [f32; 5] = [1.0, 0.7, 0.5, 0.4, 0.25];

fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return f32::NAN;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

fn images(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join("images"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "jpg" | "png" | "pgm" | "ppm"))
        })
        .collect();
    out.sort();
    Ok(out)
}

fn main() -> Result<(), Error> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut csv = None;
    if args.first().is_some_and(|a| a == "--csv") && args.len() >= 2 {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&args[1])?);
        writeln!(
            f,
            "set,gamma,file,luminance_mean,luminance_variance,over_exposure,shadow"
        )?;
        csv = Some(f);
        args.drain(..2);
    }
    let mut dirs: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    if dirs.is_empty() {
        let root = Path::new("../shared/data/face");
        for set in [
            "csu_scrapshots",
            "afw_300w",
            "menpo_samples",
            "skimage_samples",
        ] {
            dirs.push(root.join(set));
        }
    }
    let policy = FacePolicy::icao();
    let without = FacePolicy {
        max_shadow_luminance: 1.0,
        ..FacePolicy::icao()
    };
    let mut assessor = FaceAssessor::new(FaceConfig::default())?;
    println!("| set | gamma | faces | too_bright | new reasons | luminance mean | over-exposure | shadow level | shadow min / p5 / p95 / max |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for dir in &dirs {
        let files = images(dir)?;
        let originals: Vec<image::RgbImage> = files
            .iter()
            .map(|f| Ok(image::open(f)?.to_rgb8()))
            .collect::<Result<_, Error>>()?;
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        for g in GAMMAS {
            let lut: Vec<u8> = (0..=255u32)
                .map(|v| (255.0 * (v as f32 / 255.0).powf(g)).round() as u8)
                .collect();
            let (mut faces, mut bright, mut new) = (0usize, 0usize, 0usize);
            let (mut mean, mut over, mut shadow) = (Vec::new(), Vec::new(), Vec::new());
            for (file, img) in files.iter().zip(&originals) {
                let mut img = img.clone();
                for p in img.pixels_mut() {
                    p.0 = p.0.map(|v| lut[v as usize]);
                }
                let report = assessor.assess(RgbView::from(&img))?;
                let Some(p) = report.face.as_ref().and_then(|f| f.photometric) else {
                    continue;
                };
                faces += 1;
                let verdict = policy.judge(&report);
                bright += usize::from(verdict.has(Reason::TooBright));
                let before = without.judge(&report);
                new += usize::from(verdict.findings.iter().any(|f| !before.has(f.reason)));
                if let Some(f) = csv.as_mut() {
                    use std::io::Write;
                    writeln!(
                        f,
                        "{name},{g},{},{},{},{},{}",
                        file.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                        p.luminance_mean.raw,
                        p.luminance_variance.raw,
                        p.over_exposure.raw,
                        p.shadow_luminance.raw
                    )?;
                }
                mean.push(p.luminance_mean.raw);
                over.push(p.over_exposure.raw);
                shadow.push(p.shadow_luminance.raw);
            }
            let pct = |n: usize| 100.0 * n as f64 / faces.max(1) as f64;
            shadow.sort_by(f32::total_cmp);
            let q = |f: f32| {
                shadow
                    .get(((shadow.len().max(1) - 1) as f32 * f).round() as usize)
                    .copied()
                    .unwrap_or(f32::NAN)
            };
            let spread = format!(
                "{:.3} / {:.3} / {:.3} / {:.3}",
                q(0.0),
                q(0.05),
                q(0.95),
                q(1.0)
            );
            println!(
                "| {name} | {g} | {faces} | {:.1} % | {} | {:.3} | {:.3} | {:.3} | {spread} |",
                pct(bright),
                if g == 1.0 {
                    format!("{:.1} % ({new})", pct(new))
                } else {
                    "-".to_string()
                },
                median(&mut mean),
                median(&mut over),
                median(&mut shadow),
            );
        }
    }
    Ok(())
}
