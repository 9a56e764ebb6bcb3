//! Wren's media engine: capture, codecs, packetization, jitter buffering and a loopback
//! pipeline, with no networking of its own.
//!
//! - [`io`]: the `Source` / `Sink` traits; [`device`] implements them on real hardware (cpal,
//!   nokhwa) and [`synth`] with synthetic stand-ins (tones, speech, a stamped test pattern).
//! - [`codec`]: Opus and H.264 (OpenH264), plus an Ogg Opus writer.
//! - [`packet`]: datagrams of at most 1,200 bytes with sequence numbers and timestamps.
//! - [`jitter`]: audio and video jitter buffers and A/V sync, as sans-IO state machines.
//! - [`pipeline`]: sender, receiver, network impairment and the loopback that joins them.
//!
//! Everything that keeps state over time takes `now` as an argument and never reads a clock,
//! so tests run on a simulated clock.

pub mod codec;
pub mod device;
pub mod error;
pub mod frame;
pub mod io;
pub mod jitter;
pub mod packet;
pub mod pipeline;
pub mod synth;

pub use error::{MediaError, Result};
