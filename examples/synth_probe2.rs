//! Scratch (not committed): medians of the moisture measures on synth wet/dry.
use biocapture::synth::degrade;
use biocapture::{FingerprintAssessor, FingerprintConfig, GrayView};
fn main() {
    let data = std::path::PathBuf::from("../shared/data/fingerprint");
    let mut prints = Vec::new();
    for set in ["fvc2000_db1_b", "fvc2000_db2_b_subset"] {
        let csv = std::fs::read_to_string(data.join(set).join("nfiq2.csv")).unwrap();
        for l in csv.lines().skip(1) {
            let mut f = l.split(',');
            let (file, s) = (f.next().unwrap(), f.next().unwrap());
            if s.parse::<f32>().is_ok_and(|v| v >= 50.0) {
                prints.push(image::open(data.join(set).join(file)).unwrap().to_luma8());
            }
        }
    }
    let mut a = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let med = |v: &mut Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    for kind in ["wet", "dry"] {
        for sev in [0.0f32, 0.25, 0.5, 0.75, 1.0] {
            let (mut g, mut w) = (vec![], vec![]);
            for (i, p) in prints.iter().enumerate() {
                let d = if kind == "wet" {
                    degrade::wet(p, sev, i as u64)
                } else {
                    degrade::dry(p, sev, i as u64)
                };
                let r = a.assess(GrayView::from(&d)).unwrap();
                g.push(r.moisture.ridge_gaps);
                w.push(r.moisture.bridged_fraction);
            }
            println!(
                "{kind} {sev}: gaps {:.3} bridged {:.3}",
                med(&mut g),
                med(&mut w)
            );
        }
    }
}
