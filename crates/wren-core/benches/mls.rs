//! MLS costs on Wren's real path (SQLCipher store, one transaction per step), each beside
//! a baseline measured in the same run.
//!
//! `cargo bench -p wren-core --features bench --bench mls`

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM};
use std::time::{Duration, Instant};
use wren_core::e2e::bench::{filler_key_packages, in_memory_seal_open, Device};

const MESSAGES: usize = 2000;
const CHAT: u64 = 7;

fn per_op(total: Duration, count: usize) -> String {
    format!("{:.1} µs", total.as_secs_f64() * 1e6 / count as f64)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Bare AES-128-GCM seal and open of the same bytes, as many times.
fn aes_gcm_baseline(body: &[u8]) -> Duration {
    let key = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &[9u8; 16]).expect("key"));
    let start = Instant::now();
    for i in 0..MESSAGES {
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let mut buffer = body.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::empty(),
            &mut buffer,
        )
        .expect("seal");
        let opened = key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut buffer,
            )
            .expect("open");
        assert_eq!(opened, body);
    }
    start.elapsed()
}

/// Ed25519 sign and verify of the same bytes, as many times: MLS signs every message
/// (RFC 9420 §6.1), so this is part of any MLS implementation's per-message cost.
fn ed25519_baseline(body: &[u8]) -> Duration {
    use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).expect("key");
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key");
    let public = UnparsedPublicKey::new(&ED25519, pair.public_key().as_ref().to_vec());
    let start = Instant::now();
    for _ in 0..MESSAGES {
        let signature = pair.sign(body);
        public.verify(body, signature.as_ref()).expect("verify");
    }
    start.elapsed()
}

fn seal_and_open(dir: &std::path::Path) -> (Duration, Duration, Duration) {
    let mut alice = Device::open(&dir.join("alice.db"), 1, 1).expect("alice");
    let mut bob = Device::open(&dir.join("bob.db"), 2, 1).expect("bob");
    let package = bob.key_package().expect("package");
    let created = alice.create_group(CHAT, &[package]).expect("group");
    assert!(bob
        .welcome(CHAT, created.welcome.as_deref().expect("welcome"))
        .expect("welcome"));
    let body = vec![b'x'; 100];
    let (mut sealing, mut opening) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..MESSAGES {
        let start = Instant::now();
        let wire = alice.seal(CHAT, &body).expect("seal");
        sealing += start.elapsed();
        let start = Instant::now();
        assert!(bob.open_payload(CHAT, &wire).expect("open"));
        opening += start.elapsed();
    }
    let start = Instant::now();
    for _ in 0..MESSAGES {
        assert!(bob.epoch(CHAT).expect("epoch").is_some());
    }
    (sealing, opening, start.elapsed())
}

/// Opening in batches of `BATCH` per transaction, as sync applies a page of updates.
fn open_in_batches(dir: &std::path::Path) -> Duration {
    const BATCH: usize = 100;
    let mut alice = Device::open(&dir.join("alice-b.db"), 1, 1).expect("alice");
    let mut bob = Device::open(&dir.join("bob-b.db"), 2, 1).expect("bob");
    let package = bob.key_package().expect("package");
    let created = alice.create_group(CHAT, &[package]).expect("group");
    assert!(bob
        .welcome(CHAT, created.welcome.as_deref().expect("welcome"))
        .expect("welcome"));
    let wires: Vec<Vec<u8>> = (0..MESSAGES)
        .map(|_| alice.seal(CHAT, &[b'x'; 100]).expect("seal"))
        .collect();
    let start = Instant::now();
    for batch in wires.chunks(BATCH) {
        assert_eq!(bob.open_batch(CHAT, batch).expect("open"), batch.len());
    }
    start.elapsed()
}

struct GroupTimes {
    leaves: usize,
    create: Duration,
    welcome: Duration,
    join: Duration,
    process_join: Duration,
    commit_bytes: usize,
    group_info_bytes: usize,
    welcome_bytes: usize,
}

