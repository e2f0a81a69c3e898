//! The `face` subcommand: frames and quality of an ID portrait.

use crate::{draw, Failure, Options};
use biocapture::{
    ExtentSource, FaceAssessor, FaceConfig, FacePolicy, FaceReport, FaceSummary, GrayView, Lang,
    RgbView,
};
use image::Rgb;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(crate) struct Session {
    assessor: Result<FaceAssessor, biocapture::Error>,
    policy: FacePolicy,
    overlay: Option<PathBuf>,
}

impl Session {
    pub(crate) fn new(opts: &Options) -> Self {
        Session {
            assessor: FaceAssessor::new(FaceConfig::default()),
            policy: FacePolicy::icao(),
            overlay: opts.overlay.clone(),
        }
    }

    pub(crate) fn assess_file(&mut self, path: &Path) -> Result<Output, Failure> {
        let assessor = self
            .assessor
            .as_mut()
            .map_err(|e| Failure::assess(e.clone()))?;
        let img = image::open(path).map_err(Failure::decode)?;
        let is_gray = !img.color().has_color();
        let rgb = img.to_rgb8();
        let (w, h) = rgb.dimensions();
        let t = Instant::now();
        let report = if is_gray {
            let gray = img.to_luma8();
            let view = GrayView::new(gray.as_raw(), w, h, w as usize).map_err(Failure::assess)?;
            // Decoding to grey is not assessment: restart the clock.
            let t = Instant::now();
            let r = assessor.assess_gray(view).map_err(Failure::assess)?;
            (r, t.elapsed())
        } else {
            let r = assessor
                .assess(RgbView::from(&rgb))
                .map_err(Failure::assess)?;
            (r, t.elapsed())
        };
        let (report, elapsed) = report;
        let verdict = self.policy.judge(&report);
        let ms = elapsed.as_secs_f64() * 1e3;

        let mut out = Output {
            summary: FaceSummary::new(&report, &verdict, Lang::En).with_ms(ms),
            overlay: None,
        };
        if let Some(dir) = &self.overlay {
            let mut canvas = rgb;
            draw_overlay(&mut canvas, &report, &verdict.codes());
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "image".into());
            let file = dir.join(format!("{name}.face.png"));
            canvas.save(&file).map_err(Failure::io)?;
            out.overlay = Some(file.display().to_string());
        }
        Ok(out)
    }
}

/// One face line (after `file`): the library's [`FaceSummary`], then the
/// overlay's path when one was written.
#[derive(serde::Serialize)]
pub(crate) struct Output {
    #[serde(flatten)]
    summary: FaceSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    overlay: Option<String>,
}

