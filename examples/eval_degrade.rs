//! Detection of moisture and smudge problems on real prints degraded at
//! evaluation time (never committed).
//!
//! ```text
//! cargo run --release --features synth --example eval_degrade -- [DATA_DIR] [--profile] [--dump DIR] [--csv FILE]
//! ```
//!
//! `--csv FILE` writes every measure behind a reason, one row per print,
//! source, degradation and severity (clean prints as source `clean`), for
//! studying thresholds; `--dump DIR` writes every degraded version of
//! every 20th print; `--profile` judges each print against its sensor's
//! profile (learned from 20 of the sensor's prints) instead of the generic
//! one. What the table holds is in `examples/common/degrade.rs`.

#[path = "common/degrade.rs"]
mod degrade;

use std::path::PathBuf;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let profile = args
        .iter()
        .position(|a| a == "--profile")
        .map(|i| args.remove(i))
        .is_some();
    let mut take = |name: &str, default: &str| {
        args.iter().position(|a| a == name).map(|i| {
            let v = PathBuf::from(args.get(i + 1).map_or(default, |s| s.as_str()));
            args.drain(i..(i + 2).min(args.len()));
            v
        })
    };
    let dump = take("--dump", "eval-dump");
    let csv = take("--csv", "eval.csv");
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).expect("dump folder");
    }
    let data = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/fingerprint"));
    if !degrade::run(&data, degrade::Options { dump, csv, profile }) {
        std::process::exit(2);
    }
}
