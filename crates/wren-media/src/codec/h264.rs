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
    config: H264Config,
    /// Frames encoded since the last keyframe (the periodic one comes at the interval).
    since_keyframe: u32,
    /// A bitrate waiting for the next periodic keyframe.
    pending_bitrate: Option<u32>,
}

impl std::fmt::Debug for H264Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H264Encoder").finish_non_exhaustive()
    }
}

impl H264Encoder {
    /// A real-time camera encoder; the picture size is taken from the frames.
    pub fn new(config: H264Config) -> Result<Self> {
        Ok(Self {
            inner: Self::open(config)?,
            config,
            since_keyframe: 0,
            pending_bitrate: None,
        })
    }

    fn open(config: H264Config) -> Result<Encoder> {
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
        Ok(Encoder::with_api_config(OpenH264API::from_source(), cfg)?)
    }

    /// The bitrate the encoder aims at now.
    pub fn bitrate(&self) -> u32 {
        self.config.bitrate
    }

    /// Aims at a new bitrate. OpenH264's safe interface takes a bitrate only when the
    /// encoder is made, and a new encoder starts with a keyframe; so the change waits for
    /// the next keyframe (periodic or requested), where it costs nothing. Until then the
    /// caller can drop frames to meet the new rate.
    pub fn set_bitrate(&mut self, bps: u32) -> Result<()> {
        if bps == self.config.bitrate {
            self.pending_bitrate = None;
            return Ok(());
        }
        if self.config.keyframe_interval == 0 {
            return self.reopen(bps);
        }
        self.pending_bitrate = Some(bps);
        Ok(())
    }

    fn reopen(&mut self, bps: u32) -> Result<()> {
        let config = H264Config {
            bitrate: bps,
            ..self.config
        };
        self.inner = Self::open(config)?;
        self.config = config;
        self.pending_bitrate = None;
        self.since_keyframe = 0;
        Ok(())
    }

    /// Makes the next encoded picture a keyframe (IDR).
    pub fn request_keyframe(&mut self) -> Result<()> {
        match self.pending_bitrate {
            Some(bps) => self.reopen(bps),
            None => {
                self.inner.force_intra_frame();
                Ok(())
            }
        }
    }

    /// Encodes one picture.
    pub fn encode(&mut self, frame: &VideoFrame) -> Result<EncodedVideo> {
        let periodic_due = self.config.keyframe_interval > 0
            && self.since_keyframe + 1 >= self.config.keyframe_interval;
        if let Some(bps) = self.pending_bitrate.filter(|_| periodic_due) {
            self.reopen(bps)?;
        }
        let (w, h) = (frame.width(), frame.height());
        let source = YUVSlices::new((frame.y(), frame.u(), frame.v()), (w, h), (w, w / 2, w / 2));
        let stream = self.inner.encode(&source)?;
        let keyframe = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        let data = stream.to_vec();
        self.since_keyframe = if keyframe { 0 } else { self.since_keyframe + 1 };
        Ok(EncodedVideo {
            capture_time: frame.capture_time,
            keyframe,
            data,
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
                enc.request_keyframe().expect("keyframe");
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

    #[test]
    fn a_new_bitrate_waits_for_the_next_keyframe_periodic_or_requested() {
        let pattern = TestPattern::new(320, 180, 30).expect("pattern");
        let mut config = H264Config::for_size(320, 180, 30);
        config.keyframe_interval = 10;
        let mut enc = H264Encoder::new(config).expect("encoder");
        let mut keyframes = Vec::new();
        for n in 0..30 {
            if n == 3 {
                enc.set_bitrate(config.bitrate * 9 / 10)
                    .expect("small change");
                assert_eq!(enc.bitrate(), config.bitrate, "waits");
            }
            if n == 14 {
                enc.set_bitrate(config.bitrate / 2).expect("deep cut");
                assert_eq!(enc.bitrate(), config.bitrate * 9 / 10, "waits too");
            }
            if n == 15 {
                enc.request_keyframe().expect("keyframe");
                assert_eq!(enc.bitrate(), config.bitrate / 2, "with the keyframe");
            }
            let encoded = enc
                .encode(&pattern.render(n).expect("render"))
                .expect("encode");
            if encoded.keyframe {
                keyframes.push(n);
            }
            if n == 10 {
                assert_eq!(enc.bitrate(), config.bitrate * 9 / 10, "at the keyframe");
            }
        }
        assert_eq!(
            keyframes,
            vec![0, 10, 15, 25],
            "no keyframe beyond the cut's"
        );
    }
}
