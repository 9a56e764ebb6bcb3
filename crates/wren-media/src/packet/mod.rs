//! Packetization: splitting encoded frames into datagrams of at most [`MAX_DATAGRAM`] bytes,
//! with sequence numbers and media timestamps, XOR parity for forward error correction, and
//! keeping sent packets for retransmission.

mod header;
mod history;
mod packetizer;
mod parity;
mod unwrap;

pub use header::{Packet, PacketHeader, StreamKind, HEADER_LEN, MAX_DATAGRAM};
pub use history::SendHistory;
pub use packetizer::{Packetizer, MAX_FRAGMENT, MAX_FRAGMENTS};
pub use parity::{Parity, PARITY_OVERHEAD};
pub use unwrap::Unwrapper;
