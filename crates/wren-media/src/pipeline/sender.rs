//! The sending end: reads sources, encodes, packetizes, answers feedback.

use std::time::{Duration, Instant};

use crate::codec::{H264Config, H264Encoder, OpusConfig, OpusEncoder};
use crate::error::Result;
use crate::io::{AudioSource, VideoSource};
use crate::packet::{Packet, Packetizer, SendHistory, StreamKind};
use crate::pipeline::rate::{RateController, RateDecision};
use crate::pipeline::Feedback;

/// Video packets kept for retransmission (about 1 s of 720p).
const HISTORY: usize = 1024;
/// Retransmissions may take this share of the video bitrate (over about a second); past
/// it, a congested path is not made worse by repairs and the receiver waits for a keyframe.
const RETRANSMIT_SHARE: f64 = 0.25;
/// Smoothed loss from which every second video fragment gets a parity packet, and below
/// which the configured parity comes back: random loss of a few percent is mended on the
/// spot rather than by a round trip.
const STRONG_FEC_LOSS: f64 = 0.03;
const NORMAL_FEC_LOSS: f64 = 0.01;
const STRONG_FEC_GROUP: u8 = 2;
/// The least share of frames encoded when the path is too narrow for every frame.
const MIN_FRAME_SHARE: f64 = 0.2;
/// A keyframe request this soon after a keyframe went out is already being answered.
const KEYFRAME_HOLD: Duration = Duration::from_millis(300);

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
    /// Retransmissions asked for but not sent: over their share of the bitrate.
    pub retransmit_skipped: u64,
    /// Keyframe requests answered by a keyframe already on its way.
    pub keyframe_requests_held: u64,
    /// Wall time spent encoding video.
    pub video_encode_time: Duration,
    /// Wall time spent encoding audio.
    pub audio_encode_time: Duration,
    /// The video bitrate aimed at now, in bits per second.
    pub video_bitrate: u32,
    /// The Opus bitrate aimed at now, in bits per second.
    pub audio_bitrate: u32,
    /// Video frames sent at half their width and height (a congested path).
    pub half_size_frames: u64,
    /// Video frames not encoded, to meet a lower bitrate until the encoder takes it.
    pub video_frames_dropped: u64,
    /// Receiver reports acted on.
    pub reports: u64,
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
    /// `None`: fixed bitrates (for comparison).
    rate: Option<RateController>,
    half_size: bool,
    /// Bytes retransmissions may still take, and when it was last topped up.
    retransmit_budget: f64,
    /// The time of the latest poll.
    now: Duration,
    last_keyframe: Option<Duration>,
    /// The configured parity group.
    fec_group: u8,
    /// The share of frames encoded (1: all), and the credit that spreads the drops.
    frame_share: f64,
    frame_credit: f64,
    /// Video bytes put on the wire since the last report, and when that window began.
    window_video_bytes: u64,
    window_start: Duration,
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
            rate: Some(RateController::new(h264.bitrate)),
            half_size: false,
            retransmit_budget: 0.0,
            now: Duration::ZERO,
            last_keyframe: None,
            fec_group: 0,
            frame_share: 1.0,
            frame_credit: 0.0,
            window_video_bytes: 0,
            window_start: Duration::ZERO,
            stats: SenderStats {
                video_bitrate: h264.bitrate,
                audio_bitrate: u32::try_from(opus.bitrate).unwrap_or(0),
                ..SenderStats::default()
            },
        })
    }

    /// Keeps the configured bitrates whatever the receiver reports (to compare with).
    pub fn without_rate_control(mut self) -> Self {
        self.rate = None;
        self
    }

    /// Adds a parity packet per `group` video fragments (0: none); see [`Packetizer::with_fec`].
    /// Under loss of 3% or more, one per 2 fragments until the loss falls under 1%.
    pub fn with_video_fec(mut self, group: u8) -> Self {
        self.video_packets = self.video_packets.with_fec(group);
        self.fec_group = group;
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
        let share = f64::from(self.stats.video_bitrate) / 8.0 * RETRANSMIT_SHARE;
        let elapsed = now.saturating_sub(self.now).as_secs_f64();
        self.retransmit_budget = (self.retransmit_budget + share * elapsed).min(share);
        self.now = now;
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
        while let Some(mut frame) = self.video.read(now)? {
            // What the video puts on the wire (parity and repairs included) is held to the
            // target by dropping frames: until the encoder takes a lower bitrate (at its
            // next keyframe), and where it cannot go as low as asked.
            self.frame_credit = (self.frame_credit + self.frame_share).min(1.0);
            if self.frame_credit < 1.0 {
                self.stats.video_frames_dropped += 1;
                continue;
            }
            self.frame_credit -= 1.0;
            if self.half_size {
                if let Some(half) = frame.half_size() {
                    frame = half;
                    self.stats.half_size_frames += 1;
                }
            }
            let started = Instant::now();
            let encoded = self.h264.encode(&frame)?;
            self.stats.video_encode_time += started.elapsed();
            if encoded.data.is_empty() {
                continue;
            }
            self.stats.video_frames += 1;
            self.stats.keyframes += u64::from(encoded.keyframe);
            if encoded.keyframe {
                self.last_keyframe = Some(now);
            }
            let packets = self.video_packets.packetize(
                &encoded.data,
                encoded.capture_time,
                encoded.keyframe,
            )?;
            for packet in packets {
                let bytes = packet.to_bytes();
                self.window_video_bytes += bytes.len() as u64;
                out.push(bytes);
                self.history.store(packet);
            }
        }
        self.count(&out);
        Ok(out)
    }

    /// Acts on feedback from the receiver; returns retransmitted datagrams.
    pub fn handle_feedback(&mut self, feedback: Feedback) -> Result<Vec<Vec<u8>>> {
        let out: Vec<Vec<u8>> = match feedback {
            Feedback::Report(report) => {
                self.stats.reports += 1;
                if let Some(rate) = &mut self.rate {
                    let decision = rate.on_report(&report);
                    tracing::debug!(?report, ?decision, "receiver report");
                    let congested = decision.video_bps < rate.max_video();
                    let loss = rate.smoothed_loss();
                    self.fit_fec(loss);
                    self.apply(decision)?;
                    self.fit_frame_share(decision.video_bps, congested);
                }
                Vec::new()
            }
            Feedback::KeyframeRequest => {
                let answered = self
                    .last_keyframe
                    .is_some_and(|at| self.now.saturating_sub(at) < KEYFRAME_HOLD);
                if answered {
                    self.stats.keyframe_requests_held += 1;
                } else {
                    tracing::debug!("keyframe requested");
                    self.h264.request_keyframe()?;
                }
                Vec::new()
            }
            Feedback::Nack(seqs) => {
                let mut out = Vec::new();
                for packet in seqs.iter().filter_map(|&seq| self.history.get(seq)) {
                    let mut again = packet.clone();
                    again.header.retransmission = true;
                    let bytes = again.to_bytes();
                    if bytes.len() as f64 > self.retransmit_budget {
                        self.stats.retransmit_skipped += 1;
                        continue;
                    }
                    self.retransmit_budget -= bytes.len() as f64;
                    self.window_video_bytes += bytes.len() as u64;
                    out.push(bytes);
                }
                out
            }
        };
        self.stats.retransmitted += out.len() as u64;
        self.count(&out);
        Ok(out)
    }

    /// Compares what the video put on the wire since the last report with the target,
    /// and drops more frames, or fewer, to close the gap; on an uncongested path, none.
    fn fit_frame_share(&mut self, target_bps: u32, congested: bool) {
        let elapsed = self.now.saturating_sub(self.window_start).as_secs_f64();
        if !congested {
            self.frame_share = 1.0;
        }
        if !congested || elapsed < 0.2 {
            self.window_video_bytes = 0;
            self.window_start = self.now;
            return;
        }
        let sent_bps = self.window_video_bytes as f64 * 8.0 / elapsed;
        let target = f64::from(target_bps);
        self.frame_share = if sent_bps > target * 1.1 {
            (self.frame_share * target / sent_bps).max(MIN_FRAME_SHARE)
        } else if sent_bps < target * 0.9 {
            let room = if sent_bps > 0.0 {
                target / sent_bps
            } else {
                1.25
            };
            (self.frame_share * room.min(1.25)).min(1.0)
        } else {
            self.frame_share
        };
        self.window_video_bytes = 0;
        self.window_start = self.now;
    }

    /// Strengthens the video's parity under loss, and relaxes it once the loss is gone.
    fn fit_fec(&mut self, loss: f64) {
        if self.fec_group == 0 {
            return;
        }
        let now = self.video_packets.fec();
        let group = if loss >= STRONG_FEC_LOSS {
            STRONG_FEC_GROUP.min(self.fec_group)
        } else if loss < NORMAL_FEC_LOSS {
            self.fec_group
        } else {
            now
        };
        if group != now {
            tracing::debug!(group, loss, "video parity changes");
            self.video_packets.set_fec(group);
        }
    }

    fn apply(&mut self, decision: RateDecision) -> Result<()> {
        if decision.half_size != self.half_size {
            tracing::debug!(half_size = decision.half_size, "picture size changes");
            self.half_size = decision.half_size;
        }
        if decision.video_bps != self.stats.video_bitrate {
            self.h264.set_bitrate(decision.video_bps)?;
            self.stats.video_bitrate = decision.video_bps;
        }
        if decision.audio_bps != self.stats.audio_bitrate {
            let bps = i32::try_from(decision.audio_bps).unwrap_or(i32::MAX);
            self.opus.set_bitrate(bps)?;
            self.stats.audio_bitrate = decision.audio_bps;
        }
        Ok(())
    }

    fn count(&mut self, datagrams: &[Vec<u8>]) {
        self.stats.datagrams += datagrams.len() as u64;
        self.stats.bytes += datagrams.iter().map(|d| d.len() as u64).sum::<u64>();
    }
}
