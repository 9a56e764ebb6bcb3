//! A moving test pattern that carries its frame number and capture time in the pixels.

use std::time::Duration;

use crate::error::Result;
use crate::frame::VideoFrame;
use crate::io::VideoSource;
use crate::synth::stamp::{write_stamp, Stamp};

/// A [`VideoSource`] producing a diagonal gradient with a sliding bar, stamped with
/// [`Stamp`] blocks, at a fixed frame rate of the `now` clock.
#[derive(Debug, Clone)]
pub struct TestPattern {
    width: usize,
    height: usize,
    fps: u32,
    frame_number: u32,
}

impl TestPattern {
    /// A pattern of the given even size and frame rate; fails on odd or zero sizes.
    pub fn new(width: usize, height: usize, fps: u32) -> Result<Self> {
        VideoFrame::black(width, height, Duration::ZERO)?;
        Ok(Self {
            width,
            height,
            fps: fps.max(1),
            frame_number: 0,
        })
    }

    /// Capture time of frame `n`.
    pub fn capture_time(&self, n: u32) -> Duration {
        Duration::from_micros(u64::from(n) * 1_000_000 / u64::from(self.fps))
    }

    /// Renders frame `n` regardless of the clock.
    pub fn render(&self, n: u32) -> Result<VideoFrame> {
        let capture_time = self.capture_time(n);
        let mut frame = VideoFrame::black(self.width, self.height, capture_time)?;
        let (w, h) = (self.width, self.height);
        let shift = n as usize * 4;
        let bar = (n as usize * 8) % w;
        for (row, line) in frame.y_mut().chunks_exact_mut(w).enumerate() {
            for (col, px) in line.iter_mut().enumerate() {
                let in_bar = col >= bar && col < bar + w / 16;
                *px = if in_bar {
                    235
                } else {
                    (48 + (col + row + shift) % 160) as u8
                };
            }
        }
        let (u, v) = frame.uv_mut();
        for (i, (u, v)) in u.iter_mut().zip(v.iter_mut()).enumerate() {
            let (col, row) = (i % (w / 2), i / (w / 2));
            *u = (96 + (col * 64 / (w / 2)) as u32) as u8;
            *v = (96 + (row * 64 / (h / 2)) as u32) as u8;
        }
        write_stamp(
            &mut frame,
            Stamp {
                frame_number: n,
                capture_time,
            },
        );
        Ok(frame)
    }
}

impl VideoSource for TestPattern {
    /// Like a camera, a late reader gets the latest frame: frames it was too slow for are
    /// skipped (their numbers are never shown), so falling behind does not build a queue.
    fn read(&mut self, now: Duration) -> Result<Option<VideoFrame>> {
        if now < self.capture_time(self.frame_number) {
            return Ok(None);
        }
        while now >= self.capture_time(self.frame_number + 1) {
            self.frame_number += 1;
        }
        let frame = self.render(self.frame_number)?;
        self.frame_number += 1;
        Ok(Some(frame))
    }

    fn next_frame_time(&self) -> Option<Duration> {
        Some(self.capture_time(self.frame_number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::read_stamp;

    #[test]
    fn frames_follow_the_clock_and_carry_their_number() {
        let mut pattern = TestPattern::new(320, 180, 30).expect("pattern");
        let first = pattern.read(Duration::ZERO).expect("read").expect("frame");
        assert!(pattern
            .read(Duration::from_millis(30))
            .expect("read")
            .is_none());
        let second = pattern
            .read(Duration::from_millis(34))
            .expect("read")
            .expect("frame");
        assert_ne!(first.y(), second.y(), "the pattern moves");
        let stamp = read_stamp(&second).expect("stamp");
        assert_eq!(stamp.frame_number, 1);
        assert_eq!(stamp.capture_time, Duration::from_micros(33_333));
        let late = pattern
            .read(Duration::from_millis(140))
            .expect("read")
            .expect("frame");
        assert_eq!(
            read_stamp(&late).map(|s| s.frame_number),
            Some(4),
            "stale frames skipped"
        );
    }
}
