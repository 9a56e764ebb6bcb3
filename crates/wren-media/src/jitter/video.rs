//! The video jitter buffer: reassembly, ordering, retransmission requests and recovery.
//!
//! Fragments are collected per frame; one lost fragment per parity group is rebuilt from the
//! group's parity packet at once. Frames are released in frame-id order once complete and
//! due. A missing datagram (a gap in sequence numbers) that parity did not rebuild is asked
//! for again with a [`VideoEvent::Nack`], a few times. A frame still incomplete at its
//! deadline is lost: the decoder's reference chain is broken, so later frames are skipped
//! until a keyframe arrives, and a [`VideoEvent::KeyframeRequest`] is raised (and repeated
//! while none comes). The keyframe that ends such a freeze gets extra time to complete.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use crate::jitter::delay::DelayEstimator;
use crate::jitter::{media_micros, micros, to_duration};
use crate::packet::{Packet, Parity, StreamKind, Unwrapper, MAX_FRAGMENTS};

const RATE: u32 = 90_000;
/// Sequence gaps larger than this are not worth asking for packet by packet.
const MAX_NACK_GAP: u64 = 512;
/// Forget a missing packet after this long.
const MISSING_MAX_AGE: Duration = Duration::from_secs(1);
/// Frames held while no keyframe has started playout (about 8 s at 30 fps).
const MAX_PENDING_FRAMES: usize = 256;

/// Tuning of a [`VideoJitterBuffer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoJitterConfig {
    /// Wait this long after a gap before asking, in case it was only reordering.
    pub nack_delay: Duration,
    /// Ask again after this long (about one round trip).
    pub nack_retry: Duration,
    /// Ask for one packet at most this many times.
    pub max_nacks: u32,
    /// Repeat a keyframe request after this long without a keyframe.
    pub keyframe_retry: Duration,
    /// Added to the observed transit-time quantile.
    pub margin: Duration,
    /// Quantile of frame transit times (capture to complete) the delay covers.
    pub quantile: f64,
    /// Never delay playout more than this, even if retransmissions would need it.
    pub max_delay: Duration,
    /// Extra time given to the keyframe that ends a freeze: showing it late beats losing it.
    pub keyframe_grace: Duration,
}

impl Default for VideoJitterConfig {
    fn default() -> Self {
        Self {
            nack_delay: Duration::from_millis(15),
            nack_retry: Duration::from_millis(50),
            max_nacks: 3,
            keyframe_retry: Duration::from_millis(300),
            margin: Duration::from_millis(5),
            quantile: 0.9,
            max_delay: Duration::from_millis(130),
            keyframe_grace: Duration::from_millis(300),
        }
    }
}

/// A complete encoded frame ready for the decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssembledFrame {
    /// The frame id (unwrapped).
    pub frame_id: u64,
    /// Capture time on the sender's clock.
    pub capture_time: Duration,
    /// The frame is a keyframe.
    pub keyframe: bool,
    /// The encoded access unit.
    pub data: Vec<u8>,
}

/// What the video jitter buffer asks of its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoEvent {
    /// Decode and show this frame now.
    Frame(AssembledFrame),
    /// Ask the sender to retransmit these sequence numbers.
    Nack(Vec<u16>),
    /// Ask the sender for a keyframe.
    KeyframeRequest,
}

/// Counters kept by the [`VideoJitterBuffer`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct VideoJitterStats {
    /// Packets pushed.
    pub packets: u64,
    /// Packets received twice.
    pub duplicates: u64,
    /// Packets for frames already released or given up.
    pub late: u64,
    /// Frames whose every fragment arrived.
    pub frames_complete: u64,
    /// Frames handed to the decoder.
    pub frames_released: u64,
    /// Frames given up at their deadline.
    pub frames_lost: u64,
    /// Complete frames skipped while waiting for a keyframe.
    pub frames_skipped: u64,
    /// Sequence numbers asked for again.
    pub nacked: u64,
    /// Fragments rebuilt from parity packets.
    pub fec_recovered: u64,
    /// Keyframe requests raised.
    pub keyframe_requests: u64,
}

#[derive(Debug, Clone)]
struct Partial {
    timestamp: u64,
    keyframe: bool,
    fragments: Vec<Option<Vec<u8>>>,
    received: usize,
    parities: BTreeMap<usize, Parity>,
    /// Sequence number of fragment 0, once any data fragment arrived.
    first_seq: Option<u64>,
}

impl Partial {
    fn complete(&self) -> bool {
        self.received == self.fragments.len()
    }

