//! One verdict for every scanner: the fingerprint verdict on every shared
//! real sensor, against NIST NFIQ 2.3 and the human labels, without a
//! sensor profile and with one learned from the sensor's own captures.
//!
//! ```text
//! cargo run --release --features synth --example eval_sensors -- [DATA_DIR] [--csv FILE] [--fit] [--no-synthetic]
//! ```
//!
//! DATA_DIR defaults to `../shared/data/fingerprint`. Every folder there
//! with an `nfiq2.csv` is read, except the synthetic set (its MANIFEST
//! says SYNTHETIC) and subsets of other folders; a folder of one capture
//! per sensor (`libfprint_sensor_captures`) joins the tables without a
//! profile. The resolution comes from the folder's MANIFEST (`512 dpi`),
//! 500 ppi otherwise.
//!
//! For every set it prints:
//!
//! - the prints NFIQ 2 rates good (>= 50): how many get a moisture or
//!   smudge reason (and, in brackets, how many of those have none that
//!   the print's human label backs: sent back on grounds a human does
//!   not see), and how many any retake;
//! - against `human_labels.csv`: human `wet` prints given `too_wet` (and
//!   the contrary `too_dry`), human `dry` given `too_dry` (and `too_wet`),
//!   prints labelled normal and good given any moisture or smudge reason,
//!   human `smudge=yes` given `smudged` or `motion_blur`, and prints the
//!   human rated good overall (no retake needed) given any retake.
//!
//! **Leave one sensor out.** The only things learned from data are sensor
//! profiles, each from 20 random prints of its set, labels unseen. Without
//! a profile, a set is judged under the generic profile pooled
//! ([`SensorProfile::pool`]) from the *other* sets' profiles, never its
//! own; with one, under the profile learned from 20 of its own prints. The
//! evidence margins are library constants; `--fit` chooses them again on
//! all labelled sets but the one left out (the most wet and dry found with
//! at most 3 % of the other sets' good prints given a moisture reason
//! their label does not back, and no contrary hint), and prints what each
//! left-out set then scores.
//!
//! Then the synthetic rows of `eval_degrade` (the 67 clean prints of
//! FVC2000 DB1 and the DB2 subset, degraded by this crate's `synth` and by
//! `imageproc`), unless `--no-synthetic`.
//!
//! `--csv FILE` writes one row per print: set, file, NFIQ 2, labels, the
//! moisture and smudge measures, and the reasons without and with profile.

#[path = "common/degrade.rs"]
mod degrade;

use biocapture::{
    FingerprintAssessor, FingerprintConfig, FingerprintPolicy, FingerprintReport, GrayView, Reason,
    SensorProfile, Verdict,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use degrade::{MOISTURE_SMUDGE, PROFILE_PRINTS};

/// NFIQ 2.3 scores at or above this are "good".
const NFIQ2_GOOD: f32 = 50.0;

/// One print: its report and what is known about it.
struct Print {
    file: String,
    nfiq2: Option<f32>,
    /// `moisture`, `smudge`, `overall` from `human_labels.csv` (empty when
    /// unlabelled).
    moisture: String,
    smudge: String,
    overall: String,
    report: FingerprintReport,
}

/// One shared set.
struct Set {
    name: String,
    ppi: u32,
    /// One capture per sensor: no profile can be learned.
    mixed: bool,
    labelled: bool,
    prints: Vec<Print>,
}

/// A tiny CSV reader: fields split on commas outside double quotes.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (mut fields, mut cur, mut quoted) = (Vec::new(), String::new(), false);
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        cur.push('"');
                        chars.next();
                    }
                    '"' => quoted = !quoted,
                    ',' if !quoted => fields.push(std::mem::take(&mut cur)),
                    _ => cur.push(c),
                }
            }
            fields.push(cur);
            fields
        })
        .collect()
}

/// `column -> value` maps of a CSV file's rows, keyed by its `file` column.
fn csv_by_file(path: &Path) -> HashMap<String, HashMap<String, String>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let rows = csv_rows(&text);
    let Some((head, rest)) = rows.split_first() else {
        return HashMap::new();
    };
    rest.iter()
        .map(|r| {
            let m: HashMap<String, String> = head.iter().cloned().zip(r.iter().cloned()).collect();
            (m.get("file").cloned().unwrap_or_default(), m)
        })
        .collect()
}

