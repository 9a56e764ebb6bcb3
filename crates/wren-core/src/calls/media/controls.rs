//! The microphone and camera switches of a call: the sources keep running (so the media
//! clock and the encoders stay in step), and while a switch is off the microphone's
//! frames go out as silence and the camera's pictures are not sent at all. A device
//! picked mid-call replaces the one in use at the next frame.

use super::devices::MediaDeviceChoice;
use std::time::Duration;
use tokio::sync::watch;
use wren_media::frame::{AudioFrame, VideoFrame};
use wren_media::io::{AudioSink, AudioSource, VideoSource};

/// What the user switched off during the call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Controls {
    /// The microphone is off: silence is sent.
    pub muted: bool,
    /// The camera is off: no picture is sent.
    pub camera_off: bool,
}

/// Opens the device a choice names; `None` if it cannot (the one in use stays).
pub(crate) type Open<T> = Box<dyn FnMut(&MediaDeviceChoice) -> Option<T> + Send>;

/// The user's device choice, and how to open what it names.
pub(crate) struct Switch<T> {
    pub(crate) devices: watch::Receiver<MediaDeviceChoice>,
    pub(crate) open: Open<T>,
}

impl<T> Switch<T> {
    /// The newly chosen device, opened, if the choice changed.
    fn changed(switch: &mut Option<Switch<T>>) -> Option<T> {
        let switch = switch.as_mut()?;
        if !switch.devices.has_changed().unwrap_or(false) {
            return None;
        }
        let choice = switch.devices.borrow_and_update().clone();
        (switch.open)(&choice)
    }
}

/// A microphone that sends silence while muted.
pub(crate) struct Microphone {
    pub(crate) inner: Box<dyn AudioSource>,
    pub(crate) controls: watch::Receiver<Controls>,
    /// `None`: the source stays (synthetic media).
    pub(crate) switch: Option<Switch<Box<dyn AudioSource>>>,
}

impl AudioSource for Microphone {
    fn read(&mut self, now: Duration) -> wren_media::Result<Option<AudioFrame>> {
        if let Some(source) = Switch::changed(&mut self.switch) {
            self.inner = source;
        }
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
pub(crate) struct Camera {
    pub(crate) inner: Box<dyn VideoSource>,
    pub(crate) controls: watch::Receiver<Controls>,
    /// `None`: the source stays (synthetic media, or a voice call).
    pub(crate) switch: Option<Switch<Box<dyn VideoSource>>>,
}

impl VideoSource for Camera {
    fn read(&mut self, now: Duration) -> wren_media::Result<Option<VideoFrame>> {
        if let Some(source) = Switch::changed(&mut self.switch) {
            self.inner = source;
        }
        let frame = self.inner.read(now)?;
        Ok(frame.filter(|_| !self.controls.borrow().camera_off))
    }

    fn next_frame_time(&self) -> Option<Duration> {
        self.inner.next_frame_time()
    }
}

/// The speaker, replaced when the user picks another.
pub(crate) struct Speaker {
    pub(crate) inner: Box<dyn AudioSink>,
    /// `None`: the sink stays (synthetic media).
    pub(crate) switch: Option<Switch<Box<dyn AudioSink>>>,
}

impl AudioSink for Speaker {
    fn play(&mut self, frame: &AudioFrame, now: Duration) -> wren_media::Result<()> {
        if let Some(sink) = Switch::changed(&mut self.switch) {
            self.inner = sink;
        }
        self.inner.play(frame, now)
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
            inner: Box::new(SyntheticAudio::new(Signal::Tone(440.0))),
            controls: controls.clone(),
            switch: None,
        };
        let mut camera = Camera {
            inner: Box::new(TestPattern::new(64, 36, 10).expect("pattern")),
            controls,
            switch: None,
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

#[cfg(test)]
mod switching {
    use super::*;
    use wren_media::synth::{Signal, SyntheticAudio};

    #[test]
    fn a_device_picked_mid_call_is_used_from_the_next_frame_a_failed_one_is_not() {
        let (_, controls) = watch::channel(Controls::default());
        let (pick, devices) = watch::channel(MediaDeviceChoice::default());
        let open: Open<Box<dyn AudioSource>> = Box::new(|choice: &MediaDeviceChoice| match choice
            .microphone
            .as_deref()
        {
            Some("tone") => Some(Box::new(SyntheticAudio::new(Signal::Tone(440.0))) as _),
            _ => None,
        });
        let mut microphone = Microphone {
            inner: Box::new(SyntheticAudio::new(Signal::Silence)),
            controls,
            switch: Some(Switch { devices, open }),
        };
        let level = |microphone: &mut Microphone, ms: u64| {
            microphone
                .read(Duration::from_millis(ms))
                .expect("read")
                .expect("frame")
                .rms()
        };
        assert_eq!(level(&mut microphone, 20), 0.0);
        pick.send_replace(MediaDeviceChoice {
            microphone: Some("unplugged".into()),
            ..MediaDeviceChoice::default()
        });
        assert_eq!(level(&mut microphone, 40), 0.0, "the one in use stays");
        pick.send_replace(MediaDeviceChoice {
            microphone: Some("tone".into()),
            ..MediaDeviceChoice::default()
        });
        assert!(level(&mut microphone, 60) > 0.1, "the new one is heard");
    }
}
