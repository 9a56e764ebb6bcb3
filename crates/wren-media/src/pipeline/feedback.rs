//! Messages from the receiver back to the sender.

/// What a receiver asks of the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// Retransmit these video sequence numbers.
    Nack(Vec<u16>),
    /// Encode the next video frame as a keyframe.
    KeyframeRequest,
}
