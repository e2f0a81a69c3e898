//! Image gradients.

/// Sobel gradients of a `width` x `height` image (rows `stride` apart),
/// written into `gx` and `gy` (resized to `width * height`). Border pixels
/// replicate their neighbours, so every pixel gets a gradient.
///
/// Sobel rather than plain central differences: its cross-smoothing damps
/// sensor noise that would otherwise look like ridge texture.
///
/// The naive whole-image reference that [`sobel_row`] and [`sobel_image`]
/// are tested against.
#[cfg(test)]
pub(crate) fn sobel_reference(
    px: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    gx: &mut Vec<f32>,
    gy: &mut Vec<f32>,
) {
    gx.clear();
    gx.resize(width * height, 0.0);
    gy.clear();
    gy.resize(width * height, 0.0);
    if width == 0 || height == 0 {
        return;
    }
    let row = |y: usize| &px[y * stride..y * stride + width];
    for y in 0..height {
        let up = row(y.saturating_sub(1));
        let mid = row(y);
        let dn = row((y + 1).min(height - 1));
        let ox = &mut gx[y * width..(y + 1) * width];
        let oy = &mut gy[y * width..(y + 1) * width];
        for x in 0..width {
            let l = x.saturating_sub(1);
            let r = (x + 1).min(width - 1);
            let (ul, uc, ur) = (up[l] as f32, up[x] as f32, up[r] as f32);
            let (ml, mr) = (mid[l] as f32, mid[r] as f32);
            let (dl, dc, dr) = (dn[l] as f32, dn[x] as f32, dn[r] as f32);
            ox[x] = (ur + 2.0 * mr + dr) - (ul + 2.0 * ml + dl);
            oy[x] = (dl + 2.0 * dc + dr) - (ul + 2.0 * uc + ur);
        }
    }
}

/// Sobel gradients of one row, given the rows above (`up`), at (`mid`) and
/// below (`dn`) it, all `width` long; border columns replicate their
/// neighbour. `vsum` is scratch. Row-at-a-time so callers can fold the
/// gradients straight into block sums without storing a gradient image.
///
/// Matches [`sobel_reference`] exactly (tested), but the interior loop has no
/// clamping, so it vectorises.
pub(crate) fn sobel_row(
    up: &[u8],
    mid: &[u8],
    dn: &[u8],
    vsum: &mut Vec<f32>,
    gx: &mut [f32],
    gy: &mut [f32],
) {
    let w = mid.len();
    if w == 0 {
        return;
    }
    // Vertical pass: smoothed column for gx, column difference for gy.
    vsum.clear();
    vsum.extend(
        up.iter()
            .zip(mid)
            .zip(dn)
            .map(|((&u, &m), &d)| u as f32 + 2.0 * m as f32 + d as f32),
    );
    for ((g, &u), &d) in gy.iter_mut().zip(up).zip(dn) {
        *g = d as f32 - u as f32;
    }
    // Horizontal pass. gy needs its smoothing from the differences, done
    // in place from the right-hand end with a carried left value.
    if w == 1 {
        gx[0] = 0.0;
        gy[0] *= 4.0;
        return;
    }
    gx[0] = vsum[1] - vsum[0];
    for x in 1..w - 1 {
        gx[x] = vsum[x + 1] - vsum[x - 1];
    }
    gx[w - 1] = vsum[w - 1] - vsum[w - 2];
    let mut left = gy[0];
    let first = gy[0];
    gy[0] = 3.0 * first + gy[1];
    for x in 1..w - 1 {
        let here = gy[x];
        gy[x] = left + 2.0 * here + gy[x + 1];
        left = here;
    }
    gy[w - 1] = left + 3.0 * gy[w - 1];
}

/// Sobel gradients of a contiguous `w` x `h` grey image into `gx`, `gy`
/// (resized to `w * h`), row by row with the shared row kernel; `vsum` is
/// scratch. Borders replicate their neighbours.
pub(crate) fn sobel_image(
    px: &[u8],
    w: usize,
    h: usize,
    vsum: &mut Vec<f32>,
    gx: &mut Vec<f32>,
    gy: &mut Vec<f32>,
) {
    gx.clear();
    gx.resize(w * h, 0.0);
    gy.clear();
    gy.resize(w * h, 0.0);
    if w == 0 || h == 0 || px.len() < w * h {
        return;
    }
    let row = |y: usize| &px[y * w..(y + 1) * w];
    for y in 0..h {
        sobel_row(
            row(y.saturating_sub(1)),
            row(y),
            row((y + 1).min(h - 1)),
            vsum,
            &mut gx[y * w..(y + 1) * w],
            &mut gy[y * w..(y + 1) * w],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_kernel_matches_image_kernel() {
        for &(w, h) in &[(1usize, 1usize), (1, 4), (5, 1), (7, 6), (33, 9)] {
            let px: Vec<u8> = (0..w * h).map(|i| ((i * 7919) % 251) as u8).collect();
            let (mut gx, mut gy) = (Vec::new(), Vec::new());
            sobel_reference(&px, w, h, w, &mut gx, &mut gy);
            let (mut rx, mut ry, mut vs) = (vec![0.0; w], vec![0.0; w], Vec::new());
            for y in 0..h {
                let row = |y: usize| &px[y * w..(y + 1) * w];
                sobel_row(
                    row(y.saturating_sub(1)),
                    row(y),
                    row((y + 1).min(h - 1)),
                    &mut vs,
                    &mut rx,
                    &mut ry,
                );
                assert_eq!(&rx[..], &gx[y * w..(y + 1) * w], "gx {w}x{h} row {y}");
                assert_eq!(&ry[..], &gy[y * w..(y + 1) * w], "gy {w}x{h} row {y}");
            }
        }
    }

    #[test]
    fn image_kernel_matches_reference() {
        for &(w, h) in &[(1usize, 1usize), (4, 1), (9, 7)] {
            let px: Vec<u8> = (0..w * h).map(|i| ((i * 4099) % 253) as u8).collect();
            let (mut gx, mut gy) = (Vec::new(), Vec::new());
            sobel_reference(&px, w, h, w, &mut gx, &mut gy);
            let (mut ix, mut iy, mut vs) = (Vec::new(), Vec::new(), Vec::new());
            sobel_image(&px, w, h, &mut vs, &mut ix, &mut iy);
            assert_eq!((ix, iy), (gx, gy), "{w}x{h}");
        }
    }

    #[test]
    fn ramp_has_constant_gradient_inside() {
        // Horizontal ramp: grey = 3x.
        let (w, h) = (6, 5);
        let px: Vec<u8> = (0..w * h).map(|i| (3 * (i % w)) as u8).collect();
        let (mut gx, mut gy) = (Vec::new(), Vec::new());
        sobel_reference(&px, w, h, w, &mut gx, &mut gy);
        for y in 0..h {
            for x in 1..w - 1 {
                assert_eq!(gx[y * w + x], 24.0); // 3 * 2 * (1 + 2 + 1)
                assert_eq!(gy[y * w + x], 0.0);
            }
        }
    }
}
