//! Build script: embeds the SeetaFace frontal face model that ships inside
//! the `rustface` package, so the face detector needs no model path, no
//! environment variable and no network at run time.
//!
//! The model lives at `model/seeta_fd_frontal_v1.0.bin` in rustface's
//! package directory. That directory is found with `cargo metadata` (which
//! knows where every dependency was unpacked: registry, vendored or git),
//! and, should that fail, by looking in `$CARGO_HOME/registry/src/*/`.
//! `BIOCAPTURE_SEETA_MODEL=/path/to/model.bin` at build time overrides both.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const MODEL_REL: &str = "model/seeta_fd_frontal_v1.0.bin";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=BIOCAPTURE_SEETA_MODEL");
    let model = find_model().unwrap_or_else(|| {
        panic!(
            "biocapture: cannot find rustface's {MODEL_REL}; \
             set BIOCAPTURE_SEETA_MODEL to its path"
        )
    });
    println!("cargo:rerun-if-changed={}", model.display());
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(&model, out.join("seeta_fd_frontal_v1.0.bin")).expect("copy the face model");
}

fn find_model() -> Option<PathBuf> {
    if let Some(p) = env::var_os("BIOCAPTURE_SEETA_MODEL") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    from_metadata().or_else(from_registry)
}

/// Asks `cargo metadata` for rustface's manifest path.
fn from_metadata() -> Option<PathBuf> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR")?).join("Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    // Every package object carries `"manifest_path":"<dir>/Cargo.toml"`;
    // a registry package's directory is named `<name>-<version>`. A tiny
    // scan is enough here and keeps the build free of a JSON dependency.
    let key = "\"manifest_path\":\"";
    let mut rest = text.as_str();
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let end = rest.find('"')?;
        let path = rest[..end].replace("\\\\", "\\");
        let dir = Path::new(&path).parent()?;
        let is_rustface = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "rustface" || n.starts_with("rustface-0."));
        if is_rustface && dir.join(MODEL_REL).is_file() {
            return Some(dir.join(MODEL_REL));
        }
    }
    None
}

/// Looks for an unpacked rustface 0.1.x in cargo's registry cache.
fn from_registry() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let mut found = Vec::new();
    for index in fs::read_dir(home.join("registry/src")).ok()?.flatten() {
        for pkg in fs::read_dir(index.path()).ok()?.flatten() {
            let name = pkg.file_name();
            let name = name.to_string_lossy();
            let model = pkg.path().join(MODEL_REL);
            if name.starts_with("rustface-0.1.") && model.is_file() {
                found.push(model);
            }
        }
    }
    // Deterministic choice when several versions are unpacked.
    found.sort();
    found.pop()
}
