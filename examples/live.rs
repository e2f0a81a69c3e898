//! Runs a live capture session over a preview stream and prints its state
//! transitions as JSON lines; optionally writes an animated GIF of the run.
//!
//! ```text
//! cargo run --release --features synth --example live -- --synth finger --seed 1 --scenario steady
//!     [--size 400x400] [--gif docs/live-finger.gif] [--gif-side 160]
//! cargo run --release --example live -- FOLDER --kind finger|face [--fps 12.5] [--ppi 500]
//!     [--gif FILE]
//! ```
//!
//! A folder holds numbered frames (any format the `image` crate reads),
//! taken in the order of their sorted file names, `1 / fps` seconds apart
//! (default 12.5 frames a second). `--synth` generates a sequence with
//! `biocapture::synth::live` instead (scenarios: finger `steady`, `slide`,
//! `lift`, `wet`; face `steady`, `blur_bursts`, `roll`, `eyes_covered`;
//! faces are made from the committed astronaut portrait).
//!
//! One JSON line a transition: whenever the state or its findings change,
//! and the final state, e.g.
//!
//! ```text
//! {"frame":3,"t_ms":240,"state":"adjust","findings":["partial_print"],"hint":"Place the finger in the middle of the sensor, fully inside its edges."}
//! {"frame":7,"t_ms":560,"state":"steady","progress":0.0}
//! {"frame":11,"t_ms":880,"state":"captured","index":9,"score":61.2,"verdict":"pass","findings":[]}
//! ```
//!
//! With `--gif FILE` every frame up to the end is drawn at `--gif-side`
//! pixels on its longer side (default 160) with a border in the state's
//! colour (grey: nothing there, orange: adjust, blue: steady, with a
//! progress bar; green: captured; red: timed out), the state and the
//! first hint written under it, and the chosen frame framed twice in
//! green and shown again, held, at the end.

#[path = "assess/draw.rs"]
mod draw;
#[cfg(feature = "synth")]
#[path = "../tests/face_gen/mod.rs"]
mod face_gen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use biocapture::{
    CaptureConfig, CaptureState, FaceCapture, FaceConfig, FacePolicy, FingerprintCapture,
    FingerprintConfig, FingerprintPolicy, GrayView, Lang, RgbView,
};
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, GrayImage, Rgb, RgbImage, RgbaImage};
use serde_json::{json, Value};

const USAGE: &str = "usage: live (FOLDER --kind finger|face [--fps F] [--ppi N] | --synth finger|face [--seed N] [--scenario NAME] [--size WxH]) [--gif FILE] [--gif-side PX]";

/// The frames to run, grey (finger) or RGB (face), with timestamps.
enum Frames {
    Finger(Vec<(GrayImage, Duration)>),
    Face(Vec<(RgbImage, Duration)>),
}

