//! Synthetic fingerprint generator and degradations: determinism, sizes,
//! plausible grey levels, and degradations that move the image the physical
//! way as severity rises.
#![cfg(feature = "synth")]

use biocapture::synth::degrade::{self, Degradation};
use biocapture::synth::{self, Contact, FingerprintSpec, PatternClass};
use image::GrayImage;

const SEVERITIES: [f32; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

fn spec(seed: u64) -> FingerprintSpec {
    FingerprintSpec::new(240, 260, seed)
}

/// Mean grey of the pixels where `keep(mask value)` holds.
fn masked_mean(img: &GrayImage, mask: &GrayImage, keep: impl Fn(u8) -> bool) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (&v, &m) in img.as_raw().iter().zip(mask.as_raw()) {
        if keep(m) {
            sum += f64::from(v);
            n += 1;
        }
    }
    assert!(n > 0, "empty mask selection");
    sum / n as f64
}

fn std_dev(img: &GrayImage) -> f64 {
    let raw = img.as_raw();
    let n = raw.len() as f64;
    let m = raw.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    (raw.iter().map(|&v| (f64::from(v) - m).powi(2)).sum::<f64>() / n).sqrt()
}

/// Mean absolute difference between each pixel and its right and lower
/// neighbours, over pixels where `mask >= 250`: ridge sharpness.
fn edge_energy(img: &GrayImage, mask: &GrayImage) -> f64 {
    let (w, h) = img.dimensions();
    let (mut sum, mut n) = (0.0, 0usize);
    for y in 0..h - 1 {
        for x in 0..w - 1 {
            if mask.get_pixel(x, y)[0] < 250 {
                continue;
            }
            let v = f64::from(img.get_pixel(x, y)[0]);
            sum += (v - f64::from(img.get_pixel(x + 1, y)[0])).abs();
            sum += (v - f64::from(img.get_pixel(x, y + 1)[0])).abs();
            n += 1;
        }
    }
    sum / n as f64
}

fn mean_abs_diff(a: &GrayImage, b: &GrayImage) -> f64 {
    let n = a.as_raw().len() as f64;
    a.as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).abs())
        .sum::<f64>()
        / n
}

#[test]
fn same_seed_same_bytes_different_seed_differs() {
    for pattern in PatternClass::ALL {
        let s = spec(17).with_pattern(pattern);
        let a = synth::generate(&s);
        assert_eq!(a, synth::generate(&s), "{pattern:?} not deterministic");
        let mut other = s;
        other.seed = 18;
        let b = synth::generate(&other);
        assert!(
            mean_abs_diff(&a, &b) > 5.0,
            "{pattern:?}: seeds 17 and 18 too alike"
        );
    }
    let img = synth::generate(&spec(3));
    for d in Degradation::ALL {
        let x = d.apply(&img, 0.6, 9);
        assert_eq!(x, d.apply(&img, 0.6, 9), "{} not deterministic", d.name());
    }
}

#[test]
fn pattern_classes_differ() {
    let imgs: Vec<GrayImage> = PatternClass::ALL
        .iter()
        .map(|&p| synth::generate(&spec(5).with_pattern(p)))
        .collect();
    for i in 0..imgs.len() {
        for j in i + 1..imgs.len() {
            assert!(
                mean_abs_diff(&imgs[i], &imgs[j]) > 5.0,
                "classes {i} and {j} alike"
            );
        }
    }
}

#[test]
fn any_size_is_handled_without_panic() {
    for (w, h) in [
        (0, 0),
        (0, 7),
        (7, 0),
        (1, 1),
        (2, 2),
        (3, 200),
        (200, 3),
        (31, 33),
        (800, 750),
    ] {
        let s = FingerprintSpec::new(w, h, 1).with_pattern(PatternClass::Whorl);
        let img = synth::generate(&s);
        assert_eq!(img.dimensions(), (w, h));
        assert_eq!(synth::contact_mask(&s).dimensions(), (w, h));
        // Every severity on the small sizes; the full-size print only at
        // severity 1, to keep the test quick.
        let severities: &[f32] = if w * h > 200_000 {
            &[1.0]
        } else {
            &[0.0, 0.3, 1.0, 5.0, -1.0, f32::NAN]
        };
        for d in Degradation::ALL {
            for &sev in severities {
                assert_eq!(d.apply(&img, sev, 2).dimensions(), (w, h), "{}", d.name());
            }
        }
    }
}

