//! The loopback pipeline: source → encode → packetize → impairment → jitter buffer →
//! decode → sink, with feedback (retransmission and keyframe requests) flowing back.
//!
//! [`Sender`] and [`Receiver`] are the two ends a real transport will connect; [`run_loopback`]
//! connects them through two [`Impairment`] stages on a [`Clock`] that is either simulated
//! (tests) or the wall clock (benchmarks, the `pipeline` example).

mod arrivals;
mod clock;
mod cpu;
mod feedback;
mod impair;
mod loopback;
mod rate;
mod receiver;
mod sender;

pub use arrivals::{ArrivalMonitor, REPORT_INTERVAL};
pub use clock::{Clock, SimClock, WallClock};
pub use cpu::process_cpu_time;
pub use feedback::{Feedback, ReceiverReport};
pub use impair::{Impairment, ImpairmentConfig, ImpairmentStats};
pub use loopback::{percentile, run_loopback, LoopbackConfig, LoopbackReport};
pub use rate::{RateController, RateDecision};
pub use receiver::{Receiver, ReceiverStats};
pub use sender::{Sender, SenderStats};
