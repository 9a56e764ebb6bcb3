//! The outbox state machine (no IO): which queued messages to put on the wire, and when.
//!
//! Messages of one chat go out one at a time, in the order they were written, so the
//! server stores them in that order; different chats go out in parallel. After a
//! disconnect everything unacknowledged goes out again; the server answers a resend with
//! the original position, so nothing is stored twice. Transient refusals are retried after
//! a delay; permanent ones fail the message.

use crate::content;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::{Duration, Instant};
use wren_proto::{ChatId, ClientMsgId, ErrorCode};

/// A message waiting to be stored by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxItem {
    /// Where.
    pub chat: ChatId,
    /// The idempotency key, fixed when the user sent it.
    pub client_msg_id: ClientMsgId,
    /// The plaintext content ([`crate::content`]), sealed just before it goes on the wire.
    pub body: Vec<u8>,
}

impl OutboxItem {
    /// A text message with its entities, reply and origin.
    pub fn rich(chat: ChatId, client_msg_id: ClientMsgId, body: &content::RichText) -> Self {
        OutboxItem {
            chat,
            client_msg_id,
            body: content::encode_rich(body),
        }
    }

    /// Text as it is, with its links, mentions and hashtags recognized.
    pub fn text(chat: ChatId, client_msg_id: ClientMsgId, text: &str) -> Self {
        let body = content::RichText {
            entities: content::markdown::detect(text),
            text: text.into(),
            ..content::RichText::default()
        };
        OutboxItem::rich(chat, client_msg_id, &body)
    }

    /// A call record.
    pub fn call(chat: ChatId, client_msg_id: ClientMsgId, record: &content::CallRecord) -> Self {
        OutboxItem {
            chat,
            client_msg_id,
            body: content::encode_call(record),
        }
    }

    /// An action on another message of the chat.
    pub fn action(chat: ChatId, client_msg_id: ClientMsgId, action: &content::Action) -> Self {
        OutboxItem {
            chat,
            client_msg_id,
            body: content::encode_action(action),
        }
    }
}

/// What the server said about one send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Stored.
    Stored,
    /// Refused with this code.
    Refused(ErrorCode),
}

/// What the driver must do with the result of [`Outbox::acknowledge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckAction {
    /// The message is stored: mark it sent.
    Delivered,
    /// The message will never be stored: mark it failed.
    Failed,
    /// It will be retried; nothing to record.
    WillRetry,
    /// The outbox did not have that message in flight (a late duplicate answer).
    Unknown,
}

/// The outbox state machine.
#[derive(Debug)]
pub struct Outbox {
    queues: BTreeMap<ChatId, VecDeque<OutboxItem>>,
    queued: HashSet<ClientMsgId>,
    in_flight: HashSet<ClientMsgId>,
    retry_at: BTreeMap<ChatId, Instant>,
    online: bool,
    retry_delay: Duration,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox::new(Duration::from_secs(2))
    }
}

impl Outbox {
    /// An empty outbox that waits `retry_delay` after a transient refusal.
    pub fn new(retry_delay: Duration) -> Self {
        Outbox {
            queues: BTreeMap::new(),
            queued: HashSet::new(),
            in_flight: HashSet::new(),
            retry_at: BTreeMap::new(),
            online: false,
            retry_delay,
        }
    }

    /// Adds a message that is already saved in the store; a message already queued (the
    /// same idempotency key) is not queued twice.
    pub fn push(&mut self, item: OutboxItem) {
        if self.queued.insert(item.client_msg_id) {
            self.queues.entry(item.chat).or_default().push_back(item);
        }
    }

    /// The connection is up and signed in: sending may start.
    pub fn on_connected(&mut self) {
        self.online = true;
    }

    /// The connection is gone: whatever was in flight will be sent again.
    pub fn on_disconnected(&mut self) {
        self.online = false;
        self.in_flight.clear();
    }

