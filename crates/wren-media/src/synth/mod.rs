//! Synthetic sources and recording sinks, used where no device exists and by the tests.

mod audio;
mod sink;
mod stamp;
mod video;

pub use audio::{Signal, SyntheticAudio};
pub use sink::{PlayedAudio, RecordingAudioSink, RecordingVideoSink, ShownVideo};
pub use stamp::{read_stamp, write_stamp, Stamp};
pub use video::TestPattern;
