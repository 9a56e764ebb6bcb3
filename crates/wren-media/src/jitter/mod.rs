//! Jitter buffers: adaptive playout delay, reordering, loss detection, concealment decisions
//! for audio, retransmission and keyframe requests for video, and audio/video sync.
//!
//! Both buffers are sans-IO: they are fed packets with the receive time and polled with the
//! current time, and never read a clock themselves. A *playout offset* is the time between a
//! frame's capture on the sender's clock and its playout on the receiver's clock; each buffer
//! estimates the offset it needs from the transit times it observes.

mod audio;
mod delay;
mod sync;
mod video;

pub use audio::{AudioJitterBuffer, AudioJitterStats, AudioPlayout, AudioSlot};
pub use delay::DelayEstimator;
pub use sync::AvSync;
pub use video::{
    AssembledFrame, VideoEvent, VideoJitterBuffer, VideoJitterConfig, VideoJitterStats,
};

use std::time::Duration;

/// Microseconds of a duration as a signed offset.
fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// Media time, in microseconds, of an unwrapped timestamp at `clock_rate`.
fn media_micros(ticks: u64, clock_rate: u32) -> i64 {
    let us = u128::from(ticks) * 1_000_000 / u128::from(clock_rate);
    i64::try_from(us).unwrap_or(i64::MAX)
}

/// Converts a signed microsecond time back to a duration (negative clamps to zero).
fn to_duration(us: i64) -> Duration {
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}