/// What the session said about one frame, kept for the GIF.
struct Shown {
    state: &'static str,
    progress: f32,
    hint: Option<&'static str>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("live: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut folder, mut kind, mut synth) = (None::<PathBuf>, None::<String>, None::<String>);
    let (mut fps, mut ppi, mut seed) = (12.5f64, 500u32, 1u64);
    let mut scenario = "steady".to_string();
    let mut size: Option<(u32, u32)> = None;
    let (mut gif, mut gif_side) = (None::<PathBuf>, 160u32);
    let num = |v: Option<String>, what: &str| -> Result<String, String> {
        v.ok_or_else(|| format!("{what} needs a value\n{USAGE}"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--kind" => kind = Some(num(args.next(), "--kind")?),
            "--synth" => synth = Some(num(args.next(), "--synth")?),
            "--scenario" => scenario = num(args.next(), "--scenario")?,
            "--fps" => fps = parse(&num(args.next(), "--fps")?)?,
            "--ppi" => ppi = parse(&num(args.next(), "--ppi")?)?,
            "--seed" => seed = parse(&num(args.next(), "--seed")?)?,
            "--size" => {
                let v = num(args.next(), "--size")?;
                let (w, h) = v.split_once('x').ok_or("--size takes WxH")?;
                size = Some((parse(w)?, parse(h)?));
            }
            "--gif" => gif = Some(num(args.next(), "--gif")?.into()),
            "--gif-side" => gif_side = parse(&num(args.next(), "--gif-side")?)?,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other if !other.starts_with("--") && folder.is_none() => folder = Some(other.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if !(fps.is_finite() && fps > 0.0) {
        return Err("--fps must be positive".into());
    }
    let frames = match (folder, synth) {
        (Some(dir), None) => {
            let kind = kind.ok_or("a folder needs --kind finger|face")?;
            read_folder(&dir, &kind, Duration::from_secs_f64(1.0 / fps))?
        }
        (None, Some(kind)) => generate(&kind, &scenario, seed, size)?,
        _ => return Err(USAGE.into()),
    };
    let config = CaptureConfig::default();
    let (shown, chosen) = match &frames {
        Frames::Finger(frames) => {
            let mut session = FingerprintCapture::new(
                config,
                FingerprintConfig::default(),
                FingerprintPolicy::default(),
            )
            .map_err(|e| e.to_string())?;
            let mut shown = Vec::new();
            let mut last = None;
            for (i, (img, t)) in frames.iter().enumerate() {
                let view = GrayView::new(
                    img.as_raw(),
                    img.width(),
                    img.height(),
                    img.width() as usize,
                )
                .map_err(|e| e.to_string())?
                .with_ppi(ppi);
                let state = session
                    .push(view, *t)
                    .map_err(|e| format!("frame {i}: {e}"))?;
                let done = report(i, *t, &state, &mut last, &mut shown);
                if done {
                    break;
                }
            }
            (shown, session.result().map(|c| c.index as usize))
        }
        Frames::Face(frames) => {
            let mut session = FaceCapture::new(config, FaceConfig::default(), FacePolicy::icao())
                .map_err(|e| e.to_string())?;
            let mut shown = Vec::new();
            let mut last = None;
            for (i, (img, t)) in frames.iter().enumerate() {
                let state = session
                    .push(RgbView::from(img), *t)
                    .map_err(|e| format!("frame {i}: {e}"))?;
                let done = report(i, *t, &state, &mut last, &mut shown);
                if done {
                    break;
                }
            }
            (shown, session.result().map(|c| c.index as usize))
        }
    };
    if let Some(path) = gif {
        let rgb: Vec<RgbImage> = match &frames {
            Frames::Finger(f) => f
                .iter()
                .take(shown.len())
                .map(|(g, _)| image::DynamicImage::ImageLuma8(g.clone()).to_rgb8())
                .collect(),
            Frames::Face(f) => f.iter().take(shown.len()).map(|(c, _)| c.clone()).collect(),
        };
        write_gif(&path, &rgb, &shown, chosen, gif_side)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("not a number: {s}"))
}

/// Prints a JSON line when the state (or its findings) changed; keeps what
/// the GIF needs. `true` when the session is done.
fn report<R>(
    index: usize,
    t: Duration,
    state: &CaptureState<'_, R>,
    last: &mut Option<(String, Vec<&'static str>)>,
    shown: &mut Vec<Shown>,
) -> bool
where
    R: std::fmt::Debug,
{
    let codes: Vec<&'static str> = state.findings().iter().map(|f| f.reason.code()).collect();
    let progress = match state {
        CaptureState::Steady { progress } => *progress,
        _ => 0.0,
    };
    shown.push(Shown {
        state: state.as_str(),
        progress,
        hint: state.first_hint(Lang::En),
    });
    let key = (state.as_str().to_string(), codes.clone());
    let changed = last.as_ref() != Some(&key);
    let steady_start = matches!(state, CaptureState::Steady { .. }) && progress == 0.0;
    if changed || steady_start || state.is_final() {
        let mut line = json!({
            "frame": index,
            "t_ms": t.as_millis() as u64,
            "state": state.as_str(),
        });
        let obj = line.as_object_mut().expect("an object");
        match state {
            CaptureState::Adjust { .. } => {
                obj.insert("findings".into(), json!(codes));
                obj.insert("hint".into(), json!(state.first_hint(Lang::En)));
            }
            CaptureState::Steady { progress } => {
                obj.insert("progress".into(), json!((progress * 100.0).round() / 100.0));
            }
            CaptureState::Captured(c) => {
                obj.insert("index".into(), json!(c.index));
                obj.insert("score".into(), rounded(c.score));
                obj.insert("verdict".into(), json!(verdict(c.verdict.is_pass())));
                obj.insert("findings".into(), json!(codes));
            }
            CaptureState::TimedOut { best, shortfall } => {
                obj.insert("shortfall".into(), json!(shortfall.as_str()));
                obj.insert("index".into(), json!(best.index));
                obj.insert("score".into(), rounded(best.score));
                obj.insert("verdict".into(), json!(verdict(best.verdict.is_pass())));
                obj.insert("findings".into(), json!(codes));
                obj.insert("hint".into(), json!(state.first_hint(Lang::En)));
            }
            _ => {}
        }
        println!("{line}");
    }
    *last = Some(key);
    state.is_final()
}

fn rounded(v: f32) -> Value {
    json!((f64::from(v) * 1000.0).round() / 1000.0)
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "pass"
    } else {
        "retake"
    }
}

fn read_folder(dir: &Path, kind: &str, step: Duration) -> Result<Frames, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("{}: no frames", dir.display()));
    }
    let load = |p: &PathBuf| image::open(p).map_err(|e| format!("{}: {e}", p.display()));
    let at = |i: usize| step * i as u32;
    match kind {
        "finger" => Ok(Frames::Finger(
            paths
                .iter()
                .enumerate()
                .map(|(i, p)| Ok((load(p)?.to_luma8(), at(i))))
                .collect::<Result<_, String>>()?,
        )),
        "face" => Ok(Frames::Face(
            paths
                .iter()
                .enumerate()
                .map(|(i, p)| Ok((load(p)?.to_rgb8(), at(i))))
                .collect::<Result<_, String>>()?,
        )),
        other => Err(format!("--kind finger|face, not {other}")),
    }
}

#[cfg(feature = "synth")]
fn generate(
    kind: &str,
    scenario: &str,
    seed: u64,
    size: Option<(u32, u32)>,
) -> Result<Frames, String> {
    use biocapture::synth::live::{face_sequence, finger_sequence, FaceScenario, FingerScenario};
    match kind {
        "finger" => {
            let s = FingerScenario::ALL
                .into_iter()
                .find(|s| s.as_str() == scenario)
                .ok_or_else(|| {
                    format!("finger scenarios: steady, slide, lift, wet; not {scenario}")
                })?;
            let (w, h) = size.unwrap_or((400, 400));
            let frames = finger_sequence(s, w, h, seed);
            Ok(Frames::Finger(
                frames.into_iter().map(|f| (f.image, f.timestamp)).collect(),
            ))
        }
        "face" => {
            let s = FaceScenario::ALL
                .into_iter()
                .find(|s| s.as_str() == scenario)
                .ok_or_else(|| {
                    format!(
                        "face scenarios: steady, blur_bursts, roll, eyes_covered; not {scenario}"
                    )
                })?;
            let (w, h) = size.unwrap_or((face_gen::OUT_W, face_gen::OUT_H));
            let frames = face_sequence(
                &face_gen::source(),
                face_gen::SOURCE_RIGHT_EYE,
                face_gen::SOURCE_LEFT_EYE,
                s,
                w,
                h,
                seed,
            );
            Ok(Frames::Face(
                frames.into_iter().map(|f| (f.image, f.timestamp)).collect(),
            ))
        }
        other => Err(format!("--synth finger|face, not {other}")),
    }
}

#[cfg(not(feature = "synth"))]
fn generate(_: &str, _: &str, _: u64, _: Option<(u32, u32)>) -> Result<Frames, String> {
    Err("--synth needs the synth feature: cargo run --features synth --example live".into())
}

/// The colour a state's border is drawn in.
fn colour(state: &str) -> Rgb<u8> {
    match state {
        "adjust" => Rgb([240, 150, 20]),
        "steady" => Rgb([40, 120, 240]),
        "captured" => Rgb([30, 190, 60]),
        "timed_out" => Rgb([220, 40, 40]),
        _ => Rgb([128, 128, 128]),
    }
}

/// Splits `s` into lines of at most `width` characters, at spaces.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.len() + 1 + word.len() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// One GIF frame: the picture scaled to `side` on its longer side, a
/// border in the state's colour, the caption under it.
fn draw_frame(img: &RgbImage, index: usize, s: &Shown, chosen: bool, side: u32) -> RgbImage {
    let k = side as f32 / img.width().max(img.height()) as f32;
    let (w, h) = (
        ((img.width() as f32 * k).round() as u32).max(1),
        ((img.height() as f32 * k).round() as u32).max(1),
    );
    let small = image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle);
    let border = 6u32;
    let caption_lines = 4u32;
    let (cw, ch) = (w + 2 * border, h + 2 * border + caption_lines * 9 + 4);
    let mut out = RgbImage::from_pixel(cw, ch, Rgb([24, 24, 24]));
    let c = colour(s.state);
    draw::fill_rect(
        &mut out,
        0.0,
        0.0,
        cw as f32,
        (h + 2 * border) as f32,
        c,
        1.0,
    );
    image::imageops::overlay(&mut out, &small, i64::from(border), i64::from(border));
    if s.state == "steady" {
        // Progress along the bottom border.
        let bar = (s.progress.clamp(0.0, 1.0) * cw as f32).round();
        let y = (h + 2 * border - 4) as f32;
        draw::fill_rect(&mut out, 0.0, y, cw as f32, 4.0, Rgb([10, 40, 90]), 1.0);
        draw::fill_rect(&mut out, 0.0, y, bar, 4.0, Rgb([230, 230, 230]), 1.0);
    }
    if chosen {
        let g = colour("captured");
        draw::rect(
            &mut out,
            1.0,
            1.0,
            (cw - 3) as f32,
            (h + 2 * border - 3) as f32,
            Rgb([255, 255, 255]),
            2,
        );
        draw::rect(
            &mut out,
            border as f32 + 2.0,
            border as f32 + 2.0,
            (w - 5) as f32,
            (h - 5) as f32,
            g,
            3,
        );
        draw::label(
            &mut out,
            border as i64 + 6,
            border as i64 + 6,
            "CHOSEN",
            g,
            1,
        );
    }
    let mut y = (h + 2 * border + 3) as i64;
    let head = match s.state {
        "steady" => format!("#{index} STEADY {:.0}%", 100.0 * s.progress),
        other => format!("#{index} {}", other.replace('_', " ")),
    };
    draw::text(&mut out, 3, y, &head, c, 1);
    y += 9;
    let chars = ((cw - 6) / 6) as usize;
    for line in s
        .hint
        .map(|h| wrap(h, chars))
        .unwrap_or_default()
        .iter()
        .take(3)
    {
        draw::text(&mut out, 3, y, line, Rgb([220, 220, 220]), 1);
        y += 9;
    }
    out
}

