//! The key package directory: identity keys, pools, claims, revocation and limits.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::collections::HashSet;
use wren_proto::rules::{MAX_KEY_PACKAGES_PER_UPLOAD, MAX_KEY_PACKAGE_BYTES, MAX_KEY_PACKAGE_POOL};
use wren_proto::{AccountId, ClaimedKeyPackage, DeviceId, DeviceKey, ErrorCode, Request, Response};

/// A recognizable 32-byte identity key.
fn identity(tag: u8) -> Vec<u8> {
    vec![tag; 32]
}

/// A recognizable key package: `tag`, then `n` as little-endian bytes.
fn package(tag: u8, n: u32) -> Vec<u8> {
    let mut p = vec![tag];
    p.extend_from_slice(&n.to_le_bytes());
    p
}

/// Signs another device in to `name`'s account.
async fn second_device(server: &TestServer, name: &str, device_name: &str) -> Client {
    let mut client = Client::connect(server).await;
    match client
        .call(Request::Login {
            username: name.into(),
            password: "password123".into(),
            device_name: device_name.into(),
        })
        .await
    {
        Ok(Response::Session(s)) => client.session = Some(s),
        other => panic!("login {name}: {other:?}"),
    }
    client
}

fn device(client: &Client) -> DeviceId {
    client.session.as_ref().unwrap().device
}

async fn set_key(client: &mut Client, key: Vec<u8>) {
    let set = client.call(Request::SetIdentityKey { key }).await;
    assert_eq!(set, Ok(Response::Done));
}

async fn upload(client: &mut Client, packages: Vec<Vec<u8>>, last_resort: Option<Vec<u8>>) -> u32 {
    match client
        .call(Request::UploadKeyPackages {
            packages,
            last_resort,
        })
        .await
    {
        Ok(Response::KeyPackageCount { remaining }) => remaining,
        other => panic!("upload: {other:?}"),
    }
}

async fn count(client: &mut Client) -> u32 {
    match client.call(Request::GetKeyPackageCount).await {
        Ok(Response::KeyPackageCount { remaining }) => remaining,
        other => panic!("count: {other:?}"),
    }
}

async fn claim(client: &mut Client, account: AccountId) -> Vec<ClaimedKeyPackage> {
    match client.call(Request::ClaimKeyPackages { account }).await {
        Ok(Response::KeyPackages(claimed)) => claimed,
        other => panic!("claim: {other:?}"),
    }
}

async fn devices_of(client: &mut Client, account: AccountId) -> Vec<DeviceKey> {
    match client.call(Request::ListAccountDevices { account }).await {
        Ok(Response::AccountDevices(devices)) => devices,
        other => panic!("list account devices: {other:?}"),
    }
}

#[tokio::test]
async fn uploads_are_counted_and_claims_take_one_per_device() {
    let server = TestServer::start().await;
    let mut phone = Client::register(&server, "alice").await;
    let mut laptop = second_device(&server, "alice", "laptop").await;
    let mut tablet = second_device(&server, "alice", "tablet").await;
    let mut bob = Client::register(&server, "bob").await;
    set_key(&mut phone, identity(1)).await;
    set_key(&mut laptop, identity(2)).await;
    set_key(&mut tablet, identity(3)).await;

    assert_eq!(count(&mut phone).await, 0);
    let pool: Vec<_> = (0..3).map(|n| package(1, n)).collect();
    assert_eq!(upload(&mut phone, pool, None).await, 3);
    assert_eq!(upload(&mut phone, vec![package(1, 3)], None).await, 4);
    assert_eq!(count(&mut phone).await, 4);
    assert_eq!(
        upload(
            &mut laptop,
            Vec::new(),
            Some(b"laptop last resort".to_vec())
        )
        .await,
        0
    );
    // The tablet has a key but no packages: it is reported missing.

    let first = claim(&mut bob, phone.id()).await;
    let by_device = |claimed: &[ClaimedKeyPackage], d: DeviceId| {
        claimed.iter().find(|c| c.device == d).cloned().unwrap()
    };
    assert_eq!(first.len(), 3, "one entry per live device: {first:?}");
    let p = by_device(&first, device(&phone));
    assert_eq!(p.identity_key, identity(1));
    assert_eq!((p.package, p.last_resort), (Some(package(1, 0)), false));
    let l = by_device(&first, device(&laptop));
    assert_eq!(l.identity_key, identity(2));
    assert_eq!(
        (l.package, l.last_resort),
        (Some(b"laptop last resort".to_vec()), true)
    );
    let t = by_device(&first, device(&tablet));
    assert_eq!((t.package, t.last_resort), (None, false), "missing");

    let second = claim(&mut bob, phone.id()).await;
    let p2 = by_device(&second, device(&phone));
    assert_eq!(p2.package, Some(package(1, 1)), "a different package");
    let l2 = by_device(&second, device(&laptop));
    assert_eq!(
        (l2.package, l2.last_resort),
        (Some(b"laptop last resort".to_vec()), true),
        "the last-resort package is kept"
    );
    assert_eq!(count(&mut phone).await, 2);
    assert_eq!(count(&mut laptop).await, 0);

    // Drain the phone: then its last resort (none here) means missing.
    claim(&mut bob, phone.id()).await;
    claim(&mut bob, phone.id()).await;
    let drained = claim(&mut bob, phone.id()).await;
    assert_eq!(by_device(&drained, device(&phone)).package, None);

    // A new last resort replaces the old one.
    upload(&mut laptop, Vec::new(), Some(b"newer".to_vec())).await;
    let again = claim(&mut bob, phone.id()).await;
    assert_eq!(
        by_device(&again, device(&laptop)).package,
        Some(b"newer".to_vec())
    );

    assert_code(
        &bob.call(Request::ClaimKeyPackages {
            account: AccountId(999_999),
        })
        .await,
        ErrorCode::NotFound,
    );
}

