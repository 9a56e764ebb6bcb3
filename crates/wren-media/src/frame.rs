//! Raw media frames: I420 video pictures and 20 ms mono audio frames.

use std::time::Duration;

use crate::error::{MediaError, Result};

/// Audio sample rate used everywhere in the engine (Hz).
pub const SAMPLE_RATE: u32 = 48_000;
/// Samples in one 20 ms mono audio frame.
pub const FRAME_SAMPLES: usize = 960;
/// Duration of one audio frame.
pub const AUDIO_FRAME: Duration = Duration::from_millis(20);

/// One 20 ms frame of 48 kHz mono audio.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioFrame {
    /// Capture time on the sender's media clock.
    pub capture_time: Duration,
    /// [`FRAME_SAMPLES`] signed 16-bit samples.
    pub samples: Vec<i16>,
}

impl AudioFrame {
    /// A frame of silence captured at `capture_time`.
    pub fn silence(capture_time: Duration) -> Self {
        Self {
            capture_time,
            samples: vec![0; FRAME_SAMPLES],
        }
    }

    /// Root-mean-square level of the frame, 0.0 to 1.0.
    pub fn rms(&self) -> f64 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let sum: f64 = self
            .samples
            .iter()
            .map(|&s| (f64::from(s) / 32768.0).powi(2))
            .sum();
        (sum / self.samples.len() as f64).sqrt()
    }
}

/// A picture in planar I420 (YUV 4:2:0): a full-size Y plane, then quarter-size U and V.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoFrame {
    width: usize,
    height: usize,
    data: Vec<u8>,
    /// Capture time on the sender's media clock.
    pub capture_time: Duration,
}

impl VideoFrame {
    /// A black frame of the given even dimensions.
    pub fn black(width: usize, height: usize, capture_time: Duration) -> Result<Self> {
        check_dimensions(width, height)?;
        let luma = width * height;
        let mut data = vec![16; i420_len(width, height)];
        data[luma..].fill(128);
        Ok(Self {
            width,
            height,
            data,
            capture_time,
        })
    }

    /// Wraps an I420 buffer, checking its length.
    pub fn from_i420(
        width: usize,
        height: usize,
        data: Vec<u8>,
        capture_time: Duration,
    ) -> Result<Self> {
        check_dimensions(width, height)?;
        let expected = i420_len(width, height);
        if data.len() != expected {
            return Err(MediaError::FrameSize {
                expected,
                got: data.len(),
            });
        }
        Ok(Self {
            width,
            height,
            data,
            capture_time,
        })
    }

    /// Copies planes with arbitrary strides (as a decoder returns them) into a packed frame.
    pub fn from_planes(
        (width, height): (usize, usize),
        (y, u, v): (&[u8], &[u8], &[u8]),
        (y_stride, uv_stride): (usize, usize),
        capture_time: Duration,
    ) -> Result<Self> {
        check_dimensions(width, height)?;
        let (cw, ch) = (width / 2, height / 2);
        let short = y.len() < y_stride * (height - 1) + width
            || u.len() < uv_stride * (ch - 1) + cw
            || v.len() < uv_stride * (ch - 1) + cw;
        if short {
            return Err(MediaError::FrameSize {
                expected: i420_len(width, height),
                got: y.len() + u.len() + v.len(),
            });
        }
        let mut data = Vec::with_capacity(i420_len(width, height));
        for row in 0..height {
            data.extend_from_slice(&y[row * y_stride..row * y_stride + width]);
        }
        for plane in [u, v] {
            for row in 0..ch {
                data.extend_from_slice(&plane[row * uv_stride..row * uv_stride + cw]);
            }
        }
        Ok(Self {
            width,
            height,
            data,
            capture_time,
        })
    }

