//! Runs a [`Sender`] and a [`Receiver`] through impaired links on a [`Clock`].

use std::time::Duration;

use crate::codec::{H264Config, OpusConfig};
use crate::error::Result;
use crate::jitter::VideoJitterConfig;
use crate::pipeline::{
    Clock, Feedback, Impairment, ImpairmentConfig, ImpairmentStats, Receiver, ReceiverStats,
    Sender, SenderStats,
};
use crate::synth::{
    PlayedAudio, RecordingAudioSink, RecordingVideoSink, ShownVideo, Signal, SyntheticAudio,
    TestPattern,
};

/// Time allowed after the sources stop for the last frames to play out.
const DRAIN: Duration = Duration::from_millis(500);
/// Longest sleep between polls when nothing is scheduled.
const MAX_WAIT: Duration = Duration::from_millis(5);

/// What to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoopbackConfig {
    /// Picture width (even).
    pub width: usize,
    /// Picture height (even).
    pub height: usize,
    /// Video frame rate.
    pub fps: u32,
    /// How long the sources produce.
    pub duration: Duration,
    /// The audio signal.
    pub signal: Signal,
    /// Sender to receiver.
    pub forward: ImpairmentConfig,
    /// Receiver to sender (feedback).
    pub reverse: ImpairmentConfig,
    /// Video encoder settings.
    pub video: H264Config,
    /// Audio encoder settings.
    pub audio: OpusConfig,
    /// Video jitter buffer settings.
    pub video_jitter: VideoJitterConfig,
    /// One video parity packet per this many fragments (0: no forward error correction).
    pub video_fec_group: u8,
    /// The sender adapts its bitrates to the receiver's reports (off: fixed bitrates).
    pub rate_control: bool,
}

impl LoopbackConfig {
    /// A clean-network configuration for the given picture size.
    pub fn new(width: usize, height: usize, fps: u32, duration: Duration) -> Self {
        Self {
            width,
            height,
            fps,
            duration,
            signal: Signal::Speech,
            forward: ImpairmentConfig::default(),
            reverse: ImpairmentConfig {
                seed: 2,
                ..ImpairmentConfig::default()
            },
            video: H264Config::for_size(width, height, fps),
            audio: OpusConfig::default(),
            video_jitter: VideoJitterConfig::default(),
            video_fec_group: 4,
            rate_control: true,
        }
    }
}

/// Everything a loopback run measured.
#[derive(Debug, Clone)]
pub struct LoopbackReport {
    /// Sender counters.
    pub sender: SenderStats,
    /// Receiver counters.
    pub receiver: ReceiverStats,
    /// Forward link counters.
    pub forward: ImpairmentStats,
    /// Every video frame shown, with the stamp read from its pixels.
    pub shown: Vec<ShownVideo>,
    /// Every audio frame played.
    pub played: Vec<PlayedAudio>,
}

impl LoopbackReport {
    /// Capture-to-display latency of every shown frame, from the stamp in its pixels.
    pub fn glass_to_glass(&self) -> Vec<Duration> {
        self.shown
            .iter()
            .filter_map(|s| s.stamp.map(|stamp| s.at.saturating_sub(stamp.capture_time)))
            .collect()
    }

    /// Frame numbers read back from the shown pictures, in display order.
    pub fn shown_frame_numbers(&self) -> Vec<u32> {
        self.shown
            .iter()
            .filter_map(|s| s.stamp.map(|stamp| stamp.frame_number))
            .collect()
    }

    /// One line of figures: frames sent / received / decoded, audio concealed, latency.
    pub fn summary(&self) -> String {
        let mut latency = self.glass_to_glass();
        latency.sort_unstable();
        let ms = |p: f64| percentile(&latency, p).map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
        format!(
            "video frames sent {} received {} decoded {} | audio frames concealed {} (fec {}) | glass-to-glass p50 {:.1} ms p99 {:.1} ms",
            self.sender.video_frames,
            self.receiver.video.frames_complete,
            self.receiver.video_decoded,
            self.receiver.audio.concealed,
            self.receiver.audio.fec_recovered,
            ms(0.50),
            ms(0.99),
        )
    }
}

/// The `p` quantile (0..=1) of already sorted values.
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let index = ((sorted.len() - 1) as f64 * p.clamp(0.0, 1.0)).round() as usize;
    sorted.get(index).copied()
}

/// Runs the synthetic sources through the whole pipeline and reports what came out.
pub fn run_loopback(config: &LoopbackConfig, clock: &mut impl Clock) -> Result<LoopbackReport> {
    let audio = SyntheticAudio::new(config.signal);
    let video = TestPattern::new(config.width, config.height, config.fps)?;
    let mut sender = Sender::new(audio, video, config.audio, config.video)?
        .with_video_fec(config.video_fec_group);
    if !config.rate_control {
        sender = sender.without_rate_control();
    }
    let mut receiver = Receiver::new(
        RecordingAudioSink::default(),
        RecordingVideoSink::default(),
        config.video_jitter,
    )?;
    let mut forward: Impairment<Vec<u8>> = Impairment::new(config.forward);
    let mut reverse: Impairment<Feedback> = Impairment::new(config.reverse);
    let start = clock.now();
    loop {
        let now = clock.now() - start;
        if now >= config.duration + DRAIN {
            break;
        }
        if now < config.duration {
            for datagram in sender.poll(now)? {
                let len = datagram.len();
                forward.push_sized(datagram, len, now);
            }
        }
        while let Some(feedback) = reverse.poll(now) {
            for datagram in sender.handle_feedback(feedback)? {
                let len = datagram.len();
                forward.push_sized(datagram, len, now);
            }
        }
        while let Some(datagram) = forward.poll(now) {
            receiver.handle_datagram(&datagram, now);
        }
        for feedback in receiver.poll(now)? {
            reverse.push(feedback, now);
        }
        let next = [
            (now < config.duration)
                .then(|| sender.poll_timeout())
                .flatten(),
            forward.poll_timeout(),
            reverse.poll_timeout(),
            receiver.poll_timeout(),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(now + MAX_WAIT)
        .clamp(now + Duration::from_micros(100), now + MAX_WAIT);
        clock.advance_to(start + next);
    }
    let sender_stats = sender.stats();
    let receiver_stats = receiver.stats();
    let (audio_sink, video_sink) = receiver.into_sinks();
    Ok(LoopbackReport {
        sender: sender_stats,
        receiver: receiver_stats,
        forward: forward.stats(),
        shown: video_sink.shown,
        played: audio_sink.played,
    })
}