/// The shared sets under `data`, each print assessed under the generic
/// profile.
fn load_sets(data: &Path) -> Vec<Set> {
    let mut names: Vec<String> = std::fs::read_dir(data)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().join("nfiq2.csv").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut assessor =
        FingerprintAssessor::new(FingerprintConfig::default()).expect("default config");
    let mut sets = Vec::new();
    for name in names {
        let dir = data.join(&name);
        let manifest = std::fs::read_to_string(dir.join("MANIFEST.txt")).unwrap_or_default();
        if name.ends_with("_subset") || manifest.contains("SYNTHETIC") {
            continue;
        }
        let ppi = manifest
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .find(|w| w[1].trim_end_matches(',') == "dpi")
            .and_then(|w| w[0].parse().ok())
            .unwrap_or(500);
        let nfiq = csv_by_file(&dir.join("nfiq2.csv"));
        let labels = csv_by_file(&dir.join("human_labels.csv"));
        let mut files: Vec<&String> = nfiq.keys().collect();
        files.sort();
        let mut prints = Vec::new();
        for file in files {
            let path = dir.join(file);
            let img = match image::open(&path) {
                Ok(i) => i.to_luma8(),
                Err(e) => {
                    eprintln!("skipping {}: {e}", path.display());
                    continue;
                }
            };
            let report = match assessor.assess(GrayView::from(&img).with_ppi(ppi)) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("skipping {}: {e}", path.display());
                    continue;
                }
            };
            let label = |k: &str| {
                labels
                    .get(file)
                    .and_then(|m| m.get(k))
                    .cloned()
                    .unwrap_or_default()
            };
            prints.push(Print {
                file: file.clone(),
                nfiq2: nfiq[file].get("nfiq2").and_then(|v| v.parse().ok()),
                moisture: label("moisture"),
                smudge: label("smudge"),
                overall: label("overall"),
                report,
            });
        }
        let mixed = prints.len() < 2 * PROFILE_PRINTS;
        sets.push(Set {
            labelled: !labels.is_empty(),
            name,
            ppi,
            mixed,
            prints,
        });
    }
    sets
}

