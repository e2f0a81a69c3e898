//! `calibrate`: learn a scanner's [`SensorProfile`] from a folder of its
//! captures and write it as JSON, for `assess fingerprint --profile FILE`
//! or [`FingerprintConfig::with_profile`].
//!
//! ```text
//! cargo run --release --example calibrate -- [--ppi N] [--name TEXT] [--out FILE] DIR_OR_FILE...
//! ```
//!
//! Every image under the given folders (PNG, TIFF, BMP, PGM, JPEG; not
//! recursive) and every file given is assessed; prints with no finger on
//! them are skipped. No labels are needed: wet, dry and smeared captures
//! only push the measures up, and the profile takes each measure low in
//! its range. Twenty captures or more is the field recipe (a day's first
//! prints); fewer than `biocapture::MIN_PROFILE_CAPTURES` (12) usable ones
//! is an error.
//!
//! The profile is written to `--out` (default: standard output), and a
//! summary to standard error: how many captures were used and each
//! measure's typical value and threshold. Exit status 0 on success, 2 when
//! no profile could be learned (too few usable captures, unreadable
//! folder, bad arguments).

use biocapture::{FingerprintAssessor, FingerprintConfig, GrayView, SensorProfile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: calibrate [--ppi N] [--name TEXT] [--out FILE] DIR_OR_FILE...\n  learns a sensor profile (JSON) from a scanner's captures";

/// Image files directly in `dir`, by name.
fn images_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "png" | "tif" | "tiff" | "bmp" | "pgm" | "jpg" | "jpeg"
                )
            })
        })
        .collect();
    out.sort();
    Ok(out)
}

fn main() -> ExitCode {
    let mut ppi = biocapture::DEFAULT_PPI;
    let mut name: Option<String> = None;
    let mut out: Option<PathBuf> = None;
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--ppi" => match args.next().and_then(|v| v.parse().ok()) {
                Some(p) => ppi = p,
                None => {
                    eprintln!("--ppi needs a whole number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--name" => match args.next() {
                Some(n) => name = Some(n),
                None => {
                    eprintln!("--name needs a text\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--out" => match args.next() {
                Some(f) => out = Some(PathBuf::from(f)),
                None => {
                    eprintln!("--out needs a file\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    if inputs.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for input in &inputs {
        if input.is_dir() {
            match images_in(input) {
                Ok(f) => files.extend(f),
                Err(e) => {
                    eprintln!("cannot read {}: {e}", input.display());
                    return ExitCode::from(2);
                }
            }
        } else {
            files.push(input.clone());
        }
    }
    let mut assessor =
        FingerprintAssessor::new(FingerprintConfig::default()).expect("the default is valid");
    let mut reports = Vec::new();
    for f in &files {
        let img = match image::open(f) {
            Ok(i) => i.to_luma8(),
            Err(e) => {
                eprintln!("skipping {}: {e}", f.display());
                continue;
            }
        };
        match assessor.assess(GrayView::from(&img).with_ppi(ppi)) {
            Ok(r) => reports.push(r),
            Err(e) => eprintln!("skipping {}: {e}", f.display()),
        }
    }
    let name = name.unwrap_or_else(|| {
        inputs[0]
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "sensor".into())
    });
    let profile = match SensorProfile::learn(name, &reports) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "no profile from {} files: {e} (20 or more captures of the scanner are the recipe)",
                files.len()
            );
            return ExitCode::from(2);
        }
    };
    let json = serde_json::to_string_pretty(&profile).expect("a profile serialises");
    match &out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, format!("{json}\n")) {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => println!("{json}"),
    }
    eprintln!(
        "{}: learned from {} of {} files",
        profile.name,
        profile.captures,
        files.len()
    );
    eprintln!(
        "  ridge gaps: typical {:.4}, dry from {:.4}",
        profile.ridge_gaps.typical,
        profile.ridge_gaps.threshold()
    );
    eprintln!(
        "  bridged share: typical {:.4}, wet from {:.4}",
        profile.bridged_fraction.typical,
        profile.bridged_fraction.threshold()
    );
    if let Some(fill) = &profile.ridge_fill {
        eprintln!(
            "  ridge fill: typical {:.4}, wet above {:.4}, dry below {:.4}",
            fill.typical,
            fill.threshold(),
            fill.typical - fill.dead_zone - fill.margin
        );
    }
    if let Some(path) = &out {
        eprintln!("written to {}", path.display());
    }
    ExitCode::SUCCESS
}
