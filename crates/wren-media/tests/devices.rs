//! Real device code paths on a machine without a sound card or camera.
//!
//! This file is its own test binary (process) because it points ALSA at a configuration
//! written for the test: the default PCM becomes ALSA's `null` device, which accepts and
//! produces silence, so cpal's input and output streams run for real.

use std::io::Write;
use std::sync::Once;
use std::time::{Duration, Instant};

use wren_media::device::{
    list_audio_devices, list_cameras, CameraSource, DeviceChoice, MicrophoneSource, SpeakerSink,
};
use wren_media::frame::AudioFrame;
use wren_media::io::{AudioSink, AudioSource};
use wren_media::MediaError;

static ALSA: Once = Once::new();

/// Writes an ALSA configuration that includes the system one and then makes the default PCM
/// the null device, and points `ALSA_CONFIG_PATH` at it before ALSA is first used.
fn null_alsa() {
    ALSA.call_once(|| {
        // Cargo's scratch directory for integration tests, so nothing is left in /tmp.
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wren-alsa-null.conf");
        let mut file = std::fs::File::create(&path).expect("create");
        writeln!(
            file,
            "</usr/share/alsa/alsa.conf>\npcm.!default {{ type plug slave.pcm \"null\" }}"
        )
        .expect("write");
        std::env::set_var("ALSA_CONFIG_PATH", &path);
    });
}

/// Polls `until` every few milliseconds for up to five seconds.
fn eventually(mut until: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if until() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn cpal_streams_move_buffers_on_the_alsa_null_device() {
    null_alsa();
    let devices = list_audio_devices().expect("list devices");
    assert!(
        devices.iter().any(|d| d.input) && devices.iter().any(|d| d.output),
        "{devices:?}"
    );

    let mut mic = MicrophoneSource::open(DeviceChoice::Default).expect("open input stream");
    let mut frame = None;
    assert!(
        eventually(|| {
            frame = mic.read(Duration::ZERO).expect("read");
            frame.is_some()
        }),
        "no audio frame captured"
    );
    let frame = frame.expect("frame");
    assert_eq!(frame.samples.len(), 960);
    assert_eq!(frame.rms(), 0.0, "the null device records silence");
    assert!(mic.samples_captured() >= 960);

    let mut speaker = SpeakerSink::open(DeviceChoice::Default).expect("open output stream");
    speaker
        .play(&AudioFrame::silence(Duration::ZERO), Duration::ZERO)
        .expect("play");
    assert!(
        eventually(|| speaker.samples_played() > 0),
        "output callback never ran"
    );
}

#[test]
fn an_unknown_audio_device_is_a_clear_error() {
    null_alsa();
    let err =
        MicrophoneSource::open(DeviceChoice::Id("no-such-device".into())).expect_err("must fail");
    assert!(matches!(err, MediaError::DeviceNotFound(_)), "{err}");
}

#[test]
fn no_camera_is_a_clear_error_not_a_panic() {
    let cameras = list_cameras().expect("camera query runs");
    if !cameras.is_empty() {
        eprintln!("this machine has cameras: {cameras:?}; skipping the no-camera check");
        return;
    }
    let err = CameraSource::open(None, 640, 360, 30).expect_err("no camera here");
    assert!(matches!(err, MediaError::NoCamera), "{err}");
    assert_eq!(err.to_string(), "no camera found");
}
