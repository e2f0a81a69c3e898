//! Generates the face test variations from the committed public-domain
//! astronaut portrait (`testdata/face/astronaut.jpg`), with known ground
//! truth: each variation is an exact similarity transform of the source
//! (so its eye positions, IED and roll are known by construction) followed
//! by at most one photometric change.
//!
//! Shared by `tests/face_testdata.rs` (which checks each variation's
//! reasons against `testdata/face/manifest.json`) and
//! `examples/face_variations.rs` (which writes them out as PNGs).

#![allow(dead_code)]

use image::{Rgb, RgbImage};

/// The variations, in manifest order.
pub const VARIATIONS: &[&str] = &[
    "well_framed",
    "shifted",
    "too_small",
    "too_large",
    "cropped_head",
    "rolled_15",
    "darkened",
    "overexposed",
    "blurred",
    "colour_cast",
    "busy_background",
    "side_lit",
];

/// Eye centres in the source image, placed by hand on the 512x512
/// astronaut portrait: subject's right eye (image left) and left eye.
pub const SOURCE_RIGHT_EYE: (f32, f32) = (204.5, 99.5);
pub const SOURCE_LEFT_EYE: (f32, f32) = (247.0, 102.0);

/// Output frame: 3:4 portrait, as ID photos are.
pub const OUT_W: u32 = 360;
pub const OUT_H: u32 = 480;

/// Where a variation puts the face: IED in output pixels, eye mid-point as
/// fractions of width and height (from the top), roll in degrees.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub ied: f32,
    pub mid_x: f32,
    pub mid_y: f32,
    pub roll_deg: f32,
}

/// The well-framed placement: IED 100 px (>= 90), eyes centred, eye line
/// 56% up from the bottom, head about 0.67 of the width and 0.81 of the
/// height.
pub const WELL_FRAMED: Placement = Placement {
    ied: 100.0,
    mid_x: 0.5,
    mid_y: 0.44,
    roll_deg: 0.0,
};

/// The placement of a named variation.
pub fn placement(name: &str) -> Placement {
    let p = WELL_FRAMED;
    match name {
        "shifted" => Placement { mid_x: 0.36, ..p },
        "too_small" => Placement { ied: 62.0, ..p },
        "too_large" => Placement { ied: 150.0, ..p },
        "cropped_head" => Placement { mid_y: 0.25, ..p },
        "rolled_15" => Placement {
            roll_deg: 15.0,
            ..p
        },
        _ => p,
    }
}

/// The committed source image.
pub fn source() -> RgbImage {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/face/astronaut.jpg");
    image::open(path)
        .expect("testdata/face/astronaut.jpg")
        .to_rgb8()
}

/// Where the eyes of a placement land in the output: (subject's right,
/// subject's left).
pub fn eyes(p: &Placement) -> ((f32, f32), (f32, f32)) {
    let (mx, my) = (p.mid_x * OUT_W as f32, p.mid_y * OUT_H as f32);
    let (s, c) = p.roll_deg.to_radians().sin_cos();
    let h = p.ied * 0.5;
    ((mx - h * c, my - h * s), (mx + h * c, my + h * s))
}

/// Builds the named variation.
pub fn make(src: &RgbImage, name: &str) -> RgbImage {
    let p = placement(name);
    let mut img = place(src, &p, OUT_W, OUT_H);
    match name {
        "darkened" => scale_linear(&mut img, 0.06),
        "overexposed" => scale_linear(&mut img, 3.0),
        "blurred" => gaussian_blur(&mut img, 4.0),
        "colour_cast" => channel_gains(&mut img, [0.72, 1.0, 1.35]),
        "busy_background" => checker_background(&mut img, &p),
        "side_lit" => side_light(&mut img, &p, SIDE_LIGHT_RATIO),
        _ => {}
    }
    img
}

/// A `w` x `h` camera frame (any aspect) with the subject's eyes `ied`
/// pixels apart, level, centred, 44% from the top: what a capture
/// station's preview shows. Used by the benches.
pub fn frame(src: &RgbImage, w: u32, h: u32, ied: f32) -> RgbImage {
    let p = Placement { ied, ..WELL_FRAMED };
    place(src, &p, w, h)
}

