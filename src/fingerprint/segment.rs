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

/// Blocks within `r` blocks (Chebyshev distance) of `(y, x)` on an
/// `h` x `w` grid, the block itself included.
pub(crate) fn around(
    (y, x): (usize, usize),
    r: usize,
    (h, w): (usize, usize),
) -> impl Iterator<Item = (usize, usize)> {
    (y.saturating_sub(r)..(y + r + 1).min(h))
        .flat_map(move |yy| (x.saturating_sub(r)..(x + r + 1).min(w)).map(move |xx| (yy, xx)))
}

/// The 8-connected region of blocks where `member` holds that contains
/// `seed`, appended to `region` (cleared first); `seen` marks visited
/// blocks and is left marked.
pub(crate) fn region_from(
    seed: (usize, usize),
    member: impl Fn((usize, usize)) -> bool,
    seen: &mut Array2<bool>,
    region: &mut Vec<(usize, usize)>,
) {
    let dim = seen.dim();
    region.clear();
    seen[seed] = true;
    region.push(seed);
    let mut next = 0;
    while let Some(&idx) = region.get(next) {
        next += 1;
        for i in around(idx, 1, dim) {
            if !seen[i] && member(i) {
                seen[i] = true;
                region.push(i);
            }
        }
    }
}

/// The largest 8-connected region of blocks where `member` holds: one of
/// its blocks and its size, `None` when there is none, on a grid of
/// `dim` blocks. `seen` and `region` are scratch.
pub(crate) fn largest_region(
    dim: (usize, usize),
    member: impl Fn((usize, usize)) -> bool + Copy,
    seen: &mut Array2<bool>,
    region: &mut Vec<(usize, usize)>,
) -> Option<((usize, usize), usize)> {
    super::reset(seen, dim, false);
    let mut best: Option<((usize, usize), usize)> = None;
    for y in 0..dim.0 {
        for x in 0..dim.1 {
            let idx = (y, x);
            if seen[idx] || !member(idx) {
                continue;
            }
            region_from(idx, member, seen, region);
            if best.is_none_or(|(_, size)| region.len() > size) {
                best = Some((idx, region.len()));
            }
        }
    }
    best
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
