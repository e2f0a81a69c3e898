//! The eye labels of a face folder (`labels.csv`: file, then the subject's
//! left and right eye centres as x, y), shared by the face evaluations.

use biocapture::Point;

/// One labelled face: its file name and (subject's left, right) eye.
pub type Labelled = (String, [Point; 2]);

/// The labelled faces of `dir`: file name and (subject's left, right) eye.
/// Lines with fewer than five fields are skipped.
///
/// # Errors
///
/// When `labels.csv` cannot be read, or an eye coordinate is not a number.
pub fn labelled(dir: &std::path::Path) -> Result<Vec<Labelled>, Box<dyn std::error::Error>> {
    let labels = std::fs::read_to_string(dir.join("labels.csv"))?;
    let mut out = Vec::new();
    for line in labels.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 5 {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<f32>();
        out.push((
            f[0].to_string(),
            [Point::new(num(1)?, num(2)?), Point::new(num(3)?, num(4)?)],
        ));
    }
    Ok(out)
}