/// Draws the ICAO guide bands, the face box, the eyes, the head outline,
/// the chin and crown (a cyan bar along the eye line where measured, a
/// yellow cross where placed by proportion) and the verdict onto the
/// photo.
fn draw_overlay(img: &mut image::RgbImage, report: &FaceReport, reasons: &[&str]) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let scale = (img.width().min(img.height()) / 240).max(1);
    let thick = scale;
    let green = Rgb([40, 220, 90]);
    // Eye-line band BB: 50..70% of the height from the bottom.
    draw::fill_rect(img, 0.0, 0.3 * h, w, 0.2 * h, green, 0.12);
    draw::line(img, (0.0, 0.3 * h), (w, 0.3 * h), green, 1);
    draw::line(img, (0.0, 0.5 * h), (w, 0.5 * h), green, 1);
    // Centre band AA: 45..55% of the width.
    draw::fill_rect(img, 0.45 * w, 0.0, 0.1 * w, h, green, 0.10);
    draw::line(img, (0.45 * w, 0.0), (0.45 * w, h), green, 1);
    draw::line(img, (0.55 * w, 0.0), (0.55 * w, h), green, 1);
    draw::text(img, 4, (0.3 * h) as i64 + 3, "EYE LINE", green, scale);
    for d in &report.detections {
        let b = d.face_box;
        draw::rect(img, b.x, b.y, b.width, b.height, Rgb([120, 120, 255]), 1);
    }
    if let Some(f) = &report.face {
        let b = f.face_box;
        draw::rect(img, b.x, b.y, b.width, b.height, Rgb([60, 140, 255]), thick);
        let g = &f.framing;
        let hb = g.head_box;
        draw::rect(img, hb.x, hb.y, hb.width, hb.height, Rgb([255, 210, 0]), 1);
        // Chin and crown: a cyan bar along the eye line where measured
        // from the image, a yellow cross where placed by proportion.
        let ied = g.ied_px.max(1.0);
        let (ux, uy) = (g.roll_deg.to_radians().cos(), g.roll_deg.to_radians().sin());
        for (p, source, name) in [
            (g.chin, g.chin_source, "CHIN"),
            (g.crown, g.crown_source, "CROWN"),
        ] {
            if source == ExtentSource::Measured {
                let cyan = Rgb([0, 230, 255]);
                let half = 0.3 * ied;
                let a = (p.x - half * ux, p.y - half * uy);
                let b = (p.x + half * ux, p.y + half * uy);
                draw::line(img, a, b, cyan, thick);
                draw::text(img, b.0 as i64 + 3, b.1 as i64 - 3, name, cyan, scale);
            } else {
                draw::cross(img, p.x, p.y, 4.0 * scale as f32, Rgb([255, 210, 0]), thick);
            }
        }
        let (l, r) = (f.eyes.left, f.eyes.right);
        draw::line(img, (l.x, l.y), (r.x, r.y), Rgb([255, 80, 80]), 1);
        let er = (g.ied_px * 0.08).max(3.0);
        draw::circle(img, l.x, l.y, er, Rgb([255, 60, 60]), thick);
        draw::circle(img, r.x, r.y, er, Rgb([255, 60, 60]), thick);
        draw::cross(img, g.eye_mid.x, g.eye_mid.y, er, Rgb([255, 255, 255]), 1);
        let mut info = format!("IED {:.0}PX ROLL {:.1}", g.ied_px, g.roll_deg);
        if let Some(o) = f.eyes_open {
            // Each eye's estimated lid aperture (openness x the mean eye
            // width, 0.42 IED) as a bar across the eye line through the
            // eye centre: red when the eyes were judged closed.
            let colour = if reasons.contains(&"eyes_closed") {
                Rgb([255, 60, 60])
            } else {
                Rgb([40, 220, 90])
            };
            let ied = g.ied_px.max(1.0);
            let (nx, ny) = (-(l.y - r.y) / ied, (l.x - r.x) / ied);
            for (c, open) in [(l, o.left), (r, o.right)] {
                let half = (0.5 * open * 0.42 * ied).max(1.0);
                let (ax, ay) = (c.x - nx * half, c.y - ny * half);
                let (bx, by) = (c.x + nx * half, c.y + ny * half);
                draw::line(img, (ax, ay), (bx, by), colour, thick);
                // Ticks at the lids, along the eye line.
                let (tx, ty) = (0.06 * ied * ny, -0.06 * ied * nx);
                for (px, py) in [(ax, ay), (bx, by)] {
                    draw::line(img, (px - tx, py - ty), (px + tx, py + ty), colour, thick);
                }
            }
            info.push_str(&format!(" OPEN L {:.2} R {:.2}", o.left, o.right));
        }
        if let Some(m) = f.mouth {
            // The mouth read: a line between ONet's corners and, through
            // its midpoint across the eye line, a bar as long as the
            // estimated inner-lip gap (opening x mouth width), with ticks
            // at the lips: red when the mouth was judged open.
            let colour = if reasons.contains(&"mouth_open") {
                Rgb([255, 60, 60])
            } else {
                Rgb([40, 220, 90])
            };
            let (a, b) = (m.left, m.right);
            draw::line(img, (a.x, a.y), (b.x, b.y), colour, 1);
            let ied = g.ied_px.max(1.0);
            let (nx, ny) = (-(l.y - r.y) / ied, (l.x - r.x) / ied);
            let c = a.midpoint(b);
            let half = (0.5 * m.opening * a.distance(b)).max(1.0);
            let (ax, ay) = (c.x - nx * half, c.y - ny * half);
            let (bx, by) = (c.x + nx * half, c.y + ny * half);
            draw::line(img, (ax, ay), (bx, by), colour, thick);
            let (tx, ty) = (0.08 * ied * ny, -0.08 * ied * nx);
            for (px, py) in [(ax, ay), (bx, by)] {
                draw::line(img, (px - tx, py - ty), (px + tx, py + ty), colour, thick);
            }
            info.push_str(&format!(" MOUTH {:.2}", m.opening));
        }
        if let Some(yaw) = g.yaw_deg {
            info.push_str(&format!(" YAW {yaw:.1}"));
        }
        if let Some(pitch) = g.pitch_deg {
            info.push_str(&format!(" PITCH {pitch:.1}"));
        }
        if let Some(lm) = f.landmarks {
            // The pose: from ONet's nose tip, a line one IED long where
            // the head faces (the view axis turned by the yaw and pitch,
            // then by the roll: right for a face turned to the image
            // right, up for a chin raised), red when the head was judged
            // turned or pitched; a cross on the nose tip.
            let colour =
                if reasons.contains(&"head_pitched") || reasons.contains(&"not_facing_camera") {
                    Rgb([255, 60, 60])
                } else {
                    Rgb([40, 220, 90])
                };
            let n = lm.nose;
            let (sy, sp) = (
                g.yaw_deg.unwrap_or(0.0).to_radians().sin(),
                g.pitch_deg.unwrap_or(0.0).to_radians().sin(),
            );
            let (dx, dy) = (ied * sy, -ied * sp);
            let tip = (n.x + dx * ux - dy * uy, n.y + dx * uy + dy * ux);
            draw::line(img, (n.x, n.y), tip, colour, thick);
            draw::circle(img, tip.0, tip.1, 0.04 * ied + 1.0, colour, thick);
            draw::cross(img, n.x, n.y, 0.06 * ied, colour, 1);
        }
        if let Some(p) = &f.photometric {
            info.push_str(&format!(" SHADOW {:.2}", p.shadow_luminance.raw));
        }
        draw::label(img, 4, 4, &info, Rgb([255, 255, 255]), scale);
        if let Some(turn) = f.view_turn_deg {
            // Found only in a turned view (a subject lying down): an arrow
            // from the eye mid-point towards the crown shows which way is
            // up for this face, and the label which view found it.
            let magenta = Rgb([255, 60, 255]);
            let (m, c) = (g.eye_mid, g.crown);
            draw::line(img, (m.x, m.y), (c.x, c.y), magenta, thick);
            let (dx, dy) = (c.x - m.x, c.y - m.y);
            let len = dx.hypot(dy).max(1.0);
            let (ux, uy) = (dx / len, dy / len);
            let head = 0.25 * len;
            for side in [-1.0f32, 1.0] {
                let tip = (
                    c.x - head * ux + side * 0.5 * head * uy,
                    c.y - head * uy - side * 0.5 * head * ux,
                );
                draw::line(img, (c.x, c.y), tip, magenta, thick);
            }
            let turned = format!("UP THIS WAY: TURNED VIEW {turn:.0}");
            draw::label(img, 4, 4 + 10 * scale as i64, &turned, magenta, scale);
        }
    }
    let caption = if reasons.is_empty() {
        "PASS".to_string()
    } else {
        format!("RETAKE: {}", reasons.join(", "))
    };
    let colour = if reasons.is_empty() {
        Rgb([80, 255, 120])
    } else {
        Rgb([255, 110, 90])
    };
    // Wrap the caption to the image width at spaces, so a reason code is
    // split only when it alone is wider than the image.
    let per_line = ((img.width() / (6 * scale)).max(8)) as usize - 1;
    let mut lines: Vec<String> = Vec::new();
    for word in caption.split(' ') {
        match lines.last_mut() {
            Some(l) if l.len() + 1 + word.len() <= per_line => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.extend(
                word.as_bytes()
                    .chunks(per_line)
                    .map(|c| String::from_utf8_lossy(c).into_owned()),
            ),
        }
    }
    let line_h = 9 * scale as i64;
    let mut y = img.height() as i64 - line_h * lines.len() as i64 - 2;
    for l in &lines {
        draw::label(img, 4, y, l, colour, scale);
        y += line_h;
    }
}
