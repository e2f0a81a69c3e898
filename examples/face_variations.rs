//! Writes the face test variations (see `tests/face_gen/mod.rs`) as PNGs
//! for looking at, and (re)creates the committed source image.
//!
//! ```text
//! cargo run --release --example face_variations -- [OUT_DIR]
//! cargo run --release --example face_variations -- --import ../shared/data/face/skimage_samples/images/astronaut.png
//! ```
//!
//! `--import` re-encodes scikit-image's public-domain astronaut portrait
//! (NASA) as `testdata/face/astronaut.jpg` (JPEG quality 90, same size).

#[path = "../tests/face_gen/mod.rs"]
mod face_gen;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--import") {
        let src = args.get(1).ok_or("--import needs the astronaut.png path")?;
        let img = image::open(src)?.to_rgb8();
        let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/face/astronaut.jpg");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 90).encode_image(&img)?;
        println!("wrote {}", out.display());
        return Ok(());
    }
    let out = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/face-variations"));
    std::fs::create_dir_all(&out)?;
    let source = face_gen::source();
    for v in face_gen::VARIATIONS {
        let img = face_gen::make(&source, v);
        let path = out.join(format!("{v}.png"));
        img.save(&path)?;
        println!("{}", path.display());
    }
    Ok(())
}