#[tokio::test]
async fn devices_are_listed_with_their_keys_and_revoked_ones_vanish() {
    let server = TestServer::start().await;
    let mut phone = Client::register(&server, "alice").await;
    let mut laptop = second_device(&server, "alice", "laptop").await;
    let _keyless = second_device(&server, "alice", "keyless").await;
    let mut bob = Client::register(&server, "bob").await;
    set_key(&mut phone, identity(1)).await;
    set_key(&mut laptop, identity(2)).await;
    upload(&mut laptop, vec![package(2, 0)], Some(package(2, 99))).await;

    let listed = devices_of(&mut bob, phone.id()).await;
    assert_eq!(
        listed,
        vec![
            DeviceKey {
                device: device(&phone),
                identity_key: identity(1),
            },
            DeviceKey {
                device: device(&laptop),
                identity_key: identity(2),
            },
        ],
        "devices without a key are left out"
    );
    let bob_id = bob.id();
    assert_eq!(devices_of(&mut bob, bob_id).await, Vec::new());
    assert_code(
        &bob.call(Request::ListAccountDevices {
            account: AccountId(999_999),
        })
        .await,
        ErrorCode::NotFound,
    );

    let laptop_device = device(&laptop);
    let revoked = phone
        .call(Request::RevokeDevice {
            device: laptop_device,
        })
        .await;
    assert_eq!(revoked, Ok(Response::Done));
    let listed = devices_of(&mut bob, phone.id()).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].device, device(&phone));
    let claimed = claim(&mut bob, phone.id()).await;
    assert!(
        claimed.iter().all(|c| c.device != laptop_device),
        "{claimed:?}"
    );
    // Its packages are gone from the store as well, not just hidden.
    let store = server.dir.path().join("wren.db");
    let db = rusqlite::Connection::open(store).unwrap();
    let left: (u64, Option<Vec<u8>>) = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM key_packages WHERE device_id = ?1), \
             last_resort_package FROM devices WHERE id = ?1",
            [laptop_device.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(left, (0, None));
}

#[tokio::test]
async fn an_identity_key_is_set_once() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let upload_first = alice
        .call(Request::UploadKeyPackages {
            packages: vec![package(1, 0)],
            last_resort: None,
        })
        .await;
    assert_code(&upload_first, ErrorCode::BadRequest);
    for wrong in [Vec::new(), vec![1; 31], vec![1; 33]] {
        let set = alice.call(Request::SetIdentityKey { key: wrong }).await;
        assert_code(&set, ErrorCode::BadRequest);
    }
    set_key(&mut alice, identity(7)).await;
    set_key(&mut alice, identity(7)).await;
    let changed = alice
        .call(Request::SetIdentityKey { key: identity(8) })
        .await;
    assert_code(&changed, ErrorCode::Conflict);
    let me = alice.id();
    let listed = devices_of(&mut alice, me).await;
    assert_eq!(listed[0].identity_key, identity(7));
}

#[tokio::test]
async fn sizes_and_counts_over_the_limits_are_refused() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    set_key(&mut alice, identity(1)).await;
    let refused =
        |packages: Vec<Vec<u8>>, last_resort: Option<Vec<u8>>| Request::UploadKeyPackages {
            packages,
            last_resort,
        };
    let big = vec![7; MAX_KEY_PACKAGE_BYTES + 1];
    assert_code(
        &alice.call(refused(vec![big.clone()], None)).await,
        ErrorCode::TooLarge,
    );
    assert_code(
        &alice.call(refused(Vec::new(), Some(big))).await,
        ErrorCode::TooLarge,
    );
    assert_code(
        &alice.call(refused(vec![Vec::new()], None)).await,
        ErrorCode::BadRequest,
    );
    let too_many: Vec<_> = (0..=MAX_KEY_PACKAGES_PER_UPLOAD as u32)
        .map(|n| package(1, n))
        .collect();
    assert_code(
        &alice.call(refused(too_many, None)).await,
        ErrorCode::TooLarge,
    );
    assert_eq!(count(&mut alice).await, 0, "refused uploads store nothing");

    // The largest packages, the most per request, up to the pool's limit.
    let full = |from: u32| -> Vec<Vec<u8>> {
        (from..from + MAX_KEY_PACKAGES_PER_UPLOAD as u32)
            .map(|n| {
                let mut p = vec![0; MAX_KEY_PACKAGE_BYTES];
                p[..4].copy_from_slice(&n.to_le_bytes());
                p
            })
            .collect()
    };
    let mut uploaded = 0;
    let mut from = 0;
    while uploaded < MAX_KEY_PACKAGE_POOL {
        uploaded = upload(&mut alice, full(from), None).await as usize;
        from += MAX_KEY_PACKAGES_PER_UPLOAD as u32;
    }
    assert_eq!(uploaded, MAX_KEY_PACKAGE_POOL);
    let over = alice.call(refused(vec![package(1, 0)], None)).await;
    assert_code(&over, ErrorCode::TooLarge);
    assert!(over.unwrap_err().message.contains("at most"));
    assert_eq!(count(&mut alice).await, MAX_KEY_PACKAGE_POOL as u32);
}

