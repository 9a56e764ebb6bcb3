//! The store test suite: one set of tests that every backend of the [`Store`] trait
//! passes. A backend's test module runs them all with `store_suite!(backend())`, where
//! `backend()` gives a fresh, empty backend; tests of what only one backend has (its
//! reader pool, its file) stay in that backend's module.

#![allow(clippy::unwrap_used)]

use crate::store::{Delivery, NewDevice, Store, StoreError, UpdateSink, WriteOp, WriteOutcome};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wren_proto::{
    AccountId, ChatId, ClientMsgId, DeviceId, Difference, ErrorCode, Pts, Seq, Update,
};

/// A backend the suite runs on.
pub(crate) trait Backend {
    /// Opens the backend's store, publishing to `sink`: empty the first time, and as the
    /// last store left it after that (the suite shuts a store down before reopening).
    async fn open(&self, sink: Arc<dyn UpdateSink>) -> Arc<dyn Store>;
    /// How many rows the table holds, to check what the store keeps.
    async fn count_rows(&self, table: &str) -> u64;
}

/// Runs every test of the suite on fresh backends made by the expression given.
macro_rules! store_suite {
    ($backend:expr) => {
        store_suite!(@each $backend;
            seq_and_pts_are_gap_free_under_concurrent_writes,
            a_refused_op_in_a_batch_does_not_undo_the_others,
            resends_are_idempotent,
            a_reopened_store_keeps_everything,
            difference_rebuilds_messages_in_their_current_state,
            pruning_keeps_every_update_a_client_can_still_ask_for,
            the_chat_list_comes_in_pages_that_fit_a_frame,
            claims_in_one_batch_never_share_a_key_package,
            a_new_display_name_reaches_everyone_who_shares_a_chat_once_and_survives_difference
        );
    };
    (@each $backend:expr; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $test() {
                $crate::store::suite::$test(&$backend).await;
            }
        )*
    };
}
pub(crate) use store_suite;

/// Remembers every published delivery, in publish order, and the size of every commit.
#[derive(Default)]
pub(crate) struct Collect(Mutex<Vec<Delivery>>, Mutex<Vec<usize>>);

impl UpdateSink for Collect {
    fn publish(&self, deliveries: &[Delivery]) {
        self.0.lock().unwrap().extend_from_slice(deliveries);
    }

    fn committed(&self, writes: usize) {
        self.1.lock().unwrap().push(writes);
    }

    fn publish_channel(&self, _: &std::sync::Arc<wren_proto::ChannelPush>) {}

