//! Writes the committed synthetic fingerprint test prints.
//!
//! ```sh
//! cargo run --release --features synth --example make_testdata
//! ```
//!
//! writes `testdata/fingerprint/*.png` (or into the directory given as the
//! first argument). The output is deterministic: running it again gives the
//! same bytes. `testdata/README.md` describes every file.

use std::path::{Path, PathBuf};
use std::time::Instant;

use biocapture::synth::{self, degrade, Contact, FingerprintSpec, PatternClass};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{GrayImage, ImageEncoder};

/// One committed print: file name, what it is, how it is made.
struct Entry {
    file: &'static str,
    about: &'static str,
    make: fn() -> GrayImage,
}

/// The clean 300x300 base that most degraded prints start from.
fn base_300(seed: u64, pattern: PatternClass) -> GrayImage {
    synth::generate(&FingerprintSpec::new(300, 300, seed).with_pattern(pattern))
}

/// A 400x400 print with platen all round, for the residue ghost.
fn base_with_margin() -> GrayImage {
    synth::generate(
        &FingerprintSpec::new(400, 400, 16)
            .with_pattern(PatternClass::RightLoop)
            .with_contact(Contact::new(0.5, 0.5, 0.27, 0.36)),
    )
}

const ENTRIES: &[Entry] = &[
    Entry {
        file: "clean_loop_300.png",
        about: "clean left loop, 300x300, well centred",
        make: || base_300(1, PatternClass::LeftLoop),
    },
    Entry {
        file: "clean_whorl_388x374.png",
        about: "clean whorl, 388x374 (w x h)",
        make: || {
            synth::generate(&FingerprintSpec::new(388, 374, 2).with_pattern(PatternClass::Whorl))
        },
    },
    Entry {
        file: "clean_arch_512.png",
        about: "clean plain arch, 512x512, ridge period 10 px, sensor noise sigma 1",
        make: || {
            synth::generate(
                &FingerprintSpec::new(512, 512, 3)
                    .with_pattern(PatternClass::Arch)
                    .with_ridge_period(10.0)
                    .with_noise_sigma(1.0),
            )
        },
    },
    Entry {
        file: "clean_tented_800x750.png",
        about: "clean tented arch, 800x750 (w x h), ridge period 8.5 px, no sensor noise (keeps the file small)",
        make: || {
            synth::generate(
                &FingerprintSpec::new(800, 750, 4)
                    .with_pattern(PatternClass::TentedArch)
                    .with_ridge_period(8.5)
                    .with_noise_sigma(0.0),
            )
        },
    },
    Entry {
        file: "low_contrast.png",
        about: "right loop (seed 5) with contrast squashed: degrade::contrast severity 0.9",
        make: || degrade::contrast(&base_300(5, PatternClass::RightLoop), 0.9),
    },
    Entry {
        file: "noisy.png",
        about: "whorl (seed 6) with heavy sensor noise: degrade::noise severity 0.6 (sigma 30)",
        make: || degrade::noise(&base_300(6, PatternClass::Whorl), 0.6, 6),
    },
    Entry {
        file: "partial.png",
        about: "left loop whose contact centre sits at x = 0.9 of the width: about a third of the finger is off the right edge",
        make: || {
            synth::generate(
                &FingerprintSpec::new(300, 300, 7).with_contact(Contact::new(0.9, 0.5, 0.36, 0.45)),
            )
        },
    },
    Entry {
        file: "small_area.png",
        about: "right loop with a small, centred contact (semi-axes 0.14 x 0.18 of the image): a fingertip barely touching",
        make: || {
            synth::generate(
                &FingerprintSpec::new(300, 300, 8)
                    .with_pattern(PatternClass::RightLoop)
                    .with_contact(Contact::new(0.5, 0.5, 0.14, 0.18)),
            )
        },
    },
    Entry {
        file: "off_center.png",
        about: "whorl, 400x400, complete but placed in the upper left (centre 0.3, 0.32; semi-axes 0.2 x 0.25); touches no border",
        make: || {
            synth::generate(
                &FingerprintSpec::new(400, 400, 9)
                    .with_pattern(PatternClass::Whorl)
                    .with_contact(Contact::new(0.3, 0.32, 0.2, 0.25)),
            )
        },
    },
    Entry {
        file: "blank.png",
        about: "empty platen: degrade::blank severity 1.0 of a 300x300 print (near-uniform ~242 with sensor noise and a faint gradient)",
        make: || degrade::blank(&base_300(10, PatternClass::LeftLoop), 1.0, 10),
    },
    Entry {
        file: "wet.png",
        about: "very wet finger: degrade::wet severity 0.9 of a left loop (seed 11)",
        make: || degrade::wet(&base_300(11, PatternClass::LeftLoop), 0.9, 11),
    },
    Entry {
        file: "wet_moderate.png",
        about: "moderately wet finger: degrade::wet severity 0.5 of a whorl (seed 12)",
        make: || degrade::wet(&base_300(12, PatternClass::Whorl), 0.5, 12),
    },
    Entry {
        file: "dry.png",
        about: "very dry finger: degrade::dry severity 0.9 of a right loop (seed 13)",
        make: || degrade::dry(&base_300(13, PatternClass::RightLoop), 0.9, 13),
    },
    Entry {
        file: "dry_moderate.png",
        about: "moderately dry finger: degrade::dry severity 0.5 of a left loop (seed 14)",
        make: || degrade::dry(&base_300(14, PatternClass::LeftLoop), 0.5, 14),
    },
    Entry {
        file: "smudged.png",
        about: "smudge over a large region of the contact: degrade::smear severity 0.9 of a whorl (seed 15)",
        make: || degrade::smear(&base_300(15, PatternClass::Whorl), 0.9, 15),
    },
    Entry {
        file: "motion_blur.png",
        about: "finger slid during capture: degrade::motion_blur severity 0.8 (19 px) at 20 degrees, left loop (seed 17)",
        make: || degrade::motion_blur(&base_300(17, PatternClass::LeftLoop), 0.8, 20.0),
    },
    Entry {
        file: "residue.png",
        about: "latent ghost print on the platen around a clean print: degrade::residue severity 0.9 of a 400x400 right loop (seed 16) with platen all round",
        make: || degrade::residue(&base_with_margin(), 0.9, 16),
    },
];

fn write_png(path: &Path, img: &GrayImage) -> Result<(), Box<dyn std::error::Error>> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive).write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::L8,
    )?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("testdata/fingerprint"));
    std::fs::create_dir_all(&dir)?;
    let mut total = 0;
    for e in ENTRIES {
        let t = Instant::now();
        let img = (e.make)();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let path = dir.join(e.file);
        write_png(&path, &img)?;
        let bytes = std::fs::metadata(&path)?.len();
        total += bytes;
        println!(
            "{:<26} {:>4}x{:<4} {:>7} B {:>7.1} ms  {}",
            e.file,
            img.width(),
            img.height(),
            bytes,
            ms,
            e.about
        );
    }
    println!("total {total} B in {}", dir.display());
    Ok(())
}
