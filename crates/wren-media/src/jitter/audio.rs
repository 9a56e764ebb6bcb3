//! The audio jitter buffer: one decision per 20 ms playout slot.
//!
//! Each slot is played from its packet if it arrived; from the FEC data of the next packet if
//! only that one arrived; with packet loss concealment if it was lost; or as comfort noise if
//! the sender was in DTX (no sequence number is missing). Whether a silent stretch was loss or
//! DTX is not always known when the slot is due; such slots are concealed and counted once the
//! next packet tells. The playout offset adapts one frame at a time: an extra concealed frame
//! ([`AudioPlayout::Expand`]) when the network got slower, a dropped frame when it got faster.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::jitter::delay::DelayEstimator;
use crate::jitter::{media_micros, micros, to_duration};
use crate::packet::{Packet, StreamKind, Unwrapper};

const FRAME_TICKS: u64 = 960;
const FRAME_US: i64 = 20_000;
const RATE: u32 = 48_000;
/// Grow the offset when it is this far below target.
const EXPAND_BELOW: i64 = 5_000;
/// Shrink the offset when it is this far above target.
const SHRINK_ABOVE: i64 = 30_000;

/// What to do for one playout slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioPlayout {
    /// Decode this packet.
    Packet(Vec<u8>),
    /// The slot's packet was lost; decode the FEC data in this (following) packet.
    Fec(Vec<u8>),
    /// The slot's packet was lost or has not arrived; conceal.
    Conceal,
    /// The sender sent nothing (DTX); play comfort noise.
    Silence,
    /// Play one concealed frame without consuming a slot, to grow the buffer.
    Expand,
}

/// One playout decision and the media time it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioSlot {
    /// Capture time, on the sender's clock, of the audio this slot plays.
    pub capture_time: Duration,
    /// What to play.
    pub playout: AudioPlayout,
}

/// Counters kept by the [`AudioJitterBuffer`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AudioJitterStats {
    /// Packets pushed.
    pub received: u64,
    /// Packets that arrived after their slot was played.
    pub late: u64,
    /// Packets received twice.
    pub duplicates: u64,
    /// Slots played from their own packet.
    pub decoded: u64,
    /// Slots rebuilt from forward error correction.
    pub fec_recovered: u64,
    /// Slots concealed because their packet was lost.
    pub concealed: u64,
    /// Slots the sender skipped with DTX.
    pub dtx: u64,
    /// Frames inserted to grow the buffer.
    pub expanded: u64,
    /// Frames dropped to shrink the buffer.
    pub shrunk: u64,
}

/// Reorders audio packets and decides, slot by slot, what to play.
#[derive(Debug, Clone)]
pub struct AudioJitterBuffer {
    estimator: DelayEstimator,
    ts: Unwrapper,
    seq: Unwrapper,
    slots: BTreeMap<u64, (u64, Vec<u8>)>,
    next_ts: Option<u64>,
    offset: i64,
    floor: i64,
    last_seq: Option<u64>,
    unknown: u64,
    stats: AudioJitterStats,
}

