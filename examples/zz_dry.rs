use biocapture::synth::degrade::Degradation;
use biocapture::{FingerprintAssessor, FingerprintConfig, FingerprintPolicy, GrayView, Reason};
fn main() {
    let list = std::fs::read_to_string("/tmp/clean67.txt").unwrap();
    let kind = std::env::args().nth(1).unwrap_or("dry".into());
    let sev: f32 = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(1.0);
    let mut a = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    let pol = FingerprintPolicy::default();
    std::fs::create_dir_all("/tmp/zzdry").unwrap();
    for (i, p) in list.lines().enumerate() {
        let img = image::open(p).unwrap().to_luma8();
        let (d, want, k) = if kind == "dry" { (Degradation::Dry, Reason::TooDry, 1) } else { (Degradation::Wet, Reason::TooWet, 0) };
        let g = d.apply(&img, sev, 1000 + i as u64 * 31 + k);
        let r = a.assess(GrayView::from(&g)).unwrap();
        let v = pol.judge(&r);
        if !v.has(want) {
            let name = p.rsplit('/').take(2).collect::<Vec<_>>().join("_");
            g.save(format!("/tmp/zzdry/{name}.png")).unwrap();
            println!("{p} idx {:.3} duty {:.3} tex {:.3} asym {:.3} sharp {:.2} fgfrac {:.3} dryfrag {:.3} {:?}", r.moisture.index, r.moisture.ridge_duty, r.moisture.ridge_texture, r.moisture.ridge_asymmetry, r.moisture.ridge_sharpness, r.foreground.fraction, r.moisture.dry_fragment_fraction, v.codes());
        }
    }
}
