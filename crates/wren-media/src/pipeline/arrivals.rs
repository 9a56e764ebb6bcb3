//! The receiver's view of the path: which datagrams arrived, which did not, and whether
//! they are taking longer; summed up in a [`ReceiverReport`] every [`REPORT_INTERVAL`].

use std::time::Duration;

use crate::packet::{PacketHeader, StreamKind};
use crate::pipeline::feedback::ReceiverReport;

/// How often the receiver reports.
pub const REPORT_INTERVAL: Duration = Duration::from_millis(500);
/// A jump in one-way delay larger than this is a new clock (the sender restarted), not
/// a queue.
const CLOCK_JUMP_MS: f64 = 10_000.0;

/// Arrivals of one stream.
#[derive(Debug, Default)]
struct StreamArrivals {
    /// The highest sequence number seen, unwrapped.
    highest: Option<u64>,
    /// `highest` when the last report went out.
    reported: Option<u64>,
    /// Datagrams that arrived since the last report.
    received: u32,
    /// The least one-way delay (ms, against the sender's media clock) of new datagrams
    /// since the last report: it rises only when a queue stays filled (a burst such as a
    /// keyframe, or jitter, leaves some datagrams quick).
    least_delay: Option<f64>,
    /// The least delay of the interval before.
    previous_least: Option<f64>,
}

impl StreamArrivals {
    fn arrived(&mut self, header: &PacketHeader, kind: StreamKind, now: Duration) {
        if header.retransmission {
            // A repair: what the path lost the first time stays lost in the count.
            return;
        }
        self.received += 1;
        let Some(highest) = self.highest else {
            // Unwrapped from one cycle up, so that the one before the first has a number.
            let first = u64::from(header.seq) + (1 << 16);
            self.highest = Some(first);
            self.reported = Some(first - 1);
            return;
        };
        let ahead = header.seq.wrapping_sub(highest as u16) as i16;
        if ahead <= 0 {
            // Late, reordered or retransmitted: counted as arrived, not timed.
            return;
        }
        self.highest = Some(highest + ahead as u64);
        let sent_ms = f64::from(header.timestamp) * 1000.0 / f64::from(kind.clock_rate());
        let delay = now.as_secs_f64() * 1000.0 - sent_ms;
        self.least_delay = Some(self.least_delay.map_or(delay, |least| least.min(delay)));
    }

    /// Closes the interval: (expected, received, delay growth in ms if measurable).
    fn close(&mut self) -> (u64, u32, Option<f64>) {
        let expected = match (self.highest, self.reported) {
            (Some(highest), Some(reported)) => highest.saturating_sub(reported),
            _ => 0,
        };
        self.reported = self.highest;
        let received = std::mem::take(&mut self.received);
        let least = self.least_delay.take();
        let growth = match (least, self.previous_least) {
            (Some(now), Some(before)) if (now - before).abs() < CLOCK_JUMP_MS => Some(now - before),
            _ => None,
        };
        if least.is_some() {
            self.previous_least = least;
        }
        (expected, received, growth)
    }
}

/// Watches arrivals and says, every [`REPORT_INTERVAL`], how the path behaved.
#[derive(Debug, Default)]
pub struct ArrivalMonitor {
    audio: StreamArrivals,
    video: StreamArrivals,
    next_report: Option<Duration>,
}

impl ArrivalMonitor {
    /// Notes a datagram that arrived at `now`.
    pub fn arrived(&mut self, header: &PacketHeader, now: Duration) {
        match header.kind {
            StreamKind::Audio => self.audio.arrived(header, StreamKind::Audio, now),
            StreamKind::Video => self.video.arrived(header, StreamKind::Video, now),
        }
        self.next_report.get_or_insert(now + REPORT_INTERVAL);
    }

