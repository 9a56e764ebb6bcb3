//! Audio/video synchronization on the receiving side.

use std::time::Duration;

use crate::jitter::{AudioJitterBuffer, VideoJitterBuffer};

/// Keeps lips and voice together: both streams play at the larger of the two offsets they
/// need, and the skew actually played is measured from what was rendered.
#[derive(Debug, Default, Clone)]
pub struct AvSync {
    audio_offset: Option<Duration>,
    max_skew: Duration,
}

impl AvSync {
    /// A fresh synchronizer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives both buffers the common playout floor; call after pushing packets.
    pub fn align(&self, audio: &mut AudioJitterBuffer, video: &mut VideoJitterBuffer) {
        let floor = audio
            .target_delay()
            .into_iter()
            .chain(video.target_delay())
            .max()
            .unwrap_or_default();
        audio.set_sync_floor(floor);
        video.set_sync_floor(floor);
    }

    /// Notes that audio captured at `capture_time` was played at `now`.
    pub fn audio_played(&mut self, capture_time: Duration, now: Duration) {
        self.audio_offset = Some(now.saturating_sub(capture_time));
    }

    /// Notes that video captured at `capture_time` was shown at `now`.
    pub fn video_shown(&mut self, capture_time: Duration, now: Duration) {
        let video = now.saturating_sub(capture_time);
        if let Some(audio) = self.audio_offset {
            self.max_skew = self.max_skew.max(video.abs_diff(audio));
        }
    }

    /// The largest difference seen between the audio and video playout offsets.
    pub fn max_skew(&self) -> Duration {
        self.max_skew
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::{Packetizer, StreamKind};

    #[test]
    fn both_streams_play_at_the_slower_ones_delay() {
        let mut audio = AudioJitterBuffer::new();
        let mut video = VideoJitterBuffer::default();
        let ms = Duration::from_millis(1);
        let packet = Packetizer::new(StreamKind::Audio, 0)
            .packetize(&[1], Duration::ZERO, false)
            .expect("audio")
            .remove(0);
        audio.push(packet, ms * 10);
        for packet in Packetizer::new(StreamKind::Video, 0)
            .packetize(&[2; 100], Duration::ZERO, true)
            .expect("video")
        {
            video.push(packet, ms * 80);
        }
        let sync = AvSync::new();
        sync.align(&mut audio, &mut video);
        // Audio alone would play 20 ms after capture; it now waits for video.
        assert_eq!(audio.target_delay(), Some(ms * 20));
        assert!(audio
            .pop(ms * 30)
            .is_some_and(|s| s.playout == crate::jitter::AudioPlayout::Expand));
        assert!(audio.current_delay() >= ms * 40);
    }
}
