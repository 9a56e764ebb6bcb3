//! The device identity and key packages against a real encrypted store.

use super::{identity::credential_identity, verify_key_package};
use crate::profile::DatabaseKey;
use crate::store::Store;
use wren_proto::{AccountId, DeviceId};

const ACCOUNT: AccountId = AccountId(7);
const DEVICE: DeviceId = DeviceId(3);

async fn store(dir: &std::path::Path) -> Store {
    Store::open(dir.join("wren.db"), DatabaseKey([0x5a; 32]))
        .await
        .expect("open the store")
}

/// The private half of the stored Ed25519 key pair: its TLS form starts with the private
/// key as a variable-length vector (one length byte, then 32 bytes), then the public key.
async fn stored_private_key(store: &Store, public: &[u8]) -> Vec<u8> {
    let stored = store
        .stored_key_pair_for_tests(DEVICE)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(stored[0], 32, "a 32-byte private key comes first");
    assert_eq!(&stored[34..66], public, "then the public key");
    stored[1..33].to_vec()
}

#[tokio::test]
async fn the_identity_is_made_once_and_its_private_key_never_reaches_the_disk_in_the_clear() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = store(dir.path()).await;
    let first = store.device_identity(ACCOUNT, DEVICE).await.expect("made");
    assert_eq!(first.public_key.len(), 32);
    assert!(!first.initial_upload);
    let again = store.device_identity(ACCOUNT, DEVICE).await.expect("read");
    assert_eq!(again.public_key, first.public_key, "made once");
    let private = stored_private_key(&store, &first.public_key).await;
    // Key packages written too, so openmls's tables are in the files as well.
    store
        .new_key_packages(ACCOUNT, DEVICE, 3, true)
        .await
        .expect("packages");
    drop(store);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).expect("list") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read file");
        files += 1;
        assert!(
            !bytes
                .windows(private.len())
                .any(|w| w == private.as_slice()),
            "{} holds the private key in the clear",
            path.display()
        );
        assert!(
            !bytes.starts_with(b"SQLite format 3"),
            "{} is not encrypted",
            path.display()
        );
    }
    assert!(files >= 1);

    let reopened = self::store(dir.path()).await;
    let read = reopened
        .device_identity(ACCOUNT, DEVICE)
        .await
        .expect("read");
    assert_eq!(read.public_key, first.public_key, "kept across a reopen");
    assert_eq!(
        stored_private_key(&reopened, &read.public_key).await,
        private
    );
}

#[tokio::test]
async fn key_packages_carry_the_device_credential_and_validate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = store(dir.path()).await;
    let identity = store.device_identity(ACCOUNT, DEVICE).await.expect("made");
    let made = store
        .new_key_packages(ACCOUNT, DEVICE, 2, true)
        .await
        .expect("packages");
    assert_eq!(made.packages.len(), 2);
    assert_ne!(made.packages[0], made.packages[1]);
    for package in &made.packages {
        let verified = verify_key_package(package).expect("valid");
        assert_eq!(verified.identity, credential_identity(ACCOUNT, DEVICE));
        assert_eq!(verified.identity, b"wren:7:3");
        assert_eq!(verified.signature_key, identity.public_key);
        assert!(!verified.last_resort);
    }
    let last = verify_key_package(&made.last_resort.expect("asked for")).expect("valid");
    assert!(last.last_resort);

    let mut tampered = made.packages[0].clone();
    let end = tampered.len() - 1;
    tampered[end] ^= 1;
    assert!(
        verify_key_package(&tampered).is_err(),
        "a bad signature is refused"
    );
}

#[tokio::test]
async fn another_device_id_gets_another_identity() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = store(dir.path()).await;
    let one = store.device_identity(ACCOUNT, DEVICE).await.expect("one");
    let two = store
        .device_identity(ACCOUNT, DeviceId(4))
        .await
        .expect("two");
    assert_ne!(one.public_key, two.public_key);
}
