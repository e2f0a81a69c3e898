//! Scratch: every report as JSON, one line per print (not committed).
use biocapture::{FingerprintAssessor, FingerprintConfig, GrayView};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ppi: u32 = args[0].parse().unwrap();
    let mut a = FingerprintAssessor::new(FingerprintConfig::default()).unwrap();
    for f in &args[1..] {
        let img = image::open(f).unwrap().to_luma8();
        let r = a.assess(GrayView::from(&img).with_ppi(ppi)).unwrap();
        println!("{}", serde_json::to_string(&r).unwrap());
    }
}
