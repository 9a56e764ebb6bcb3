//! Messages from the receiver back to the sender, and their bytes on the wire.

const NACK: u8 = 1;
const KEYFRAME_REQUEST: u8 = 2;
/// Sequence numbers one NACK carries at most (the rest wait for the next one).
pub(crate) const MAX_NACKS: usize = 256;

/// What a receiver asks of the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// Retransmit these video sequence numbers.
    Nack(Vec<u16>),
    /// Encode the next video frame as a keyframe.
    KeyframeRequest,
}

impl Feedback {
    /// The wire form: a kind byte, then for a NACK its sequence numbers (little-endian,
    /// at most [`MAX_NACKS`]).
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
        }
    }

    /// Reads the wire form; `None` for anything else.
    pub fn parse(bytes: &[u8]) -> Option<Feedback> {
        match bytes.split_first()? {
            (&KEYFRAME_REQUEST, []) => Some(Feedback::KeyframeRequest),
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
    }
}
