//! The synthetic degradation table shared by `eval_degrade` and
//! `eval_sensors`: real clean prints degraded at evaluation time (never
//! committed).
//!
//! Takes the clean prints (NFIQ 2 >= 50) of `fvc2000_db1_b` and
//! `fvc2000_db2_b_subset` under DATA_DIR (default `../shared/data/fingerprint`),
//! degrades each at four severities two ways: with this crate's `synth`
//! degradations, and with plain operations from `imageproc` that share no
//! code with ours (grey-level erosion for wet, dilation for dry, a Gaussian
//! band for a smear, a box blur for a slide, horizontal and at an angle
//! that changes from print to print; the wet and dry prints also once more
//! softened by a Gaussian blur of sigma 1 px). Prints, per
//! degradation and severity, the share of prints that get the right reason,
//! and the share of the undegraded prints that get any moisture or smudge
//! reason.
//!
//! FVC prints fill their frame, leaving no bare platen for a residue, so
//! the residue rows lay each print on a wider platen first (a canvas 1.7
//! times as wide and high at the print's own light level, plus sensor
//! noise) and then add the residue: ours (`synth`), or another clean
//! print, blurred, darkening the bare platen beside the finger by up to
//! `40 * severity` grey levels (`imageproc`). The clean prints on that
//! platen are counted for false flags too.

use biocapture::synth::degrade::Degradation;
use biocapture::{
    FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView, Reason, SensorProfile,
};
use image::GrayImage;
use imageproc::morphology::{grayscale_dilate, grayscale_erode, Mask};
use std::path::{Path, PathBuf};

const SEVERITIES: [f32; 4] = [0.25, 0.5, 0.75, 1.0];
/// The degradations' sources, in the tables' order: ours, imageproc, an
/// imageproc slide at a changing angle (slides only), and the imageproc
/// wet and dry prints blurred afterwards (wet and dry only).
const SOURCES: [&str; 4] = [
    "synth",
    "imageproc",
    "imageproc (any angle)",
    "imageproc + blur",
];
/// Gaussian sigma (px) of the blur after imageproc's wet and dry.
const BLUR_SIGMA: f32 = 1.0;
/// Reasons about moisture or smudge: the ones a sensor's rendering can
/// fake.
pub(crate) const MOISTURE_SMUDGE: [Reason; 5] = [
    Reason::TooWet,
    Reason::TooDry,
    Reason::Smudged,
    Reason::MotionBlur,
    Reason::SensorResidue,
];

/// Degradations written with imageproc only, as an independent check.
fn independent(kind: &str, img: &GrayImage, severity: f32) -> GrayImage {
    // Ridges spread (wet) or shrink (dry) by 1 px along the axes (a 3x3
    // cross), 1 px in every direction (3x3 square), 2 px (disk) and 2 px
    // in every direction (5x5 square): at 500 ppi a ridge is 4-5 px wide,
    // so 2 px of spread merges most valleys.
    let mask = if severity <= 0.25 {
        Mask::disk(1)
    } else if severity <= 0.5 {
        Mask::square(1)
    } else if severity <= 0.75 {
        Mask::disk(2)
    } else {
        Mask::square(2)
    };
    match kind {
        "wet" => grayscale_erode(img, &mask),
        "dry" => grayscale_dilate(img, &mask),
        "smear" => {
            // A Gaussian-blurred band over the middle third of the print.
            let blurred = imageproc::filter::gaussian_blur_f32(img, 1.0 + 4.0 * severity);
            let mut out = img.clone();
            let (h, w) = (img.height(), img.width());
            for y in h / 3..2 * h / 3 {
                for x in 0..w {
                    out.put_pixel(x, y, *blurred.get_pixel(x, y));
                }
            }
            out
        }
        "motion_blur" => {
            let len = 3 + (12.0 * severity) as usize;
            let kernel = vec![1.0f32 / len as f32; len];
            imageproc::filter::horizontal_filter(img, &kernel)
        }
        _ => unreachable!("unknown degradation {kind}"),
    }
}