impl Default for AudioJitterBuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl AudioJitterBuffer {
    /// An empty buffer covering the 95th percentile of transit times plus 10 ms.
    pub fn new() -> Self {
        Self {
            estimator: DelayEstimator::new(100, 0.95, Duration::from_millis(10)),
            ts: Unwrapper::u32(),
            seq: Unwrapper::u16(),
            slots: BTreeMap::new(),
            next_ts: None,
            offset: 0,
            floor: i64::MIN,
            last_seq: None,
            unknown: 0,
            stats: AudioJitterStats::default(),
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> AudioJitterStats {
        self.stats
    }

    /// The playout offset this stream needs on its own, once packets arrived.
    pub fn target_delay(&self) -> Option<Duration> {
        self.estimator.target().map(to_duration)
    }

    /// The playout offset in use.
    pub fn current_delay(&self) -> Duration {
        to_duration(self.offset)
    }

    /// A lower bound for the offset, set by [`crate::jitter::AvSync`].
    pub fn set_sync_floor(&mut self, floor: Duration) {
        self.floor = micros(floor);
    }

    fn target(&self) -> i64 {
        self.estimator.target().unwrap_or(0).max(self.floor)
    }

    /// Accepts one received audio packet.
    pub fn push(&mut self, packet: Packet, now: Duration) {
        let h = packet.header;
        if h.kind != StreamKind::Audio || h.frag_count != 1 || h.parity {
            tracing::debug!(?h, "audio jitter buffer ignores this packet");
            return;
        }
        let ts = self.ts.unwrap(u64::from(h.timestamp));
        let seq = self.seq.unwrap(u64::from(h.seq));
        self.stats.received += 1;
        self.estimator.record(micros(now) - media_micros(ts, RATE));
        let next = match self.next_ts {
            Some(next) => next,
            None => {
                self.next_ts = Some(ts);
                self.offset = self.target();
                ts
            }
        };
        if ts < next {
            self.stats.late += 1;
            return;
        }
        if self.slots.contains_key(&ts) {
            self.stats.duplicates += 1;
            return;
        }
        self.settle_unknown(seq);
        self.slots.insert(ts, (seq, packet.payload));
    }

    /// Attributes slots concealed without knowing why, now that `seq` tells how many
    /// packets went missing.
    fn settle_unknown(&mut self, seq: u64) {
        if self.unknown == 0 {
            return;
        }
        let missing = self.last_seq.map_or(0, |last| seq.saturating_sub(last + 1));
        let lost = missing.min(self.unknown);
        self.stats.concealed += lost;
        self.stats.dtx += self.unknown - lost;
        self.last_seq = self.last_seq.map(|last| last + lost);
        self.unknown = 0;
    }

    /// When the next slot is due, once playout has started.
    pub fn next_due(&self) -> Option<Duration> {
        let next = self.next_ts?;
        Some(to_duration(
            media_micros(next, RATE).saturating_add(self.offset),
        ))
    }

    /// Returns the next slot due at `now`; call until `None`.
    pub fn pop(&mut self, now: Duration) -> Option<AudioSlot> {
        let mut next = self.next_ts?;
        if micros(now) < media_micros(next, RATE).saturating_add(self.offset) {
            return None;
        }
        let target = self.target();
        if self.offset < target - EXPAND_BELOW {
            self.offset += FRAME_US;
            self.stats.expanded += 1;
            return Some(self.slot(next, AudioPlayout::Expand));
        }
        if self.offset > target + SHRINK_ABOVE && self.slots.contains_key(&(next + FRAME_TICKS)) {
            if let Some((seq, _)) = self.slots.remove(&next) {
                self.last_seq = Some(seq);
                self.offset -= FRAME_US;
                self.stats.shrunk += 1;
                next += FRAME_TICKS;
            }
        }
        self.next_ts = Some(next + FRAME_TICKS);
        let playout = self.decide(next);
        Some(self.slot(next, playout))
    }

    fn decide(&mut self, ts: u64) -> AudioPlayout {
        if let Some((seq, payload)) = self.slots.remove(&ts) {
            self.last_seq = Some(seq);
            self.stats.decoded += 1;
            return AudioPlayout::Packet(payload);
        }
        let Some((&following_ts, (following_seq, payload))) = self.slots.range(ts + 1..).next()
        else {
            self.unknown += 1;
            return AudioPlayout::Conceal;
        };
        let last = self.last_seq;
        let missing = last.map_or(1, |l| following_seq.saturating_sub(l + 1));
        if missing == 0 {
            self.stats.dtx += 1;
            return AudioPlayout::Silence;
        }
        if following_ts == ts + FRAME_TICKS {
            self.last_seq = Some(following_seq - 1);
            self.stats.fec_recovered += 1;
            return AudioPlayout::Fec(payload.clone());
        }
        self.last_seq = Some(last.map_or(following_seq - 1, |l| l + 1));
        self.stats.concealed += 1;
        AudioPlayout::Conceal
    }

    fn slot(&self, ts: u64, playout: AudioPlayout) -> AudioSlot {
        AudioSlot {
            capture_time: to_duration(media_micros(ts, RATE)),
            playout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Packetizer;

    const MS: Duration = Duration::from_millis(1);

    fn packets(n: u32) -> Vec<Packet> {
        let mut p = Packetizer::new(StreamKind::Audio, 65_530);
        (0..n)
            .map(|i| {
                let mut v = p
                    .packetize(&[i as u8], MS * 20 * i, false)
                    .expect("packetize");
                v.remove(0)
            })
            .collect()
    }

    /// Pops every slot due up to `until` on a 20 ms tick, starting at `from`.
    fn drain(jb: &mut AudioJitterBuffer, from: Duration, until: Duration) -> Vec<AudioPlayout> {
        let mut out = Vec::new();
        let mut now = from;
        while now <= until {
            while let Some(slot) = jb.pop(now) {
                out.push(slot.playout);
            }
            now += MS * 20;
        }
        out
    }

    #[test]
    fn reorders_and_plays_every_packet() {
        let mut jb = AudioJitterBuffer::new();
        let mut ps = packets(6);
        ps.swap(2, 3);
        for p in ps {
            jb.push(p, Duration::ZERO + MS * 30);
        }
        let out = drain(&mut jb, MS * 30, MS * 300);
        let payloads: Vec<u8> = out
            .iter()
            .filter_map(|p| match p {
                AudioPlayout::Packet(v) => Some(v[0]),
                _ => None,
            })
            .collect();
        assert_eq!(payloads, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(jb.stats().decoded, 6);
    }

    #[test]
    fn a_lost_packet_is_rebuilt_from_fec_and_two_lost_are_concealed_first() {
        let mut jb = AudioJitterBuffer::new();
        for (i, p) in packets(8).into_iter().enumerate() {
            if ![2, 5, 6].contains(&i) {
                jb.push(p, MS * (20 * i as u32 + 5));
            }
        }
        let out = drain(&mut jb, Duration::ZERO, MS * 400);
        assert_eq!(out[2], AudioPlayout::Fec(vec![3]));
        assert_eq!(out[5], AudioPlayout::Conceal);
        assert_eq!(out[6], AudioPlayout::Fec(vec![7]));
        let stats = jb.stats();
        assert_eq!((stats.fec_recovered, stats.concealed, stats.dtx), (2, 1, 0));
    }

    #[test]
    fn dtx_gaps_are_silence_not_loss() {
        let mut p = Packetizer::new(StreamKind::Audio, 0);
        let mut jb = AudioJitterBuffer::new();
        // Frames 0 and 1, then the sender is silent until frame 10: no sequence gap.
        for (i, frame) in [0u32, 1, 10, 11].into_iter().enumerate() {
            let packet = p
                .packetize(&[i as u8], MS * 20 * frame, false)
                .expect("p")
                .remove(0);
            jb.push(packet, MS * (20 * frame + 1));
        }
        let out = drain(&mut jb, Duration::ZERO, MS * 300);
        let silence = out.iter().filter(|p| **p == AudioPlayout::Silence).count();
        assert_eq!(silence, 8);
        assert_eq!(jb.stats().concealed, 0);
    }

    #[test]
    fn slots_concealed_in_the_dark_are_settled_when_the_next_packet_arrives() {
        let mut jb = AudioJitterBuffer::new();
        let ps = packets(10);
        jb.push(ps[0].clone(), MS);
        // Nothing more arrives for a while: slots 1..=4 are concealed without knowing why.
        let dark = drain(&mut jb, Duration::ZERO, MS * 90);
        assert!(dark.iter().filter(|p| **p == AudioPlayout::Conceal).count() >= 3);
        // Packet 9 arrives: 8 packets are missing, so every dark slot was a loss.
        jb.push(ps[9].clone(), MS * 200);
        assert_eq!(jb.stats().dtx, 0);
        assert!(jb.stats().concealed >= 3);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_packets_never_panic_and_slots_move_forward(
            packets in proptest::collection::vec(
                (proptest::prelude::any::<u16>(), 0u32..200, 0u64..60),
                0..100,
            )
        ) {
            let mut jb = AudioJitterBuffer::new();
            let mut p = Packetizer::new(StreamKind::Audio, 0);
            let mut now = Duration::ZERO;
            let mut last = None;
            for (seq, frame, gap) in packets {
                let mut packet = p.packetize(&[1], MS * 20 * frame, false).expect("p").remove(0);
                packet.header.seq = seq;
                now += MS * gap as u32;
                jb.push(packet, now);
                while let Some(slot) = jb.pop(now) {
                    proptest::prop_assert!(last.is_none_or(|l| slot.capture_time >= l));
                    last = Some(slot.capture_time);
                }
            }
        }
    }

    #[test]
    fn late_packets_are_dropped_and_the_delay_grows() {
        let mut jb = AudioJitterBuffer::new();
        let ps = packets(40);
        let mut expanded = 0;
        for (i, p) in ps.into_iter().enumerate() {
            let sent = MS * 20 * i as u32;
            // From packet 10 on the network adds 60 ms more delay.
            let arrival = sent + if i < 10 { MS * 5 } else { MS * 65 };
            jb.push(p, arrival);
            while let Some(slot) = jb.pop(arrival) {
                if slot.playout == AudioPlayout::Expand {
                    expanded += 1;
                }
            }
        }
        assert!(expanded >= 2, "{expanded} expansions");
        assert!(jb.current_delay() >= MS * 60, "{:?}", jb.current_delay());
    }
}
