//! Pixel and sample format conversions for device data.

use std::time::Duration;

use crate::error::{MediaError, Result};
use crate::frame::{i420_len, VideoFrame};

/// Converts packed YUYV (YUY2, 4:2:2) to I420 by averaging chroma of line pairs.
pub fn yuyv_to_i420(
    width: usize,
    height: usize,
    yuyv: &[u8],
    capture_time: Duration,
) -> Result<VideoFrame> {
    let expected = width * height * 2;
    if yuyv.len() < expected {
        return Err(MediaError::FrameSize {
            expected,
            got: yuyv.len(),
        });
    }
    let mut frame = VideoFrame::black(width, height, capture_time)?;
    for (row, line) in frame.y_mut().chunks_exact_mut(width).enumerate() {
        let src = &yuyv[row * width * 2..(row + 1) * width * 2];
        for (px, pair) in line.iter_mut().zip(src.chunks_exact(2)) {
            *px = pair[0];
        }
    }
    let (u, v) = frame.uv_mut();
    let chroma_width = width / 2;
    for row in 0..height / 2 {
        let top = &yuyv[2 * row * width * 2..];
        let bottom = &yuyv[(2 * row + 1) * width * 2..];
        for col in 0..chroma_width {
            let i = col * 4;
            let avg = |k: usize| {
                let sum = u16::from(top[i + k]) + u16::from(bottom[i + k]);
                sum.div_ceil(2) as u8
            };
            u[row * chroma_width + col] = avg(1);
            v[row * chroma_width + col] = avg(3);
        }
    }
    Ok(frame)
}

/// Converts NV12 (Y plane, then interleaved UV) to I420.
pub fn nv12_to_i420(
    width: usize,
    height: usize,
    nv12: &[u8],
    capture_time: Duration,
) -> Result<VideoFrame> {
    let expected = i420_len(width, height);
    if nv12.len() < expected {
        return Err(MediaError::FrameSize {
            expected,
            got: nv12.len(),
        });
    }
    let luma = width * height;
    let mut frame = VideoFrame::black(width, height, capture_time)?;
    frame.y_mut().copy_from_slice(&nv12[..luma]);
    let (u, v) = frame.uv_mut();
    for (i, pair) in nv12[luma..expected].chunks_exact(2).enumerate() {
        u[i] = pair[0];
        v[i] = pair[1];
    }
    Ok(frame)
}

/// A streaming linear-interpolation resampler for mono audio.
#[derive(Debug, Clone)]
pub struct Resampler {
    step: f64,
    position: f64,
    last: f32,
}

impl Resampler {
    /// Converts from `from` Hz to `to` Hz.
    pub fn new(from: u32, to: u32) -> Self {
        Self {
            step: f64::from(from) / f64::from(to.max(1)),
            position: 0.0,
            last: 0.0,
        }
    }

    /// Resamples `input`, appending to `out`; state carries over between calls.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        if (self.step - 1.0).abs() < f64::EPSILON {
            out.extend_from_slice(input);
            return;
        }
        // `position` is measured from `self.last`, the sample before `input[0]`.
        while self.position < input.len() as f64 {
            let index = self.position.floor() as usize;
            let frac = (self.position - index as f64) as f32;
            let a = if index == 0 {
                self.last
            } else {
                input[index - 1]
            };
            let b = input[index];
            out.push(a + (b - a) * frac);
            self.position += self.step;
        }
        self.position -= input.len() as f64;
        if let Some(&last) = input.last() {
            self.last = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_keeps_luma_and_averages_chroma() {
        // 2x2 picture: Y0 U Y1 V per line.
        let yuyv = [10, 100, 20, 200, 30, 110, 40, 210];
        let frame = yuyv_to_i420(2, 2, &yuyv, Duration::ZERO).expect("convert");
        assert_eq!(frame.y(), &[10, 20, 30, 40]);
        assert_eq!((frame.u(), frame.v()), (&[105u8][..], &[205u8][..]));
        assert!(yuyv_to_i420(2, 2, &yuyv[..4], Duration::ZERO).is_err());
    }

    #[test]
    fn nv12_deinterleaves_chroma() {
        let nv12 = [1, 2, 3, 4, 50, 60];
        let frame = nv12_to_i420(2, 2, &nv12, Duration::ZERO).expect("convert");
        assert_eq!(frame.data(), &[1, 2, 3, 4, 50, 60]);
    }

    #[test]
    fn resampling_44_1_to_48_khz_keeps_duration() {
        let mut r = Resampler::new(44_100, 48_000);
        let mut out = Vec::new();
        for _ in 0..10 {
            r.process(&[0.5; 4410], &mut out);
        }
        assert!((out.len() as i64 - 48_000).abs() <= 2, "{}", out.len());
        assert!(out[100..].iter().all(|&s| (s - 0.5).abs() < 1e-6));
    }
}
