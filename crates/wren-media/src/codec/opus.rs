//! Opus voice codec: 48 kHz mono, 20 ms frames, in-band FEC, DTX and loss concealment.

use std::time::Duration;

use crate::error::{MediaError, Result};
use crate::frame::{AudioFrame, FRAME_SAMPLES, SAMPLE_RATE};

/// Largest Opus packet (RFC 6716).
const MAX_PACKET: usize = 1275;

/// Opus encoder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpusConfig {
    /// Target bitrate in bits per second.
    pub bitrate: i32,
    /// Packet loss the encoder should protect against with in-band FEC (0 to 100).
    pub expected_loss_percent: i32,
    /// Discontinuous transmission: send (almost) nothing during silence.
    pub dtx: bool,
}

impl Default for OpusConfig {
    fn default() -> Self {
        Self {
            bitrate: 32_000,
            expected_loss_percent: 10,
            dtx: true,
        }
    }
}

/// One encoded 20 ms Opus frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedAudio {
    /// Capture time of the source frame.
    pub capture_time: Duration,
    /// The Opus packet.
    pub data: Vec<u8>,
}

impl EncodedAudio {
    /// True when the encoder is in DTX and this packet need not be transmitted.
    pub fn is_dtx(&self) -> bool {
        self.data.len() <= 2
    }
}

/// Encodes [`AudioFrame`]s to Opus packets.
pub struct OpusEncoder {
    inner: opus::Encoder,
    buf: Vec<u8>,
}

impl std::fmt::Debug for OpusEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusEncoder").finish_non_exhaustive()
    }
}

impl OpusEncoder {
    /// A VoIP-tuned encoder with in-band FEC on.
    pub fn new(config: OpusConfig) -> Result<Self> {
        let mut inner =
            opus::Encoder::new(SAMPLE_RATE, opus::Channels::Mono, opus::Application::Voip)?;
        inner.set_bitrate(opus::Bitrate::Bits(config.bitrate))?;
        inner.set_inband_fec(true)?;
        inner.set_packet_loss_perc(config.expected_loss_percent)?;
        inner.set_dtx(config.dtx)?;
        Ok(Self {
            inner,
            buf: vec![0; MAX_PACKET],
        })
    }

    /// Aims at a new bitrate (bits per second), from the next frame on.
    pub fn set_bitrate(&mut self, bps: i32) -> Result<()> {
        self.inner.set_bitrate(opus::Bitrate::Bits(bps))?;
        Ok(())
    }

    /// Samples the decoder must skip at the start of the stream (Ogg pre-skip).
    pub fn lookahead(&mut self) -> Result<u16> {
        let samples = self.inner.get_lookahead()?;
        Ok(u16::try_from(samples).unwrap_or(u16::MAX))
    }

    /// Encodes one 20 ms frame.
    pub fn encode(&mut self, frame: &AudioFrame) -> Result<EncodedAudio> {
        if frame.samples.len() != FRAME_SAMPLES {
            return Err(MediaError::FrameSize {
                expected: FRAME_SAMPLES,
                got: frame.samples.len(),
            });
        }
        let len = self.inner.encode(&frame.samples, &mut self.buf)?;
        Ok(EncodedAudio {
            capture_time: frame.capture_time,
            data: self.buf[..len].to_vec(),
        })
    }
}

/// Decodes Opus packets, recovers lost ones from FEC, and conceals the rest.
pub struct OpusDecoder {
    inner: opus::Decoder,
}

impl std::fmt::Debug for OpusDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusDecoder").finish_non_exhaustive()
    }
}

impl OpusDecoder {
    /// A 48 kHz mono decoder.
    pub fn new() -> Result<Self> {
        Ok(Self {
            inner: opus::Decoder::new(SAMPLE_RATE, opus::Channels::Mono)?,
        })
    }

    /// Decodes a received packet into one frame.
    pub fn decode(&mut self, packet: &[u8], capture_time: Duration) -> Result<AudioFrame> {
        self.run(packet, false, capture_time)
    }

    /// Rebuilds a lost frame from the FEC data carried in the packet that followed it.
    pub fn decode_fec(&mut self, next_packet: &[u8], capture_time: Duration) -> Result<AudioFrame> {
        self.run(next_packet, true, capture_time)
    }

    /// Synthesizes a frame for a lost packet, or comfort noise during DTX.
    pub fn conceal(&mut self, capture_time: Duration) -> Result<AudioFrame> {
        self.run(&[], false, capture_time)
    }

    fn run(&mut self, packet: &[u8], fec: bool, capture_time: Duration) -> Result<AudioFrame> {
        let mut samples = vec![0i16; FRAME_SAMPLES];
        let n = self.inner.decode(packet, &mut samples, fec)?;
        samples.resize(FRAME_SAMPLES, 0);
        if n != FRAME_SAMPLES {
            tracing::debug!(n, "opus produced a short frame");
        }
        Ok(AudioFrame {
            capture_time,
            samples,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::AudioSource;
    use crate::synth::{Signal, SyntheticAudio};

    #[test]
    fn tone_round_trips_with_similar_level() {
        let mut src = SyntheticAudio::new(Signal::Tone(440.0));
        let mut enc = OpusEncoder::new(OpusConfig::default()).expect("encoder");
        let mut dec = OpusDecoder::new().expect("decoder");
        let mut last = None;
        for i in 0..20 {
            let frame = src
                .read(crate::frame::AUDIO_FRAME * i)
                .expect("read")
                .expect("frame");
            let packet = enc.encode(&frame).expect("encode");
            assert!(!packet.is_dtx());
            last = Some((
                frame.rms(),
                dec.decode(&packet.data, frame.capture_time)
                    .expect("decode")
                    .rms(),
            ));
        }
        let (sent, got) = last.expect("frames");
        assert!((sent - got).abs() < 0.1 * sent, "sent {sent} got {got}");
    }

    #[test]
    fn silence_goes_dtx_and_wrong_size_is_an_error() {
        let mut enc = OpusEncoder::new(OpusConfig::default()).expect("encoder");
        let dtx = (0..30)
            .map(|i| {
                enc.encode(&AudioFrame::silence(crate::frame::AUDIO_FRAME * i))
                    .expect("encode")
            })
            .filter(EncodedAudio::is_dtx)
            .count();
        assert!(dtx > 10, "{dtx} DTX frames");
        let short = AudioFrame {
            capture_time: Duration::ZERO,
            samples: vec![0; 10],
        };
        assert!(matches!(
            enc.encode(&short),
            Err(MediaError::FrameSize { .. })
        ));
    }

    #[test]
    fn concealment_produces_a_full_frame() {
        let mut dec = OpusDecoder::new().expect("decoder");
        let frame = dec.conceal(Duration::ZERO).expect("conceal");
        assert_eq!(frame.samples.len(), FRAME_SAMPLES);
    }
}
