//! Pixel and sample format conversions for device data.

use std::time::Duration;

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, FixedAsync, Resampler as _, Resizable as _, SincInterpolationParameters, WindowFunction,
};

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

/// Most input frames handed to rubato in one call; longer inputs are split.
const MAX_CHUNK: usize = 1024;

/// Length of the windowed-sinc anti-aliasing filter, in input samples. It sets the delay
/// (half of it, about 1.45 ms at 44.1 kHz) and the cost (four dot products of this length per
/// output sample). With 128 taps rubato puts the cutoff at 0.89 of the lower Nyquist frequency
/// (7.2 kHz when going to 16 kHz), and a tone well above it comes out some 150 dB down.
const SINC_LEN: usize = 128;

/// A streaming band-limited resampler for mono audio: rubato's windowed-sinc resampler at a
/// fixed ratio.
///
/// Input may come in chunks of any size, including single samples; each call appends every
/// output sample the input so far determines, so the output is one continuous signal however
/// it was cut up. The signal comes out delayed by half the filter length (about 64 input
/// samples); frequencies above the lower of the two Nyquist frequencies are filtered out, not
/// folded back as aliases.
#[derive(Debug)]
pub struct Resampler {
    /// `None` when both rates are equal and samples pass through untouched.
    sinc: Option<Async<f32>>,
}

impl Resampler {
    /// Converts from `from` Hz to `to` Hz; fails if either rate is zero.
    pub fn new(from: u32, to: u32) -> Result<Self> {
        if from == 0 || to == 0 {
            return Err(MediaError::UnsupportedFormat(format!(
                "sample rate conversion from {from} Hz to {to} Hz"
            )));
        }
        if from == to {
            return Ok(Self { sinc: None });
        }
        let sinc = Async::new_sinc(
            f64::from(to) / f64::from(from),
            1.0,
            &SincInterpolationParameters::new(SINC_LEN, WindowFunction::BlackmanHarris2),
            MAX_CHUNK,
            1,
            FixedAsync::Input,
        )
        .map_err(resampler_error)?;
        Ok(Self { sinc: Some(sinc) })
    }

    /// Resamples `input`, appending to `out`; state carries over between calls.
    ///
    /// Does not allocate once `out` has grown to its working size.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<()> {
        let Some(sinc) = &mut self.sinc else {
            out.extend_from_slice(input);
            return Ok(());
        };
        for chunk in input.chunks(MAX_CHUNK) {
            let start = out.len();
            match resample_chunk(sinc, chunk, out, start) {
                Ok(written) => out.truncate(start + written),
                Err(error) => {
                    out.truncate(start);
                    return Err(error);
                }
            }
        }
        Ok(())
    }
}

/// Resamples one chunk of at most [`MAX_CHUNK`] samples into `out[start..]`, growing `out` to
/// fit; returns how many samples were written.
fn resample_chunk(
    sinc: &mut Async<f32>,
    chunk: &[f32],
    out: &mut Vec<f32>,
    start: usize,
) -> Result<usize> {
    // A fixed-input resampler whose chunk size follows the input: nothing waits for a full chunk.
    sinc.set_chunk_size(chunk.len()).map_err(resampler_error)?;
    let frames = sinc.output_frames_next();
    out.resize(start + frames, 0.0);
    let input = InterleavedSlice::new(chunk, 1, chunk.len()).map_err(resampler_error)?;
    let mut output =
        InterleavedSlice::new_mut(&mut out[start..], 1, frames).map_err(resampler_error)?;
    let (_, written) = sinc
        .process_into_buffer(&input, &mut output, None)
        .map_err(resampler_error)?;
    Ok(written)
}

