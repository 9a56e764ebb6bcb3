//! H.264 through Cisco's OpenH264: Annex-B output, bitrate target, keyframe on request.

use std::time::Duration;

use openh264::decoder::Decoder;
use openh264::encoder::{
    BitRate, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, RateControlMode,
    UsageType,
};
use openh264::formats::{YUVSlices, YUVSource};
use openh264::OpenH264API;

use crate::error::Result;
use crate::frame::VideoFrame;

/// H.264 encoder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct H264Config {
    /// Target bitrate in bits per second.
    pub bitrate: u32,
    /// Nominal frame rate.
    pub fps: u32,
    /// Frames between periodic keyframes (0: only on request).
    pub keyframe_interval: u32,
}

impl H264Config {
    /// A sensible configuration for the given picture size and frame rate.
    pub fn for_size(width: usize, height: usize, fps: u32) -> Self {
        // About 0.1 bit per pixel at 30 fps: 2.7 Mbit/s at 720p, 0.7 at 360p.
        let bitrate = (width * height) as u64 * u64::from(fps) / 10;
        Self {
            bitrate: u32::try_from(bitrate).unwrap_or(u32::MAX),
            fps,
            keyframe_interval: fps * 2,
        }
    }
}

/// One encoded picture as an Annex-B access unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedVideo {
    /// Capture time of the source picture.
    pub capture_time: Duration,
    /// True for an IDR picture that a decoder can start from.
    pub keyframe: bool,
    /// Annex-B NAL units (start codes included); empty if the encoder skipped the frame.
    pub data: Vec<u8>,
}

/// Encodes [`VideoFrame`]s with OpenH264 on one thread.
pub struct H264Encoder {
    inner: Encoder,
}

impl std::fmt::Debug for H264Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H264Encoder").finish_non_exhaustive()
    }
}

impl H264Encoder {
    /// A real-time camera encoder; the picture size is taken from the frames.
    pub fn new(config: H264Config) -> Result<Self> {
        let period = if config.keyframe_interval == 0 {
            IntraFramePeriod::auto()
        } else {
            IntraFramePeriod::from_num_frames(config.keyframe_interval)
        };
        let cfg = EncoderConfig::new()
            .bitrate(BitRate::from_bps(config.bitrate))
            .max_frame_rate(FrameRate::from_hz(config.fps as f32))
            .usage_type(UsageType::CameraVideoRealTime)
            .rate_control_mode(RateControlMode::Bitrate)
            .skip_frames(false)
            .intra_frame_period(period)
            .num_threads(1);
        let inner = Encoder::with_api_config(OpenH264API::from_source(), cfg)?;
        Ok(Self { inner })
    }

    /// Makes the next encoded picture a keyframe (IDR).
    pub fn request_keyframe(&mut self) {
        self.inner.force_intra_frame();
    }

    /// Encodes one picture.
    pub fn encode(&mut self, frame: &VideoFrame) -> Result<EncodedVideo> {
        let (w, h) = (frame.width(), frame.height());
        let source = YUVSlices::new((frame.y(), frame.u(), frame.v()), (w, h), (w, w / 2, w / 2));
        let stream = self.inner.encode(&source)?;
        let keyframe = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        Ok(EncodedVideo {
            capture_time: frame.capture_time,
            keyframe,
            data: stream.to_vec(),
        })
    }
}

/// Decodes Annex-B access units back to [`VideoFrame`]s.
pub struct H264Decoder {
    inner: Decoder,
}

impl std::fmt::Debug for H264Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H264Decoder").finish_non_exhaustive()
    }
}

impl H264Decoder {
    /// A decoder using the bundled OpenH264.
    pub fn new() -> Result<Self> {
        Ok(Self {
            inner: Decoder::new()?,
        })
    }

    /// Decodes one access unit; `Ok(None)` when it produced no picture.
    pub fn decode(
        &mut self,
        access_unit: &[u8],
        capture_time: Duration,
    ) -> Result<Option<VideoFrame>> {
        let Some(yuv) = self.inner.decode(access_unit)? else {
            return Ok(None);
        };
        let (y_stride, uv_stride, _) = yuv.strides();
        let frame = VideoFrame::from_planes(
            yuv.dimensions(),
            (yuv.y(), yuv.u(), yuv.v()),
            (y_stride, uv_stride),
            capture_time,
        )?;
        Ok(Some(frame))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{read_stamp, TestPattern};

    #[test]
    fn pattern_survives_encode_decode_and_keyframes_come_on_request() {
        let pattern = TestPattern::new(320, 180, 30).expect("pattern");
        let mut config = H264Config::for_size(320, 180, 30);
        config.keyframe_interval = 0;
        let mut enc = H264Encoder::new(config).expect("encoder");
        let mut dec = H264Decoder::new().expect("decoder");
        let mut keyframes = Vec::new();
        for n in 0..12 {
            if n == 7 {
                enc.request_keyframe();
            }
            let frame = pattern.render(n).expect("render");
            let encoded = enc.encode(&frame).expect("encode");
            if encoded.keyframe {
                keyframes.push(n);
            }
            let decoded = dec
                .decode(&encoded.data, encoded.capture_time)
                .expect("decode")
                .expect("picture");
            assert_eq!(read_stamp(&decoded).map(|s| s.frame_number), Some(n));
        }
        assert_eq!(keyframes, vec![0, 7]);
    }
}