/// A slide of the same lengths as the horizontal one, along `angle_deg`:
/// imageproc's 2-D filter with a line kernel (the segment sampled every
/// quarter pixel, each sample to its nearest kernel cell).
fn slide_at(img: &GrayImage, severity: f32, angle_deg: f32) -> GrayImage {
    let len = (3 + (12.0 * severity) as usize) as f32;
    let r = (len / 2.0).ceil() as i32;
    let side = (2 * r + 1) as usize;
    let mut k = vec![0.0f32; side * side];
    let (dy, dx) = angle_deg.to_radians().sin_cos();
    let steps = (len * 4.0) as i32;
    for t in 0..=steps {
        let u = -len / 2.0 + len * t as f32 / steps as f32;
        let x = (u * dx).round() as i32 + r;
        let y = (u * dy).round() as i32 + r;
        k[y as usize * side + x as usize] += 1.0;
    }
    let total: f32 = k.iter().sum();
    k.iter_mut().for_each(|v| *v /= total);
    imageproc::filter::filter_clamped::<_, f32, u8>(
        img,
        imageproc::kernel::Kernel::new(&k, side as u32, side as u32),
    )
}

/// The print laid on a wider platen: FVC prints fill their frame, leaving
/// no bare platen for a residue to show on, so for the residue rows each
/// print is pasted in the middle of a canvas 1.7 times as wide and high,
/// filled with the print's own light level (its 95th grey percentile)
/// plus a little sensor noise. Returns the canvas and where the print
/// lies in it (left, top).
fn on_platen(img: &GrayImage) -> (GrayImage, (u32, u32)) {
    let (w, h) = img.dimensions();
    let mut grey: Vec<u8> = img.as_raw().clone();
    grey.sort_unstable();
    let platen = grey.get(grey.len() * 95 / 100).copied().unwrap_or(255);
    let (cw, ch) = (w * 17 / 10, h * 17 / 10);
    let (x0, y0) = ((cw - w) / 2, (ch - h) / 2);
    let mut state = 0x9e37_79b9_u32;
    let mut out = GrayImage::from_fn(cw, ch, |_, _| {
        // +-2 grey levels of noise (xorshift), as a real platen shows.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Luma([(i32::from(platen) + (state % 5) as i32 - 2).clamp(0, 255) as u8])
    });
    image::imageops::replace(&mut out, img, i64::from(x0), i64::from(y0));
    (out, (x0, y0))
}

/// A latent of another finger beside the current one, written with
/// imageproc only: `other` blurred (a latent is a soft deposit), its
/// ridges darkening the bare platen by up to `40 * severity` grey levels,
/// centred 0.6 of the print's width or height from the canvas centre
/// (side chosen by `turn`), and drawn only outside the pasted print
/// (`at`, `size`), where the current finger does not cover it.
fn latent_beside(
    canvas: &GrayImage,
    at: (u32, u32),
    size: (u32, u32),
    other: &GrayImage,
    severity: f32,
    turn: usize,
) -> GrayImage {
    let soft = imageproc::filter::gaussian_blur_f32(other, 1.0);
    let mut grey: Vec<u8> = soft.as_raw().clone();
    grey.sort_unstable();
    let light = f32::from(grey.get(grey.len() * 95 / 100).copied().unwrap_or(255));
    let dark = f32::from(grey.get(grey.len() / 20).copied().unwrap_or(0));
    let (cw, ch) = canvas.dimensions();
    let (w, h) = size;
    let (dx, dy) = match turn % 4 {
        0 => (0.6 * w as f32, 0.0),
        1 => (0.0, 0.6 * h as f32),
        2 => (-0.6 * w as f32, 0.0),
        _ => (0.0, -0.6 * h as f32),
    };
    let (ox, oy) = (
        (cw as f32 - other.width() as f32) / 2.0 + dx,
        (ch as f32 - other.height() as f32) / 2.0 + dy,
    );
    let mut out = canvas.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let inside = x >= at.0 && y >= at.1 && x < at.0 + w && y < at.1 + h;
        let (gx, gy) = (x as f32 - ox, y as f32 - oy);
        if inside || gx < 0.0 || gy < 0.0 {
            continue;
        }
        let Some(v) = soft.get_pixel_checked(gx as u32, gy as u32) else {
            continue;
        };
        let ink = ((light - f32::from(v[0])) / (light - dark).max(1.0)).clamp(0.0, 1.0);
        p[0] = (f32::from(p[0]) - 40.0 * severity * ink)
            .round()
            .clamp(0.0, 255.0) as u8;
    }
    out
}

/// `"PATH: reason reason"` when an undegraded print gets any moisture or
/// smudge reason.
fn flagged(path: &Path, verdict: &biocapture::Verdict) -> Option<String> {
    let codes: Vec<_> = MOISTURE_SMUDGE
        .iter()
        .filter(|&&r| verdict.has(r))
        .map(|r| r.code())
        .collect();
    (!codes.is_empty()).then(|| format!("{}: {}", path.display(), codes.join(" ")))
}

