//! Moisture and smudge detectors on the committed clean prints, degraded
//! with the `synth` degradations: strong degradations flip the verdict with
//! the right reason, a more severe degradation moves the measure further
//! from normal, and wet and dry never get each other's hint.
#![cfg(feature = "synth")]

use biocapture::synth::degrade;
use biocapture::{
    FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport, GrayView, Reason,
};
use std::path::Path;

/// A degradation at a fixed severity and seed.
type Degrade = fn(&image::GrayImage) -> image::GrayImage;

const CLEAN: [&str; 3] = [
    "clean_loop_300.png",
    "clean_whorl_388x374.png",
    "clean_arch_512.png",
];

fn load(name: &str) -> image::GrayImage {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/fingerprint")
        .join(name);
    image::open(p).unwrap().to_luma8()
}

fn assess(img: &image::GrayImage) -> FingerprintReport {
    FingerprintAssessor::new(FingerprintConfig::default())
        .unwrap()
        .assess(GrayView::from(img))
        .unwrap()
}

#[test]
fn clean_prints_pass_without_moisture_or_smudge_reasons() {
    for name in CLEAN {
        let v = FingerprintPolicy::default().judge(&assess(&load(name)));
        assert!(v.is_pass(), "{name}: {:?}", v.codes());
    }
}

