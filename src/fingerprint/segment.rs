//! Foreground segmentation on the block grid: where the finger touched.

use ndarray::Array2;

/// Cleans a raw block mask in place: drops isolated specks (fewer than two
/// foreground neighbours of eight) and fills background holes enclosed by
/// the finger, so a wet blob or a scar inside the contact area still counts
/// as contact. `scratch` and `stack` are reused buffers.
pub(crate) fn clean_mask(
    mask: &mut Array2<bool>,
    scratch: &mut Array2<bool>,
    stack: &mut Vec<(usize, usize)>,
) {
    let (h, w) = mask.dim();
    if h == 0 || w == 0 {
        return;
    }
    if scratch.dim() != (h, w) {
        *scratch = Array2::from_elem((h, w), false);
    }
    scratch.assign(mask);
    let snapshot = &*scratch;
    for y in 0..h {
        for x in 0..w {
            if !snapshot[(y, x)] {
                continue;
            }
            let mut n = 0;
            for yy in y.saturating_sub(1)..(y + 2).min(h) {
                for xx in x.saturating_sub(1)..(x + 2).min(w) {
                    n += usize::from((yy, xx) != (y, x) && snapshot[(yy, xx)]);
                }
            }
            if n < 2 {
                mask[(y, x)] = false;
            }
        }
    }
    // Flood the background from the image border; what it cannot reach is
    // enclosed by the finger.
    let outside = scratch;
    outside.fill(false);
    stack.clear();
    for y in 0..h {
        for x in 0..w {
            if (y == 0 || x == 0 || y == h - 1 || x == w - 1) && !mask[(y, x)] {
                outside[(y, x)] = true;
                stack.push((y, x));
            }
        }
    }
    while let Some((y, x)) = stack.pop() {
        let neighbours = [
            (y.wrapping_sub(1), x),
            (y + 1, x),
            (y, x.wrapping_sub(1)),
            (y, x + 1),
        ];
        for (yy, xx) in neighbours {
            if yy < h && xx < w && !mask[(yy, xx)] && !outside[(yy, xx)] {
                outside[(yy, xx)] = true;
                stack.push((yy, xx));
            }
        }
    }
    for (m, o) in mask.iter_mut().zip(outside.iter()) {
        *m = !*o;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_holes_and_drops_specks() {
        let mut m = Array2::from_elem((7, 7), false);
        for y in 1..6 {
            for x in 1..5 {
                m[(y, x)] = true;
            }
        }
        m[(3, 2)] = false; // hole
        m[(0, 6)] = true; // speck
        clean_mask(
            &mut m,
            &mut Array2::from_elem((1, 1), false),
            &mut Vec::new(),
        );
        assert!(m[(3, 2)]);
        assert!(!m[(0, 6)]);
        assert_eq!(m.iter().filter(|&&b| b).count(), 20);
    }
}