    /// Rebuilds the one missing fragment of `group` from its parity, if that is possible;
    /// returns the rebuilt fragment's index.
    fn recover(&mut self, group: usize) -> Option<usize> {
        let parity = self.parities.get(&group)?;
        let size = parity.group_size();
        let start = group * size;
        let end = (start + size).min(self.fragments.len());
        let range = self.fragments.get(start..end)?;
        let mut missing = range.iter().enumerate().filter(|(_, f)| f.is_none());
        let (Some((index, _)), None) = (missing.next(), missing.next()) else {
            return None;
        };
        let mut parity = parity.clone();
        range.iter().flatten().for_each(|f| parity.add(f));
        self.fragments[start + index] = Some(parity.recover()?);
        self.received += 1;
        Some(start + index)
    }
}

#[derive(Debug, Clone, Copy)]
struct Missing {
    since: Duration,
    asked_at: Option<Duration>,
    tries: u32,
}

/// Reassembles, orders and releases video frames; see the module docs.
#[derive(Debug, Clone)]
pub struct VideoJitterBuffer {
    config: VideoJitterConfig,
    estimator: DelayEstimator,
    seq: Unwrapper,
    ts: Unwrapper,
    frame_ids: Unwrapper,
    frames: BTreeMap<u64, Partial>,
    next_frame: Option<u64>,
    waiting_keyframe: bool,
    last_keyframe_request: Option<Duration>,
    highest_seq: Option<u64>,
    missing: BTreeMap<u64, Missing>,
    floor: i64,
    events: VecDeque<VideoEvent>,
    stats: VideoJitterStats,
}

impl Default for VideoJitterBuffer {
    fn default() -> Self {
        Self::new(VideoJitterConfig::default())
    }
}

