//! Call signals: what the devices of a call's two accounts tell each other to ring, answer
//! and end a call. They travel sealed for the chat's MLS group (see
//! [`crate::e2e::exporter`]), so the server forwards them without reading them, and they
//! are never stored.

use serde::{Deserialize, Serialize};

const SIGNAL_V1: u8 = 1;

/// A call's id, chosen at random by the device that places it. Two calls placed at once
/// (glare) are told apart, and ordered, by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CallId(pub u64);

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// One step of a call, as its devices tell each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signal {
    /// The caller's device places a call.
    Offer {
        /// The call.
        call: CallId,
        /// With video.
        video: bool,
    },
    /// A device of the callee rings.
    Ringing {
        /// The call.
        call: CallId,
    },
    /// A device of the callee answered: the call is between it and the caller's device.
    Accept {
        /// The call.
        call: CallId,
    },
    /// A device of the callee declined.
    Decline {
        /// The call.
        call: CallId,
    },
    /// A device of the callee is in another call.
    Busy {
        /// The call.
        call: CallId,
    },
    /// The caller gave up before it was answered (or nobody answered in time).
    Cancel {
        /// The call.
        call: CallId,
    },
    /// Either side ended the call after it was answered.
    Hangup {
        /// The call.
        call: CallId,
    },
}

impl Signal {
    /// The call it belongs to.
    pub fn call(&self) -> CallId {
        match *self {
            Signal::Offer { call, .. }
            | Signal::Ringing { call }
            | Signal::Accept { call }
            | Signal::Decline { call }
            | Signal::Busy { call }
            | Signal::Cancel { call }
            | Signal::Hangup { call } => call,
        }
    }

    /// The signal's bytes before sealing: a version byte, then postcard.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![SIGNAL_V1];
        // A small enum of integers always serializes.
        out.extend(postcard::to_stdvec(self).unwrap_or_default());
        out
    }

    /// Reads a signal; `None` for bytes of another version or not a signal.
    pub fn decode(bytes: &[u8]) -> Option<Signal> {
        match bytes.split_first() {
            Some((&SIGNAL_V1, rest)) => postcard::from_bytes(rest).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_round_trips_and_other_bytes_are_refused() {
        let call = CallId(0xfeed_beef);
        for signal in [
            Signal::Offer { call, video: true },
            Signal::Ringing { call },
            Signal::Accept { call },
            Signal::Decline { call },
            Signal::Busy { call },
            Signal::Cancel { call },
            Signal::Hangup { call },
        ] {
            let bytes = signal.encode();
            assert_eq!(Signal::decode(&bytes), Some(signal));
            assert_eq!(signal.call(), call);
        }
        assert_eq!(Signal::decode(&[]), None);
        assert_eq!(Signal::decode(&[2, 0, 1]), None);
        assert_eq!(Signal::decode(&[SIGNAL_V1, 200]), None);
    }
}
