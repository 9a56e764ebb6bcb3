//! Null sinks that record what they were asked to play or show.

use std::time::Duration;

use crate::error::Result;
use crate::frame::{AudioFrame, VideoFrame};
use crate::io::{AudioSink, VideoSink};
use crate::synth::stamp::{read_stamp, Stamp};

/// One audio frame as the recording sink played it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlayedAudio {
    /// When it was played.
    pub at: Duration,
    /// Its RMS level.
    pub rms: f64,
}

/// An [`AudioSink`] that plays nothing and records when each frame was played.
#[derive(Debug, Default, Clone)]
pub struct RecordingAudioSink {
    /// Every frame played, in order.
    pub played: Vec<PlayedAudio>,
}

impl AudioSink for RecordingAudioSink {
    fn play(&mut self, frame: &AudioFrame, now: Duration) -> Result<()> {
        self.played.push(PlayedAudio {
            at: now,
            rms: frame.rms(),
        });
        Ok(())
    }
}

impl RecordingAudioSink {
    /// The longest time between two consecutive played frames (0 if fewer than two).
    pub fn longest_gap(&self) -> Duration {
        self.played
            .windows(2)
            .map(|w| w[1].at.saturating_sub(w[0].at))
            .max()
            .unwrap_or_default()
    }
}

/// One video frame as the recording sink showed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownVideo {
    /// When it was shown.
    pub at: Duration,
    /// The stamp read from its pixels, if readable.
    pub stamp: Option<Stamp>,
}

/// A [`VideoSink`] that shows nothing and records the stamp of each frame.
#[derive(Debug, Default, Clone)]
pub struct RecordingVideoSink {
    /// Every frame shown, in order.
    pub shown: Vec<ShownVideo>,
}

impl VideoSink for RecordingVideoSink {
    fn show(&mut self, frame: &VideoFrame, now: Duration) -> Result<()> {
        self.shown.push(ShownVideo {
            at: now,
            stamp: read_stamp(frame),
        });
        Ok(())
    }
}