/// Resamples the source into a `w` x `h` image so its eyes land where `p`
/// says (bilinear, edges clamped).
pub fn place(src: &RgbImage, p: &Placement, w: u32, h: u32) -> RgbImage {
    let (srx, sry) = SOURCE_RIGHT_EYE;
    let (slx, sly) = SOURCE_LEFT_EYE;
    let src_ied = (slx - srx).hypot(sly - sry);
    let src_angle = (sly - sry).atan2(slx - srx);
    let src_mid = ((srx + slx) * 0.5, (sry + sly) * 0.5);
    let zoom = p.ied / src_ied;
    let (s, c) = (src_angle - p.roll_deg.to_radians()).sin_cos();
    let (mx, my) = (p.mid_x * w as f32, p.mid_y * h as f32);
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = ((x as f32 - mx) / zoom, (y as f32 - my) / zoom);
        let sx = src_mid.0 + c * dx - s * dy;
        let sy = src_mid.1 + s * dx + c * dy;
        bilinear(src, sx, sy)
    })
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let x = x.clamp(0.0, w - 1.0);
    let y = y.clamp(0.0, h - 1.0);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = (
        (x0 + 1).min(img.width() - 1),
        (y0 + 1).min(img.height() - 1),
    );
    let (tx, ty) = (x - x0 as f32, y - y0 as f32);
    let mut out = [0u8; 3];
    for (k, o) in out.iter_mut().enumerate() {
        let p = |xx, yy| img.get_pixel(xx, yy).0[k] as f32;
        let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
        let bot = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
        *o = (top * (1.0 - ty) + bot * ty).round().clamp(0.0, 255.0) as u8;
    }
    Rgb(out)
}

fn to_linear(v: u8) -> f32 {
    let c = v as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb(l: f32) -> u8 {
    let l = l.clamp(0.0, 1.0);
    let c = if l <= 0.0031308 {
        12.92 * l
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    };
    (c * 255.0).round() as u8
}

/// Exposure change: multiplies linear light by `k` (clipping at white).
fn scale_linear(img: &mut RgbImage, k: f32) {
    for p in img.pixels_mut() {
        for v in p.0.iter_mut() {
            *v = to_srgb(to_linear(*v) * k);
        }
    }
}

/// The side-lit variation's lighting ratio: the subject's left side (image
/// right) gets this share of the light the other side gets, 1:3, a
/// classic portrait key light and far from the even light an ID photo
/// asks for.
pub const SIDE_LIGHT_RATIO: f32 = 0.35;

/// Side light: linear light multiplied by a gain that falls smoothly from 1
/// at 0.6 IED image-left of the eye mid-point to `ratio` at 0.6 IED
/// image-right of it (the face's width), and stays there beyond.
pub fn side_light(img: &mut RgbImage, p: &Placement, ratio: f32) {
    let mx = p.mid_x * img.width() as f32;
    let half = 0.6 * p.ied;
    for (x, _, px) in img.enumerate_pixels_mut() {
        let t = ((x as f32 - (mx - half)) / (2.0 * half)).clamp(0.0, 1.0);
        let t = t * t * (3.0 - 2.0 * t);
        let k = 1.0 + (ratio - 1.0) * t;
        for v in px.0.iter_mut() {
            *v = to_srgb(to_linear(*v) * k);
        }
    }
}

/// White-balance error: multiplies each sRGB channel by its gain.
fn channel_gains(img: &mut RgbImage, g: [f32; 3]) {
    for p in img.pixels_mut() {
        for (v, k) in p.0.iter_mut().zip(g) {
            *v = (*v as f32 * k).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Separable Gaussian blur (defocus), edges clamped.
fn gaussian_blur(img: &mut RgbImage, sigma: f32) {
    let r = (3.0 * sigma).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    let (w, h) = (img.width() as i64, img.height() as i64);
    for pass in 0..2 {
        let src = img.clone();
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0f32; 3];
                for (i, kv) in k.iter().enumerate() {
                    let o = i as i64 - r;
                    let (sx, sy) = if pass == 0 {
                        ((x + o).clamp(0, w - 1), y)
                    } else {
                        (x, (y + o).clamp(0, h - 1))
                    };
                    let p = src.get_pixel(sx as u32, sy as u32).0;
                    for c in 0..3 {
                        acc[c] += kv * p[c] as f32;
                    }
                }
                img.put_pixel(
                    x as u32,
                    y as u32,
                    Rgb(acc.map(|a| (a / sum).round().clamp(0.0, 255.0) as u8)),
                );
            }
        }
    }
}

/// Paints a high-contrast checkerboard over the background: everything
/// above the chin line that lies well outside the head (an ellipse 1.5
/// IED wide and 2.4 IED tall around the head's centre, generous so that
/// hair is left alone).
fn checker_background(img: &mut RgbImage, p: &Placement) {
    let (mx, my) = (p.mid_x * OUT_W as f32, p.mid_y * OUT_H as f32);
    let (cx, cy) = (mx, my - 0.05 * p.ied);
    let (a, b) = (1.5 * p.ied, 2.4 * p.ied);
    let chin = my + 1.9 * p.ied;
    for y in 0..img.height() {
        for x in 0..img.width() {
            let (fx, fy) = (x as f32, y as f32);
            if fy > chin || ((fx - cx) / a).powi(2) + ((fy - cy) / b).powi(2) <= 1.0 {
                continue;
            }
            let dark = ((x / 10) + (y / 10)) % 2 == 0;
            img.put_pixel(
                x,
                y,
                if dark {
                    Rgb([40, 40, 40])
                } else {
                    Rgb([220, 220, 220])
                },
            );
        }
    }
}