    /// The next message to put on the wire now, if any.
    pub fn poll_transmit(&mut self, now: Instant) -> Option<OutboxItem> {
        if !self.online {
            return None;
        }
        let in_flight = &self.in_flight;
        let retry_at = &self.retry_at;
        let item = self.queues.iter().find_map(|(chat, queue)| {
            let head = queue.front()?;
            let waiting = retry_at.get(chat).is_some_and(|at| *at > now);
            (!in_flight.contains(&head.client_msg_id) && !waiting).then(|| head.clone())
        })?;
        self.retry_at.remove(&item.chat);
        self.in_flight.insert(item.client_msg_id);
        Some(item)
    }

    /// Records the server's answer to a send.
    pub fn acknowledge(
        &mut self,
        chat: ChatId,
        id: ClientMsgId,
        outcome: SendOutcome,
        now: Instant,
    ) -> AckAction {
        if !self.in_flight.remove(&id) {
            return AckAction::Unknown;
        }
        let retry = match outcome {
            SendOutcome::Stored => false,
            SendOutcome::Refused(code) => is_transient(code),
        };
        if retry {
            // A message of an epoch that just ended goes again, sealed anew, as soon as
            // the new epoch's commit is applied.
            let delay = match outcome {
                SendOutcome::Refused(ErrorCode::StaleEpoch) => {
                    STALE_EPOCH_RETRY.min(self.retry_delay)
                }
                _ => self.retry_delay,
            };
            self.retry_at.insert(chat, now + delay);
            return AckAction::WillRetry;
        }
        if let Some(queue) = self.queues.get_mut(&chat) {
            if queue.front().is_some_and(|head| head.client_msg_id == id) {
                queue.pop_front();
                self.queued.remove(&id);
            }
            if queue.is_empty() {
                self.queues.remove(&chat);
            }
        }
        match outcome {
            SendOutcome::Stored => AckAction::Delivered,
            SendOutcome::Refused(_) => AckAction::Failed,
        }
    }

    /// The message taken by [`poll_transmit`](Self::poll_transmit) could not be sealed
    /// yet (this device is not in the chat's encryption group): it stays at the head of
    /// its chat's queue, which waits until [`release`](Self::release) or the retry delay.
    pub fn defer(&mut self, chat: ChatId, id: ClientMsgId, now: Instant) {
        if self.in_flight.remove(&id) {
            self.retry_at.insert(chat, now + self.retry_delay);
        }
    }

    /// Whatever waits in `chat`'s queue may go now.
    pub fn release(&mut self, chat: ChatId) {
        self.retry_at.remove(&chat);
    }

    /// Drops everything queued for `chat` (this account can no longer send to it); a late
    /// answer for a message that was in flight is then [`AckAction::Unknown`].
    pub fn forget_chat(&mut self, chat: ChatId) {
        self.retry_at.remove(&chat);
        for item in self.queues.remove(&chat).unwrap_or_default() {
            self.queued.remove(&item.client_msg_id);
            self.in_flight.remove(&item.client_msg_id);
        }
    }

    /// When the outbox next wants to be polled (a retry delay ending).
    pub fn poll_timeout(&self) -> Option<Instant> {
        if !self.online {
            return None;
        }
        self.retry_at.values().min().copied()
    }

    /// How many messages are waiting or in flight.
    pub fn len(&self) -> usize {
        self.queues.values().map(VecDeque::len).sum()
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }
}

fn is_transient(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::RateLimited
            | ErrorCode::ShuttingDown
            | ErrorCode::Internal
            | ErrorCode::Unauthorized
            | ErrorCode::StaleEpoch
    )
}

/// How soon a message refused for a stale MLS epoch goes again.
const STALE_EPOCH_RETRY: Duration = Duration::from_millis(100);

#[cfg(test)]
mod tests {
    use super::*;

    fn item(chat: u64, id: u64) -> OutboxItem {
        OutboxItem::text(ChatId(chat), ClientMsgId(id), &format!("m{id}"))
    }

    fn drain(outbox: &mut Outbox, now: Instant) -> Vec<u64> {
        std::iter::from_fn(|| outbox.poll_transmit(now))
            .map(|i| i.client_msg_id.0)
            .collect()
    }