/// A group of `leaves` devices made in one commit; then one more device joins it.
fn group_of(dir: &std::path::Path, leaves: usize) -> GroupTimes {
    let chat = leaves as u64;
    let mut creator =
        Device::open(&dir.join(format!("creator-{leaves}.db")), 1, 1).expect("creator");
    let mut member = Device::open(&dir.join(format!("member-{leaves}.db")), 2, 1).expect("member");
    let mut newcomer = Device::open(&dir.join(format!("new-{leaves}.db")), 3, 1).expect("new");
    let mut packages = filler_key_packages(100, leaves - 2).expect("fillers");
    packages.push(member.key_package().expect("package"));

    let start = Instant::now();
    let created = creator.create_group(chat, &packages).expect("create");
    let create = start.elapsed();
    let welcome_bytes = created.welcome.as_ref().map_or(0, Vec::len);
    let start = Instant::now();
    assert!(member
        .welcome(chat, created.welcome.as_deref().expect("welcome"))
        .expect("welcome"));
    let welcome = start.elapsed();

    let start = Instant::now();
    let joined = newcomer.join(chat, &created.group_info).expect("join");
    let join = start.elapsed();
    let start = Instant::now();
    assert!(member.apply(chat, 1, &joined.commit).expect("apply"));
    let process_join = start.elapsed();
    assert_eq!(
        member.epoch(chat).expect("epoch"),
        newcomer.epoch(chat).expect("epoch")
    );
    GroupTimes {
        leaves,
        create,
        welcome,
        join,
        process_join,
        commit_bytes: joined.commit.len(),
        group_info_bytes: joined.group_info.len(),
        welcome_bytes,
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = vec![b'x'; 100];
    let baseline = aes_gcm_baseline(&body);
    let (sealing, opening, loading) = seal_and_open(dir.path());
    let batched = open_in_batches(dir.path());
    let (floor_seal, floor_open) = in_memory_seal_open(&body, MESSAGES as u32).expect("floor");
    let signatures = ed25519_baseline(&body);
    println!("## seal + open of one 100-byte message ({MESSAGES} messages, SQLCipher store)");
    println!("| what | per message |");
    println!("|---|---|");
    println!(
        "| MLS seal (alice's store) | {} |",
        per_op(sealing, MESSAGES)
    );
    println!("| MLS open (bob's store) | {} |", per_op(opening, MESSAGES));
    println!(
        "| MLS seal + open | {} |",
        per_op(sealing + opening, MESSAGES)
    );
    println!(
        "| of which loading the group from the store (each seal and open starts with it) | {} |",
        per_op(loading, MESSAGES)
    );
    println!(
        "| MLS open, 100 per transaction (as sync applies a page) | {} |",
        per_op(batched, MESSAGES)
    );
    println!(
        "| floor: openmls seal + open with both groups in memory (no store) | {} + {} = {} |",
        per_op(floor_seal, MESSAGES),
        per_op(floor_open, MESSAGES),
        per_op(floor_seal + floor_open, MESSAGES)
    );
    println!(
        "| baseline: bare AES-128-GCM seal + open, same bytes | {} |",
        per_op(baseline, MESSAGES)
    );
    println!(
        "| baseline: Ed25519 sign + verify, same bytes (ring) | {} |",
        per_op(signatures, MESSAGES)
    );
    println!();
    println!("## a group of N devices in one commit, then one more device joins it");
    println!("| devices | create (commit + Welcome) | Welcome processed by a member | external join commit by the new device | join commit processed by a member | join commit / group info / creation Welcome bytes |");
    println!("|---|---|---|---|---|---|");
    for leaves in [10, 100, 1000] {
        let t = group_of(dir.path(), leaves);
        println!(
            "| {} | {} | {} | {} | {} | {} / {} / {} |",
            t.leaves,
            ms(t.create),
            ms(t.welcome),
            ms(t.join),
            ms(t.process_join),
            t.commit_bytes,
            t.group_info_bytes,
            t.welcome_bytes
        );
    }
}