    /// The picture at half its width and height, each pixel the mean of four; `None`
    /// when the half would have odd dimensions.
    pub fn half_size(&self) -> Option<VideoFrame> {
        let (width, height) = (self.width / 2, self.height / 2);
        if width == 0 || height == 0 || width % 2 != 0 || height % 2 != 0 {
            return None;
        }
        let mut data = Vec::with_capacity(i420_len(width, height));
        let planes = [
            (self.y(), self.width, width, height),
            (self.u(), self.width / 2, width / 2, height / 2),
            (self.v(), self.width / 2, width / 2, height / 2),
        ];
        for (plane, stride, out_width, out_height) in planes {
            for row in 0..out_height {
                let top = &plane[2 * row * stride..][..stride];
                let bottom = &plane[(2 * row + 1) * stride..][..stride];
                data.extend((0..out_width).map(|col| {
                    let sum = u16::from(top[2 * col])
                        + u16::from(top[2 * col + 1])
                        + u16::from(bottom[2 * col])
                        + u16::from(bottom[2 * col + 1]);
                    ((sum + 2) / 4) as u8
                }));
            }
        }
        Some(VideoFrame {
            width,
            height,
            data,
            capture_time: self.capture_time,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The whole I420 buffer.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The luma plane (stride = width).
    pub fn y(&self) -> &[u8] {
        &self.data[..self.width * self.height]
    }

    /// Mutable luma plane (stride = width).
    pub fn y_mut(&mut self) -> &mut [u8] {
        let luma = self.width * self.height;
        &mut self.data[..luma]
    }

    /// The U plane (stride = width / 2).
    pub fn u(&self) -> &[u8] {
        let luma = self.width * self.height;
        &self.data[luma..luma + luma / 4]
    }

    /// The V plane (stride = width / 2).
    pub fn v(&self) -> &[u8] {
        let luma = self.width * self.height;
        &self.data[luma + luma / 4..]
    }

    /// Mutable U and V planes.
    pub fn uv_mut(&mut self) -> (&mut [u8], &mut [u8]) {
        let luma = self.width * self.height;
        let (u, v) = self.data[luma..].split_at_mut(luma / 4);
        (u, v)
    }
}

/// Bytes in an I420 picture of the given size.
pub fn i420_len(width: usize, height: usize) -> usize {
    width * height * 3 / 2
}

fn check_dimensions(width: usize, height: usize) -> Result<()> {
    if width == 0 || height == 0 || !width.is_multiple_of(2) || !height.is_multiple_of(2) {
        return Err(MediaError::Dimensions(width, height));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_i420_rejects_wrong_length() {
        let err = VideoFrame::from_i420(4, 4, vec![0; 10], Duration::ZERO);
        assert!(matches!(
            err,
            Err(MediaError::FrameSize {
                expected: 24,
                got: 10
            })
        ));
    }

    #[test]
    fn half_size_averages_four_pixels_and_keeps_the_time() {
        let mut frame = VideoFrame::black(8, 4, Duration::from_millis(7)).expect("frame");
        frame.y_mut()[..2].copy_from_slice(&[200, 100]);
        frame.y_mut()[8..10].copy_from_slice(&[50, 50]);
        let half = frame.half_size().expect("half");
        assert_eq!((half.width(), half.height()), (4, 2));
        assert_eq!(half.y()[0], 100);
        assert_eq!(half.y()[1], 16);
        assert_eq!(half.u(), &[128, 128]);
        assert_eq!(half.capture_time, Duration::from_millis(7));
        assert!(VideoFrame::black(4, 2, Duration::ZERO)
            .expect("frame")
            .half_size()
            .is_none());
    }

    #[test]
    fn odd_dimensions_are_rejected() {
        assert!(VideoFrame::black(3, 4, Duration::ZERO).is_err());
    }

    #[test]
    fn from_planes_drops_stride_padding() {
        let y: Vec<u8> = (0..8 * 2).map(|i| i as u8).collect();
        let u = [100, 0, 0, 0];
        let v = [200, 0, 0, 0];
        let frame =
            VideoFrame::from_planes((2, 2), (&y, &u, &v), (8, 4), Duration::ZERO).expect("frame");
        assert_eq!(frame.y(), &[0, 1, 8, 9]);
        assert_eq!(frame.u(), &[100]);
        assert_eq!(frame.v(), &[200]);
    }
}
