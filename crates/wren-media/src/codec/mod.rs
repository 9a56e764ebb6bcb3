//! Opus and H.264 codecs, and writers for standard container files.

mod h264;
mod ogg_opus;
mod opus;

pub use h264::{EncodedVideo, H264Config, H264Decoder, H264Encoder};
pub use ogg_opus::OggOpusWriter;
pub use opus::{EncodedAudio, OpusConfig, OpusDecoder, OpusEncoder};