impl VideoJitterBuffer {
    /// An empty buffer.
    pub fn new(config: VideoJitterConfig) -> Self {
        Self {
            config,
            estimator: DelayEstimator::new(60, config.quantile, config.margin),
            seq: Unwrapper::u16(),
            ts: Unwrapper::u32(),
            frame_ids: Unwrapper::u32(),
            frames: BTreeMap::new(),
            next_frame: None,
            waiting_keyframe: true,
            last_keyframe_request: None,
            highest_seq: None,
            missing: BTreeMap::new(),
            floor: i64::MIN,
            events: VecDeque::new(),
            stats: VideoJitterStats::default(),
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> VideoJitterStats {
        self.stats
    }

    /// The playout offset this stream needs on its own, once frames completed.
    pub fn target_delay(&self) -> Option<Duration> {
        let cap = micros(self.config.max_delay);
        self.estimator.target().map(|t| to_duration(t.min(cap)))
    }

    /// A lower bound for the offset, set by [`crate::jitter::AvSync`].
    pub fn set_sync_floor(&mut self, floor: Duration) {
        self.floor = micros(floor);
    }

    /// The playout offset in use; none before the first frame completed.
    fn offset(&self) -> Option<i64> {
        let cap = micros(self.config.max_delay);
        self.estimator.target().map(|t| t.min(cap).max(self.floor))
    }

    fn due(&self, timestamp: u64) -> Option<i64> {
        Some(media_micros(timestamp, RATE).saturating_add(self.offset()?))
    }

    /// Accepts one received video packet.
    pub fn push(&mut self, packet: Packet, now: Duration) {
        let h = packet.header;
        if h.kind != StreamKind::Video {
            return;
        }
        self.stats.packets += 1;
        let seq = self.seq.unwrap(u64::from(h.seq));
        self.track_sequence(seq, now);
        let frame_id = self.frame_ids.unwrap(u64::from(h.frame_id));
        let timestamp = self.ts.unwrap(u64::from(h.timestamp));
        if self.next_frame.is_some_and(|next| frame_id < next) {
            // Too late to be shown, but it tells how much more delay would have been needed.
            self.stats.late += 1;
            self.estimator
                .record(micros(now) - media_micros(timestamp, RATE));
            return;
        }
        let count = usize::from(h.frag_count);
        if count > MAX_FRAGMENTS {
            tracing::debug!(count, "ignoring a frame with too many fragments");
            return;
        }
        let partial = self.frames.entry(frame_id).or_insert_with(|| Partial {
            timestamp,
            keyframe: h.keyframe,
            fragments: vec![None; count],
            received: 0,
            parities: BTreeMap::new(),
            first_seq: None,
        });
        if partial.complete() || partial.fragments.len() != count {
            self.stats.duplicates += u64::from(partial.complete());
            return;
        }
        let index = usize::from(h.frag_index);
        let group = if h.parity {
            let Some(parity) = Parity::from_bytes(&packet.payload) else {
                return;
            };
            if partial.parities.contains_key(&index) {
                self.stats.duplicates += 1;
                return;
            }
            partial.parities.insert(index, parity);
            Some(index)
        } else {
            let Some(slot) = partial.fragments.get_mut(index) else {
                return;
            };
            if slot.is_some() {
                self.stats.duplicates += 1;
                return;
            }
            *slot = Some(packet.payload);
            partial.received += 1;
            partial.first_seq = seq.checked_sub(index as u64);
            partial
                .parities
                .values()
                .next()
                .map(|p| index / p.group_size())
        };
        if let Some(index) = group.and_then(|g| partial.recover(g)) {
            self.stats.fec_recovered += 1;
            // No need to ask for what parity rebuilt.
            if let Some(first) = partial.first_seq {
                self.missing.remove(&(first + index as u64));
            }
        }
        if partial.complete() {
            self.stats.frames_complete += 1;
            let transit = micros(now) - media_micros(partial.timestamp, RATE);
            self.estimator.record(transit);
        }
    }

    fn track_sequence(&mut self, seq: u64, now: Duration) {
        let Some(highest) = self.highest_seq else {
            self.highest_seq = Some(seq);
            return;
        };
        if seq <= highest {
            self.missing.remove(&seq);
            return;
        }
        if seq - highest <= MAX_NACK_GAP {
            for gap in highest + 1..seq {
                self.missing.insert(
                    gap,
                    Missing {
                        since: now,
                        asked_at: None,
                        tries: 0,
                    },
                );
            }
        }
        self.highest_seq = Some(seq);
    }

    /// Returns the next thing to do at `now`; call until `None`.
    pub fn poll(&mut self, now: Duration) -> Option<VideoEvent> {
        self.release(now);
        self.ask_for_missing(now);
        self.ask_for_keyframe(now);
        self.events.pop_front()
    }

    /// When [`Self::poll`] next has something to do, if ever.
    pub fn poll_timeout(&self) -> Option<Duration> {
        let release = self.next_deadline().map(to_duration);
        let nack = self
            .missing
            .values()
            .filter(|m| m.tries < self.config.max_nacks)
            .map(|m| self.next_ask(m))
            .min();
        let keyframe = self
            .waiting_keyframe
            .then(|| {
                self.last_keyframe_request
                    .map(|t| t + self.config.keyframe_retry)
            })
            .flatten();
        [release, nack, keyframe].into_iter().flatten().min()
    }

    fn next_ask(&self, m: &Missing) -> Duration {
        match m.asked_at {
            None => m.since + self.config.nack_delay,
            Some(t) => t + self.config.nack_retry,
        }
    }

    /// Due time of the next frame, or the deadline after which it counts as lost.
    fn next_deadline(&self) -> Option<i64> {
        let next = self.next_frame?;
        match self.frames.get(&next) {
            Some(p) if self.waiting_keyframe && p.keyframe && !p.complete() => Some(
                self.due(p.timestamp)?
                    .saturating_add(micros(self.config.keyframe_grace)),
            ),
            Some(p) => self.due(p.timestamp),
            None => self.due(self.frames.range(next + 1..).next()?.1.timestamp),
        }
    }

    fn release(&mut self, now: Duration) {
        if self.next_frame.is_none() {
            // Start at the first keyframe seen; anything before it cannot be decoded.
            self.next_frame = self
                .frames
                .iter()
                .find(|(_, p)| p.keyframe)
                .map(|(&id, _)| id);
            match self.next_frame {
                Some(start) => self.frames.retain(|&id, _| id >= start),
                None => {
                    while self.frames.len() > MAX_PENDING_FRAMES {
                        self.frames.pop_first();
                    }
                }
            }
        }
        let now = micros(now);
        while let (Some(next), Some(deadline)) = (self.next_frame, self.next_deadline()) {
            if now < deadline {
                return;
            }
            self.next_frame = Some(next + 1);
            let complete = self.frames.get(&next).is_some_and(Partial::complete);
            let Some(partial) = self.frames.remove(&next) else {
                self.lose(next);
                continue;
            };
            if !complete {
                self.lose(next);
            } else if self.waiting_keyframe && !partial.keyframe {
                self.stats.frames_skipped += 1;
            } else {
                self.waiting_keyframe = false;
                self.stats.frames_released += 1;
                self.events.push_back(VideoEvent::Frame(AssembledFrame {
                    frame_id: next,
                    capture_time: to_duration(media_micros(partial.timestamp, RATE)),
                    keyframe: partial.keyframe,
                    data: partial.fragments.into_iter().flatten().flatten().collect(),
                }));
            }
        }
    }

    fn lose(&mut self, frame_id: u64) {
        tracing::debug!(frame_id, "video frame lost at its deadline");
        self.stats.frames_lost += 1;
        self.waiting_keyframe = true;
    }

    fn ask_for_missing(&mut self, now: Duration) {
        let config = self.config;
        let mut asked = Vec::new();
        self.missing.retain(|&seq, m| {
            let next_ask = match m.asked_at {
                None => m.since + config.nack_delay,
                Some(t) => t + config.nack_retry,
            };
            if now >= next_ask && m.tries < config.max_nacks {
                asked.push((seq & 0xffff) as u16);
                m.asked_at = Some(now);
                m.tries += 1;
            }
            m.tries < config.max_nacks && now.saturating_sub(m.since) < MISSING_MAX_AGE
                || m.asked_at == Some(now)
        });
        if !asked.is_empty() {
            self.stats.nacked += asked.len() as u64;
            self.events.push_back(VideoEvent::Nack(asked));
        }
    }

    fn ask_for_keyframe(&mut self, now: Duration) {
        // Before anything arrived there is nothing to recover from.
        if !self.waiting_keyframe || self.next_frame.is_none() && self.frames.is_empty() {
            return;
        }
        let keyframe_in_flight = self.frames.values().any(|p| p.keyframe);
        let recently = self
            .last_keyframe_request
            .is_some_and(|t| now < t + self.config.keyframe_retry);
        if keyframe_in_flight || recently {
            return;
        }
        self.last_keyframe_request = Some(now);
        self.stats.keyframe_requests += 1;
        self.events.push_back(VideoEvent::KeyframeRequest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Packetizer;

    const MS: Duration = Duration::from_millis(1);

    /// Frames of `sizes` bytes at 30 fps; frame 0 and any in `keyframes` are keyframes.
    fn stream(sizes: &[usize], keyframes: &[usize]) -> Vec<Vec<Packet>> {
        let mut p = Packetizer::new(StreamKind::Video, 100);
        sizes
            .iter()
            .enumerate()
            .map(|(i, &len)| {
                let key = i == 0 || keyframes.contains(&i);
                p.packetize(&vec![i as u8; len], MS * 33 * i as u32, key)
                    .expect("packetize")
            })
            .collect()
    }

    fn poll_all(jb: &mut VideoJitterBuffer, now: Duration) -> Vec<VideoEvent> {
        std::iter::from_fn(|| jb.poll(now)).collect()
    }

    fn released(events: &[VideoEvent]) -> Vec<u8> {
        events
            .iter()
            .filter_map(|e| match e {
                VideoEvent::Frame(f) => Some(f.data[0]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reassembles_reordered_fragments_in_frame_order() {
        let mut jb = VideoJitterBuffer::default();
        let mut packets: Vec<Packet> = stream(&[3000, 2500, 100], &[]).concat();
        packets.reverse();
        for p in packets {
            jb.push(p, MS * 80);
        }
        let events = poll_all(&mut jb, MS * 200);
        assert_eq!(released(&events), vec![0, 1, 2]);
        let VideoEvent::Frame(first) = &events[0] else {
            panic!("expected a frame first, got {events:?}");
        };
        assert_eq!(first.data.len(), 3000);
        assert!(first.keyframe);
    }

    #[test]
    fn a_gap_is_nacked_and_the_retransmission_completes_the_frame() {
        let mut jb = VideoJitterBuffer::default();
        let frames = stream(&[3000, 100, 100], &[]);
        let lost = frames[0][1].clone();
        for p in frames[0].iter().filter(|p| **p != lost) {
            jb.push(p.clone(), MS * 10);
        }
        // Within `nack_delay` the gap may still be reordering: nothing is asked yet.
        assert!(poll_all(&mut jb, MS * 20).is_empty());
        let events = poll_all(&mut jb, MS * 30);
        assert_eq!(events, vec![VideoEvent::Nack(vec![lost.header.seq])]);
        jb.push(lost, MS * 45);
        for (i, frame) in frames.iter().enumerate().skip(1) {
            for p in frame {
                jb.push(p.clone(), MS * (33 * i as u32 + 10));
            }
        }
        let events = poll_all(&mut jb, MS * 300);
        assert_eq!(released(&events), vec![0, 1, 2]);
        assert_eq!(jb.stats().frames_lost, 0);
    }

    #[test]
    fn the_keyframe_ending_a_freeze_may_arrive_late() {
        let mut jb = VideoJitterBuffer::new(VideoJitterConfig {
            max_nacks: 0,
            ..VideoJitterConfig::default()
        });
        let frames = stream(&[100, 100, 100, 3000, 100], &[3]);
        // Everything arrives 10 ms after capture, except that frame 1 is lost and the last
        // fragment of keyframe 3 comes 200 ms after its due time.
        let arrival = |frame: usize, fragment: usize| match (frame, fragment) {
            (1, _) => None,
            (3, 2) => Some(33 * 3 + 15 + 200),
            _ => Some(33 * frame as u32 + 10),
        };
        let mut events = Vec::new();
        for ms in 0..600 {
            for (i, frame) in frames.iter().enumerate() {
                for (k, p) in frame.iter().enumerate() {
                    if arrival(i, k) == Some(ms) {
                        jb.push(p.clone(), MS * ms);
                    }
                }
            }
            events.extend(poll_all(&mut jb, MS * ms));
        }
        assert_eq!(released(&events), vec![0, 3, 4]);
        assert_eq!(jb.stats().frames_skipped, 1);
    }

    #[test]
    fn one_lost_fragment_per_group_is_rebuilt_from_parity_without_a_nack() {
        let mut jb = VideoJitterBuffer::default();
        let mut p = Packetizer::new(StreamKind::Video, 0).with_fec(2);
        let frame: Vec<u8> = (0..4000).map(|i| (i % 251) as u8).collect();
        let packets = p
            .packetize(&frame, Duration::ZERO, true)
            .expect("packetize");
        assert_eq!(packets.len(), 4 + 2);
        for packet in packets
            .into_iter()
            .filter(|p| p.header.frag_index != 1 || p.header.parity)
        {
            jb.push(packet, MS * 10);
        }
        let events = poll_all(&mut jb, MS * 100);
        let VideoEvent::Frame(out) = &events[0] else {
            panic!("expected the frame first, got {events:?}");
        };
        assert_eq!(out.data, frame);
        assert_eq!(jb.stats().fec_recovered, 1);
    }

    #[test]
    fn a_lost_frame_skips_to_the_next_keyframe_and_requests_one() {
        let mut jb = VideoJitterBuffer::new(VideoJitterConfig {
            max_nacks: 0,
            ..VideoJitterConfig::default()
        });
        let frames = stream(&[100; 8], &[5]);
        let mut events = Vec::new();
        for ms in 0..400 {
            let now = MS * ms;
            for (i, frame) in frames.iter().enumerate() {
                if i != 2 && 33 * i as u32 + 10 == ms {
                    frame.iter().for_each(|p| jb.push(p.clone(), now));
                }
            }
            events.extend(poll_all(&mut jb, now));
        }
        assert_eq!(released(&events), vec![0, 1, 5, 6, 7]);
        assert!(events.contains(&VideoEvent::KeyframeRequest));
        let stats = jb.stats();
        assert_eq!((stats.frames_lost, stats.frames_skipped), (1, 2));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::packet::PacketHeader;
    use proptest::prelude::*;

    fn packet() -> impl Strategy<Value = (Packet, u64)> {
        (
            any::<u16>(),
            0u32..40,
            0u16..6,
            1u16..6,
            any::<bool>(),
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 0..40),
            0u64..200,
        )
            .prop_map(
                |(seq, frame_id, index, count, keyframe, parity, payload, gap)| {
                    let header = PacketHeader {
                        kind: StreamKind::Video,
                        keyframe,
                        parity,
                        retransmission: false,
                        seq,
                        frame_id,
                        timestamp: frame_id * 3000,
                        frag_index: index % count,
                        frag_count: count,
                    };
                    (Packet { header, payload }, gap)
                },
            )
    }

    proptest! {
        #[test]
        fn arbitrary_packets_never_panic_and_frames_come_out_in_order(
            packets in proptest::collection::vec(packet(), 0..80)
        ) {
            let mut jb = VideoJitterBuffer::default();
            let mut now = Duration::ZERO;
            let mut last = None;
            for (packet, gap) in packets {
                now += Duration::from_millis(gap);
                jb.push(packet, now);
                while let Some(event) = jb.poll(now) {
                    if let VideoEvent::Frame(frame) = event {
                        prop_assert!(last.is_none_or(|l| frame.frame_id > l));
                        last = Some(frame.frame_id);
                    }
                }
            }
        }
    }
}
