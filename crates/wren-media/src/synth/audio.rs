//! Synthetic audio: a pure tone, or a speech-like signal with syllables and pauses.

use std::f64::consts::TAU;
use std::time::Duration;

use crate::error::Result;
use crate::frame::{AudioFrame, AUDIO_FRAME, FRAME_SAMPLES, SAMPLE_RATE};
use crate::io::AudioSource;

/// Which signal a [`SyntheticAudio`] source produces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    /// A sine tone at this frequency (Hz).
    Tone(f64),
    /// Voiced syllables (gliding pitch, harmonics, ~4 Hz envelope) with 0.6 s pauses every 2 s,
    /// so voice activity detection and DTX have something to do.
    Speech,
    /// Nothing: what a call sends when the machine has no microphone.
    Silence,
}

/// An [`AudioSource`] that emits one frame every 20 ms of `now`.
#[derive(Debug, Clone)]
pub struct SyntheticAudio {
    signal: Signal,
    sample: u64,
}

impl SyntheticAudio {
    /// A source for `signal`, starting at media time zero.
    pub fn new(signal: Signal) -> Self {
        Self { signal, sample: 0 }
    }

    fn next_capture_time(&self) -> Duration {
        Duration::from_micros(self.sample * 1_000_000 / u64::from(SAMPLE_RATE))
    }

    fn value(&self, n: u64) -> f64 {
        let t = n as f64 / f64::from(SAMPLE_RATE);
        match self.signal {
            Signal::Tone(hz) => 0.5 * (TAU * hz * t).sin(),
            Signal::Speech => speech(t),
            Signal::Silence => 0.0,
        }
    }
}

fn speech(t: f64) -> f64 {
    let phrase = t % 2.0;
    if phrase > 1.4 {
        return 0.0;
    }
    let syllable = (std::f64::consts::PI * 4.0 * phrase).sin().abs();
    let pitch = 140.0 + 40.0 * (TAU * 0.7 * t).sin();
    // Integrated phase of a gliding pitch, approximated per sample by pitch * t.
    let phase = TAU * pitch * t;
    let formants = [1.0, 0.6, 0.45, 0.3, 0.2, 0.12];
    let voiced: f64 = formants
        .iter()
        .enumerate()
        .map(|(k, w)| w * ((k as f64 + 1.0) * phase).sin())
        .sum();
    0.25 * syllable * voiced
}

impl AudioSource for SyntheticAudio {
    fn read(&mut self, now: Duration) -> Result<Option<AudioFrame>> {
        let capture_time = self.next_capture_time();
        if now < capture_time {
            return Ok(None);
        }
        let samples = (self.sample..self.sample + FRAME_SAMPLES as u64)
            .map(|n| (self.value(n) * 32767.0) as i16)
            .collect();
        self.sample += FRAME_SAMPLES as u64;
        debug_assert_eq!(self.next_capture_time(), capture_time + AUDIO_FRAME);
        Ok(Some(AudioFrame {
            capture_time,
            samples,
        }))
    }

    fn next_frame_time(&self) -> Option<Duration> {
        Some(self.next_capture_time())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frame_per_20_ms() {
        let mut src = SyntheticAudio::new(Signal::Tone(440.0));
        let first = src.read(Duration::ZERO).expect("read").expect("frame");
        assert_eq!(first.samples.len(), FRAME_SAMPLES);
        assert!(src.read(Duration::from_millis(19)).expect("read").is_none());
        let second = src
            .read(Duration::from_millis(20))
            .expect("read")
            .expect("frame");
        assert_eq!(second.capture_time, Duration::from_millis(20));
        assert!((first.rms() - 0.5 / 2f64.sqrt()).abs() < 0.01);
    }

    #[test]
    fn speech_has_pauses_and_talk() {
        let mut src = SyntheticAudio::new(Signal::Speech);
        let frames: Vec<_> = (0..100)
            .filter_map(|i| src.read(AUDIO_FRAME * i).expect("read"))
            .collect();
        let silent = frames.iter().filter(|f| f.rms() == 0.0).count();
        let loud = frames.iter().filter(|f| f.rms() > 0.05).count();
        assert!(silent >= 25, "{silent} silent frames");
        assert!(loud >= 40, "{loud} loud frames");
    }
}
