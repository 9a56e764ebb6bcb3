//! One-to-one calls: signalling between the devices of the two accounts, sealed for the
//! chat's MLS group and forwarded by the server without being stored.
//!
//! - [`signal`]: the signals and their encoding.
//! - [`machine`]: one device's call state machine, without IO.
//! - `task`: the tokio task that drives the machine for a [`crate::Client`].

pub mod key;
pub mod machine;
pub mod media;
pub(crate) mod seal;
pub mod signal;
pub(crate) mod task;
#[cfg(test)]
mod tests;

pub use machine::{CallError, CallEvent, CallInfo, Direction, EndReason, Phase};
pub use signal::CallId;