    /// When the next report is due.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.next_report
    }

    /// The report, once its interval is over (and something was expected).
    pub fn poll(&mut self, now: Duration) -> Option<ReceiverReport> {
        if self.next_report? > now {
            return None;
        }
        self.next_report = Some(now + REPORT_INTERVAL);
        let (audio_expected, audio_received, audio_growth) = self.audio.close();
        let (video_expected, video_received, video_growth) = self.video.close();
        let expected = audio_expected + video_expected;
        if expected == 0 {
            return None;
        }
        let received = u64::from(audio_received) + u64::from(video_received);
        let growth = [audio_growth, video_growth]
            .into_iter()
            .flatten()
            .fold(None, |most: Option<f64>, g| {
                Some(most.map_or(g, |m| m.max(g)))
            })
            .unwrap_or(0.0);
        Some(ReceiverReport {
            received: u32::try_from(received).unwrap_or(u32::MAX),
            lost: u32::try_from(expected.saturating_sub(received)).unwrap_or(u32::MAX),
            delay_growth_ms: growth
                .round()
                .clamp(f64::from(i16::MIN), f64::from(i16::MAX))
                as i16,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: StreamKind, seq: u16, sent: Duration) -> PacketHeader {
        let ticks = sent.as_secs_f64() * f64::from(kind.clock_rate());
        PacketHeader {
            kind,
            keyframe: false,
            parity: false,
            retransmission: false,
            seq,
            frame_id: 0,
            timestamp: ticks as u32,
            frag_index: 0,
            frag_count: 1,
        }
    }

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn gaps_in_sequence_numbers_are_losses_and_a_filling_queue_is_delay_growth() {
        let mut monitor = ArrivalMonitor::default();
        // 50 audio packets every 10 ms, a steady 20 ms apart on the path; 5 lost.
        for n in 0..50u16 {
            if n % 10 == 3 {
                continue;
            }
            let sent = MS * 10 * u32::from(n);
            monitor.arrived(
                &header(StreamKind::Audio, n.wrapping_add(65_530), sent),
                sent + MS * 20,
            );
        }
        let first = monitor.poll(MS * 520).expect("a report");
        assert_eq!((first.received, first.lost), (45, 5));
        assert_eq!(first.delay_growth_ms, 0, "nothing to compare with yet");
        // The next 50 each wait 1 ms longer than the one before: a queue filling (the
        // first of them, the quickest, 1 ms more than before).
        for n in 50..100u16 {
            let sent = MS * 10 * u32::from(n);
            let queued = MS * u32::from(n - 49);
            monitor.arrived(
                &header(StreamKind::Audio, n.wrapping_add(65_530), sent),
                sent + MS * 20 + queued,
            );
        }
        let second = monitor.poll(MS * 1100).expect("a report");
        assert_eq!((second.received, second.lost), (50, 0), "across the wrap");
        assert_eq!(
            second.delay_growth_ms, 1,
            "the least delay up by 1 ms: {second:?}"
        );
        assert_eq!(monitor.poll(MS * 1200), None, "not due");
        // It keeps filling: now every datagram of the interval waits 50 ms longer.
        for n in 100..150u16 {
            let sent = MS * 10 * u32::from(n);
            let queued = MS * u32::from(n - 49);
            monitor.arrived(
                &header(StreamKind::Audio, n.wrapping_add(65_530), sent),
                sent + MS * 20 + queued,
            );
        }
        let third = monitor.poll(MS * 1700).expect("a report");
        assert_eq!(third.delay_growth_ms, 50, "{third:?}");
    }

    #[test]
    fn reordering_is_not_loss_and_a_repair_does_not_hide_one() {
        let mut monitor = ArrivalMonitor::default();
        for n in [0u16, 1, 3, 2, 5] {
            monitor.arrived(
                &header(StreamKind::Video, n, MS * 33 * u32::from(n)),
                MS * 500,
            );
        }
        let mut repair = header(StreamKind::Video, 4, MS * 132);
        repair.retransmission = true;
        monitor.arrived(&repair, MS * 520);
        let report = monitor.poll(MS * 1000).expect("a report");
        assert_eq!((report.received, report.lost), (5, 1));
        assert_eq!(monitor.poll(MS * 2000), None, "nothing expected, no report");
    }
}