/// The moisture reason that would send the operator the wrong way.
fn contrary(kind: &str) -> Reason {
    if kind == "wet" {
        Reason::TooDry
    } else {
        Reason::TooWet
    }
}

fn expected(kind: &str) -> Reason {
    match kind {
        "wet" => Reason::TooWet,
        "dry" => Reason::TooDry,
        "smear" => Reason::Smudged,
        "motion_blur" => Reason::MotionBlur,
        "residue" => Reason::SensorResidue,
        _ => unreachable!(),
    }
}

/// The clean prints, each with the set its sensor's profile is learned
/// from (the subset's from the full set it was taken from).
fn clean_prints(data: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut out = Vec::new();
    for (set, sensor) in [
        ("fvc2000_db1_b", "fvc2000_db1_b"),
        ("fvc2000_db2_b_subset", "fvc2000_db2_b"),
    ] {
        let dir = data.join(set);
        let Ok(csv) = std::fs::read_to_string(dir.join("nfiq2.csv")) else {
            eprintln!("skipping {}: no nfiq2.csv", dir.display());
            continue;
        };
        for line in csv.lines().skip(1) {
            let mut f = line.split(',');
            let (Some(file), Some(score)) = (f.next(), f.next()) else {
                continue;
            };
            if score.parse::<f32>().is_ok_and(|s| s >= 50.0) {
                out.push((dir.join(file), sensor));
            }
        }
    }
    out
}

/// What to write beside the table.
#[derive(Default)]
pub(crate) struct Options {
    /// Every degraded version of every 20th print, as PNGs, into this folder.
    pub(crate) dump: Option<PathBuf>,
    /// Every measure behind a reason, one row each, into this file.
    pub(crate) csv: Option<PathBuf>,
    /// Judge each print against its sensor's profile, learned from
    /// [`PROFILE_PRINTS`] prints of the sensor's set picked at random
    /// (labels unseen), rather than the generic one.
    pub(crate) profile: bool,
}

/// Prints a sensor's profile is learned from (the field case: a team
/// calibrates a scanner from its first captures of the day).
pub(crate) const PROFILE_PRINTS: usize = 20;

/// The profile of the sensor of set `set`: learned from
/// [`PROFILE_PRINTS`] of its prints, every fourth (the sets' names run
/// finger by finger, so this takes two impressions of each finger).
fn sensor_profile(data: &Path, set: &str, assessor: &mut FingerprintAssessor) -> SensorProfile {
    let dir = data.join(set);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "tif" || e == "png"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let reports: Vec<_> = files
        .iter()
        .step_by(4)
        .take(PROFILE_PRINTS)
        .filter_map(|f| image::open(f).ok())
        .filter_map(|img| assessor.assess(GrayView::from(&img.to_luma8())).ok())
        .collect();
    SensorProfile::learn(set, &reports).unwrap_or_else(|e| {
        eprintln!("{set}: no profile ({e}); the generic one stands in");
        SensorProfile::generic()
    })
}

