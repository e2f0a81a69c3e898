//! Writes seed inputs for the fuzz targets from the committed test images,
//! made small so that an execution stays short: `fuzz/corpus/fingerprint/`
//! (each print downscaled to 0.6 and read at 300 ppi, 96 px of its centre,
//! and a 64 px centre crop at 500 ppi), `fuzz/corpus/face/` (the astronaut
//! portrait fitted into 128 px and a crop around its face into 96 px, RGB
//! and grey, within the face target's 128 px sides)
//! and `fuzz/corpus/c_abi/` (96 px print crops and portraits).
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

/// The centre `side` x `side` (or less) of `img`.
fn centre(img: &image::GrayImage, side: u32) -> image::GrayImage {
    let (w, h) = (img.width().min(side), img.height().min(side));
    imageops::crop_imm(img, (img.width() - w) / 2, (img.height() - h) / 2, w, h).to_image()
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
        let print = image::open(path).expect("testdata print").to_luma8();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        // Downscaled to 0.6 and read as 300 ppi (the ridges keep their
        // size in millimetres) with a 96 px centre, and a 64 px centre at
        // 500 ppi: small, so an instrumented execution stays short.
        let small = imageops::resize(
            &print,
            (print.width() as f32 * 0.6).round() as u32,
            (print.height() as f32 * 0.6).round() as u32,
            FilterType::Triangle,
        );
        for (ppi, img) in [(300u16, centre(&small, 96)), (500, centre(&print, 64))] {
            let (w, h) = (img.width(), img.height());
            // fingerprint: width-1 u8, height-1 u8, pad u8, ppi u16, flags u8.
            let mut seed = vec![(w - 1) as u8, (h - 1) as u8, 0];
            seed.extend(ppi.to_le_bytes());
            seed.push(0);
            seed.extend(img.as_raw());
            std::fs::write(corpus.join(format!("fingerprint/{stem}_{ppi}")), &seed)?;
            n += 1;
        }
        // c_abi (sides up to 96 px): selector 0 (print), width u8, height
        // u8, stride delta, offset, ppi choice 0 (500), flags, size
        // choice, cap u16, no policy, no profile, then the pixels.
        let img = centre(&print, 96);
        let mut seed = vec![
            0,
            img.width() as u8,
            img.height() as u8,
            3,
            0,
            0,
            0,
            0,
            0,
            0x10,
            0,
            0,
        ];
        seed.extend(img.as_raw());
        std::fs::write(corpus.join(format!("c_abi/{stem}")), &seed)?;
        n += 1;
    }
    let portrait = image::open(root.join("testdata/face/astronaut.jpg"))
        .expect("testdata portrait")
        .to_rgb8();
    let crop = imageops::crop_imm(&portrait, 120, 20, 220, 260).to_image();
    for (name, img) in [
        ("astronaut", fit(&portrait, 128)),
        ("astronaut_crop", fit(&crop, 96)),
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
        let small = fit(&img, 96);
        let mut seed = vec![
            1,
            small.width() as u8,
            small.height() as u8,
            0,
            0,
            0,
            0,
            0,
            0,
            0x10,
            0,
            0,
        ];
        seed.extend(small.as_raw());
        std::fs::write(corpus.join(format!("c_abi/{name}")), &seed)?;
        n += 1;
    }
    println!("wrote {n} seeds under {}", corpus.display());
    Ok(())
}
