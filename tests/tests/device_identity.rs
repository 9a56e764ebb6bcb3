//! Every signed-in device gets its own MLS identity and keeps key packages on the server
//! (`SetIdentityKey`, `UploadKeyPackages`, top-up through `GetKeyPackageCount`).

use std::time::Duration;
use wren_core::e2e::{credential_identity, verify_key_package};
use wren_core::{AccountId, Client, DeviceId};
use wren_tests::{client_options, eventually, profile_dir, register, TestServer, PASSWORD};

const WAIT: Duration = Duration::from_secs(30);

fn this_device(devices: &[wren_core::DeviceInfo]) -> DeviceId {
    devices
        .iter()
        .find(|d| d.current)
        .map(|d| d.id)
        .expect("the current device is listed")
}

/// Waits until `owner`'s device has uploaded its first key packages (50 one-time ones).
async fn wait_for_pool(owner: &Client, at_least: u32) -> u32 {
    eventually(owner, WAIT, "key packages uploaded", || async {
        owner
            .key_package_count()
            .await
            .ok()
            .filter(|n| *n >= at_least)
    })
    .await
}

/// Waits until `viewer` sees `device` of `account` with an identity key; returns the key.
async fn listed_key(viewer: &Client, account: AccountId, device: DeviceId) -> Vec<u8> {
    eventually(
        viewer,
        WAIT,
        "the device's identity key is listed",
        || async {
            viewer
                .account_devices(account)
                .await
                .ok()?
                .into_iter()
                .find(|d| d.device == device)
                .map(|d| d.identity_key)
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_publishes_its_identity_and_valid_key_packages() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let alice_id = alice.account().expect("signed in").id;
    let device = this_device(&alice.devices().await.expect("devices"));

    assert_eq!(wait_for_pool(&alice, 50).await, 50);
    let stored = alice
        .identity_key()
        .await
        .expect("read")
        .expect("made at sign-in");
    assert_eq!(stored.len(), 32);
    assert_eq!(listed_key(&bob, alice_id, device).await, stored);

    let claimed = bob.claim_key_packages(alice_id).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    let entry = &claimed[0];
    assert_eq!(entry.device, device);
    assert_eq!(entry.identity_key, stored);
    assert!(!entry.last_resort);
    let verified = verify_key_package(entry.package.as_deref().expect("a package"))
        .expect("a valid MLS key package");
    assert_eq!(verified.identity, credential_identity(alice_id, device));
    // Signed by the private key in alice's store: it verifies under the listed key.
    assert_eq!(verified.signature_key, stored);
    assert!(!verified.last_resort);
    assert_eq!(alice.key_package_count().await.expect("count"), 49);

    alice.close().await;
    bob.close().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drained_pool_is_topped_up_on_the_next_connection() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, alice_dir) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let alice_id = alice.account().expect("signed in").id;
    wait_for_pool(&alice, 50).await;

    for _ in 0..45 {
        let claimed = bob.claim_key_packages(alice_id).await.expect("claim");
        let package = claimed[0].package.as_deref().expect("a package");
        verify_key_package(package).expect("valid");
    }
    assert_eq!(alice.key_package_count().await.expect("count"), 5);
    alice.close().await;

    // Resuming the session is a new connection: the pool is topped up by 50.
    let alice = Client::open(client_options(&alice_dir))
        .await
        .expect("reopen");
    assert_eq!(wait_for_pool(&alice, 55).await, 55);

    // Empty the pool: the last-resort package is handed out, and stays.
    for _ in 0..55 {
        bob.claim_key_packages(alice_id).await.expect("claim");
    }
    for _ in 0..2 {
        let claimed = bob.claim_key_packages(alice_id).await.expect("claim");
        assert!(claimed[0].last_resort);
        let verified =
            verify_key_package(claimed[0].package.as_deref().expect("last resort")).expect("valid");
        assert!(verified.last_resort);
    }
    alice.close().await;
    bob.close().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_device_of_the_account_gets_its_own_identity() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (first, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let alice_id = first.account().expect("signed in").id;
    let first_device = this_device(&first.devices().await.expect("devices"));

    let second = Client::open(client_options(&profile_dir(server.scratch(), "alice-2")))
        .await
        .expect("open");
    second
        .login(&server.url, "alice", PASSWORD)
        .await
        .expect("login");
    let second_device = this_device(&second.devices().await.expect("devices"));
    assert_ne!(first_device, second_device);
    wait_for_pool(&first, 50).await;
    wait_for_pool(&second, 50).await;

    let first_key = listed_key(&bob, alice_id, first_device).await;
    let second_key = listed_key(&bob, alice_id, second_device).await;
    assert_ne!(first_key, second_key);
    assert_eq!(
        second.identity_key().await.expect("read"),
        Some(second_key.clone())
    );

    let claimed = bob.claim_key_packages(alice_id).await.expect("claim");
    assert_eq!(claimed.len(), 2);
    for entry in claimed {
        let verified =
            verify_key_package(entry.package.as_deref().expect("a package")).expect("valid");
        assert_eq!(
            verified.identity,
            credential_identity(alice_id, entry.device)
        );
        assert_eq!(verified.signature_key, entry.identity_key);
    }
    first.close().await;
    second.close().await;
    bob.close().await;
    server.stop().await;
}
