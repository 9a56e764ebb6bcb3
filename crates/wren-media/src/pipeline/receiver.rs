//! The receiving end: jitter buffers, decoders, sinks, and feedback for the sender.

use std::time::{Duration, Instant};

use crate::codec::{H264Decoder, OpusDecoder};
use crate::error::Result;
use crate::io::{AudioSink, VideoSink};
use crate::jitter::{
    AudioJitterBuffer, AudioJitterStats, AudioPlayout, AvSync, VideoEvent, VideoJitterBuffer,
    VideoJitterConfig, VideoJitterStats,
};
use crate::packet::{Packet, StreamKind};
use crate::pipeline::arrivals::ArrivalMonitor;
use crate::pipeline::Feedback;

/// Counters kept by a [`Receiver`].
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct ReceiverStats {
    /// Datagrams that failed to parse.
    pub malformed: u64,
    /// Pictures the H.264 decoder produced (and the sink showed).
    pub video_decoded: u64,
    /// Access units the decoder rejected.
    pub video_decode_errors: u64,
    /// Audio frames handed to the sink.
    pub audio_played: u64,
    /// Wall time spent decoding video.
    pub video_decode_time: Duration,
    /// Wall time spent decoding audio.
    pub audio_decode_time: Duration,
    /// Audio jitter buffer counters.
    pub audio: AudioJitterStats,
    /// Video jitter buffer counters.
    pub video: VideoJitterStats,
    /// Largest audio/video playout skew observed.
    pub max_av_skew: Duration,
}

/// Turns datagrams back into sound and pictures.
pub struct Receiver<A, V> {
    audio_sink: A,
    video_sink: V,
    audio: AudioJitterBuffer,
    video: VideoJitterBuffer,
    sync: AvSync,
    opus: OpusDecoder,
    h264: H264Decoder,
    arrivals: ArrivalMonitor,
    stats: ReceiverStats,
}

impl<A, V> std::fmt::Debug for Receiver<A, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl<A: AudioSink, V: VideoSink> Receiver<A, V> {
    /// A receiver playing into the given sinks.
    pub fn new(audio_sink: A, video_sink: V, video: VideoJitterConfig) -> Result<Self> {
        Ok(Self {
            audio_sink,
            video_sink,
            audio: AudioJitterBuffer::new(),
            video: VideoJitterBuffer::new(video),
            sync: AvSync::new(),
            opus: OpusDecoder::new()?,
            h264: H264Decoder::new()?,
            arrivals: ArrivalMonitor::default(),
            stats: ReceiverStats::default(),
        })
    }

    /// Counters so far.
    pub fn stats(&self) -> ReceiverStats {
        ReceiverStats {
            audio: self.audio.stats(),
            video: self.video.stats(),
            max_av_skew: self.sync.max_skew(),
            ..self.stats
        }
    }

    /// The sinks, to inspect what was played and shown.
    pub fn into_sinks(self) -> (A, V) {
        (self.audio_sink, self.video_sink)
    }

    /// Accepts one datagram; malformed ones are counted and dropped.
    pub fn handle_datagram(&mut self, datagram: &[u8], now: Duration) {
        let packet = match Packet::parse(datagram) {
            Ok(packet) => packet,
            Err(err) => {
                tracing::debug!(%err, "dropping datagram");
                self.stats.malformed += 1;
                return;
            }
        };
        self.arrivals.arrived(&packet.header, now);
        match packet.header.kind {
            StreamKind::Audio => self.audio.push(packet, now),
            StreamKind::Video => self.video.push(packet, now),
        }
        self.sync.align(&mut self.audio, &mut self.video);
    }

    /// When [`Self::poll`] next has something to do.
    pub fn poll_timeout(&self) -> Option<Duration> {
        [
            self.audio.next_due(),
            self.video.poll_timeout(),
            self.arrivals.poll_timeout(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Plays and shows whatever is due at `now`; returns feedback for the sender.
    pub fn poll(&mut self, now: Duration) -> Result<Vec<Feedback>> {
        while let Some(slot) = self.audio.pop(now) {
            let started = Instant::now();
            let frame = match &slot.playout {
                AudioPlayout::Packet(data) => self.opus.decode(data, slot.capture_time)?,
                AudioPlayout::Fec(next) => self.opus.decode_fec(next, slot.capture_time)?,
                AudioPlayout::Conceal | AudioPlayout::Silence | AudioPlayout::Expand => {
                    self.opus.conceal(slot.capture_time)?
                }
            };
            self.stats.audio_decode_time += started.elapsed();
            self.audio_sink.play(&frame, now)?;
            self.stats.audio_played += 1;
            self.sync.audio_played(slot.capture_time, now);
        }
        let mut feedback = Vec::new();
        if let Some(report) = self.arrivals.poll(now) {
            feedback.push(Feedback::Report(report));
        }
        while let Some(event) = self.video.poll(now) {
            match event {
                VideoEvent::Nack(seqs) => feedback.push(Feedback::Nack(seqs)),
                VideoEvent::KeyframeRequest => feedback.push(Feedback::KeyframeRequest),
                VideoEvent::Frame(frame) => {
                    let started = Instant::now();
                    let decoded = self.h264.decode(&frame.data, frame.capture_time);
                    self.stats.video_decode_time += started.elapsed();
                    match decoded {
                        Ok(Some(picture)) => {
                            self.video_sink.show(&picture, now)?;
                            self.stats.video_decoded += 1;
                            self.sync.video_shown(frame.capture_time, now);
                        }
                        Ok(None) => {}
                        Err(err) => {
                            tracing::debug!(%err, "video decode failed");
                            self.stats.video_decode_errors += 1;
                            feedback.push(Feedback::KeyframeRequest);
                        }
                    }
                }
            }
        }
        Ok(feedback)
    }
}