/// A deterministic pick of `k` of `n` indices (xorshift seeded by `seed`).
fn pick(n: usize, k: usize, seed: &str) -> Vec<usize> {
    let mut state = seed
        .bytes()
        .fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
        .max(1);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = i + (state % (n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(k.min(n));
    idx
}

/// The profile learned from `PROFILE_PRINTS` random prints of a set.
fn learn(set: &Set) -> Option<SensorProfile> {
    if set.mixed {
        return None;
    }
    let chosen = pick(set.prints.len(), PROFILE_PRINTS, &set.name);
    SensorProfile::learn(&set.name, chosen.iter().map(|&i| &set.prints[i].report)).ok()
}

/// Counts over a group of prints.
#[derive(Default, Clone, Copy)]
struct Counts {
    good: usize,
    good_flagged: usize,
    good_unconfirmed: usize,
    /// ... of which by a moisture reason.
    good_moisture_unconfirmed: usize,
    good_retake: usize,
    wet: usize,
    wet_found: usize,
    wet_contrary: usize,
    dry: usize,
    dry_found: usize,
    dry_contrary: usize,
    clean: usize,
    clean_flagged: usize,
    smudge: usize,
    smudge_found: usize,
    human_good: usize,
    human_good_retake: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Self) {
        self.good += o.good;
        self.good_flagged += o.good_flagged;
        self.good_unconfirmed += o.good_unconfirmed;
        self.good_moisture_unconfirmed += o.good_moisture_unconfirmed;
        self.good_retake += o.good_retake;
        self.wet += o.wet;
        self.wet_found += o.wet_found;
        self.wet_contrary += o.wet_contrary;
        self.dry += o.dry;
        self.dry_found += o.dry_found;
        self.dry_contrary += o.dry_contrary;
        self.clean += o.clean;
        self.clean_flagged += o.clean_flagged;
        self.smudge += o.smudge;
        self.smudge_found += o.smudge_found;
        self.human_good += o.human_good;
        self.human_good_retake += o.human_good_retake;
    }
}

/// Whether a human label backs `reason` on this print.
fn confirmed(p: &Print, reason: Reason) -> bool {
    match reason {
        Reason::TooWet => p.moisture == "wet",
        Reason::TooDry => p.moisture == "dry",
        Reason::Smudged | Reason::MotionBlur | Reason::SensorResidue => p.smudge == "yes",
        _ => false,
    }
}

/// Counts one print's verdict.
fn count(p: &Print, v: &Verdict) -> Counts {
    let mut c = Counts::default();
    let flags: Vec<Reason> = MOISTURE_SMUDGE
        .iter()
        .copied()
        .filter(|&r| v.has(r))
        .collect();
    if p.nfiq2.is_some_and(|s| s >= NFIQ2_GOOD) {
        c.good = 1;
        c.good_flagged = usize::from(!flags.is_empty());
        // Sent back on moisture or smudge grounds that the label backs in
        // no part (a wet print also called smudged is backed by its wet).
        c.good_unconfirmed =
            usize::from(!flags.is_empty() && !flags.iter().any(|&r| confirmed(p, r)));
        c.good_moisture_unconfirmed = usize::from(
            [Reason::TooWet, Reason::TooDry]
                .iter()
                .any(|&r| v.has(r) && !confirmed(p, r)),
        );
        c.good_retake = usize::from(!v.is_pass());
    }
    match p.moisture.as_str() {
        "wet" => {
            c.wet = 1;
            c.wet_found = usize::from(v.has(Reason::TooWet));
            c.wet_contrary = usize::from(v.has(Reason::TooDry));
        }
        "dry" => {
            c.dry = 1;
            c.dry_found = usize::from(v.has(Reason::TooDry));
            c.dry_contrary = usize::from(v.has(Reason::TooWet));
        }
        "normal" if p.overall == "good" && p.smudge == "no" => {
            c.clean = 1;
            c.clean_flagged = usize::from(!flags.is_empty());
        }
        _ => {}
    }
    if p.overall == "good" {
        c.human_good = 1;
        c.human_good_retake = usize::from(!v.is_pass());
    }
    if p.smudge == "yes" {
        c.smudge = 1;
        c.smudge_found = usize::from(v.has(Reason::Smudged) || v.has(Reason::MotionBlur));
    }
    c
}

/// `k/n (p %)`, or `-` with nothing to count.
fn share(k: usize, n: usize) -> String {
    if n == 0 {
        "-".into()
    } else {
        format!("{k}/{n} ({:.0} %)", 100.0 * k as f32 / n as f32)
    }
}

fn header() {
    println!(
        "| set | ppi | NFIQ 2 >= 50 | moisture/smudge reason (none backed) | any retake | wet -> too_wet (too_dry) | dry -> too_dry (too_wet) | clean-good flagged | smudge -> smudged/motion_blur | human good -> any retake |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
}

fn row(name: &str, ppi: &str, c: &Counts) {
    println!(
        "| {name} | {ppi} | {} | {} ({}) | {} | {} ({}) | {} ({}) | {} | {} | {} |",
        c.good,
        share(c.good_flagged, c.good),
        c.good_unconfirmed,
        share(c.good_retake, c.good),
        share(c.wet_found, c.wet),
        c.wet_contrary,
        share(c.dry_found, c.dry),
        c.dry_contrary,
        share(c.clean_flagged, c.clean),
        share(c.smudge_found, c.smudge),
        share(c.human_good_retake, c.human_good),
    );
}

/// The verdict on `p` with its moisture read again under `profile`.
fn judge(p: &Print, profile: &SensorProfile, policy: &FingerprintPolicy) -> Verdict {
    let mut r = p.report.clone();
    r.apply_profile(profile);
    policy.judge(&r)
}

/// The generic profile pooled from every real set's profile but `skip`'s.
fn pooled_without(sets: &[Set], profiles: &[Option<SensorProfile>], skip: usize) -> SensorProfile {
    let others: Vec<&SensorProfile> = profiles
        .iter()
        .enumerate()
        .filter(|&(i, p)| i != skip && p.is_some() && !sets[i].mixed)
        .filter_map(|(_, p)| p.as_ref())
        .collect();
    SensorProfile::pool("generic (others)", others).unwrap_or_else(|_| SensorProfile::generic())
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |args: &mut Vec<String>, name: &str| {
        args.iter()
            .position(|a| a == name)
            .map(|i| args.remove(i))
            .is_some()
    };
    let fit = flag(&mut args, "--fit");
    let synthetic = !flag(&mut args, "--no-synthetic");
    let csv = args.iter().position(|a| a == "--csv").map(|i| {
        let f = args
            .get(i + 1)
            .cloned()
            .unwrap_or_else(|| "sensors.csv".into());
        args.drain(i..(i + 2).min(args.len()));
        PathBuf::from(f)
    });
    let data = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/fingerprint"));
    let sets = load_sets(&data);
    if sets.is_empty() {
        eprintln!("no shared sets found under {}", data.display());
        std::process::exit(2);
    }
    let policy = FingerprintPolicy::default();
    let profiles: Vec<Option<SensorProfile>> = sets.iter().map(learn).collect();

    println!("## Sensor profiles ({PROFILE_PRINTS} random prints of each set, labels unseen)\n");
    println!("| set | ridge gaps: typical / spread | bridged share: typical / spread |");
    println!("|---|---|---|");
    for (set, p) in sets.iter().zip(&profiles) {
        if let Some(p) = p {
            println!(
                "| {} | {:.4} / {:.4} | {:.4} / {:.4} |",
                set.name,
                p.ridge_gaps.typical,
                p.ridge_gaps.spread,
                p.bridged_fraction.typical,
                p.bridged_fraction.spread
            );
        }
    }
    let all: Vec<&SensorProfile> = profiles.iter().flatten().collect();
    if let Ok(pool) = SensorProfile::pool("pooled", all) {
        let g = SensorProfile::generic();
        println!(
            "\npooled from all: ridge gaps {:.4}, bridged share {:.4}; the library's generic profile: {:.4}, {:.4}\n",
            pool.ridge_gaps.typical,
            pool.bridged_fraction.typical,
            g.ridge_gaps.typical,
            g.bridged_fraction.typical
        );
    }

    let mut rows_csv = String::from(
        "set,file,nfiq2,moisture,smudge,overall,ridge_gaps,valley_bridges,bridged_fraction,ridge_duty,ridge_texture,smear_fraction,largest_patch,motion_blur,residue,clarity,reasons_library,reasons_loso,reasons_profile\n",
    );
    let mut totals = [Counts::default(); 3];
    let titles = [
        "Without a profile: the library's generic profile",
        "Without a profile, leave one sensor out: generic profile pooled from the other sets",
        "With a profile learned from 20 random unlabelled prints of the set itself",
    ];
    let mut tables: [Vec<(String, u32, Counts)>; 3] = Default::default();
    for (i, set) in sets.iter().enumerate() {
        let loso = pooled_without(&sets, &profiles, i);
        let mut c = [Counts::default(); 3];
        for p in &set.prints {
            let v_lib = policy.judge(&p.report);
            let v_loso = judge(p, &loso, &policy);
            let v_prof = profiles[i].as_ref().map(|pr| judge(p, pr, &policy));
            c[0] += count(p, &v_lib);
            c[1] += count(p, &v_loso);
            if let Some(v) = &v_prof {
                c[2] += count(p, v);
            }
            let m = &p.report.moisture;
            let s = &p.report.smudge;
            rows_csv.push_str(&format!(
                "{},{},{},{},{},{},{:.4},{:.4},{:.4},{:.4},{:.4},{:.4},{:.4},{:.4},{:.4},{:.2},{},{},{}\n",
                set.name,
                p.file,
                p.nfiq2.map_or("NA".into(), |v| v.to_string()),
                p.moisture,
                p.smudge,
                p.overall,
                m.ridge_gaps,
                m.valley_bridges,
                m.bridged_fraction,
                m.ridge_duty,
                m.ridge_texture,
                s.fraction,
                s.largest_patch,
                s.motion_blur,
                s.residue_fraction,
                p.report.clarity,
                v_lib.codes().join(" "),
                v_loso.codes().join(" "),
                v_prof.map(|v| v.codes().join(" ")).unwrap_or_default(),
            ));
        }
        for k in 0..3 {
            if k == 2 && profiles[i].is_none() {
                continue;
            }
            tables[k].push((set.name.clone(), set.ppi, c[k]));
            totals[k] += c[k];
        }
    }
    for k in 0..3 {
        println!("## {}\n", titles[k]);
        header();
        for (name, ppi, c) in &tables[k] {
            row(name, &ppi.to_string(), c);
        }
        row("**pooled**", "", &totals[k]);
        println!();
    }
    let labelled = sets.iter().filter(|s| s.labelled).count();
    println!(
        "(in brackets: the flagged good prints none of whose moisture or smudge reasons the human label backs.) {labelled} sets carry human labels.\n"
    );

    if fit {
        fit_margins(&sets, &profiles, &policy);
    }
    if let Some(path) = csv {
        std::fs::write(&path, rows_csv).expect("writable csv");
        println!("per-print rows written to {}", path.display());
    }
    if synthetic {
        synthetic_against_real(&data, &sets);
        for profile in [false, true] {
            println!("## Synthetic degradations (eval_degrade)\n");
            degrade::run(
                &data,
                degrade::Options {
                    profile,
                    ..Default::default()
                },
            );
            println!();
        }
    }
}

/// The lower quartile, median and upper quartile of `v` (sorted in place).
fn quartiles(v: &mut [f32]) -> [f32; 3] {
    v.sort_unstable_by(f32::total_cmp);
    let at = |q: f32| {
        v.get(((v.len().max(1) - 1) as f32 * q).round() as usize)
            .copied()
            .unwrap_or(f32::NAN)
    };
    [at(0.25), at(0.5), at(0.75)]
}

/// The moisture measures of the human-labelled real wet and dry prints
/// beside those of the `synth` wet and dry degradations of the clean
/// prints (the same 67 as `eval_degrade`), so a generator that stops
/// looking like real skin shows.
fn synthetic_against_real(data: &Path, sets: &[Set]) {
    use biocapture::synth::degrade;
    println!(
        "## Synthetic against real: the measures behind too_wet and too_dry
"
    );
    let mut real = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for p in sets.iter().flat_map(|s| &s.prints) {
        let m = &p.report.moisture;
        match p.moisture.as_str() {
            "wet" => real[0].push(m.bridged_fraction),
            "dry" => real[1].push(m.ridge_gaps),
            "normal" => {
                real[2].push(m.bridged_fraction);
                real[3].push(m.ridge_gaps);
            }
            _ => {}
        }
    }
    let mut clean = Vec::new();
    for set in ["fvc2000_db1_b", "fvc2000_db2_b_subset"] {
        let nfiq = csv_by_file(&data.join(set).join("nfiq2.csv"));
        let mut files: Vec<&String> = nfiq.keys().collect();
        files.sort();
        for f in files {
            if nfiq[f]
                .get("nfiq2")
                .and_then(|v| v.parse::<f32>().ok())
                .is_some_and(|v| v >= NFIQ2_GOOD)
            {
                if let Ok(img) = image::open(data.join(set).join(f)) {
                    clean.push(img.to_luma8());
                }
            }
        }
    }
    let mut assessor =
        FingerprintAssessor::new(FingerprintConfig::default()).expect("default config");
    let mut measure = |wet: bool, severity: f32| {
        let mut v: Vec<f32> = clean
            .iter()
            .enumerate()
            .filter_map(|(i, img)| {
                let d = if wet {
                    degrade::wet(img, severity, i as u64)
                } else {
                    degrade::dry(img, severity, i as u64)
                };
                let r = assessor.assess(GrayView::from(&d)).ok()?;
                Some(if wet {
                    r.moisture.bridged_fraction
                } else {
                    r.moisture.ridge_gaps
                })
            })
            .collect();
        quartiles(&mut v)[1]
    };
    println!("| measure | real normal: median | real labelled: lower quartile / median / upper quartile | synth 0.25 / 0.5 / 0.75 (median of {} clean prints) |", clean.len());
    println!("|---|---|---|---|");
    for (wet, name, labelled, normal) in [
        (true, "bridged share (wet)", 0usize, 2usize),
        (false, "ridge gaps (dry)", 1, 3),
    ] {
        let r = quartiles(&mut real[labelled].clone());
        let n = quartiles(&mut real[normal].clone())[1];
        let syn = [0.25, 0.5, 0.75].map(|s| measure(wet, s));
        println!(
            "| {name} | {n:.3} | {:.3} / {:.3} / {:.3} ({} prints) | {:.3} / {:.3} / {:.3} |",
            r[0],
            r[1],
            r[2],
            real[labelled].len(),
            syn[0],
            syn[1],
            syn[2]
        );
    }
    println!();
}

/// `--fit`: the evidence margins chosen again, leaving each labelled set
/// out in turn (see the module docs).
fn fit_margins(sets: &[Set], profiles: &[Option<SensorProfile>], policy: &FingerprintPolicy) {
    println!("## Margins fitted leaving one sensor out (`--fit`)\n");
    println!("| left out | ridge-gap margin | bridged margin | held out, no profile | held out, own profile |");
    println!("|---|---|---|---|---|");
    let (mut held_lib, mut held_prof) = (Counts::default(), Counts::default());
    for (out, set) in sets.iter().enumerate() {
        if !set.labelled || set.mixed {
            continue;
        }
        let Some((g, b)) = choose_margins(sets, profiles, policy, out) else {
            println!("| {} | none meets the constraints | | | |", set.name);
            continue;
        };
        let generic = with_margins(&pooled_without(sets, profiles, out), g, b);
        let (mut lib, mut prof) = (Counts::default(), Counts::default());
        for p in &set.prints {
            lib += count(p, &judge(p, &generic, policy));
            if let Some(own) = &profiles[out] {
                prof += count(p, &judge(p, &with_margins(own, g, b), policy));
            }
        }
        println!(
            "| {} | {g:.3} | {b:.3} | {} | {} |",
            set.name,
            cell(&lib),
            cell(&prof)
        );
        held_lib += lib;
        held_prof += prof;
    }
    println!(
        "| **all held out** | | | {} | {} |\n",
        cell(&held_lib),
        cell(&held_prof),
    );
    match choose_margins(sets, profiles, policy, usize::MAX) {
        Some((g, b)) => {
            println!("fitted on every labelled set: ridge gaps {g:.3}, bridged share {b:.3}")
        }
        None => println!("fitted on every labelled set: none meets the constraints"),
    }
    println!(
        "the library's margins: ridge gaps {}, bridged share {}\n",
        biocapture::RIDGE_GAPS_MARGIN,
        biocapture::BRIDGED_FRACTION_MARGIN
    );
}

/// `profile` with other evidence margins.
fn with_margins(profile: &SensorProfile, gaps: f32, bridged: f32) -> SensorProfile {
    let mut q = profile.clone();
    q.ridge_gaps.margin = gaps;
    q.bridged_fraction.margin = bridged;
    q
}

/// The margins (ridge gaps, bridged share) that find the most wet and dry
/// prints of the labelled sets but `out`, each judged under the generic
/// profile pooled without it and under its own profile, with at most 3 %
/// of their good prints given a moisture reason their label does not back
/// and no contrary hint; `None` when no margin on the grid meets that.
fn choose_margins(
    sets: &[Set],
    profiles: &[Option<SensorProfile>],
    policy: &FingerprintPolicy,
    out: usize,
) -> Option<(f32, f32)> {
    let mut best: Option<(f32, f32, f32)> = None;
    for g in (0..16).map(|k| 0.04 + 0.005 * k as f32) {
        for b in (0..16).map(|k| 0.03 + 0.005 * k as f32) {
            let mut c = Counts::default();
            for (i, s) in sets.iter().enumerate() {
                if i == out || !s.labelled || s.mixed {
                    continue;
                }
                let generic = pooled_without_two(sets, profiles, i, out);
                for prof in [Some(&generic), profiles[i].as_ref()].into_iter().flatten() {
                    let prof = with_margins(prof, g, b);
                    for p in &s.prints {
                        c += count(p, &judge(p, &prof, policy));
                    }
                }
            }
            let ok = c.good_moisture_unconfirmed as f32 <= 0.03 * c.good as f32
                && c.wet_contrary + c.dry_contrary == 0;
            let score =
                c.wet_found as f32 / c.wet.max(1) as f32 + c.dry_found as f32 / c.dry.max(1) as f32;
            if ok && best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, g, b));
            }
        }
    }
    best.map(|(_, g, b)| (g, b))
}

/// A `--fit` table cell: wet and dry found, good prints given a moisture
/// reason their label does not back, contrary hints.
fn cell(c: &Counts) -> String {
    format!(
        "wet {} dry {} good with an unconfirmed moisture reason {} contrary {}",
        share(c.wet_found, c.wet),
        share(c.dry_found, c.dry),
        share(c.good_moisture_unconfirmed, c.good),
        c.wet_contrary + c.dry_contrary
    )
}

/// The generic profile pooled without two sets.
fn pooled_without_two(
    sets: &[Set],
    profiles: &[Option<SensorProfile>],
    a: usize,
    b: usize,
) -> SensorProfile {
    let others: Vec<&SensorProfile> = profiles
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != a && i != b && !sets[i].mixed)
        .filter_map(|(_, p)| p.as_ref())
        .collect();
    SensorProfile::pool("generic (others)", others).unwrap_or_else(|_| SensorProfile::generic())
}
