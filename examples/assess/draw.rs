//! Drawing helpers for overlays: lines, rectangles, circles, crosses,
//! translucent fills and text in a tiny built-in 5x7 bitmap font. Both
//! subcommands draw with these; everything clips at the image edges, so
//! any coordinates are safe.

// Each subcommand uses a different subset of these helpers.
#![allow(dead_code)]

use image::{Rgb, RgbImage};

/// Sets one pixel if it lies inside the image.
pub(crate) fn put(img: &mut RgbImage, x: i64, y: i64, c: Rgb<u8>) {
    if x >= 0 && y >= 0 && (x as u64) < img.width() as u64 && (y as u64) < img.height() as u64 {
        img.put_pixel(x as u32, y as u32, c);
    }
}

/// Blends `c` over one pixel with opacity `alpha` (0..1).
pub(crate) fn blend(img: &mut RgbImage, x: i64, y: i64, c: Rgb<u8>, alpha: f32) {
    if x >= 0 && y >= 0 && (x as u64) < img.width() as u64 && (y as u64) < img.height() as u64 {
        let p = img.get_pixel_mut(x as u32, y as u32);
        for k in 0..3 {
            p.0[k] = (p.0[k] as f32 * (1.0 - alpha) + c.0[k] as f32 * alpha).round() as u8;
        }
    }
}

/// A square dot of side `thickness` centred on (x, y).
fn dot(img: &mut RgbImage, x: i64, y: i64, c: Rgb<u8>, thickness: u32) {
    let t = thickness.max(1) as i64;
    let o = (t - 1) / 2;
    for dy in 0..t {
        for dx in 0..t {
            put(img, x - o + dx, y - o + dy, c);
        }
    }
}

/// A straight line (Bresenham), `thickness` pixels wide.
pub(crate) fn line(
    img: &mut RgbImage,
    (x0, y0): (f32, f32),
    (x1, y1): (f32, f32),
    c: Rgb<u8>,
    thickness: u32,
) {
    if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
        return;
    }
    // Clamp far-off coordinates so a wild point cannot make a huge loop.
    let lim = 4.0 * (img.width().max(img.height()) as f32 + 16.0);
    let cl = |v: f32| v.clamp(-lim, lim).round() as i64;
    let (mut x, mut y, x1, y1) = (cl(x0), cl(y0), cl(x1), cl(y1));
    let (dx, dy) = ((x1 - x).abs(), -(y1 - y).abs());
    let (sx, sy) = (if x < x1 { 1 } else { -1 }, if y < y1 { 1 } else { -1 });
    let mut err = dx + dy;
    loop {
        dot(img, x, y, c, thickness);
        if x == x1 && y == y1 {
            break;
        }
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x += sx;
        }
        if e2 <= dx {
            err += dx;
            y += sy;
        }
    }
}

/// A rectangle outline with top-left (x, y) and size (w, h).
pub(crate) fn rect(img: &mut RgbImage, x: f32, y: f32, w: f32, h: f32, c: Rgb<u8>, thickness: u32) {
    let (x1, y1) = (x + w, y + h);
    line(img, (x, y), (x1, y), c, thickness);
    line(img, (x1, y), (x1, y1), c, thickness);
    line(img, (x1, y1), (x, y1), c, thickness);
    line(img, (x, y1), (x, y), c, thickness);
}

/// Blends a filled rectangle over the image.
pub(crate) fn fill_rect(
    img: &mut RgbImage,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    c: Rgb<u8>,
    alpha: f32,
) {
    if !(x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite()) {
        return;
    }
    let x0 = x.max(0.0).round() as i64;
    let y0 = y.max(0.0).round() as i64;
    let x1 = (x + w).min(img.width() as f32).round() as i64;
    let y1 = (y + h).min(img.height() as f32).round() as i64;
    for yy in y0..y1 {
        for xx in x0..x1 {
            blend(img, xx, yy, c, alpha);
        }
    }
}

