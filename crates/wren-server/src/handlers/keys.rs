//! The key package directory for end-to-end encryption (MLS): device identity keys, key
//! package pools, claims and device listings. Key packages are opaque bytes here; only
//! their sizes and counts are checked.

use super::{bad_request, ready, submit, write, Caller, Reply};
use crate::server::AppState;
use crate::store::{WriteOp, WriteOutcome};
use std::sync::Arc;
use wren_proto::rules::{
    IDENTITY_KEY_BYTES, MAX_KEY_PACKAGES_PER_UPLOAD, MAX_KEY_PACKAGE_BYTES, MAX_KEY_PACKAGE_POOL,
};
use wren_proto::{AccountId, ErrorBody, ErrorCode, Response};

/// Sets the calling device's Ed25519 identity key (once).
pub(super) async fn set_identity_key(state: &AppState, caller: &Caller, key: &[u8]) -> Reply {
    let Ok(key) = <[u8; IDENTITY_KEY_BYTES]>::try_from(key) else {
        return ready(Err(bad_request(format!(
            "an identity key is an Ed25519 public key of {IDENTITY_KEY_BYTES} bytes"
        ))));
    };
    let op = WriteOp::SetIdentityKey {
        account: caller.account.id,
        device: caller.device,
        key,
    };
    write(state, op).await
}

/// Adds key packages to the calling device's pool and answers how many it holds.
pub(super) async fn upload(
    state: &AppState,
    caller: &Caller,
    packages: Vec<Vec<u8>>,
    last_resort: Option<Vec<u8>>,
) -> Reply {
    if let Err(refused) = check_upload(&packages, last_resort.as_deref()) {
        return ready(Err(refused));
    }
    let op = WriteOp::UploadKeyPackages {
        account: caller.account.id,
        device: caller.device,
        packages,
        last_resort,
    };
    committed(state, op).await
}

/// Takes one key package of every live device of `account`.
pub(super) async fn claim(state: &AppState, account: AccountId) -> Reply {
    committed(state, WriteOp::ClaimKeyPackages { account }).await
}

/// How many key packages the calling device has left.
pub(super) fn count(state: &AppState, caller: &Caller) -> Reply {
    let store = Arc::clone(&state.store);
    let device = caller.device;
    Box::pin(async move {
        let remaining = store.key_package_count(device).await?;
        Ok(Response::KeyPackageCount { remaining })
    })
}

/// The live devices of `account` with their identity keys.
pub(super) fn account_devices(state: &AppState, account: AccountId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move { Ok(Response::AccountDevices(store.device_keys(account).await?)) })
}

/// Queues a key package write and answers with its outcome.
async fn committed(state: &AppState, op: WriteOp) -> Reply {
    let committed = submit(state, op).await;
    Box::pin(async move {
        match committed.await? {
            WriteOutcome::KeyPackageCount(remaining) => Ok(Response::KeyPackageCount { remaining }),
            WriteOutcome::KeyPackages(claimed) => Ok(Response::KeyPackages(claimed)),
            other => Err(super::internal(
                "unexpected key package outcome",
                &format!("{other:?}"),
            )),
        }
    })
}

/// Checks an upload's count and package sizes.
fn check_upload(packages: &[Vec<u8>], last_resort: Option<&[u8]>) -> Result<(), ErrorBody> {
    if packages.len() > MAX_KEY_PACKAGES_PER_UPLOAD {
        return Err(ErrorBody::new(
            ErrorCode::TooLarge,
            format!(
                "at most {MAX_KEY_PACKAGES_PER_UPLOAD} key packages per upload \
                 (and {MAX_KEY_PACKAGE_POOL} per device)"
            ),
        ));
    }
    for package in packages.iter().map(Vec::as_slice).chain(last_resort) {
        if package.is_empty() {
            return Err(bad_request("a key package cannot be empty"));
        }
        if package.len() > MAX_KEY_PACKAGE_BYTES {
            return Err(ErrorBody::new(
                ErrorCode::TooLarge,
                format!("a key package has at most {MAX_KEY_PACKAGE_BYTES} bytes"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_checked_for_count_and_size() {
        let ok = vec![vec![1u8; MAX_KEY_PACKAGE_BYTES]; MAX_KEY_PACKAGES_PER_UPLOAD];
        assert!(check_upload(&ok, Some(&[1])).is_ok());
        let too_many = vec![vec![1u8]; MAX_KEY_PACKAGES_PER_UPLOAD + 1];
        let code = |r: Result<(), ErrorBody>| r.map_err(|e| e.code).err();
        assert_eq!(
            code(check_upload(&too_many, None)),
            Some(ErrorCode::TooLarge)
        );
        let big = vec![vec![1u8; MAX_KEY_PACKAGE_BYTES + 1]];
        assert_eq!(code(check_upload(&big, None)), Some(ErrorCode::TooLarge));
        assert_eq!(
            code(check_upload(&[], Some(&[]))),
            Some(ErrorCode::BadRequest)
        );
        assert_eq!(
            code(check_upload(&[Vec::new()], None)),
            Some(ErrorCode::BadRequest)
        );
    }
}