#[test]
fn absurd_spec_values_are_sanitised() {
    let mut s = FingerprintSpec::new(64, 48, 1)
        .with_ridge_period(f32::NAN)
        .with_noise_sigma(f32::INFINITY)
        .with_pressure_variation(-3.0)
        .with_contact(Contact::new(f32::NAN, 9.0, -1.0, 1e9).with_softness(0.0));
    let clean = s.sanitized();
    assert_eq!(clean.ridge_period, 9.0);
    assert_eq!(clean.noise_sigma, 2.0);
    assert_eq!(clean.pressure_variation, 0.0);
    assert_eq!(synth::generate(&s).dimensions(), (64, 48));
    s.width = u32::MAX;
    s.height = 2;
    assert_eq!(synth::generate(&s).dimensions(), (synth::MAX_SIDE, 2));
}

#[test]
fn foreground_is_a_print_and_background_is_the_platen() {
    for pattern in PatternClass::ALL {
        let s = spec(11).with_pattern(pattern);
        let img = synth::generate(&s);
        let mask = synth::contact_mask(&s);
        let inside = masked_mean(&img, &mask, |m| m == 255);
        let outside = masked_mean(&img, &mask, |m| m == 0);
        assert!(
            (90.0..175.0).contains(&inside),
            "{pattern:?} inside mean {inside}"
        );
        assert!(
            (232.0..252.0).contains(&outside),
            "{pattern:?} outside mean {outside}"
        );
        // Ridges and valleys both present inside the contact.
        let (mut dark, mut light, mut n) = (0, 0, 0);
        for (&v, &m) in img.as_raw().iter().zip(mask.as_raw()) {
            if m == 255 {
                n += 1;
                dark += usize::from(v < 110);
                light += usize::from(v > 160);
            }
        }
        assert!(
            dark * 5 > n && light * 5 > n,
            "{pattern:?}: dark {dark} light {light} of {n}"
        );
    }
}

/// Counts dark runs down the middle column of the contact.
fn ridge_crossings(img: &GrayImage, mask: &GrayImage) -> usize {
    let x = img.width() / 2;
    let mut count = 0;
    let mut prev_dark = false;
    for y in 0..img.height() {
        if mask.get_pixel(x, y)[0] < 255 {
            prev_dark = false;
            continue;
        }
        let dark = img.get_pixel(x, y)[0] < 128;
        count += usize::from(dark && !prev_dark);
        prev_dark = dark;
    }
    count
}

#[test]
fn ridge_period_sets_the_ridge_count() {
    let count = |period: f32| {
        (0..3)
            .map(|seed| {
                let s = spec(seed)
                    .with_pattern(PatternClass::Arch)
                    .with_ridge_period(period);
                ridge_crossings(&synth::generate(&s), &synth::contact_mask(&s))
            })
            .sum::<usize>()
    };
    let (fine, coarse) = (count(6.0), count(12.0));
    // Down a ~220 px tall contact of an arch: ~36 ridges at 6 px, ~18 at
    // 12 px (fewer where ridges are oblique or broken).
    assert!(
        fine as f64 > 1.5 * coarse as f64,
        "fine {fine} coarse {coarse}"
    );
    assert!(coarse >= 3 * 5, "coarse {coarse}");
}

#[test]
fn severity_zero_or_nan_is_identity_and_above_one_is_one() {
    let img = synth::generate(&spec(4));
    for d in Degradation::ALL {
        assert_eq!(d.apply(&img, 0.0, 1), img, "{}", d.name());
        assert_eq!(d.apply(&img, f32::NAN, 1), img, "{}", d.name());
        assert_eq!(d.apply(&img, -0.5, 1), img, "{}", d.name());
        assert_eq!(d.apply(&img, 3.0, 1), d.apply(&img, 1.0, 1), "{}", d.name());
        assert_ne!(d.apply(&img, 0.5, 1), img, "{} did nothing", d.name());
    }
}

/// `values` strictly increasing (or decreasing when `down`).
fn assert_monotonic(name: &str, values: &[f64], down: bool) {
    for pair in values.windows(2) {
        let ok = if down {
            pair[1] < pair[0]
        } else {
            pair[1] > pair[0]
        };
        assert!(ok, "{name} not monotonic: {values:?}");
    }
}