    fn rows_written(&self, _: &'static str, _: u64) {}
}

impl Collect {
    fn pts_of(&self, account: AccountId) -> Vec<u64> {
        let all = self.0.lock().unwrap();
        all.iter()
            .filter(|d| d.account == account)
            .map(|d| d.pts.0)
            .collect()
    }
}

/// Opens the backend's store with a sink that remembers what it publishes.
pub(crate) async fn open(backend: &impl Backend) -> (Arc<dyn Store>, Arc<Collect>) {
    let sink = Arc::new(Collect::default());
    let store = backend.open(sink.clone()).await;
    (store, sink)
}

/// Registers `name`.
pub(crate) async fn account(store: &Arc<dyn Store>, name: &str) -> AccountId {
    account_with_device(store, name).await.0
}

/// Creates a group of `creator` with `members`.
pub(crate) async fn group(
    store: &Arc<dyn Store>,
    creator: AccountId,
    members: &[AccountId],
) -> ChatId {
    let op = WriteOp::CreateGroup {
        creator,
        title: "g".into(),
        members: members.to_vec(),
    };
    match store.write(op).await.unwrap() {
        WriteOutcome::Chat(info) => info.id,
        other => panic!("create group: {other:?}"),
    }
}

/// A message `id` from `sender`.
pub(crate) fn send(sender: AccountId, chat: ChatId, id: u64) -> WriteOp {
    WriteOp::SendMessage {
        sender,
        chat,
        client_msg_id: ClientMsgId(id),
        payload: id.to_le_bytes().to_vec(),
        epoch: None,
        reply_to: None,
    }
}

fn seq_of(outcome: &Result<WriteOutcome, StoreError>) -> Seq {
    match outcome {
        Ok(WriteOutcome::Sent { seq, .. }) => *seq,
        other => panic!("send: {other:?}"),
    }
}

/// See the test of the same name in each backend.
pub(crate) async fn seq_and_pts_are_gap_free_under_concurrent_writes(backend: &impl Backend) {
    let (store, sink) = open(backend).await;
    let a = account(&store, "alice").await;
    let b = account(&store, "bob").await;
    let chat = group(&store, a, &[b]).await;
    // Queue 300 sends at once so the writer commits them in batches.
    let mut tickets = Vec::new();
    for n in 0..300 {
        tickets.push(
            store
                .submit(send(if n % 2 == 0 { a } else { b }, chat, n))
                .await,
        );
    }
    let mut seqs = Vec::new();
    for ticket in tickets {
        seqs.push(seq_of(&ticket.await).0);
    }
    assert_eq!(
        seqs,
        (2..302).collect::<Vec<_>>(),
        "in submission order, no gaps"
    );
    for who in [a, b] {
        assert_eq!(sink.pts_of(who), (1..=301).collect::<Vec<_>>());
        assert_eq!(store.pts(who).await.unwrap(), Pts(301));
    }
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn a_refused_op_in_a_batch_does_not_undo_the_others(backend: &impl Backend) {
    let (store, _sink) = open(backend).await;
    let a = account(&store, "alice").await;
    let outsider = account(&store, "mallory").await;
    let chat = group(&store, a, &[]).await;
    let ok1 = store.submit(send(a, chat, 1)).await;
    let refused = store.submit(send(outsider, chat, 2)).await;
    let ok2 = store.submit(send(a, chat, 3)).await;
    assert_eq!(seq_of(&ok1.await), Seq(2));
    match refused.await {
        Err(StoreError::Rejected { code, .. }) => assert_eq!(code, ErrorCode::Forbidden),
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(seq_of(&ok2.await), Seq(3));
    let history = store.history(a, chat, None, 10).await.unwrap();
    assert_eq!(
        history.iter().map(|m| m.seq.0).collect::<Vec<_>>(),
        vec![3, 2]
    );
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn resends_are_idempotent(backend: &impl Backend) {
    let (store, sink) = open(backend).await;
    let a = account(&store, "alice").await;
    let chat = group(&store, a, &[]).await;
    let first = store.write(send(a, chat, 7)).await.unwrap();
    let published = sink.0.lock().unwrap().len();
    let again = store.write(send(a, chat, 7)).await.unwrap();
    match (first, again) {
        (
            WriteOutcome::Sent {
                seq,
                sent_at,
                fresh: true,
                ..
            },
            WriteOutcome::Sent {
                seq: s2,
                sent_at: t2,
                fresh: false,
                ..
            },
        ) => assert_eq!((seq, sent_at), (s2, t2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sink.0.lock().unwrap().len(),
        published,
        "a resend publishes nothing"
    );
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn a_reopened_store_keeps_everything(backend: &impl Backend) {
    let (a, b, chat) = {
        let (store, _) = open(backend).await;
        let a = account(&store, "alice").await;
        let b = account(&store, "bob").await;
        let chat = group(&store, a, &[b]).await;
        for n in 0..5 {
            store.write(send(b, chat, n)).await.unwrap();
        }
        store.shutdown().await;
        (a, b, chat)
    };
    let (store, _) = open(backend).await;
    assert_eq!(store.pts(a).await.unwrap(), Pts(6));
    assert_eq!(store.history(a, chat, None, 50).await.unwrap().len(), 5);
    assert_eq!(
        seq_of(&store.write(send(b, chat, 4)).await),
        Seq(6),
        "still idempotent"
    );
    assert_eq!(
        seq_of(&store.write(send(b, chat, 5)).await),
        Seq(7),
        "seq continues"
    );
    let credentials = store.credentials("bob").await.unwrap().unwrap();
    assert_eq!(credentials.account.id, b);
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn difference_rebuilds_messages_in_their_current_state(backend: &impl Backend) {
    let (store, _) = open(backend).await;
    let a = account(&store, "alice").await;
    let b = account(&store, "bob").await;
    let chat = group(&store, a, &[b]).await;
    let edited = seq_of(&store.write(send(a, chat, 1)).await);
    let deleted = seq_of(&store.write(send(a, chat, 2)).await);
    store
        .write(WriteOp::EditMessage {
            editor: a,
            chat,
            seq: edited,
            payload: b"new".to_vec(),
            epoch: None,
        })
        .await
        .unwrap();
    store
        .write(WriteOp::DeleteMessage {
            actor: a,
            chat,
            seq: deleted,
        })
        .await
        .unwrap();
    let Difference::Updates { updates, current } =
        store.difference(b, Pts(0), 100, 1000).await.unwrap()
    else {
        panic!("too far behind");
    };
    assert_eq!(current, Pts(5));
    let messages: HashMap<Seq, (Vec<u8>, bool)> = updates
        .iter()
        .filter_map(|u| match &u.update {
            Update::NewMessage(m) => Some((m.seq, (m.payload.clone(), m.deleted))),
            _ => None,
        })
        .collect();
    assert_eq!(messages[&edited], (b"new".to_vec(), false));
    assert_eq!(messages[&deleted], (Vec::new(), true));
    assert!(matches!(
        &updates[3].update,
        Update::MessageEdited { seq, payload, .. } if *seq == edited && payload == b"new"
    ));
    assert_eq!(
        store.difference(b, Pts(0), 100, 4).await.unwrap(),
        Difference::TooFarBehind { current: Pts(5) }
    );
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn pruning_keeps_every_update_a_client_can_still_ask_for(backend: &impl Backend) {
    let (store, _) = open(backend).await;
    let a = account(&store, "alice").await;
    let chat = group(&store, a, &[]).await;
    for id in 1..=10 {
        store.write(send(a, chat, id)).await.unwrap();
    }
    // pts 1 is the group, 2..=11 the messages: 7 rows to delete, 3 per write.
    let mut after = AccountId(0);
    let mut writes = Vec::new();
    loop {
        let op = WriteOp::PruneUpdates {
            keep: 4,
            after,
            batch: 3,
        };
        let WriteOutcome::Pruned {
            deleted,
            resume_after,
        } = store.write(op).await.unwrap()
        else {
            panic!("pruning answers Pruned");
        };
        writes.push(deleted);
        match resume_after {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(
        writes,
        vec![3, 3, 1],
        "small batches, never more than asked"
    );
    let Difference::Updates { updates, current } =
        store.difference(a, Pts(7), 100, 4).await.unwrap()
    else {
        panic!("a client 4 behind is still served");
    };
    assert_eq!(current, Pts(11));
    let served: Vec<u64> = updates.iter().map(|u| u.pts.0).collect();
    assert_eq!(served, vec![8, 9, 10, 11]);
    assert_eq!(
        store.difference(a, Pts(6), 100, 4).await.unwrap(),
        Difference::TooFarBehind { current: Pts(11) }
    );
    assert_eq!(
        backend.count_rows("updates").await,
        4,
        "only the newest 4 updates are kept"
    );
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn the_chat_list_comes_in_pages_that_fit_a_frame(backend: &impl Backend) {
    let (store, _) = open(backend).await;
    // 999 others with the longest usernames: each group's member list is about 36 KB.
    let me = account(&store, "me").await;
    let mut others = Vec::new();
    for n in 0..999 {
        others.push(account(&store, &format!("{n:0>32}")).await);
    }
    let mut tickets = Vec::new();
    for _ in 0..240 {
        let op = WriteOp::CreateGroup {
            creator: me,
            title: "big".into(),
            members: others.clone(),
        };
        tickets.push(store.submit(op).await);
    }
    for ticket in tickets {
        assert!(matches!(ticket.await, Ok(WriteOutcome::Chat(_))));
    }
    let mut after = None;
    let mut pages = Vec::new();
    loop {
        let page = store.chats(me, after).await.unwrap();
        let bytes = wren_proto::encoded_len(&page.chats).unwrap();
        assert!(
            bytes < wren_proto::codec::MAX_SERVER_FRAME_BYTES,
            "{bytes} bytes"
        );
        after = page.chats.last().map(|c| c.id);
        pages.push(page.chats.len());
        if !page.more {
            break;
        }
    }
    assert!(pages.len() >= 2, "cut by size: {pages:?}");
    assert_eq!(pages.iter().sum::<usize>(), 240, "every chat, once");
    store.shutdown().await;
}

/// Registers `name` and returns its account and first device.
async fn account_with_device(store: &Arc<dyn Store>, name: &str) -> (AccountId, DeviceId) {
    let op = WriteOp::Register {
        username: name.into(),
        password_hash: "not-a-real-hash".into(),
        device: NewDevice {
            name: "d".into(),
            token_hash: crate::auth::token_hash(name),
        },
    };
    match store.write(op).await.unwrap() {
        WriteOutcome::SignedIn {
            account, device, ..
        } => (account.id, device),
        other => panic!("register: {other:?}"),
    }
}

/// See the test of the same name in each backend.
pub(crate) async fn claims_in_one_batch_never_share_a_key_package(backend: &impl Backend) {
    let (store, _sink) = open(backend).await;
    let (a, device) = account_with_device(&store, "alice").await;
    let set = WriteOp::SetIdentityKey {
        account: a,
        device,
        key: [1; 32],
    };
    assert_eq!(store.write(set).await.unwrap(), WriteOutcome::Done);
    let upload = |packages: Vec<Vec<u8>>| WriteOp::UploadKeyPackages {
        account: a,
        device,
        packages,
        last_resort: Some(b"last".to_vec()),
    };
    let pool: Vec<Vec<u8>> = (0u8..10).map(|n| vec![n]).collect();
    assert_eq!(
        store.write(upload(pool)).await.unwrap(),
        WriteOutcome::KeyPackageCount(10)
    );
    // All queued before the writer answers any, so they share group commits.
    let mut tickets = Vec::new();
    for _ in 0..30 {
        tickets.push(store.submit(WriteOp::ClaimKeyPackages { account: a }).await);
    }
    let mut taken = Vec::new();
    let mut last_resort = 0;
    for ticket in tickets {
        match ticket.await.unwrap() {
            WriteOutcome::KeyPackages(claimed) => {
                assert_eq!(claimed.len(), 1);
                let c = &claimed[0];
                assert_eq!(
                    (c.device, c.identity_key.as_slice()),
                    (device, &[1; 32][..])
                );
                if c.last_resort {
                    assert_eq!(c.package.as_deref(), Some(&b"last"[..]));
                    last_resort += 1;
                } else {
                    taken.push(c.package.clone().unwrap());
                }
            }
            other => panic!("claim: {other:?}"),
        }
    }
    assert_eq!(
        taken,
        (0u8..10).map(|n| vec![n]).collect::<Vec<_>>(),
        "each once, oldest first"
    );
    assert_eq!(last_resort, 20);
    assert_eq!(store.key_package_count(device).await.unwrap(), 0);

    // Revoking the device drops its packages, its last resort and its listing.
    store.write(upload(vec![vec![42]])).await.unwrap();
    let revoke = WriteOp::RevokeDevice { account: a, device };
    store.write(revoke).await.unwrap();
    assert_eq!(store.key_package_count(device).await.unwrap(), 0);
    assert!(store.device_keys(a).await.unwrap().is_empty());
    match store.write(WriteOp::ClaimKeyPackages { account: a }).await {
        Ok(WriteOutcome::KeyPackages(claimed)) => assert!(claimed.is_empty()),
        other => panic!("claim: {other:?}"),
    }
    // A revoked device cannot upload again.
    match store.write(upload(vec![vec![43]])).await {
        Err(StoreError::Rejected { code, .. }) => assert_eq!(code, ErrorCode::Unauthorized),
        other => panic!("expected a rejection, got {other:?}"),
    }
    store.shutdown().await;
}

/// See the test of the same name in each backend.
pub(crate) async fn a_new_display_name_reaches_everyone_who_shares_a_chat_once_and_survives_difference(
    backend: &impl Backend,
) {
    let (store, sink) = open(backend).await;
    let a = account(&store, "alice").await;
    let b = account(&store, "bob").await;
    let c = account(&store, "carol").await;
    let stranger = account(&store, "dave").await;
    // Bob shares two chats with alice: he still hears of her new name once.
    group(&store, a, &[b, c]).await;
    group(&store, b, &[a]).await;
    let before = |who| sink.pts_of(who).len();
    let counts = [a, b, c, stranger].map(before);
    let op = |name: &str| WriteOp::SetProfile {
        account: a,
        display_name: name.into(),
        bio: "bread".into(),
    };
    store.write(op("أليس")).await.unwrap();
    let after = [a, b, c, stranger].map(before);
    assert_eq!(
        [
            after[0] - counts[0],
            after[1] - counts[1],
            after[2] - counts[2],
            after[3] - counts[3]
        ],
        [1, 1, 1, 0]
    );
    // The same name again tells nobody.
    store.write(op("أليس")).await.unwrap();
    assert_eq!([a, b, c, stranger].map(before), after);
    let profile = store.profile(a).await.unwrap().unwrap();
    assert_eq!(
        (profile.account.display_name.as_str(), profile.bio.as_str()),
        ("أليس", "bread")
    );
    // A difference rebuilds it with the name as it is now.
    store.write(op("Alice L.")).await.unwrap();
    let last = Pts(store.pts(b).await.unwrap().0 - 2);
    match store.difference(b, last, 10, 1000).await.unwrap() {
        Difference::Updates { updates, .. } => {
            let names: Vec<String> = updates
                .iter()
                .filter_map(|u| match &u.update {
                    Update::ProfileChanged { account } => Some(account.display_name.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(names, ["Alice L.", "Alice L."]);
        }
        other => panic!("difference: {other:?}"),
    }
    // Members carry it.
    let chats = store.chats(c, None).await.unwrap();
    let alice = chats.chats[0]
        .members
        .iter()
        .find(|m| m.account.id == a)
        .unwrap();
    assert_eq!(alice.account.display_name, "Alice L.");
    store.shutdown().await;
}
