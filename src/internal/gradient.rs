//! Image gradients.

/// Sobel gradients of a `width` x `height` image (rows `stride` apart),
/// written into `gx` and `gy` (resized to `width * height`). Border pixels
/// replicate their neighbours, so every pixel gets a gradient.
///
/// Sobel rather than plain central differences: its cross-smoothing damps
/// sensor noise that would otherwise look like ridge texture.
pub(crate) fn sobel(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_has_constant_gradient_inside() {
        // Horizontal ramp: grey = 3x.
        let (w, h) = (6, 5);
        let px: Vec<u8> = (0..w * h).map(|i| (3 * (i % w)) as u8).collect();
        let (mut gx, mut gy) = (Vec::new(), Vec::new());
        sobel(&px, w, h, w, &mut gx, &mut gy);
        for y in 0..h {
            for x in 1..w - 1 {
                assert_eq!(gx[y * w + x], 24.0); // 3 * 2 * (1 + 2 + 1)
                assert_eq!(gy[y * w + x], 0.0);
            }
        }
    }
}