#[test]
fn wet_darkens_and_dry_lightens_the_contact_monotonically() {
    for seed in [1, 2, 3] {
        let s = spec(seed).with_pattern(PatternClass::ALL[seed as usize % 5]);
        let img = synth::generate(&s);
        let mask = synth::contact_mask(&s);
        let mean_in = |x: &GrayImage| masked_mean(x, &mask, |m| m >= 200);
        let wet: Vec<f64> = SEVERITIES
            .iter()
            .map(|&sev| mean_in(&degrade::wet(&img, sev, seed)))
            .collect();
        let dry: Vec<f64> = SEVERITIES
            .iter()
            .map(|&sev| mean_in(&degrade::dry(&img, sev, seed)))
            .collect();
        assert_monotonic("wet", &wet, true);
        assert_monotonic("dry", &dry, false);
        assert!(wet[0] - wet[4] > 40.0, "wet barely darker: {wet:?}");
        assert!(dry[4] - dry[0] > 25.0, "dry barely lighter: {dry:?}");
        // Wet prints lose the light valleys; dry ones lose the dark ridges.
        let share = |x: &GrayImage, f: &dyn Fn(u8) -> bool| {
            let sel: Vec<u8> = x
                .as_raw()
                .iter()
                .zip(mask.as_raw())
                .filter(|(_, &m)| m >= 200)
                .map(|(&v, _)| v)
                .collect();
            sel.iter().filter(|&&v| f(v)).count() as f64 / sel.len() as f64
        };
        let light = |v: u8| v > 160;
        let dark = |v: u8| v < 110;
        assert!(share(&degrade::wet(&img, 0.75, 1), &light) < 0.5 * share(&img, &light));
        assert!(share(&degrade::dry(&img, 0.75, 1), &dark) < 0.5 * share(&img, &dark));
        // The platen away from the finger (the image corners) stays as it
        // was; next to the rim a wet finger may leave some moisture.
        let corners = GrayImage::from_fn(img.width(), img.height(), |x, y| {
            let near = |v: u32, n: u32| v < 20 || v + 20 >= n;
            image::Luma([u8::from(near(x, img.width()) && near(y, img.height()))])
        });
        for x in [degrade::wet(&img, 1.0, 1), degrade::dry(&img, 1.0, 1)] {
            let before = masked_mean(&img, &corners, |m| m == 1);
            let after = masked_mean(&x, &corners, |m| m == 1);
            assert!((before - after).abs() < 1.0, "corners {before} -> {after}");
            let bg_before = masked_mean(&img, &mask, |m| m == 0);
            let bg_after = masked_mean(&x, &mask, |m| m == 0);
            assert!(
                (bg_before - bg_after).abs() < 8.0,
                "{bg_before} -> {bg_after}"
            );
        }
    }
}

#[test]
fn plain_degradations_move_the_image_the_physical_way() {
    let s = spec(21).with_pattern(PatternClass::RightLoop);
    let img = synth::generate(&s);
    let mask = synth::contact_mask(&s);
    let over = |f: &dyn Fn(f32) -> f64| SEVERITIES.iter().map(|&v| f(v)).collect::<Vec<f64>>();

    let contrast = over(&|v| std_dev(&degrade::contrast(&img, v)));
    assert_monotonic("contrast std", &contrast, true);
    assert!(contrast[4] < 0.15 * contrast[0]);

    let noise = over(&|v| mean_abs_diff(&degrade::noise(&img, v, 3), &img));
    assert_monotonic("noise", &noise, false);
    assert!(noise[4] > 30.0, "{noise:?}");

    let blank = over(&|v| std_dev(&degrade::blank(&img, v, 3)));
    assert_monotonic("blank std", &blank, true);
    let empty = degrade::blank(&img, 1.0, 3);
    assert!(std_dev(&empty) < 5.0);
    let bg = masked_mean(&img, &mask, |m| m == 0);
    assert!((masked_mean(&empty, &mask, |_| true) - bg).abs() < 4.0);

    // Shifting right: the print's dark mass moves right and leaves through
    // the right edge; the left strip becomes platen.
    let dark = |x: &GrayImage| {
        let (mut n, mut sx) = (0.0, 0.0);
        for (px, _, v) in x.enumerate_pixels() {
            if v[0] < 128 {
                n += 1.0;
                sx += f64::from(px);
            }
        }
        (n, sx / n)
    };
    let centroid = over(&|v| dark(&degrade::shift(&img, v, 0.0, 3)).1);
    assert_monotonic("shift centroid", &centroid, false);
    let area = over(&|v| dark(&degrade::shift(&img, v, 0.0, 3)).0);
    assert!(area.windows(2).all(|p| p[1] <= p[0]), "{area:?}");
    assert!(area[4] < 0.5 * area[0], "{area:?}");
    let moved = degrade::shift(&img, 1.0, 0.0, 3);
    let left_strip = (0..img.height())
        .flat_map(|y| (0..100).map(move |x| (x, y)))
        .map(|(x, y)| f64::from(moved.get_pixel(x, y)[0]))
        .sum::<f64>()
        / (100.0 * f64::from(img.height()));
    assert!(
        (left_strip - bg).abs() < 3.0,
        "left strip {left_strip} vs {bg}"
    );
}