/// A circle outline of radius `r`.
pub(crate) fn circle(img: &mut RgbImage, cx: f32, cy: f32, r: f32, c: Rgb<u8>, thickness: u32) {
    if !(cx.is_finite() && cy.is_finite() && r.is_finite()) || r <= 0.0 {
        return;
    }
    let r = r.min(4.0 * img.width().max(img.height()) as f32);
    let steps = ((r * 8.0) as usize).clamp(16, 20_000);
    for i in 0..steps {
        let t = i as f32 / steps as f32 * std::f32::consts::TAU;
        dot(
            img,
            (cx + r * t.cos()).round() as i64,
            (cy + r * t.sin()).round() as i64,
            c,
            thickness,
        );
    }
}

/// A "+" mark of half-size `r`.
pub(crate) fn cross(img: &mut RgbImage, cx: f32, cy: f32, r: f32, c: Rgb<u8>, thickness: u32) {
    line(img, (cx - r, cy), (cx + r, cy), c, thickness);
    line(img, (cx, cy - r), (cx, cy + r), c, thickness);
}

/// Glyph rows, 5 bits each (bit 4 = leftmost column), 7 rows.
fn glyph(ch: char) -> [u8; 7] {
    let c = ch.to_ascii_uppercase();
    match c {
        ' ' => [0; 7],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '.' => [0, 0, 0, 0, 0, 0x0C, 0x0C],
        ',' => [0, 0, 0, 0, 0x0C, 0x04, 0x08],
        ':' => [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0],
        ';' => [0, 0x0C, 0x0C, 0, 0x0C, 0x04, 0x08],
        '-' => [0, 0, 0, 0x1F, 0, 0, 0],
        '_' => [0, 0, 0, 0, 0, 0, 0x1F],
        '/' => [0x01, 0x02, 0x02, 0x04, 0x08, 0x08, 0x10],
        '(' => [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        ')' => [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        '[' => [0x0E, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0E],
        ']' => [0x0E, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0E],
        '%' => [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        '+' => [0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0],
        '=' => [0, 0, 0x1F, 0, 0x1F, 0, 0],
        '!' => [0x04, 0x04, 0x04, 0x04, 0x04, 0, 0x04],
        '?' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04],
        '\'' => [0x04, 0x04, 0x08, 0, 0, 0, 0],
        '"' => [0x0A, 0x0A, 0x0A, 0, 0, 0, 0],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        '<' => [0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02],
        '>' => [0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08],
        '*' => [0, 0x04, 0x15, 0x0E, 0x15, 0x04, 0],
        _ => [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F],
    }
}

/// Width in pixels of `s` drawn at `scale` (6 columns a character: five
/// of glyph, one of spacing).
pub(crate) fn text_width(s: &str, scale: u32) -> u32 {
    (s.chars().count() as u32 * 6).saturating_sub(1) * scale.max(1)
}

/// Draws `s` with its top-left corner at (x, y), each font pixel a
/// `scale` x `scale` square. Letters are drawn as capitals.
pub(crate) fn text(img: &mut RgbImage, x: i64, y: i64, s: &str, c: Rgb<u8>, scale: u32) {
    let k = scale.max(1) as i64;
    for (i, ch) in s.chars().enumerate() {
        let gx = x + i as i64 * 6 * k;
        for (row, bits) in glyph(ch).iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) != 0 {
                    for dy in 0..k {
                        for dx in 0..k {
                            put(img, gx + col * k + dx, y + row as i64 * k + dy, c);
                        }
                    }
                }
            }
        }
    }
}

/// Text on a translucent dark band, for captions that must stay readable
/// on any photo.
pub(crate) fn label(img: &mut RgbImage, x: i64, y: i64, s: &str, c: Rgb<u8>, scale: u32) {
    let k = scale.max(1) as f32;
    let (w, h) = (text_width(s, scale) as f32, 7.0 * k);
    fill_rect(
        img,
        x as f32 - k,
        y as f32 - k,
        w + 2.0 * k,
        h + 2.0 * k,
        Rgb([0, 0, 0]),
        0.6,
    );
    text(img, x, y, s, c, scale);
}