#[test]
fn strong_degradations_flip_the_verdict_with_the_right_reason() {
    // A hard slide smears every ridge across the motion: `smudged` (whose
    // hint says to place the finger without sliding) is a right answer too.
    let cases: [(&str, Degrade, &[Reason]); 5] = [
        ("wet", |i| degrade::wet(i, 0.75, 7), &[Reason::TooWet]),
        ("dry", |i| degrade::dry(i, 0.75, 7), &[Reason::TooDry]),
        ("smear", |i| degrade::smear(i, 1.0, 7), &[Reason::Smudged]),
        (
            "motion_blur",
            |i| degrade::motion_blur(i, 1.0, 30.0),
            &[Reason::MotionBlur, Reason::Smudged],
        ),
        (
            "residue",
            |i| degrade::residue(i, 1.0, 7),
            &[Reason::SensorResidue],
        ),
    ];
    let policy = FingerprintPolicy::default();
    let mut misses = Vec::new();
    for name in CLEAN {
        let img = load(name);
        for (what, degrade, reasons) in cases {
            let v = policy.judge(&assess(&degrade(&img)));
            if v.is_pass() || !reasons.iter().any(|&r| v.has(r)) {
                misses.push(format!("{name} {what}: {:?}", v.codes()));
            }
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn moisture_index_moves_away_from_normal_with_severity() {
    for name in CLEAN {
        let img = load(name);
        let mut last_wet = assess(&img).moisture.index;
        let mut last_dry = last_wet;
        // Up to 0.75: at the extreme the ridges are gone altogether and the
        // print is judged unclear rather than wet (see the crate docs).
        for sev in [0.25f32, 0.5, 0.75] {
            let wet = assess(&degrade::wet(&img, sev, 3)).moisture.index;
            let dry = assess(&degrade::dry(&img, sev, 3)).moisture.index;
            // Small steps back are measurement noise; a real reversal is not.
            assert!(
                wet >= last_wet - 0.05,
                "{name} wet {sev}: {wet} after {last_wet}"
            );
            assert!(
                dry <= last_dry + 0.05,
                "{name} dry {sev}: {dry} after {last_dry}"
            );
            last_wet = wet;
            last_dry = dry;
        }
        assert!(
            last_wet >= biocapture::WET_BAND && last_dry <= biocapture::DRY_BAND,
            "{name}: wet {last_wet}, dry {last_dry}"
        );
    }
}

#[test]
fn a_moderate_smear_is_found_and_its_patch_grows_with_severity() {
    // At severity 0.5 the synthetic smear wipes out a patch of a few
    // millimetres (3-5 % of the contact): small, but a smear an operator
    // should clean away.
    let policy = FingerprintPolicy::default();
    let mut misses = Vec::new();
    for name in CLEAN {
        let img = load(name);
        for seed in [3, 7, 11] {
            let mut last = assess(&img).smudge.largest_patch;
            for sev in [0.5f32, 0.75, 1.0] {
                let r = assess(&degrade::smear(&img, sev, seed));
                let patch = r.smudge.largest_patch;
                assert!(
                    patch >= last - 0.01,
                    "{name} seed {seed} {sev}: patch {patch} after {last}"
                );
                last = patch;
                if !policy.judge(&r).has(Reason::Smudged) {
                    misses.push(format!("{name} seed {seed} {sev}: patch {patch}"));
                }
            }
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn a_smear_under_sensor_noise_is_still_found() {
    // A sensor adds its noise after the smear: the smear's flat grey is
    // noisy, and the noise must not read as ridge detail.
    let policy = FingerprintPolicy::default();
    let mut misses = Vec::new();
    for name in CLEAN {
        let img = load(name);
        for sd in [10.0f32, 20.0] {
            let clean = policy.judge(&assess(&degrade::noise(&img, sd / 50.0, 1)));
            if clean.has(Reason::Smudged) {
                misses.push(format!(
                    "{name} noise sd {sd}, no smear: {:?}",
                    clean.codes()
                ));
            }
            for seed in [3, 7, 11] {
                let smeared = degrade::noise(&degrade::smear(&img, 0.5, seed), sd / 50.0, seed);
                let v = policy.judge(&assess(&smeared));
                if !v.has(Reason::Smudged) {
                    misses.push(format!("{name} noise sd {sd} seed {seed}: {:?}", v.codes()));
                }
            }
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn motion_blur_grows_with_slide_length() {
    for name in CLEAN {
        let img = load(name);
        let mut last = assess(&img).smudge.motion_blur;
        for sev in [0.25f32, 0.5, 1.0] {
            let mb = assess(&degrade::motion_blur(&img, sev, 120.0))
                .smudge
                .motion_blur;
            assert!(mb >= last - 0.05, "{name} {sev}: {mb} after {last}");
            last = mb;
        }
    }
}

#[test]
fn wet_and_dry_never_get_the_contrary_hint() {
    // Telling a sweaty finger to get moister, or a dry one to be dried, is
    // worse than no hint: at no severity may a wetted print read dry or a
    // dried one wet.
    let policy = FingerprintPolicy::default();
    for name in CLEAN {
        let img = load(name);
        for sev in [0.25f32, 0.5, 0.75, 1.0] {
            for seed in [3, 7] {
                let wet = policy.judge(&assess(&degrade::wet(&img, sev, seed)));
                assert!(
                    !wet.has(Reason::TooDry),
                    "{name} wet {sev}: {:?}",
                    wet.codes()
                );
                let dry = policy.judge(&assess(&degrade::dry(&img, sev, seed)));
                assert!(
                    !dry.has(Reason::TooWet),
                    "{name} dry {sev}: {:?}",
                    dry.codes()
                );
            }
        }
    }
}

#[test]
fn a_slide_in_any_direction_is_found() {
    // The finger can slide any way across the platen: at full length the
    // slide is found (or the print called smudged, whose hint also says
    // not to slide) whatever its direction.
    let policy = FingerprintPolicy::default();
    let (mut misses, mut named) = (Vec::new(), 0usize);
    for name in CLEAN {
        let img = load(name);
        for angle in [0.0f32, 45.0, 90.0, 135.0] {
            let v = policy.judge(&assess(&degrade::motion_blur(&img, 1.0, angle)));
            named += usize::from(v.has(Reason::MotionBlur));
            if !(v.has(Reason::MotionBlur) || v.has(Reason::Smudged)) {
                misses.push(format!("{name} {angle} deg: {:?}", v.codes()));
            }
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
    // ... and most of them by name.
    assert!(named >= 8, "motion_blur in only {named} of 12");
}

/// `print` in the middle of a platen twice as wide (the print's own platen
/// grey, taken from its top-left corner), and, when `ink` > 0, a latent of
/// `ghost` on the platen either side: darkened by up to `ink` grey levels
/// where the ghost's ridges are.
fn beside_a_latent(
    print: &image::GrayImage,
    ghost: &image::GrayImage,
    ink: f32,
) -> image::GrayImage {
    let (w, h) = print.dimensions();
    let platen = f32::from(print.get_pixel(2, 2)[0]);
    image::GrayImage::from_fn(2 * w, h, |x, y| {
        if (w / 2..w / 2 + w).contains(&x) {
            return *print.get_pixel(x - w / 2, y);
        }
        let g = ghost.get_pixel(x % ghost.width(), y % ghost.height())[0];
        let depth = ((platen - f32::from(g)) / platen.max(1.0)).clamp(0.0, 1.0);
        image::Luma([(platen - ink * depth).round().clamp(0.0, 255.0) as u8])
    })
}

#[test]
fn a_latent_beside_the_finger_reads_as_residue_not_as_dry_skin() {
    let print = load("clean_loop_300.png");
    let ghost = load("clean_whorl_388x374.png");
    let policy = FingerprintPolicy::default();
    let bare = assess(&beside_a_latent(&print, &ghost, 0.0));
    assert!(
        policy.judge(&bare).is_pass(),
        "{:?}",
        policy.judge(&bare).codes()
    );
    let contact = |r: &FingerprintReport| r.foreground.contact.iter().filter(|&&c| c).count();
    // From a faint latent (an eighth of the finger's ridge depth of about
    // 130 grey levels) to one strong enough to pass the foreground test
    // (over half of it; before latents were told from the finger there, it
    // read as 141 more contact blocks of faint skin: `too_dry`).
    for ink in [15.0, 45.0, 75.0] {
        let r = assess(&beside_a_latent(&print, &ghost, ink));
        let v = policy.judge(&r);
        assert!(v.has(Reason::SensorResidue), "ink {ink}: {:?}", v.codes());
        assert!(!v.has(Reason::TooDry), "ink {ink}: {:?}", v.codes());
        // The latent is not taken for part of the finger.
        assert!(
            contact(&r) <= contact(&bare) + 4,
            "ink {ink}: contact {} blocks, {} without the latent",
            contact(&r),
            contact(&bare)
        );
    }
}

#[test]
fn sensor_column_stripes_are_not_residue() {
    // Swipe and capacitive sensors show column (or row) stripes on a bare
    // platen: straight, at a steady spacing, but not a latent print.
    let print = load("clean_loop_300.png");
    let (w, h) = print.dimensions();
    let platen = f32::from(print.get_pixel(2, 2)[0]);
    for (period, depth) in [(6u32, 20.0f32), (8, 35.0), (10, 50.0)] {
        for columns in [true, false] {
            let striped = image::GrayImage::from_fn(2 * w, h, |x, y| {
                if (w / 2..w / 2 + w).contains(&x) {
                    return *print.get_pixel(x - w / 2, y);
                }
                let along = if columns { x } else { y };
                let dark = if along % period < period / 2 {
                    depth
                } else {
                    0.0
                };
                image::Luma([(platen - dark).clamp(0.0, 255.0) as u8])
            });
            let v = FingerprintPolicy::default().judge(&assess(&striped));
            assert!(
                !v.has(Reason::SensorResidue),
                "period {period}, depth {depth}, columns {columns}: {:?}",
                v.codes()
            );
        }
    }
}

#[test]
fn a_print_too_light_for_nfiq2_is_low_contrast_not_no_finger() {
    // NFIQ 2's "empty image or contrast too low" (mean grey over 250): with
    // ridges on it the finger is there, printed too light; the hint must
    // be to press more firmly, not that there is no finger.
    let policy = FingerprintPolicy::default();
    for name in CLEAN {
        let mut img = load(name);
        for p in img.pixels_mut() {
            p[0] = 255 - (255 - p[0]) / 16;
        }
        let r = assess(&img);
        assert!(
            r.actionable.is_too_light(),
            "{name}: mean {}",
            r.actionable.mean_grey
        );
        let v = policy.judge(&r);
        assert!(
            v.has(Reason::LowContrast) && !v.has(Reason::NoFinger),
            "{name}: {:?}",
            v.codes()
        );
    }
    // A light platen with only sensor noise on it is still no finger.
    let mut state = 7u32;
    let blank = image::GrayImage::from_fn(300, 300, |_, _| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        image::Luma([250 + (state >> 16) as u8 % 6])
    });
    let v = policy.judge(&assess(&blank));
    assert_eq!(v.codes(), vec!["no_finger"]);
}

#[test]
fn a_thermal_sweeps_grey_frame_is_no_smudge_slide_or_residue() {
    // A thermal sweep draws black ridges and white valleys in a grey
    // frame that the sweep streaks along the columns. The frame is empty
    // sensor: no contact, no smear, no slide, no latent; the print gets no
    // smudge reason it does not get on a light platen.
    use biocapture::synth::{self, FingerprintSpec, PatternClass};
    let policy = FingerprintPolicy::default();
    let smudges = [Reason::Smudged, Reason::MotionBlur, Reason::SensorResidue];
    for (k, pattern) in PatternClass::ALL.into_iter().enumerate() {
        let spec = FingerprintSpec::new(300, 420, 40 + k as u64).with_pattern(pattern);
        let light = policy.judge(&assess(&synth::generate(
            &spec.with_grey_levels(10, 245, 245),
        )));
        let mut img = synth::generate(&spec.with_grey_levels(10, 245, 100));
        // Column streaks along the sweep, on the frame only.
        for (x, y, p) in img.enumerate_pixels_mut() {
            if (i32::from(p[0]) - 100).abs() <= 3 {
                let streak = ((x * 37 + k as u32 * 11) % 9) as i32 - 4;
                p[0] = (100 + streak + (y % 2) as i32).clamp(0, 255) as u8;
            }
        }
        let framed = policy.judge(&assess(&img));
        for r in smudges {
            assert!(
                !framed.has(r) || light.has(r),
                "{pattern:?}: {:?} in the frame, {:?} on a light platen",
                framed.codes(),
                light.codes()
            );
        }
    }
}