#[test]
fn smear_and_motion_blur_wipe_ridge_structure() {
    let s = spec(8).with_pattern(PatternClass::Whorl);
    let img = synth::generate(&s);
    let mask = synth::contact_mask(&s);
    let blur: Vec<f64> = SEVERITIES
        .iter()
        .map(|&v| edge_energy(&degrade::motion_blur(&img, v, 30.0), &mask))
        .collect();
    assert_monotonic("motion blur edge energy", &blur, true);
    assert!(blur[4] < 0.6 * blur[0], "{blur:?}");
    // A linear blur keeps the mean grey.
    let mean_all = |x: &GrayImage| masked_mean(x, &mask, |_| true);
    assert!((mean_all(&degrade::motion_blur(&img, 1.0, 30.0)) - mean_all(&img)).abs() < 2.0);

    let smear: Vec<f64> = SEVERITIES
        .iter()
        .map(|&v| edge_energy(&degrade::smear(&img, v, 4), &mask))
        .collect();
    assert_monotonic("smear edge energy", &smear, true);
    let smeared = degrade::smear(&img, 1.0, 4);
    // The finger touched there: the smeared region is not lighter.
    assert!(masked_mean(&smeared, &mask, |m| m == 255) <= masked_mean(&img, &mask, |m| m == 255));
    // The empty platen is untouched.
    let outside: Vec<(u8, u8)> = img
        .as_raw()
        .iter()
        .zip(smeared.as_raw())
        .zip(mask.as_raw())
        .filter(|(_, &m)| m == 0)
        .map(|((&a, &b), _)| (a, b))
        .collect();
    let changed = outside.iter().filter(|(a, b)| a != b).count();
    assert!(
        changed * 100 < outside.len(),
        "{changed} of {} changed",
        outside.len()
    );
}

#[test]
fn residue_darkens_only_the_background() {
    for seed in [1u64, 2, 3] {
        let s = spec(seed + 30);
        let img = synth::generate(&s);
        let mask = synth::contact_mask(&s);
        let mut bg_means = Vec::new();
        for &sev in &SEVERITIES {
            let out = degrade::residue(&img, sev, seed);
            for ((&a, &b), &m) in img.as_raw().iter().zip(out.as_raw()).zip(mask.as_raw()) {
                if m >= 26 {
                    assert_eq!(a, b, "residue touched the contact area");
                }
            }
            bg_means.push(masked_mean(&out, &mask, |m| m == 0));
        }
        assert_monotonic("residue background mean", &bg_means, true);
        // A ghost, not a second print: faint on average.
        assert!(
            bg_means[0] - bg_means[4] > 1.0 && bg_means[0] - bg_means[4] < 30.0,
            "{bg_means:?}"
        );
    }
}

#[test]
fn degradations_apply_to_any_grey_image() {
    // A flat image, a gradient and a checkerboard: nothing panics, sizes
    // hold, and a flat platen has no finger for wet/dry/smear to change.
    let flat = GrayImage::from_pixel(50, 40, image::Luma([200]));
    for d in [Degradation::Wet, Degradation::Dry, Degradation::Smear] {
        assert_eq!(d.apply(&flat, 1.0, 1), flat, "{}", d.name());
    }
    let ramp = GrayImage::from_fn(70, 30, |x, y| image::Luma([((x * 3 + y) % 256) as u8]));
    let checker = GrayImage::from_fn(33, 47, |x, y| {
        image::Luma([if (x + y) % 2 == 0 { 0 } else { 255 }])
    });
    // Wider than `MAX_SIDE`: the residue ghost is stretched, not misaligned.
    let wide = GrayImage::from_fn(synth::MAX_SIDE + 52, 24, |x, _| {
        image::Luma([if x % 9 < 4 { 70 } else { 200 }])
    });
    assert_eq!(
        degrade::residue(&wide, 1.0, 3).dimensions(),
        wide.dimensions()
    );
    for img in [&ramp, &checker] {
        for d in Degradation::ALL {
            assert_eq!(d.apply(img, 0.8, 5).dimensions(), img.dimensions());
        }
    }
}
