//! Writes seed inputs for the fuzz targets from the committed test images,
//! downscaled so that they fit the harnesses' 256 px sides:
//! `fuzz/corpus/fingerprint/` (each print at most 160 px a side, at 500 ppi
//! and claimed as 1000 ppi), `fuzz/corpus/face/` (the astronaut portrait
//! and a crop around its face, RGB and grey) and `fuzz/corpus/c_abi/`.
//!
//! ```text
//! cd fuzz && cargo run --release --example seeds
//! ```

use image::imageops::{self, FilterType};
use std::path::Path;

/// Fits `img` into `side` x `side`, keeping its aspect.
fn fit<P: image::Pixel + 'static>(
    img: &image::ImageBuffer<P, Vec<P::Subpixel>>,
    side: u32,
) -> image::ImageBuffer<P, Vec<P::Subpixel>>
where
    P::Subpixel: 'static,
{
    let scale = side as f32 / img.width().max(img.height()) as f32;
    let w = ((img.width() as f32 * scale).round() as u32).max(1);
    let h = ((img.height() as f32 * scale).round() as u32).max(1);
    imageops::resize(img, w, h, FilterType::Triangle)
}

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = root.join("fuzz/corpus");
    for t in ["fingerprint", "face", "c_abi"] {
        std::fs::create_dir_all(corpus.join(t))?;
    }
    let mut n = 0;
    let mut prints: Vec<_> = std::fs::read_dir(root.join("testdata/fingerprint"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    prints.sort();
    for path in &prints {
        let img = fit(&image::open(path).expect("testdata print").to_luma8(), 160);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (w, h) = (img.width(), img.height());
        for ppi in [500u16, 1000] {
            // fingerprint: width-1 u8, height-1 u8, pad u8, ppi u16, flags u8.
            let mut seed = vec![(w - 1) as u8, (h - 1) as u8, 0];
            seed.extend(ppi.to_le_bytes());
            seed.push(0);
            seed.extend(img.as_raw());
            std::fs::write(corpus.join(format!("fingerprint/{stem}_{ppi}")), &seed)?;
            n += 1;
        }
        // c_abi: selector 0 (print), width u8, height u8, stride delta,
        // offset, ppi choice 0 (500), flags, size choice, cap, no policy,
        // no profile, pixels.
        let mut seed = vec![0, w as u8, h as u8, 3, 0, 0, 0, 0, 0, 0x10, 0, 0];
        seed.extend(img.as_raw());
        std::fs::write(corpus.join(format!("c_abi/{stem}")), &seed)?;
        n += 1;
    }
    let portrait = image::open(root.join("testdata/face/astronaut.jpg"))
        .expect("testdata portrait")
        .to_rgb8();
    let crop = imageops::crop_imm(&portrait, 120, 20, 220, 260).to_image();
    for (name, img) in [
        ("astronaut", fit(&portrait, 200)),
        ("astronaut_crop", fit(&crop, 200)),
    ] {
        let (w, h) = (img.width(), img.height());
        let grey = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
        for (suffix, flags, pixels) in [("rgb", 0u8, img.as_raw()), ("grey", 1, grey.as_raw())] {
            // face: width-1 u8, height-1 u8, pad u8, flags u8, four f32 eyes.
            let mut seed = vec![(w - 1) as u8, (h - 1) as u8, 0, flags];
            seed.extend([0u8; 16]);
            seed.extend(pixels);
            std::fs::write(corpus.join(format!("face/{name}_{suffix}")), &seed)?;
            n += 1;
        }
        let mut seed = vec![1, w as u8, h as u8, 0, 0, 0, 0, 0, 0, 0x10, 0, 0];
        seed.extend(img.as_raw());
        std::fs::write(corpus.join(format!("c_abi/{name}")), &seed)?;
        n += 1;
    }
    println!("wrote {n} seeds under {}", corpus.display());
    Ok(())
}
