//! Recently sent packets, kept so that negative acknowledgements can be answered.

use std::collections::VecDeque;

use crate::packet::header::Packet;

/// The last `capacity` packets sent on one stream, looked up by sequence number.
#[derive(Debug, Clone)]
pub struct SendHistory {
    capacity: usize,
    packets: VecDeque<Packet>,
}

impl SendHistory {
    /// A history of at most `capacity` packets.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            packets: VecDeque::with_capacity(capacity),
        }
    }

    /// Remembers a sent packet, forgetting the oldest when full.
    pub fn store(&mut self, packet: Packet) {
        if self.packets.len() == self.capacity {
            self.packets.pop_front();
        }
        self.packets.push_back(packet);
    }

    /// The packet with this sequence number, if still held.
    pub fn get(&self, seq: u16) -> Option<&Packet> {
        self.packets.iter().rev().find(|p| p.header.seq == seq)
    }
}