    #[test]
    fn nothing_goes_out_offline_and_one_per_chat_goes_out_online() {
        let now = Instant::now();
        let mut outbox = Outbox::default();
        for (chat, id) in [(1, 1), (1, 2), (2, 3)] {
            outbox.push(item(chat, id));
        }
        assert_eq!(drain(&mut outbox, now), Vec::<u64>::new());
        outbox.on_connected();
        assert_eq!(drain(&mut outbox, now), vec![1, 3]);
        assert_eq!(
            outbox.acknowledge(ChatId(1), ClientMsgId(1), SendOutcome::Stored, now),
            AckAction::Delivered
        );
        assert_eq!(drain(&mut outbox, now), vec![2]);
    }

    #[test]
    fn the_same_message_is_never_queued_twice() {
        let now = Instant::now();
        let mut outbox = Outbox::default();
        outbox.push(item(1, 1));
        outbox.push(item(1, 1));
        assert_eq!(outbox.len(), 1);
        outbox.on_connected();
        assert_eq!(drain(&mut outbox, now), vec![1]);
        outbox.acknowledge(ChatId(1), ClientMsgId(1), SendOutcome::Stored, now);
        assert!(outbox.is_empty());
    }

    #[test]
    fn a_disconnect_resends_what_was_in_flight_in_order() {
        let now = Instant::now();
        let mut outbox = Outbox::default();
        outbox.push(item(1, 1));
        outbox.push(item(1, 2));
        outbox.on_connected();
        assert_eq!(drain(&mut outbox, now), vec![1]);
        outbox.on_disconnected();
        outbox.on_connected();
        assert_eq!(drain(&mut outbox, now), vec![1]);
        // A late answer from the old connection for the same message is still accepted once.
        assert_eq!(
            outbox.acknowledge(ChatId(1), ClientMsgId(1), SendOutcome::Stored, now),
            AckAction::Delivered
        );
        assert_eq!(
            outbox.acknowledge(ChatId(1), ClientMsgId(1), SendOutcome::Stored, now),
            AckAction::Unknown
        );
        assert_eq!(drain(&mut outbox, now), vec![2]);
    }

    #[test]
    fn a_forgotten_chat_sends_nothing_more_and_other_chats_go_on() {
        let now = Instant::now();
        let mut outbox = Outbox::default();
        for (chat, id) in [(1, 1), (1, 2), (2, 3)] {
            outbox.push(item(chat, id));
        }
        outbox.on_connected();
        assert_eq!(drain(&mut outbox, now), vec![1, 3]);
        outbox.forget_chat(ChatId(1));
        assert_eq!(outbox.len(), 1);
        assert_eq!(
            outbox.acknowledge(ChatId(1), ClientMsgId(1), SendOutcome::Stored, now),
            AckAction::Unknown
        );
        assert_eq!(drain(&mut outbox, now), Vec::<u64>::new());
        assert_eq!(
            outbox.acknowledge(ChatId(2), ClientMsgId(3), SendOutcome::Stored, now),
            AckAction::Delivered
        );
        assert!(outbox.is_empty());
    }

    #[test]
    fn transient_refusals_wait_and_permanent_ones_fail() {
        let now = Instant::now();
        let mut outbox = Outbox::new(Duration::from_secs(2));
        outbox.push(item(1, 1));
        outbox.push(item(2, 2));
        outbox.on_connected();
        assert_eq!(drain(&mut outbox, now), vec![1, 2]);
        let busy = SendOutcome::Refused(ErrorCode::RateLimited);
        assert_eq!(
            outbox.acknowledge(ChatId(1), ClientMsgId(1), busy, now),
            AckAction::WillRetry
        );
        let forbidden = SendOutcome::Refused(ErrorCode::Forbidden);
        assert_eq!(
            outbox.acknowledge(ChatId(2), ClientMsgId(2), forbidden, now),
            AckAction::Failed
        );
        assert_eq!(drain(&mut outbox, now), Vec::<u64>::new());
        assert_eq!(outbox.poll_timeout(), Some(now + Duration::from_secs(2)));
        assert_eq!(drain(&mut outbox, now + Duration::from_secs(2)), vec![1]);
        assert_eq!(outbox.len(), 1);
    }
}