fn resampler_error(error: impl std::error::Error + Send + Sync + 'static) -> MediaError {
    MediaError::Resampler(Box::new(error))
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

    /// `seconds` of a sine at `freq` Hz sampled at `rate` Hz, amplitude `amplitude`.
    fn tone(freq: f64, rate: u32, seconds: f64, amplitude: f64) -> Vec<f32> {
        let len = (f64::from(rate) * seconds).round() as usize;
        (0..len)
            .map(|n| {
                let t = n as f64 / f64::from(rate);
                (amplitude * (2.0 * std::f64::consts::PI * freq * t).sin()) as f32
            })
            .collect()
    }

    /// Feeds `input` in uneven chunks (1 to 1,500 samples, as audio callbacks deliver them).
    fn resample_in_uneven_chunks(from: u32, to: u32, input: &[f32]) -> Vec<f32> {
        const SIZES: [usize; 8] = [441, 1, 960, 37, 1500, 256, 7, 882];
        let mut r = Resampler::new(from, to).expect("resampler");
        let mut out = Vec::new();
        let mut rest = input;
        for &size in SIZES.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (chunk, tail) = rest.split_at(size.min(rest.len()));
            r.process(chunk, &mut out).expect("process");
            rest = tail;
        }
        out
    }

    /// Frequency from the zero crossings of `samples` (interpolated between samples).
    fn zero_crossing_frequency(samples: &[f32], rate: u32) -> f64 {
        let crossings: Vec<f64> = samples
            .windows(2)
            .enumerate()
            .filter(|(_, w)| (w[0] < 0.0) != (w[1] < 0.0))
            .map(|(i, w)| i as f64 + f64::from(w[0] / (w[0] - w[1])))
            .collect();
        let (first, last) = (crossings[0], crossings[crossings.len() - 1]);
        let cycles = (crossings.len() - 1) as f64 / 2.0;
        cycles * f64::from(rate) / (last - first)
    }

    /// Amplitude of the `freq` component of `samples` (Goertzel filter).
    fn goertzel_amplitude(samples: &[f32], rate: u32, freq: f64) -> f64 {
        let w = 2.0 * std::f64::consts::PI * freq / f64::from(rate);
        let coeff = 2.0 * w.cos();
        let (mut s1, mut s2) = (0.0, 0.0);
        for &x in samples {
            let s0 = f64::from(x) + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        2.0 * power.max(0.0).sqrt() / samples.len() as f64
    }

    /// The linear interpolation this resampler replaced, kept as a yardstick for aliasing.
    fn linear_reference(from: u32, to: u32, input: &[f32]) -> Vec<f32> {
        let step = f64::from(from) / f64::from(to);
        (0..)
            .map(|n| n as f64 * step)
            .take_while(|&pos| pos < (input.len() - 1) as f64)
            .map(|pos| {
                let (i, frac) = (pos.floor() as usize, (pos - pos.floor()) as f32);
                input[i] + (input[i + 1] - input[i]) * frac
            })
            .collect()
    }

    fn db(ratio: f64) -> f64 {
        20.0 * ratio.log10()
    }

    #[test]
    fn tone_at_44_1_khz_comes_out_at_1_khz_and_48_000_samples_a_second() {
        let input = tone(1_000.0, 44_100, 2.0, 0.5);
        let out = resample_in_uneven_chunks(44_100, 48_000, &input);
        // Two seconds in, two seconds out (the last two input samples wait for more input).
        let missing = 96_000 - out.len() as i64;
        assert!((0..=3).contains(&missing), "{} samples", out.len());
        // The second second of input adds exactly one second of output.
        let first = resample_in_uneven_chunks(44_100, 48_000, &input[..44_100]);
        assert_eq!(out.len() - first.len(), 48_000);
        let steady = &out[4_800..];
        let freq = zero_crossing_frequency(steady, 48_000);
        assert!((freq - 1_000.0).abs() < 0.05, "{freq} Hz");
        let amplitude = goertzel_amplitude(&steady[..48_000], 48_000, 1_000.0);
        assert!((amplitude - 0.5).abs() < 0.005, "{amplitude}");
    }

    #[test]
    fn tone_at_48_khz_comes_out_at_1_khz_and_16_000_samples_a_second() {
        let input = tone(1_000.0, 48_000, 2.0, 0.5);
        let out = resample_in_uneven_chunks(48_000, 16_000, &input);
        let missing = 32_000 - out.len() as i64;
        assert!((0..=1).contains(&missing), "{} samples", out.len());
        let first = resample_in_uneven_chunks(48_000, 16_000, &input[..48_000]);
        assert_eq!(out.len() - first.len(), 16_000);
        let steady = &out[1_600..];
        let freq = zero_crossing_frequency(steady, 16_000);
        assert!((freq - 1_000.0).abs() < 0.05, "{freq} Hz");
        let amplitude = goertzel_amplitude(&steady[..16_000], 16_000, 1_000.0);
        assert!((amplitude - 0.5).abs() < 0.005, "{amplitude}");
    }

    #[test]
    fn tone_above_the_target_nyquist_is_filtered_not_folded_back() {
        // 12 kHz at 48 kHz going to 16 kHz (a Bluetooth headset) would fold back to 4 kHz.
        let input = tone(12_000.0, 48_000, 1.5, 0.5);
        let sinc = resample_in_uneven_chunks(48_000, 16_000, &input);
        let linear = linear_reference(48_000, 16_000, &input);
        let alias = |out: &[f32]| goertzel_amplitude(&out[1_600..17_600], 16_000, 4_000.0) / 0.5;
        let (sinc_db, linear_db) = (db(alias(&sinc)), db(alias(&linear)));
        println!("alias at 4 kHz: sinc {sinc_db:.1} dB, linear {linear_db:.1} dB");
        assert!(linear_db > -3.0, "linear {linear_db:.1} dB");
        assert!(sinc_db < -90.0, "sinc {sinc_db:.1} dB");
    }

    #[test]
    fn chunking_does_not_change_the_output() {
        let input = tone(1_000.0, 44_100, 0.5, 0.9);
        let mut whole = Vec::new();
        Resampler::new(44_100, 48_000)
            .expect("resampler")
            .process(&input, &mut whole)
            .expect("process");
        let chunked = resample_in_uneven_chunks(44_100, 48_000, &input);
        assert_eq!(whole.len(), chunked.len());
        let worst = whole
            .iter()
            .zip(&chunked)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-4, "{worst}");
        // No clicks: once the tone has started, no step is larger than a clean sine's largest.
        let max_step = 2.0 * std::f32::consts::PI * 1_000.0 / 48_000.0 * 0.9;
        let steps = chunked[200..].windows(2).map(|w| (w[1] - w[0]).abs());
        let largest = steps.fold(0.0, f32::max);
        assert!(largest < max_step * 1.001, "{largest} > {max_step}");
    }

    #[test]
    fn delay_is_half_the_filter() {
        let mut impulse = vec![0.0; 4_410];
        impulse[1_000] = 1.0;
        let out = resample_in_uneven_chunks(44_100, 48_000, &impulse);
        let peak = (0..out.len())
            .max_by(|&a, &b| out[a].total_cmp(&out[b]))
            .expect("output");
        // About 64 input samples late: 1.45 ms.
        let expected = (1_000.0 + 64.0) * 48_000.0 / 44_100.0;
        assert!(
            (peak as f64 - expected).abs() <= 1.5,
            "peak at {peak}, not {expected}"
        );
    }

    #[test]
    fn equal_rates_pass_through_and_zero_rates_fail() {
        let mut r = Resampler::new(48_000, 48_000).expect("resampler");
        let mut out = Vec::new();
        r.process(&[0.25, -0.5], &mut out).expect("process");
        assert_eq!(out, [0.25, -0.5]);
        assert!(matches!(
            Resampler::new(0, 48_000),
            Err(MediaError::UnsupportedFormat(_))
        ));
        assert!(Resampler::new(48_000, 0).is_err());
    }

    #[test]
    fn resampling_44_1_to_48_khz_keeps_duration() {
        let mut r = Resampler::new(44_100, 48_000).expect("resampler");
        let mut out = Vec::new();
        for _ in 0..10 {
            r.process(&[0.5; 4410], &mut out).expect("process");
        }
        assert!((out.len() as i64 - 48_000).abs() <= 3, "{}", out.len());
        assert!(out[200..].iter().all(|&s| (s - 0.5).abs() < 1e-3));
    }
}
