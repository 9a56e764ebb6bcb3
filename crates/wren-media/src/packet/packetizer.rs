//! Splits encoded frames into numbered datagrams.

use std::time::Duration;

use crate::error::{MediaError, Result};
use crate::packet::header::{Packet, PacketHeader, StreamKind, HEADER_LEN, MAX_DATAGRAM};
use crate::packet::parity::{Parity, PARITY_OVERHEAD};

/// Largest fragment of a frame, leaving room for the header and a parity packet's prefix.
pub const MAX_FRAGMENT: usize = MAX_DATAGRAM - HEADER_LEN - PARITY_OVERHEAD;
/// Most fragments in one frame (about 1.2 MB); receivers ignore frames claiming more.
pub const MAX_FRAGMENTS: usize = 1024;

/// Assigns sequence numbers, frame ids and timestamps for one stream, and optionally adds
/// one parity packet per group of fragments.
#[derive(Debug, Clone)]
pub struct Packetizer {
    kind: StreamKind,
    seq: u16,
    frame_id: u32,
    fec_group: u8,
}

impl Packetizer {
    /// A packetizer for one stream, starting at sequence number `first_seq`.
    pub fn new(kind: StreamKind, first_seq: u16) -> Self {
        Self {
            kind,
            seq: first_seq,
            frame_id: 0,
            fec_group: 0,
        }
    }

    /// Adds one parity packet after every `group` fragments of a frame (0: none), so the
    /// receiver can rebuild one lost fragment per group without a retransmission.
    pub fn with_fec(mut self, group: u8) -> Self {
        self.fec_group = group;
        self
    }

    /// Changes the parity group from the next frame on (each parity packet carries its
    /// group's size, so the receiver needs no word of it).
    pub fn set_fec(&mut self, group: u8) {
        self.fec_group = group;
    }

    /// Fragments per parity packet now (0: none).
    pub fn fec(&self) -> u8 {
        self.fec_group
    }

    /// Splits one encoded frame into packets of at most [`MAX_DATAGRAM`] bytes each,
    /// balanced in size, followed by its parity packets. An empty frame produces no packets.
    pub fn packetize(
        &mut self,
        frame: &[u8],
        capture_time: Duration,
        keyframe: bool,
    ) -> Result<Vec<Packet>> {
        if frame.is_empty() {
            return Ok(Vec::new());
        }
        let count = frame.len().div_ceil(MAX_FRAGMENT);
        if count > MAX_FRAGMENTS {
            return Err(MediaError::FrameTooLarge(frame.len()));
        }
        let frag_count =
            u16::try_from(count).map_err(|_| MediaError::FrameTooLarge(frame.len()))?;
        let chunk = frame.len().div_ceil(count);
        let ticks = capture_time.as_micros() * u128::from(self.kind.clock_rate()) / 1_000_000;
        let timestamp = (ticks % (1u128 << 32)) as u32;
        let header = |seq, frag_index, parity| PacketHeader {
            kind: self.kind,
            keyframe,
            parity,
            retransmission: false,
            seq,
            frame_id: self.frame_id,
            timestamp,
            frag_index,
            frag_count,
        };
        let group = usize::from(self.fec_group);
        let mut packets = Vec::with_capacity(count + count.div_ceil(group.max(1)));
        for (payload, frag_index) in frame.chunks(chunk).zip(0u16..) {
            packets.push(Packet {
                header: header(self.seq, frag_index, false),
                payload: payload.to_vec(),
            });
            self.seq = self.seq.wrapping_add(1);
        }
        if group > 0 {
            for (chunks, group_index) in frame.chunks(chunk * group).zip(0u16..) {
                let mut parity = Parity::new(self.fec_group);
                chunks.chunks(chunk).for_each(|c| parity.add(c));
                packets.push(Packet {
                    header: header(self.seq, group_index, true),
                    payload: parity.into_bytes(),
                });
                self.seq = self.seq.wrapping_add(1);
            }
        }
        self.frame_id = self.frame_id.wrapping_add(1);
        Ok(packets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fragments_fit_a_datagram_and_reassemble(len in 1usize..20_000) {
            let frame: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let mut p = Packetizer::new(StreamKind::Video, 65_530).with_fec(4);
            let packets = p.packetize(&frame, Duration::from_millis(1000), true).expect("packetize");
            prop_assert!(packets.iter().all(|p| p.to_bytes().len() <= MAX_DATAGRAM));
            let joined: Vec<u8> = packets.iter().filter(|p| !p.header.parity).flat_map(|p| p.payload.clone()).collect();
            prop_assert_eq!(joined, frame);
            prop_assert!(packets.iter().all(|p| p.header.timestamp == 90_000));
            let data = packets.iter().filter(|p| !p.header.parity).count();
            prop_assert_eq!(packets.len() - data, data.div_ceil(4));
            let seqs: Vec<u16> = packets.iter().map(|p| p.header.seq).collect();
            for w in seqs.windows(2) {
                prop_assert_eq!(w[1], w[0].wrapping_add(1));
            }
        }
    }

    #[test]
    fn frames_beyond_the_fragment_limit_are_refused() {
        let mut p = Packetizer::new(StreamKind::Video, 0);
        let huge = vec![0u8; MAX_FRAGMENT * MAX_FRAGMENTS + 1];
        assert!(matches!(
            p.packetize(&huge, Duration::ZERO, true),
            Err(MediaError::FrameTooLarge(_))
        ));
    }

    #[test]
    fn frame_ids_advance_per_frame_and_empty_frames_are_skipped() {
        let mut p = Packetizer::new(StreamKind::Audio, 0);
        assert!(p
            .packetize(&[], Duration::ZERO, false)
            .expect("empty")
            .is_empty());
        let a = p.packetize(&[1], Duration::ZERO, false).expect("a");
        let b = p
            .packetize(&[2], Duration::from_millis(20), false)
            .expect("b");
        assert_eq!((a[0].header.frame_id, b[0].header.frame_id), (0, 1));
        assert_eq!(b[0].header.timestamp, 960);
    }
}