fn write_gif(
    path: &Path,
    frames: &[RgbImage],
    shown: &[Shown],
    chosen: Option<usize>,
    side: u32,
) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut encoder = GifEncoder::new_with_speed(std::io::BufWriter::new(file), 10);
    encoder
        .set_repeat(Repeat::Infinite)
        .map_err(|e| e.to_string())?;
    let rgba = |img: RgbImage| -> RgbaImage { image::DynamicImage::ImageRgb8(img).to_rgba8() };
    let delay = |ms: u32| Delay::from_numer_denom_ms(ms, 1);
    for (i, (img, s)) in frames.iter().zip(shown).enumerate() {
        let drawn = draw_frame(img, i, s, chosen == Some(i), side);
        let frame = image::Frame::from_parts(rgba(drawn), 0, 0, delay(250));
        encoder.encode_frame(frame).map_err(|e| e.to_string())?;
    }
    // The chosen frame again, held, under the final state.
    if let (Some(c), Some(last)) = (chosen, shown.last()) {
        let end = Shown {
            state: last.state,
            progress: 1.0,
            hint: Some("Captured by itself: the best frame of the first steady window."),
        };
        let drawn = draw_frame(&frames[c], c, &end, true, side);
        let frame = image::Frame::from_parts(rgba(drawn), 0, 0, delay(2500));
        encoder.encode_frame(frame).map_err(|e| e.to_string())?;
    }
    Ok(())
}
