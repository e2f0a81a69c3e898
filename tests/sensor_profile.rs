//! Sensor profiles: learned from a device's own unlabelled captures, they
//! survive JSON, are refused when damaged, judge the same whether given
//! to the assessor or applied to a stored report, and read a device that
//! draws thick ridges as normal where the generic profile reads its wet
//! prints no better.
#![cfg(all(feature = "synth", feature = "serde"))]

use biocapture::synth::{self, degrade, FingerprintSpec, PatternClass};
use biocapture::{
    Error, FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport, GrayView,
    MoistureClass, Reason, SensorProfile, MIN_PROFILE_CAPTURES, PROFILE_VERSION,
};
use image::GrayImage;
use imageproc::morphology::{grayscale_erode, Mask};

/// Twenty clean captures of one synthetic device: five patterns, four
/// seeds each.
fn captures() -> Vec<GrayImage> {
    (0..20u64)
        .map(|i| {
            synth::generate(
                &FingerprintSpec::new(256, 288, 100 + i)
                    .with_pattern(PatternClass::ALL[(i % 5) as usize]),
            )
        })
        .collect()
}

fn assess_all(config: FingerprintConfig, images: &[GrayImage]) -> Vec<FingerprintReport> {
    let mut a = FingerprintAssessor::new(config).unwrap();
    images
        .iter()
        .map(|img| a.assess(GrayView::from(img)).unwrap())
        .collect()
}

#[test]
fn a_profile_learned_from_clean_captures_is_sane_and_survives_json() {
    let reports = assess_all(FingerprintConfig::default(), &captures());
    let p = SensorProfile::learn("synthetic device", &reports).unwrap();
    p.validate().unwrap();
    assert_eq!(p.version, PROFILE_VERSION);
    assert_eq!(p.captures, 20);
    // Clean prints: few gaps and bridges, thresholds above every capture.
    assert!(p.ridge_gaps.typical < 0.05, "{p:?}");
    assert!(p.bridged_fraction.typical < 0.05, "{p:?}");
    for r in &reports {
        assert!(r.moisture.ridge_gaps < p.ridge_gaps.threshold(), "{p:?}");
        assert!(r.moisture.bridged_fraction < p.bridged_fraction.threshold());
    }
    let json = serde_json::to_string(&p).unwrap();
    let back: SensorProfile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
}

#[test]
fn damaged_profiles_are_refused_with_a_clear_error() {
    let good = SensorProfile::generic();
    let mut newer = good.clone();
    newer.version = PROFILE_VERSION + 1;
    assert!(matches!(
        FingerprintAssessor::new(FingerprintConfig::default().with_profile(newer)),
        Err(Error::UnsupportedProfileVersion { .. })
    ));
    let mut negative = good.clone();
    negative.ridge_gaps.margin = -0.1;
    assert!(matches!(
        FingerprintAssessor::new(FingerprintConfig::default().with_profile(negative)),
        Err(Error::InvalidConfig {
            field: "ridge_gaps",
            ..
        })
    ));
    // JSON missing a field, or with a number out of range.
    assert!(serde_json::from_str::<SensorProfile>(r#"{"version": 1}"#).is_err());
    let json = serde_json::to_string(&good)
        .unwrap()
        .replace("\"typical\":0.011", "\"typical\":7.0");
    let seven: SensorProfile = serde_json::from_str(&json).unwrap();
    assert!(seven.validate().is_err());
    // Too few captures with a finger on them.
    let blank = GrayImage::from_pixel(200, 200, image::Luma([240]));
    let reports = assess_all(FingerprintConfig::default(), &vec![blank; 30]);
    assert_eq!(
        SensorProfile::learn("empty platen", &reports),
        Err(Error::TooFewCaptures {
            usable: 0,
            needed: MIN_PROFILE_CAPTURES
        })
    );
    let few = assess_all(FingerprintConfig::default(), &captures()[..5]);
    assert!(matches!(
        SensorProfile::learn("five", &few),
        Err(Error::TooFewCaptures { usable: 5, .. })
    ));
}

#[test]
fn a_stored_report_read_against_a_profile_matches_assessing_with_it() {
    let images = captures();
    let profile = SensorProfile::learn(
        "synthetic device",
        &assess_all(FingerprintConfig::default(), &images),
    )
    .unwrap();
    let wet = degrade::wet(&images[3], 0.75, 3);
    let dry = degrade::dry(&images[4], 0.75, 4);
    let with = FingerprintConfig::default().with_profile(profile.clone());
    for img in [&images[0], &wet, &dry] {
        let direct = assess_all(with.clone(), std::slice::from_ref(img)).remove(0);
        let mut later =
            assess_all(FingerprintConfig::default(), std::slice::from_ref(img)).remove(0);
        assert_eq!(later.sensor_profile, None);
        later.apply_profile(&profile);
        assert_eq!(later, direct);
        assert_eq!(direct.sensor_profile.as_deref(), Some("synthetic device"));
    }
    let policy = FingerprintPolicy::default();
    let judge =
        |img: &GrayImage| policy.judge(&assess_all(with.clone(), std::slice::from_ref(img))[0]);
    assert!(judge(&wet).has(Reason::TooWet));
    assert!(judge(&dry).has(Reason::TooDry));
    let clean = judge(&images[0]);
    assert!(
        !clean.has(Reason::TooWet) && !clean.has(Reason::TooDry),
        "{:?}",
        clean.codes()
    );
}

#[test]
fn a_device_that_draws_thick_ridges_reads_normal_against_its_profile() {
    // The same fingers on a device whose optics spread every ridge by a
    // pixel: a global ridge-width shift, which is how that device draws,
    // not sweat.
    let thick: Vec<GrayImage> = captures()
        .iter()
        .map(|img| grayscale_erode(img, &Mask::square(1)))
        .collect();
    let plain = assess_all(FingerprintConfig::default(), &thick);
    let profile = SensorProfile::learn("thick-ridged device", &plain).unwrap();
    let fill = profile
        .ridge_fill
        .expect("a learned profile reads the fill");
    let own = assess_all(FingerprintConfig::default().with_profile(profile), &thick);
    for (r, own) in plain.iter().zip(&own) {
        // Neither the generic profile nor the device's own calls them wet.
        assert_ne!(r.moisture.class, MoistureClass::Wet, "{:?}", r.moisture);
        assert_ne!(own.moisture.class, MoistureClass::Wet, "{:?}", own.moisture);
        assert!(r.moisture.ridge_fill < fill.threshold());
    }
}
