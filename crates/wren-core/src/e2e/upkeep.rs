//! After each sign-in or resume: publish this device's identity key and keep its key
//! packages on the server topped up. Runs beside sync; a failure is logged and the work is
//! tried again on the next connection.

use crate::connection::Requester;
use crate::error::CoreError;
use crate::store::Store;
use wren_proto::rules::MAX_KEY_PACKAGE_POOL;
use wren_proto::{AccountId, DeviceId, Request, Response};

/// How many key packages one upload carries.
pub(crate) const BATCH: usize = 50;
/// Below this many key packages left on the server, more are uploaded.
pub(crate) const LOW_WATER: usize = 10;

/// Runs the upkeep once, logging what fails.
pub(crate) async fn run(store: Store, server: Requester, account: AccountId, device: DeviceId) {
    match upkeep(&store, &server, account, device).await {
        Ok(uploaded) => {
            if let Some(uploaded) = uploaded {
                tracing::info!(uploaded, "uploaded MLS key packages");
            }
            server.keys_published();
        }
        Err(e) => {
            tracing::warn!(error = %e, "MLS key upkeep failed; it is retried on the next connection")
        }
    }
}

/// Returns how many one-time key packages were uploaded, if any.
async fn upkeep(
    store: &Store,
    server: &Requester,
    account: AccountId,
    device: DeviceId,
) -> Result<Option<usize>, CoreError> {
    let identity = store.device_identity(account, device).await?;
    // Idempotent on the server: the same key again is `Done`.
    expect_done(
        server
            .request(Request::SetIdentityKey {
                key: identity.public_key,
            })
            .await?,
    )?;
    if !identity.initial_upload {
        upload(store, server, account, device, BATCH, true).await?;
        store.set_initial_upload(device).await?;
        return Ok(Some(BATCH));
    }
    let remaining = pool_size(server.request(Request::GetKeyPackageCount).await?)?;
    if remaining >= LOW_WATER {
        return Ok(None);
    }
    let wanted = BATCH.min(MAX_KEY_PACKAGE_POOL.saturating_sub(remaining));
    upload(store, server, account, device, wanted, false).await?;
    Ok(Some(wanted))
}

async fn upload(
    store: &Store,
    server: &Requester,
    account: AccountId,
    device: DeviceId,
    count: usize,
    last_resort: bool,
) -> Result<(), CoreError> {
    let made = store
        .new_key_packages(account, device, count, last_resort)
        .await?;
    let answer = server
        .request(Request::UploadKeyPackages {
            packages: made.packages,
            last_resort: made.last_resort,
        })
        .await?;
    pool_size(answer).map(|_| ())
}

fn expect_done(answer: Response) -> Result<(), CoreError> {
    match answer {
        Response::Done => Ok(()),
        other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
    }
}

fn pool_size(answer: Response) -> Result<usize, CoreError> {
    match answer {
        Response::KeyPackageCount { remaining } => Ok(remaining as usize),
        other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
    }
}
