//! The `Source` / `Sink` interface shared by real devices and synthetic stand-ins.

use std::time::Duration;

use crate::error::Result;
use crate::frame::{AudioFrame, VideoFrame};

/// Something that produces 20 ms mono 48 kHz audio frames (a microphone, a tone).
pub trait AudioSource: Send {
    /// Returns the next frame if one is ready at `now`, `Ok(None)` if not yet.
    fn read(&mut self, now: Duration) -> Result<Option<AudioFrame>>;

    /// When the next frame will be ready, if the source knows (synthetic sources do).
    fn next_frame_time(&self) -> Option<Duration> {
        None
    }
}

/// Something that produces I420 video frames (a camera, a test pattern).
pub trait VideoSource: Send {
    /// Returns the next frame if one is ready at `now`, `Ok(None)` if not yet.
    fn read(&mut self, now: Duration) -> Result<Option<VideoFrame>>;

    /// When the next frame will be ready, if the source knows (synthetic sources do).
    fn next_frame_time(&self) -> Option<Duration> {
        None
    }
}

/// Something that plays audio frames (a speaker, a recorder).
pub trait AudioSink: Send {
    /// Plays one frame at `now`.
    fn play(&mut self, frame: &AudioFrame, now: Duration) -> Result<()>;
}

/// Something that shows video frames (a window, a recorder).
pub trait VideoSink: Send {
    /// Shows one frame at `now`.
    fn show(&mut self, frame: &VideoFrame, now: Duration) -> Result<()>;
}

impl<T: AudioSource + ?Sized> AudioSource for Box<T> {
    fn read(&mut self, now: Duration) -> Result<Option<AudioFrame>> {
        (**self).read(now)
    }

    fn next_frame_time(&self) -> Option<Duration> {
        (**self).next_frame_time()
    }
}

impl<T: VideoSource + ?Sized> VideoSource for Box<T> {
    fn read(&mut self, now: Duration) -> Result<Option<VideoFrame>> {
        (**self).read(now)
    }

    fn next_frame_time(&self) -> Option<Duration> {
        (**self).next_frame_time()
    }
}

impl<T: AudioSink + ?Sized> AudioSink for Box<T> {
    fn play(&mut self, frame: &AudioFrame, now: Duration) -> Result<()> {
        (**self).play(frame, now)
    }
}

/// A video source that never has a frame: the camera of a voice call.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVideo;

impl VideoSource for NoVideo {
    fn read(&mut self, _now: Duration) -> Result<Option<VideoFrame>> {
        Ok(None)
    }
}
