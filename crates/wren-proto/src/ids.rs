//! Identifier newtypes, so that a chat id can never be passed where a sequence number goes.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A user account on the server.
    AccountId
);
id_type!(
    /// One signed-in device of an account; each has its own token.
    DeviceId
);
id_type!(
    /// A direct chat or a group.
    ChatId
);
id_type!(
    /// A broadcast channel.
    ChannelId
);
id_type!(
    /// An advertising campaign.
    CampaignId
);
id_type!(
    /// Position in one chat's or channel's log. Every message or event gets the next `seq`.
    Seq
);
id_type!(
    /// Position in one account's update log; monotonically increasing, gap-free.
    Pts
);
id_type!(
    /// Chosen by the client for each request; the response carries the same id.
    RequestId
);
id_type!(
    /// Chosen at random by the sender for each message; makes resends idempotent.
    ClientMsgId
);

impl Seq {
    /// The sequence number after this one.
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

impl Pts {
    /// The update-log position after this one.
    pub fn next(self) -> Pts {
        Pts(self.0 + 1)
    }
}
