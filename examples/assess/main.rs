//! `assess`: the command-line front end. One JSON object per line per file,
//! in input order; keeps going after a bad file; exit status 2 when any file
//! could not be assessed.
//!
//! ```text
//! cargo run --release --example assess -- fingerprint [--ppi N] [--profile FILE] [--overlay DIR] FILE...
//! cargo run --release --example assess -- face [--overlay DIR] FILE...
//! ```

mod draw;
mod face;
mod fingerprint;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Why one file produced no report: a message and a short machine kind.
pub(crate) struct Failure {
    pub(crate) message: String,
    pub(crate) kind: &'static str,
}

impl Failure {
    pub(crate) fn decode(e: impl std::fmt::Display) -> Self {
        Self {
            message: e.to_string(),
            kind: "decode",
        }
    }

    pub(crate) fn assess(e: biocapture::Error) -> Self {
        Self {
            message: e.to_string(),
            kind: "assess",
        }
    }

    pub(crate) fn io(e: impl std::fmt::Display) -> Self {
        Self {
            message: e.to_string(),
            kind: "io",
        }
    }
}

/// Options shared by the subcommands.
pub(crate) struct Options {
    pub(crate) ppi: u32,
    pub(crate) overlay: Option<PathBuf>,
    /// A sensor profile's JSON (`examples/calibrate`), for prints.
    pub(crate) profile: Option<PathBuf>,
}

const USAGE: &str = "usage: assess fingerprint [--ppi N] [--profile FILE] [--overlay DIR] FILE...\n       assess face [--overlay DIR] FILE...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut opts = Options {
        ppi: biocapture::DEFAULT_PPI,
        overlay: None,
        profile: None,
    };
    let mut files = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ppi" => match it.next().and_then(|v| v.parse().ok()) {
                Some(p) => opts.ppi = p,
                None => {
                    eprintln!("--ppi needs a whole number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--overlay" => match it.next() {
                Some(d) => opts.overlay = Some(PathBuf::from(d)),
                None => {
                    eprintln!("--overlay needs a folder\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--profile" => match it.next() {
                Some(f) => opts.profile = Some(PathBuf::from(f)),
                None => {
                    eprintln!("--profile needs a file\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => files.push(PathBuf::from(a)),
        }
    }
    if let Some(dir) = &opts.overlay {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("cannot create {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    let mut all_ok = true;
    match mode.as_str() {
        "fingerprint" => {
            let mut session = match fingerprint::Session::new(&opts) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            for f in &files {
                all_ok &= emit(f, session.assess_file(f));
            }
        }
        "face" => {
            let mut session = face::Session::new(&opts);
            for f in &files {
                all_ok &= emit(f, session.assess_file(f));
            }
        }
        _ => {
            eprintln!("unknown mode `{mode}`\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// One output line: `file` first, then the subcommand's fields.
#[derive(serde::Serialize)]
struct Line<'a, T> {
    file: &'a str,
    #[serde(flatten)]
    fields: T,
}

/// The line for a file that could not be assessed.
#[derive(serde::Serialize)]
struct ErrorFields<'a> {
    error: &'a str,
    kind: &'static str,
}

/// Prints one line for `file`; returns whether it was assessed.
fn emit<T: serde::Serialize>(file: &Path, result: Result<T, Failure>) -> bool {
    let name = file.display().to_string();
    let (line, ok) = match &result {
        Ok(fields) => (
            to_json(&Line {
                file: &name,
                fields,
            }),
            true,
        ),
        Err(f) => {
            let fields = ErrorFields {
                error: &f.message,
                kind: f.kind,
            };
            (
                to_json(&Line {
                    file: &name,
                    fields,
                }),
                false,
            )
        }
    };
    println!("{line}");
    ok
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Every value here is a plain struct, string or number: this cannot fail.
    serde_json::to_string(v).expect("serialisable output line")
}

/// A PNG name for `path`'s overlay that no earlier input of this run used:
/// the file stem, prefixed with parent folders while it collides (sensor
/// folders often all hold `capture.png`).
pub(crate) fn overlay_name(path: &Path, used: &mut std::collections::HashSet<String>) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into());
    let mut name = stem.clone();
    let mut parents = path
        .parent()
        .map(|p| {
            p.iter()
                .rev()
                .map(|s| s.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter();
    let mut n = 1;
    while used.contains(&name) {
        name = match parents.next() {
            Some(p) => format!("{p}_{name}"),
            None => {
                n += 1;
                format!("{stem}_{n}")
            }
        };
    }
    used.insert(name.clone());
    format!("{name}.png")
}
