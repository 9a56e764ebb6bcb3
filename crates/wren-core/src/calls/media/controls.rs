//! The microphone and camera switches of a call: the sources keep running (so the media
//! clock and the encoders stay in step), and while a switch is off the microphone's
//! frames go out as silence and the camera's pictures are not sent at all.

use std::time::Duration;
use tokio::sync::watch;
use wren_media::frame::{AudioFrame, VideoFrame};
use wren_media::io::{AudioSource, VideoSource};

/// What the user switched off during the call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Controls {
    /// The microphone is off: silence is sent.
    pub muted: bool,
    /// The camera is off: no picture is sent.
    pub camera_off: bool,
}

/// A microphone that sends silence while muted.
pub(crate) struct Microphone<S> {
    pub(crate) inner: S,
    pub(crate) controls: watch::Receiver<Controls>,
}

impl<S: AudioSource> AudioSource for Microphone<S> {
    fn read(&mut self, now: Duration) -> wren_media::Result<Option<AudioFrame>> {
        let frame = self.inner.read(now)?;
        Ok(match frame {
            Some(frame) if self.controls.borrow().muted => {
                Some(AudioFrame::silence(frame.capture_time))
            }
            other => other,
        })
    }

    fn next_frame_time(&self) -> Option<Duration> {
        self.inner.next_frame_time()
    }
}

/// A camera whose pictures are dropped while it is off.
pub(crate) struct Camera<S> {
    pub(crate) inner: S,
    pub(crate) controls: watch::Receiver<Controls>,
}

impl<S: VideoSource> VideoSource for Camera<S> {
    fn read(&mut self, now: Duration) -> wren_media::Result<Option<VideoFrame>> {
        let frame = self.inner.read(now)?;
        Ok(frame.filter(|_| !self.controls.borrow().camera_off))
    }

    fn next_frame_time(&self) -> Option<Duration> {
        self.inner.next_frame_time()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wren_media::synth::{Signal, SyntheticAudio, TestPattern};

    #[test]
    fn muting_sends_silence_and_a_camera_switched_off_sends_nothing() {
        let (switch, controls) = watch::channel(Controls::default());
        let mut microphone = Microphone {
            inner: SyntheticAudio::new(Signal::Tone(440.0)),
            controls: controls.clone(),
        };
        let mut camera = Camera {
            inner: TestPattern::new(64, 36, 10).expect("pattern"),
            controls,
        };
        let heard = microphone
            .read(Duration::from_millis(20))
            .expect("read")
            .expect("frame");
        assert!(heard.rms() > 0.1);
        assert!(camera
            .read(Duration::from_millis(100))
            .expect("read")
            .is_some());
        switch.send_replace(Controls {
            muted: true,
            camera_off: true,
        });
        let muted = microphone
            .read(Duration::from_millis(40))
            .expect("read")
            .expect("frame");
        assert_eq!(muted.rms(), 0.0, "silence, on time");
        assert!(camera
            .read(Duration::from_millis(200))
            .expect("read")
            .is_none());
        switch.send_replace(Controls::default());
        assert!(camera
            .read(Duration::from_millis(300))
            .expect("read")
            .is_some());
    }
}
