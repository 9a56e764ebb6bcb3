//! Messages from the receiver back to the sender, and their bytes on the wire.

const NACK: u8 = 1;
const KEYFRAME_REQUEST: u8 = 2;
const REPORT: u8 = 3;
/// Sequence numbers one NACK carries at most (the rest wait for the next one).
pub(crate) const MAX_NACKS: usize = 256;

/// What a receiver asks of the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// Retransmit these video sequence numbers.
    Nack(Vec<u16>),
    /// Encode the next video frame as a keyframe.
    KeyframeRequest,
    /// How the path behaved lately: the sender's rate controller acts on it.
    Report(ReceiverReport),
}

/// What the receiver saw of the path over one report interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReceiverReport {
    /// Datagrams that arrived.
    pub received: u32,
    /// Datagrams that did not (by the gaps in their sequence numbers).
    pub lost: u32,
    /// How much longer datagrams took than over the interval before, in ms (one-way
    /// delay, measured against the sender's media clock): a queue filling somewhere on
    /// the path shows as growth before it shows as loss.
    pub delay_growth_ms: i16,
}

impl ReceiverReport {
    /// The share of datagrams lost, 0 to 1.
    pub fn loss(&self) -> f64 {
        let expected = u64::from(self.received) + u64::from(self.lost);
        if expected == 0 {
            0.0
        } else {
            f64::from(self.lost) / expected as f64
        }
    }
}

impl Feedback {
    /// The wire form: a kind byte, then for a NACK its sequence numbers (little-endian,
    /// at most [`MAX_NACKS`]), for a report its three numbers (little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Feedback::Nack(seqs) => {
                let seqs = &seqs[..seqs.len().min(MAX_NACKS)];
                let mut out = Vec::with_capacity(1 + 2 * seqs.len());
                out.push(NACK);
                for seq in seqs {
                    out.extend_from_slice(&seq.to_le_bytes());
                }
                out
            }
            Feedback::KeyframeRequest => vec![KEYFRAME_REQUEST],
            Feedback::Report(report) => {
                let mut out = Vec::with_capacity(11);
                out.push(REPORT);
                out.extend_from_slice(&report.received.to_le_bytes());
                out.extend_from_slice(&report.lost.to_le_bytes());
                out.extend_from_slice(&report.delay_growth_ms.to_le_bytes());
                out
            }
        }
    }

    /// Reads the wire form; `None` for anything else.
    pub fn parse(bytes: &[u8]) -> Option<Feedback> {
        match bytes.split_first()? {
            (&KEYFRAME_REQUEST, []) => Some(Feedback::KeyframeRequest),
            (&REPORT, body) if body.len() == 10 => Some(Feedback::Report(ReceiverReport {
                received: u32::from_le_bytes([body[0], body[1], body[2], body[3]]),
                lost: u32::from_le_bytes([body[4], body[5], body[6], body[7]]),
                delay_growth_ms: i16::from_le_bytes([body[8], body[9]]),
            })),
            (&NACK, seqs) if seqs.len() % 2 == 0 && seqs.len() <= 2 * MAX_NACKS => {
                Some(Feedback::Nack(
                    seqs.chunks_exact(2)
                        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                        .collect(),
                ))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_round_trips_and_other_bytes_are_refused() {
        for feedback in [
            Feedback::KeyframeRequest,
            Feedback::Nack(vec![]),
            Feedback::Nack(vec![1, 65_535, 300]),
            Feedback::Report(ReceiverReport {
                received: 700,
                lost: 31,
                delay_growth_ms: -12,
            }),
        ] {
            assert_eq!(Feedback::parse(&feedback.to_bytes()), Some(feedback));
        }
        let long = Feedback::Nack((0..1000).collect());
        assert_eq!(
            Feedback::parse(&long.to_bytes()),
            Some(Feedback::Nack((0..MAX_NACKS as u16).collect()))
        );
        assert_eq!(Feedback::parse(&[]), None);
        assert_eq!(Feedback::parse(&[NACK, 1]), None);
        assert_eq!(Feedback::parse(&[KEYFRAME_REQUEST, 0]), None);
        assert_eq!(Feedback::parse(&[9]), None);
        assert_eq!(Feedback::parse(&[REPORT, 1, 2, 3]), None);
    }
}
