//! The sending end: reads sources, encodes, packetizes, answers feedback.

use std::time::{Duration, Instant};

use crate::codec::{H264Config, H264Encoder, OpusConfig, OpusEncoder};
use crate::error::Result;
use crate::io::{AudioSource, VideoSource};
use crate::packet::{Packet, Packetizer, SendHistory, StreamKind};
use crate::pipeline::Feedback;

/// Video packets kept for retransmission (about 1 s of 720p).
const HISTORY: usize = 1024;

/// Counters kept by a [`Sender`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SenderStats {
    /// Audio frames encoded.
    pub audio_frames: u64,
    /// Audio frames not sent because the encoder was in DTX.
    pub audio_dtx: u64,
    /// Video frames encoded and sent.
    pub video_frames: u64,
    /// Keyframes among them.
    pub keyframes: u64,
    /// Datagrams produced, retransmissions included.
    pub datagrams: u64,
    /// Bytes produced, retransmissions included.
    pub bytes: u64,
    /// Video packets retransmitted on request.
    pub retransmitted: u64,
    /// Wall time spent encoding video.
    pub video_encode_time: Duration,
    /// Wall time spent encoding audio.
    pub audio_encode_time: Duration,
}

/// Encodes what its sources produce into datagrams.
pub struct Sender<A, V> {
    audio: A,
    video: V,
    opus: OpusEncoder,
    h264: H264Encoder,
    audio_packets: Packetizer,
    video_packets: Packetizer,
    history: SendHistory,
    stats: SenderStats,
}

impl<A, V> std::fmt::Debug for Sender<A, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl<A: AudioSource, V: VideoSource> Sender<A, V> {
    /// A sender for the given sources and codec settings.
    pub fn new(audio: A, video: V, opus: OpusConfig, h264: H264Config) -> Result<Self> {
        Ok(Self {
            audio,
            video,
            opus: OpusEncoder::new(opus)?,
            h264: H264Encoder::new(h264)?,
            audio_packets: Packetizer::new(StreamKind::Audio, 0),
            video_packets: Packetizer::new(StreamKind::Video, 0),
            history: SendHistory::new(HISTORY),
            stats: SenderStats::default(),
        })
    }

    /// Adds a parity packet per `group` video fragments (0: none); see [`Packetizer::with_fec`].
    pub fn with_video_fec(mut self, group: u8) -> Self {
        self.video_packets = self.video_packets.with_fec(group);
        self
    }

    /// Counters so far.
    pub fn stats(&self) -> SenderStats {
        self.stats
    }

    /// When a source next has a frame, if the sources know; poll again by then.
    pub fn poll_timeout(&self) -> Option<Duration> {
        [self.audio.next_frame_time(), self.video.next_frame_time()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Captures, encodes and packetizes everything ready at `now`.
    pub fn poll(&mut self, now: Duration) -> Result<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        while let Some(frame) = self.audio.read(now)? {
            let started = Instant::now();
            let encoded = self.opus.encode(&frame)?;
            self.stats.audio_encode_time += started.elapsed();
            self.stats.audio_frames += 1;
            if encoded.is_dtx() {
                self.stats.audio_dtx += 1;
                continue;
            }
            let packets =
                self.audio_packets
                    .packetize(&encoded.data, encoded.capture_time, false)?;
            out.extend(packets.iter().map(Packet::to_bytes));
        }
        while let Some(frame) = self.video.read(now)? {
            let started = Instant::now();
            let encoded = self.h264.encode(&frame)?;
            self.stats.video_encode_time += started.elapsed();
            if encoded.data.is_empty() {
                continue;
            }
            self.stats.video_frames += 1;
            self.stats.keyframes += u64::from(encoded.keyframe);
            let packets = self.video_packets.packetize(
                &encoded.data,
                encoded.capture_time,
                encoded.keyframe,
            )?;
            for packet in packets {
                out.push(packet.to_bytes());
                self.history.store(packet);
            }
        }
        self.count(&out);
        Ok(out)
    }

    /// Acts on feedback from the receiver; returns retransmitted datagrams.
    pub fn handle_feedback(&mut self, feedback: Feedback) -> Vec<Vec<u8>> {
        let out: Vec<Vec<u8>> = match feedback {
            Feedback::KeyframeRequest => {
                tracing::debug!("keyframe requested");
                self.h264.request_keyframe();
                Vec::new()
            }
            Feedback::Nack(seqs) => seqs
                .iter()
                .filter_map(|&seq| self.history.get(seq))
                .map(Packet::to_bytes)
                .collect(),
        };
        self.stats.retransmitted += out.len() as u64;
        self.count(&out);
        out
    }

    fn count(&mut self, datagrams: &[Vec<u8>]) {
        self.stats.datagrams += datagrams.len() as u64;
        self.stats.bytes += datagrams.iter().map(|d| d.len() as u64).sum::<u64>();
    }
}
