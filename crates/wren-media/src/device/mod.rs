//! Real capture and playback devices, selected at run time: cpal for audio, nokhwa for cameras.

mod camera;
mod convert;
mod microphone;
mod speaker;

pub use camera::{list_cameras, CameraInfo, CameraSource};
pub use convert::{nv12_to_i420, yuyv_to_i420, Resampler};
pub use microphone::{list_audio_devices, AudioDeviceInfo, DeviceChoice, MicrophoneSource};
pub use speaker::SpeakerSink;
