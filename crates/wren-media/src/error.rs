//! The crate's error type.

/// Everything that can go wrong in the media engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// No camera was found on this machine.
    #[error("no camera found")]
    NoCamera,
    /// No audio device of the requested kind was found.
    #[error("no audio {0} device found")]
    NoAudioDevice(&'static str),
    /// The named device does not exist.
    #[error("device not found: {0}")]
    DeviceNotFound(String),
    /// The device went away while it was in use (unplugged, driver reset).
    #[error("audio device lost: {0}")]
    DeviceLost(String),
    /// The device cannot deliver the format the engine needs.
    #[error("unsupported device format: {0}")]
    UnsupportedFormat(String),
    /// The audio backend (cpal) reported an error.
    #[error("audio backend: {0}")]
    Audio(#[from] cpal::Error),
    /// The camera backend (nokhwa) reported an error.
    #[error("camera backend: {0}")]
    Camera(#[from] nokhwa::NokhwaError),
    /// The H.264 codec reported an error.
    #[error("h264: {0}")]
    H264(#[from] openh264::Error),
    /// The Opus codec reported an error.
    #[error("opus: {0}")]
    Opus(#[from] opus::Error),
    /// A frame has the wrong size for the configured codec.
    #[error("frame is {got} bytes, expected {expected}")]
    FrameSize {
        /// Bytes expected.
        expected: usize,
        /// Bytes received.
        got: usize,
    },
    /// Width or height is zero or odd (I420 needs even dimensions).
    #[error("invalid dimensions {0}x{1}")]
    Dimensions(usize, usize),
    /// A received packet could not be parsed.
    #[error("malformed packet: {0}")]
    MalformedPacket(&'static str),
    /// A frame is too large to packetize.
    #[error("frame of {0} bytes is too large to packetize")]
    FrameTooLarge(usize),
    /// The sample-rate converter (rubato) rejected its settings or a buffer.
    #[error("resampler: {0}")]
    Resampler(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Writing an output file failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// Shorthand for results in this crate.
pub type Result<T, E = MediaError> = std::result::Result<T, E>;
