//! The 68-point annotations (iBUG `.pts` files: one `x y` pair a line)
//! that the face evaluations score against.

use biocapture::Point;

/// The 68 points of the `.pts` file at `path`, in file order (point 1
/// first); lines that are not two numbers (the header, the braces) are
/// skipped.
///
/// # Errors
///
/// When the file cannot be read or does not hold exactly 68 points.
pub fn read_pts(path: &std::path::Path) -> Result<Vec<Point>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    let mut pts = Vec::new();
    for line in text.lines() {
        let mut it = line.split_whitespace();
        if let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) {
            if let (Ok(x), Ok(y)) = (a.parse::<f32>(), b.parse::<f32>()) {
                pts.push(Point::new(x, y));
            }
        }
    }
    if pts.len() != 68 {
        return Err(format!("{}: {} points", path.display(), pts.len()).into());
    }
    Ok(pts)
}
