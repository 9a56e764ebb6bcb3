//! Who is online on the other nodes, as they say: a notice when an account's first
//! connection to a node opens or its last one closes, and every [`HEARTBEAT`] the node's
//! whole list (in chunks), which corrects any notice lost on the way. A node not heard from
//! for [`NODE_TIMEOUT`] is taken for dead, with its accounts.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};
use wren_proto::AccountId;

/// How often a node sends its list of online accounts.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(10);
/// How long a silent node's accounts still count as online.
pub(crate) const NODE_TIMEOUT: Duration = Duration::from_secs(30);
/// Accounts one heartbeat notice lists at most (a notice must fit one NATS message).
pub(crate) const HEARTBEAT_CHUNK: usize = 100_000;

/// What one other node said.
#[derive(Debug)]
struct Node {
    heard: Instant,
    accounts: HashSet<AccountId>,
    /// The heartbeat being received: its generation and the accounts of its chunks so far.
    pending: Option<(u64, HashSet<AccountId>)>,
}

/// The online accounts of the other nodes.
#[derive(Debug, Default)]
pub(crate) struct RemotePresence {
    nodes: HashMap<u64, Node>,
}

impl RemotePresence {
    fn node(&mut self, node: u64, now: Instant) -> &mut Node {
        let state = self.nodes.entry(node).or_insert_with(|| Node {
            heard: now,
            accounts: HashSet::new(),
            pending: None,
        });
        state.heard = now;
        state
    }

    /// `node` says `account` came online there (`true`) or left it.
    pub(crate) fn online(&mut self, node: u64, account: AccountId, online: bool, now: Instant) {
        let state = self.node(node, now);
        let sets = std::iter::once(&mut state.accounts)
            .chain(state.pending.as_mut().map(|(_, pending)| pending));
        for set in sets {
            if online {
                set.insert(account);
            } else {
                set.remove(&account);
            }
        }
    }

    /// A chunk of `node`'s heartbeat `generation`; the `last` chunk makes the list whole.
    pub(crate) fn heartbeat(
        &mut self,
        node: u64,
        generation: u64,
        accounts: Vec<AccountId>,
        last: bool,
        now: Instant,
    ) {
        let state = self.node(node, now);
        if state.pending.as_ref().map(|(g, _)| *g) != Some(generation) {
            state.pending = Some((generation, HashSet::new()));
        }
        if let Some((_, pending)) = &mut state.pending {
            pending.extend(accounts);
        }
        if last {
            if let Some((_, whole)) = state.pending.take() {
                state.accounts = whole;
            }
        }
    }

    /// Forgets the nodes not heard from for [`NODE_TIMEOUT`].
    pub(crate) fn expire(&mut self, now: Instant) {
        self.nodes
            .retain(|_, node| now.saturating_duration_since(node.heard) < NODE_TIMEOUT);
    }

    /// Whether another node has `account` online.
    pub(crate) fn is_online(&self, account: AccountId) -> bool {
        self.nodes.values().any(|n| n.accounts.contains(&account))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: AccountId = AccountId(1);
    const B: AccountId = AccountId(2);

    #[test]
    fn notices_add_and_remove_and_a_silent_node_takes_its_accounts_along() {
        let start = Instant::now();
        let mut remote = RemotePresence::default();
        remote.online(7, A, true, start);
        remote.online(8, A, true, start);
        remote.online(7, A, false, start);
        assert!(remote.is_online(A), "still online on node 8");
        remote.online(8, A, false, start);
        assert!(!remote.is_online(A));

        remote.online(7, B, true, start);
        remote.expire(start + NODE_TIMEOUT - Duration::from_secs(1));
        assert!(remote.is_online(B));
        remote.expire(start + NODE_TIMEOUT);
        assert!(!remote.is_online(B), "node 7 went silent");
    }

    #[test]
    fn a_whole_heartbeat_replaces_what_lost_notices_left_wrong() {
        let now = Instant::now();
        let mut remote = RemotePresence::default();
        remote.online(7, A, true, now);
        // A's "offline" was lost; B's "online" too. The heartbeat comes in two chunks.
        remote.heartbeat(7, 1, vec![], false, now);
        assert!(
            remote.is_online(A),
            "a partial heartbeat changes nothing yet"
        );
        remote.heartbeat(7, 1, vec![B], true, now);
        assert!(!remote.is_online(A));
        assert!(remote.is_online(B));
        // A chunk of an older generation that arrives late starts over.
        remote.heartbeat(7, 2, vec![A], false, now);
        remote.heartbeat(7, 3, vec![B], true, now);
        assert!(!remote.is_online(A));
    }
}
