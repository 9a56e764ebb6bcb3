//! The 16-byte media packet header and its wire format.
//!
//! ```text
//! 0      version (high nibble) | stream kind (low nibble)
//! 1      flags: bit 0 = keyframe, bit 1 = parity (FEC) packet, bit 2 = retransmission
//! 2..4   sequence number (per stream, per datagram), big endian
//! 4..8   frame id (per stream, per encoded frame)
//! 8..12  media timestamp (48 kHz for audio, 90 kHz for video)
//! 12..14 fragment index (for a parity packet: the index of the group it protects)
//! 14..16 fragment count (data fragments in the frame)
//! ```

use crate::error::{MediaError, Result};

/// Largest datagram the engine produces, header included: it leaves room for SFrame's
/// header and tag and a QUIC datagram's framing within the 1,200 bytes every QUIC path
/// carries.
pub const MAX_DATAGRAM: usize = 1100;
/// Bytes of header in front of every payload.
pub const HEADER_LEN: usize = 16;
const VERSION: u8 = 1;

/// Which media stream a packet belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamKind {
    /// Opus audio, 48 kHz timestamps.
    Audio,
    /// H.264 video, 90 kHz timestamps.
    Video,
}

impl StreamKind {
    /// Timestamp ticks per second for this stream.
    pub fn clock_rate(self) -> u32 {
        match self {
            Self::Audio => 48_000,
            Self::Video => 90_000,
        }
    }
}

/// Everything in front of the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketHeader {
    /// Stream this packet belongs to.
    pub kind: StreamKind,
    /// The frame is a keyframe a decoder can start from.
    pub keyframe: bool,
    /// This is a parity packet protecting a group of the frame's fragments
    /// (see [`crate::packet::Parity`]); `frag_index` is then the group index.
    pub parity: bool,
    /// This is a packet sent again on request (the receiver's loss count leaves it out).
    pub retransmission: bool,
    /// Per-datagram sequence number.
    pub seq: u16,
    /// Per-frame identifier, shared by all fragments of a frame.
    pub frame_id: u32,
    /// Capture time in [`StreamKind::clock_rate`] ticks (wrapping).
    pub timestamp: u32,
    /// Index of this fragment within its frame.
    pub frag_index: u16,
    /// Number of fragments in the frame.
    pub frag_count: u16,
}

/// A header and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The header.
    pub header: PacketHeader,
    /// The fragment of the encoded frame.
    pub payload: Vec<u8>,
}

impl Packet {
    /// Serializes the packet for the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let h = &self.header;
        let mut out = Vec::with_capacity(HEADER_LEN + self.payload.len());
        let kind = match h.kind {
            StreamKind::Audio => 0,
            StreamKind::Video => 1,
        };
        out.push(VERSION << 4 | kind);
        out.push(u8::from(h.keyframe) | u8::from(h.parity) << 1 | u8::from(h.retransmission) << 2);
        out.extend_from_slice(&h.seq.to_be_bytes());
        out.extend_from_slice(&h.frame_id.to_be_bytes());
        out.extend_from_slice(&h.timestamp.to_be_bytes());
        out.extend_from_slice(&h.frag_index.to_be_bytes());
        out.extend_from_slice(&h.frag_count.to_be_bytes());
        out.extend_from_slice(&self.payload);
        out
    }

    /// Parses a datagram, rejecting anything malformed.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < HEADER_LEN {
            return Err(MediaError::MalformedPacket("shorter than the header"));
        }
        if bytes.len() > MAX_DATAGRAM {
            return Err(MediaError::MalformedPacket("longer than a datagram"));
        }
        if bytes[0] >> 4 != VERSION {
            return Err(MediaError::MalformedPacket("unknown version"));
        }
        let kind = match bytes[0] & 0x0f {
            0 => StreamKind::Audio,
            1 => StreamKind::Video,
            _ => return Err(MediaError::MalformedPacket("unknown stream kind")),
        };
        let be16 = |i: usize| u16::from_be_bytes([bytes[i], bytes[i + 1]]);
        let be32 =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let header = PacketHeader {
            kind,
            keyframe: bytes[1] & 1 == 1,
            parity: bytes[1] & 2 == 2,
            retransmission: bytes[1] & 4 == 4,
            seq: be16(2),
            frame_id: be32(4),
            timestamp: be32(8),
            frag_index: be16(12),
            frag_count: be16(14),
        };
        if header.frag_count == 0 || header.frag_index >= header.frag_count {
            return Err(MediaError::MalformedPacket("fragment index out of range"));
        }
        Ok(Self {
            header,
            payload: bytes[HEADER_LEN..].to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header() -> PacketHeader {
        PacketHeader {
            kind: StreamKind::Video,
            keyframe: true,
            parity: false,
            retransmission: true,
            seq: 65_535,
            frame_id: 7,
            timestamp: 0xdead_beef,
            frag_index: 2,
            frag_count: 3,
        }
    }

    #[test]
    fn round_trips() {
        let packet = Packet {
            header: header(),
            payload: vec![1, 2, 3],
        };
        assert_eq!(Packet::parse(&packet.to_bytes()).expect("parse"), packet);
    }

    #[test]
    fn rejects_bad_fragment_index_and_short_input() {
        let mut h = header();
        h.frag_index = 3;
        let bytes = Packet {
            header: h,
            payload: vec![],
        }
        .to_bytes();
        assert!(Packet::parse(&bytes).is_err());
        assert!(Packet::parse(&bytes[..5]).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1300)) {
            let _ = Packet::parse(&bytes);
        }
    }
}