#[tokio::test]
async fn a_caller_who_is_not_signed_in_is_unauthorized() {
    let server = TestServer::start().await;
    let alice = Client::register(&server, "alice").await;
    let mut anonymous = Client::connect(&server).await;
    for request in [
        Request::SetIdentityKey { key: identity(1) },
        Request::UploadKeyPackages {
            packages: vec![package(1, 0)],
            last_resort: None,
        },
        Request::ClaimKeyPackages {
            account: alice.id(),
        },
        Request::GetKeyPackageCount,
        Request::ListAccountDevices {
            account: alice.id(),
        },
    ] {
        let name = request.name();
        let answer = anonymous.call(request).await;
        assert_eq!(
            answer.as_ref().map_err(|e| e.code),
            Err(ErrorCode::Unauthorized),
            "{name}"
        );
    }
}

#[tokio::test]
async fn claims_are_charged_to_the_reach_quota() {
    let server = TestServer::start_with(|c| c.reach_per_hour = 2).await;
    let alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    claim(&mut bob, alice.id()).await;
    claim(&mut bob, alice.id()).await;
    let third = bob
        .call(Request::ClaimKeyPackages {
            account: alice.id(),
        })
        .await;
    assert_code(&third, ErrorCode::RateLimited);
    // Listing devices is a read and costs nothing.
    devices_of(&mut bob, alice.id()).await;
}

#[tokio::test]
async fn concurrent_claims_never_hand_out_a_package_twice() {
    const POOL: u32 = 20;
    const CLAIMS: usize = 50;
    const CLIENTS: usize = 5;
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut laptop = second_device(&server, "alice", "laptop").await;
    set_key(&mut alice, identity(1)).await;
    set_key(&mut laptop, identity(2)).await;
    let pool: Vec<_> = (0..POOL).map(|n| package(1, n)).collect();
    upload(&mut alice, pool, Some(b"last resort".to_vec())).await;
    let laptop_pool: Vec<_> = (0..POOL / 2).map(|n| package(2, n)).collect();
    upload(&mut laptop, laptop_pool, None).await;
    let account = alice.id();

    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        let mut claimer = Client::register(&server, &format!("claimer{i}")).await;
        tasks.push(tokio::spawn(async move {
            // Pipelined: every claim is in flight before the first answer is read.
            let mut ids = Vec::new();
            for _ in 0..CLAIMS / CLIENTS {
                ids.push(claimer.send(Request::ClaimKeyPackages { account }).await);
            }
            // Answers may come in any order: each names its request.
            let mut answers = Vec::new();
            for answer in claimer.responses(&ids).await {
                match answer {
                    Ok(Response::KeyPackages(claimed)) => answers.push(claimed),
                    other => panic!("claim: {other:?}"),
                }
            }
            answers
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.extend(task.await.unwrap());
    }
    assert_eq!(answers.len(), CLAIMS);

    let mut seen = HashSet::new();
    let (mut pooled, mut last_resort, mut laptop_pooled, mut laptop_missing) = (0, 0, 0, 0);
    for claimed in &answers {
        assert_eq!(claimed.len(), 2);
        for c in claimed {
            let is_phone = c.device == device(&alice);
            match (&c.package, c.last_resort) {
                (Some(p), false) => {
                    assert!(seen.insert(p.clone()), "handed out twice: {p:?}");
                    if is_phone {
                        pooled += 1;
                    } else {
                        laptop_pooled += 1;
                    }
                }
                (Some(p), true) => {
                    assert!(is_phone);
                    assert_eq!(p, b"last resort");
                    last_resort += 1;
                }
                (None, _) => {
                    assert!(!is_phone, "the phone has a last resort");
                    laptop_missing += 1;
                }
            }
        }
    }
    assert_eq!((pooled, last_resort), (POOL, CLAIMS as u32 - POOL));
    assert_eq!(
        (laptop_pooled, laptop_missing),
        (POOL / 2, CLAIMS as u32 - POOL / 2)
    );
    assert_eq!(count(&mut alice).await, 0);
}