/// Degrades the clean prints under `data` and prints the table (see the
/// module docs); returns `false` when no clean print was found.
pub(crate) fn run(data: &Path, opts: Options) -> bool {
    let with_profile = opts.profile;
    let dump = opts.dump;
    let mut csv = opts.csv.map(|f| {
        let mut out = String::from("print,source,degradation,severity,measure\n");
        out.reserve(1 << 16);
        (f, out)
    });
    let prints = clean_prints(data);
    if prints.is_empty() {
        eprintln!("no clean prints found under {}", data.display());
        return false;
    }
    let mut assessor =
        FingerprintAssessor::new(FingerprintConfig::default()).expect("default config");
    let profiles: Vec<(&str, SensorProfile)> = if with_profile {
        ["fvc2000_db1_b", "fvc2000_db2_b"]
            .into_iter()
            .map(|set| (set, sensor_profile(data, set, &mut assessor)))
            .collect()
    } else {
        Vec::new()
    };
    let policy = FingerprintPolicy::default();
    // The verdict and the measure behind each kind's reason (wet: the
    // moisture index; dry: minus the index; smear: the largest smeared
    // patch; motion blur; residue), in `kinds` order, for a print of
    // sensor `sensor`.
    let mut judge = |img: &GrayImage, sensor: &str| {
        let mut r = assessor.assess(GrayView::from(img)).expect("assessable");
        if let Some((_, p)) = profiles.iter().find(|(s, _)| *s == sensor) {
            r.apply_profile(p);
        }
        let measures = [
            r.moisture.index,
            -r.moisture.index,
            r.smudge.largest_patch,
            r.smudge.motion_blur,
            r.smudge.residue_fraction,
        ];
        (policy.judge(&r), measures)
    };

    let kinds = ["wet", "dry", "smear", "motion_blur", "residue"];
    // hits[source][kind][severity]
    let mut hits = [[[0usize; 4]; 5]; 4];
    // opposite[source][wet=0/dry=1][severity]: the contrary moisture reason
    // (too_dry on a wetted print, too_wet on a dried one): a wrong hint.
    let mut opposite = [[[0usize; 4]; 2]; 4];
    // also_smudged[source][wet=0/dry=1][severity]: `smudged` beside it
    // (merged or broken ridges read as smeared patches).
    let mut also_smudged = [[[0usize; 4]; 2]; 4];
    // values[source][kind][severity]: the measure behind the reason.
    let mut values = vec![vec![vec![Vec::new(); 4]; 5]; 4];
    let mut clean_values = vec![Vec::new(); 5];
    let mut false_flags = Vec::new();
    let mut false_flags_platen = Vec::new();
    for (i, (path, sensor)) in prints.iter().enumerate() {
        let img = image::open(path).expect("readable print").to_luma8();
        let (clean, mut measures) = judge(&img, sensor);
        // The residue rows use the print on a wider platen; so does the
        // clean residue measure, and that print must not be flagged either.
        let (platen, at) = on_platen(&img);
        let (clean_platen, platen_measures) = judge(&platen, sensor);
        measures[4] = platen_measures[4];
        false_flags_platen.extend(flagged(path, &clean_platen));
        for (v, m) in clean_values.iter_mut().zip(measures) {
            v.push(m);
        }
        if let Some((_, out)) = csv.as_mut() {
            for (k, kind) in kinds.iter().enumerate() {
                out.push_str(&format!(
                    "{},clean,{kind},0,{}\n",
                    path.display(),
                    measures[k]
                ));
            }
        }
        false_flags.extend(flagged(path, &clean));
        for (k, kind) in kinds.iter().enumerate() {
            let synth_kind = match *kind {
                "wet" => Degradation::Wet,
                "dry" => Degradation::Dry,
                "smear" => Degradation::Smear,
                "motion_blur" => Degradation::MotionBlur,
                _ => Degradation::Residue,
            };
            for (s, &sev) in SEVERITIES.iter().enumerate() {
                let seed = 1000 + i as u64 * 31 + k as u64;
                // Source index, CSV name and the degraded print: ours, the
                // independent one (no residue there), and for a slide the
                // same lengths in a direction that changes from print to
                // print (37 degree steps).
                let mut degraded = if *kind == "residue" {
                    let other = image::open(&prints[(i + 1) % prints.len()].0)
                        .expect("readable print")
                        .to_luma8();
                    vec![
                        (0, "synth", synth_kind.apply(&platen, sev, seed)),
                        (
                            1,
                            "imageproc",
                            latent_beside(&platen, at, img.dimensions(), &other, sev, i),
                        ),
                    ]
                } else {
                    vec![
                        (0, "synth", synth_kind.apply(&img, sev, seed)),
                        (1, "imageproc", independent(kind, &img, sev)),
                    ]
                };
                if *kind == "motion_blur" {
                    let angle = (i as f32 * 37.0) % 180.0;
                    degraded.push((2, "imageproc_angle", slide_at(&img, sev, angle)));
                }
                if k < 2 {
                    // The same wet or dry print, then softened: a sweaty or
                    // dry finger rarely leaves sharp ridge edges.
                    let soft = imageproc::filter::gaussian_blur_f32(&degraded[1].2, BLUR_SIGMA);
                    degraded.push((3, "imageproc_blurred", soft));
                }
                for (src, source, print) in degraded {
                    if let Some(d) = dump.as_ref().filter(|_| i % 20 == 0 && src < 2) {
                        print
                            .save(d.join(format!("{i}_{source}_{kind}_{sev}.png")))
                            .expect("dump");
                    }
                    let (v, m) = judge(&print, sensor);
                    hits[src][k][s] += usize::from(v.has(expected(kind)));
                    values[src][k][s].push(m[k]);
                    if k < 2 {
                        opposite[src][k][s] += usize::from(v.has(contrary(kind)));
                        also_smudged[src][k][s] += usize::from(v.has(Reason::Smudged));
                    }
                    if let Some((_, out)) = csv.as_mut() {
                        out.push_str(&format!(
                            "{},{source},{kind},{sev},{}\n",
                            path.display(),
                            m[k]
                        ));
                    }
                }
            }
        }
    }
    let n = prints.len();
    println!(
        "{n} clean prints (NFIQ 2 >= 50) from {}, judged against {}",
        data.display(),
        if with_profile {
            "their sensor's profile (20 of its prints)"
        } else {
            "the generic profile"
        }
    );
    println!("share that get the expected reason, by severity:");
    println!(
        "{:<34} {:>6} {:>6} {:>6} {:>6}",
        "degradation -> reason", "0.25", "0.5", "0.75", "1.0"
    );
    for (src, name) in SOURCES.iter().enumerate() {
        for (k, kind) in kinds.iter().enumerate() {
            if (src == 2 && *kind != "motion_blur") || (src == 3 && k >= 2) {
                continue;
            }
            share_row(
                &format!("{name} {kind} -> {}", expected(kind).code()),
                &hits[src][k],
                n,
            );
        }
    }
    // Beside the expected reason: the contrary moisture hint, and smudged.
    for (title, counts, wrong_hint) in [
        (
            "share that get the contrary moisture reason (a wrong hint):",
            &opposite,
            true,
        ),
        ("share that also get smudged:", &also_smudged, false),
    ] {
        println!("{title}");
        for (src, name) in SOURCES.iter().enumerate().filter(|&(s, _)| s != 2) {
            for (k, kind) in ["wet", "dry"].iter().enumerate() {
                let reason = if wrong_hint {
                    contrary(kind)
                } else {
                    Reason::Smudged
                };
                share_row(
                    &format!("{name} {kind} -> {}", reason.code()),
                    &counts[src][k],
                    n,
                );
            }
        }
    }
    println!("median of the measure behind the reason (clean prints: median / p95 / max):");
    let measure = [
        "moisture index",
        "-moisture index",
        "largest smear patch",
        "motion blur",
        "residue",
    ];
    for (src, name) in SOURCES.iter().enumerate() {
        for (k, kind) in kinds.iter().enumerate() {
            if (src == 2 && *kind != "motion_blur") || (src == 3 && k >= 2) {
                continue;
            }
            let label = format!("{name} {kind}: {}", measure[k]);
            let cells: Vec<String> = values[src][k]
                .iter_mut()
                .map(|v| format!("{:6.2}", quantile(v, 0.5)))
                .collect();
            println!("{label:<34} {}", cells.join(" "));
        }
    }
    for (k, v) in clean_values.iter_mut().enumerate() {
        println!(
            "clean {:<28} {:6.2} / {:.2} / {:.2}",
            measure[k],
            quantile(v, 0.5),
            quantile(v, 0.95),
            quantile(v, 1.0)
        );
    }
    for (what, flags) in [
        (
            "clean prints with any moisture or smudge reason",
            &false_flags,
        ),
        (
            "the same on a wider platen (the residue rows' prints)",
            &false_flags_platen,
        ),
    ] {
        println!(
            "{what}: {} of {n} ({:.1}%)",
            flags.len(),
            100.0 * flags.len() as f32 / n as f32
        );
        for f in flags {
            println!("  {f}");
        }
    }
    if let Some((file, out)) = csv {
        std::fs::write(&file, out).expect("writable csv");
        println!("measures written to {}", file.display());
    }
    true
}

/// One table row: `label`, then each severity's count as a share of `n`.
fn share_row(label: &str, counts: &[usize; 4], n: usize) {
    let cells: Vec<String> = counts
        .iter()
        .map(|&h| format!("{:5.1}%", 100.0 * h as f32 / n as f32))
        .collect();
    println!("{label:<34} {}", cells.join(" "));
}

/// The `q` quantile of `v` (sorted in place; nearest rank), NaN if empty.
fn quantile(v: &mut [f32], q: f32) -> f32 {
    if v.is_empty() {
        return f32::NAN;
    }
    v.sort_unstable_by(f32::total_cmp);
    v[((v.len() - 1) as f32 * q).round() as usize]
}
