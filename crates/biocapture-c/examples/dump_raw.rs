//! Writes the committed test images as raw pixels for the C test
//! (`tests/c/test_biocapture.c`), which has no image decoder: every
//! `testdata/fingerprint/*.png` as `OUT/fingerprint/NAME.gray`, the
//! astronaut portrait as `OUT/face/astronaut.rgb`, and each face
//! variation of `testdata/face/manifest.json` (made from the portrait by
//! `tests/face_gen`, as the library's own tests make them) as
//! `OUT/face/NAME.rgb`.
//!
//! A raw file is one text line, `BCRAW <width> <height> <channels>`, then
//! `width * height * channels` bytes, rows back to back.
//!
//! ```text
//! cargo run --release -p biocapture-c --example dump_raw -- OUT
//! ```

#[path = "../../../tests/face_gen/mod.rs"]
mod face_gen;

use std::io::Write;
use std::path::{Path, PathBuf};

fn write_raw(
    path: &Path,
    width: u32,
    height: u32,
    channels: u32,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(file, "BCRAW {width} {height} {channels}")?;
    file.write_all(bytes)?;
    file.flush()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: dump_raw OUT_DIR")?);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let prints = out.join("fingerprint");
    let faces = out.join("face");
    std::fs::create_dir_all(&prints)?;
    std::fs::create_dir_all(&faces)?;

    let mut n = 0;
    let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("testdata/fingerprint"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    names.sort();
    for path in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
    {
        let img = image::open(path)?.to_luma8();
        let stem = path.file_stem().ok_or("file name")?.to_string_lossy();
        write_raw(
            &prints.join(format!("{stem}.gray")),
            img.width(),
            img.height(),
            1,
            img.as_raw(),
        )?;
        n += 1;
    }

    let source = image::open(root.join("testdata/face/astronaut.jpg"))?.to_rgb8();
    write_raw(
        &faces.join("astronaut.rgb"),
        source.width(),
        source.height(),
        3,
        source.as_raw(),
    )?;
    n += 1;
    for name in face_gen::VARIATIONS {
        let img = face_gen::make(&source, name);
        write_raw(
            &faces.join(format!("{name}.rgb")),
            img.width(),
            img.height(),
            3,
            img.as_raw(),
        )?;
        n += 1;
    }
    println!("wrote {n} raw images under {}", out.display());
    Ok(())
}
