//! `batch`: assess every image in a folder on all cores, the way a service
//! re-checks stored captures in bulk, and show that the reports are the
//! same, bit for bit, as one thread's.
//!
//! ```text
//! cargo run --release --example batch -- fingerprint [--ppi N] [--threads N] DIR
//! cargo run --release --example batch -- face [--threads N] DIR
//! ```
//!
//! It prints one line per image (`file verdict reasons`, in file-name
//! order), then the wall time of the serial and the parallel run and
//! whether every report matched. Exit status 1 if any report differed.
//!
//! The pattern, in short: assessors own scratch buffers, so each worker
//! thread gets its own (a `FingerprintAssessor` clones cheaply; a
//! `FaceAssessor::new` loads no model: it is embedded), policies and
//! decoded images are shared read-only, and `std::thread::scope` lets the
//! workers borrow them without `Arc`. Work is handed out through an atomic
//! counter, so a slow image does not hold up a whole chunk.

use biocapture::{
    FaceAssessor, FaceConfig, FacePolicy, FingerprintAssessor, FingerprintConfig,
    FingerprintPolicy, GrayView, RgbView, Verdict,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const USAGE: &str = "usage: batch fingerprint|face [--ppi N] [--threads N] DIR";

/// What one image gave: its verdict, and its full report printed with
/// `Debug`, whose float digits identify every bit (the comparison key).
struct Outcome {
    verdict: Result<Verdict, String>,
    report_bits: String,
}

/// Runs `work(assessor, i)` for every index `0..n` on `threads` scoped
/// threads, each with its own assessor from `make`, and returns the
/// results in index order.
fn run_parallel<A, T: Send>(
    n: usize,
    threads: usize,
    make: impl Fn() -> A + Sync,
    work: impl Fn(&mut A, usize) -> T + Sync,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut assessor = make();
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break done;
                        }
                        done.push((i, work(&mut assessor, i)));
                    }
                })
            })
            .collect();
        for w in workers {
            for (i, r) in w.join().expect("a worker panicked") {
                results[i] = Some(r);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every index is taken once"))
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut ppi = biocapture::DEFAULT_PPI;
    let mut threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut dir = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut number = |what: &str| -> Option<usize> {
            let v = it.next().and_then(|v| v.parse().ok());
            if v.is_none() {
                eprintln!("{what} needs a whole number\n{USAGE}");
            }
            v
        };
        match a.as_str() {
            "--ppi" => match number("--ppi") {
                Some(p) => ppi = p as u32,
                None => return ExitCode::from(2),
            },
            "--threads" => match number("--threads") {
                Some(t) => threads = t.max(1),
                None => return ExitCode::from(2),
            },
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let files = match image_files(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };

    let (serial, parallel, serial_s, parallel_s) = match mode.as_str() {
        "fingerprint" => {
            // Decode once, up front: the comparison is about assessment.
            let images: Vec<_> = files
                .iter()
                .map(|f| image::open(f).map(|i| i.to_luma8()))
                .collect();
            let policy = FingerprintPolicy::default();
            let make = || {
                FingerprintAssessor::new(FingerprintConfig::default())
                    .expect("the default configuration is valid")
            };
            let work = |a: &mut FingerprintAssessor, i: usize| match &images[i] {
                Ok(img) => match a.assess(GrayView::from(img).with_ppi(ppi)) {
                    Ok(r) => Outcome {
                        verdict: Ok(policy.judge(&r)),
                        report_bits: format!("{r:?}"),
                    },
                    Err(e) => failed(e.to_string()),
                },
                Err(e) => failed(e.to_string()),
            };
            timed(files.len(), threads, make, work)
        }
        "face" => {
            let images: Vec<_> = files
                .iter()
                .map(|f| image::open(f).map(|i| i.to_rgb8()))
                .collect();
            let policy = FacePolicy::icao();
            let make = || {
                FaceAssessor::new(FaceConfig::default())
                    .expect("the default configuration is valid")
            };
            let work = |a: &mut FaceAssessor, i: usize| match &images[i] {
                Ok(img) => match a.assess(RgbView::from(img)) {
                    Ok(r) => Outcome {
                        verdict: Ok(policy.judge(&r)),
                        report_bits: format!("{r:?}"),
                    },
                    Err(e) => failed(e.to_string()),
                },
                Err(e) => failed(e.to_string()),
            };
            timed(files.len(), threads, make, work)
        }
        _ => {
            eprintln!("unknown mode `{mode}`\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut differ = 0;
    for ((file, s), p) in files.iter().zip(&serial).zip(&parallel) {
        let shown = match &p.verdict {
            Ok(v) => format!("{} {}", v.decision.as_str(), v.codes().join(",")),
            Err(e) => format!("error {e}"),
        };
        let same = s.report_bits == p.report_bits;
        differ += usize::from(!same);
        println!(
            "{} {shown}{}",
            file.display(),
            if same { "" } else { "  DIFFERS FROM SERIAL" }
        );
    }
    eprintln!(
        "{} images: serial {:.0} ms, {threads} threads {:.0} ms ({:.2}x); {}",
        files.len(),
        serial_s * 1e3,
        parallel_s * 1e3,
        serial_s / parallel_s.max(1e-9),
        if differ == 0 {
            "every report bit-identical to serial".to_string()
        } else {
            format!("{differ} reports differ from serial")
        }
    );
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn failed(message: String) -> Outcome {
    Outcome {
        report_bits: format!("error: {message}"),
        verdict: Err(message),
    }
}

/// Runs the batch on one thread and then on `threads`, timing both.
fn timed<A>(
    n: usize,
    threads: usize,
    make: impl Fn() -> A + Sync,
    work: impl Fn(&mut A, usize) -> Outcome + Sync,
) -> (Vec<Outcome>, Vec<Outcome>, f64, f64) {
    let t = Instant::now();
    let serial = run_parallel(n, 1, &make, &work);
    let serial_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let parallel = run_parallel(n, threads, &make, &work);
    (serial, parallel, serial_s, t.elapsed().as_secs_f64())
}

/// The image files directly in `dir`, sorted by name.
fn image_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "png" | "jpg" | "jpeg" | "tif" | "tiff" | "bmp" | "pgm" | "ppm"
                )
            })
        })
        .collect();
    files.sort();
    Ok(files)
}
