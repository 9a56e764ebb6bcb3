//! Account requests: register, login, resume, logout, devices, user lookup.

use super::{bad_request, internal, ready, write, Caller, Reply};
use crate::auth::{hash_password, new_token, token_hash, verify_password};
use crate::rate_limit::{client_key, rate_limited};
use crate::server::AppState;
use crate::store::{NewDevice, WriteOp, WriteOutcome};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;
use wren_proto::rules::{normalize_username, validate_password, validate_username, visible_text};
use wren_proto::{AccountId, DeviceId, ErrorBody, ErrorCode, Response, Session};

/// The length of a device token: 32 random bytes, hex-encoded.
const TOKEN_LEN: usize = 64;

/// The longest device name, in characters.
const MAX_DEVICE_NAME_CHARS: usize = 64;

/// Creates an account and signs a new device in.
pub(crate) async fn register(
    state: &AppState,
    ip: IpAddr,
    username: String,
    password: String,
    device_name: String,
) -> Result<Session, ErrorBody> {
    state.limiter.check(ip)?;
    let username = normalize_username(&username);
    validate_username(&username).map_err(|e| bad_request(e.to_string()))?;
    validate_password(&password).map_err(|e| bad_request(e.to_string()))?;
    let name = device_name_of(&device_name)?;
    if state.store.lookup_user(&username).await?.is_some() {
        return Err(ErrorBody::new(
            ErrorCode::Conflict,
            "this username is already taken",
        ));
    }
    let password_hash = state
        .passwords
        .run(move || hash_password(&password))
        .await
        .map_err(|e| internal("password hashing task failed", &e))?
        .map_err(|e| internal("password hashing failed", &e))?;
    let (token, token_hash) = new_token().map_err(|e| internal("token", &e))?;
    let device = NewDevice { name, token_hash };
    let op = WriteOp::Register {
        username,
        password_hash,
        device,
    };
    session(state.store.write(op).await?, token)
}

/// Signs a new device in with username and password.
pub(crate) async fn login(
    state: &AppState,
    ip: IpAddr,
    username: String,
    password: String,
    device_name: String,
) -> Result<Session, ErrorBody> {
    state.limiter.check(ip)?;
    let name = device_name_of(&device_name)?;
    let username = normalize_username(&username);
    // A name no account can have is not looked up, and not remembered either.
    let credentials = match validate_username(&username) {
        Ok(()) => state.store.credentials(&username).await?,
        Err(_) => None,
    };
    let account = credentials.as_ref().map(|c| c.account.id);
    if let Some(wait) = account.and_then(|a| state.failed_logins.wait(&a, Instant::now())) {
        return Err(rate_limited(
            "too many wrong passwords for this account; wait and try again",
            wait,
        ));
    }
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let valid = state
        .passwords
        .run(move || verify_password(stored.as_deref(), &password))
        .await
        .map_err(|e| internal("password check task failed", &e))?;
    let Some(credentials) = credentials.filter(|_| valid) else {
        if let Some(account) = account {
            state.failed_logins.failed(&account, Instant::now());
        }
        return Err(wrong_password());
    };
    state.failed_logins.succeeded(&credentials.account.id);
    let (token, token_hash) = new_token().map_err(|e| internal("token", &e))?;
    let op = WriteOp::AddDevice {
        account: credentials.account.id,
        device: NewDevice { name, token_hash },
    };
    session(state.store.write(op).await?, token)
}

/// Signs in with an existing device token. Valid tokens are never limited (a reconnect
/// storm after a restart must get everyone back); failed resumes count per client
/// address, and an address over its budget is refused before any lookup.
pub(crate) async fn resume(
    state: &AppState,
    ip: IpAddr,
    token: &str,
) -> Result<Response, ErrorBody> {
    let key = client_key(ip);
    if let Some(wait) = state.failed_resumes.wait(&key, Instant::now()) {
        return Err(rate_limited(
            "too many invalid sessions from this address; wait and try again",
            wait,
        ));
    }
    let owner = if token.len() == TOKEN_LEN {
        state.store.token_owner(token_hash(token)).await?
    } else {
        None
    };
    if owner.is_none() {
        state.failed_resumes.failed(&key, Instant::now());
        return Err(ErrorBody::new(
            ErrorCode::Unauthorized,
            "this session is no longer valid; sign in again",
        ));
    }
    let op = WriteOp::Resume {
        token_hash: token_hash(token),
    };
    Ok(super::into_response(state.store.write(op).await?))
}

/// Revokes the caller's device and closes its other connections.
pub(crate) async fn logout(state: &AppState, caller: &Caller) -> Result<(), ErrorBody> {
    let op = WriteOp::RevokeDevice {
        account: caller.account.id,
        device: caller.device,
    };
    state.store.write(op).await?;
    state
        .hub
        .disconnect_device(caller.account.id, caller.device);
    Ok(())
}

/// The caller's devices.
pub(super) fn list_devices(state: &AppState, caller: &Caller) -> Reply {
    let store = Arc::clone(&state.store);
    let (account, device) = (caller.account.id, caller.device);
    Box::pin(async move { Ok(Response::Devices(store.devices(account, device).await?)) })
}

/// The caller's privacy settings.
pub(super) fn privacy(state: &AppState, me: AccountId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move { Ok(Response::Privacy(store.privacy(me).await?)) })
}

/// Revokes another device of the caller's account and disconnects it.
pub(super) async fn revoke_device(state: &AppState, me: AccountId, device: DeviceId) -> Reply {
    let op = WriteOp::RevokeDevice {
        account: me,
        device,
    };
    let revoked = write(state, op).await;
    let hub = Arc::clone(&state.hub);
    Box::pin(async move {
        let response = revoked.await?;
        hub.disconnect_device(me, device);
        Ok(response)
    })
}

/// An account by username (with or without `@`).
pub(super) fn lookup_user(state: &AppState, username: &str) -> Reply {
    let username = normalize_username(username);
    if validate_username(&username).is_err() {
        return ready(Err(no_such_user()));
    }
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        match store.lookup_user(&username).await? {
            Some(user) => Ok(Response::User(user)),
            None => Err(no_such_user()),
        }
    })
}

/// The session for a committed sign-in.
fn session(outcome: WriteOutcome, token: String) -> Result<Session, ErrorBody> {
    match outcome {
        WriteOutcome::SignedIn {
            account, device, ..
        } => Ok(Session {
            account,
            device,
            token,
        }),
        other => Err(internal(
            "unexpected sign-in outcome",
            &format!("{other:?}"),
        )),
    }
}

/// The trimmed device name, or why it is not acceptable.
fn device_name_of(raw: &str) -> Result<String, ErrorBody> {
    visible_text(raw, MAX_DEVICE_NAME_CHARS)
        .map(str::to_owned)
        .map_err(|e| bad_request(format!("this device name cannot be used: {e}")))
}

fn wrong_password() -> ErrorBody {
    ErrorBody::new(ErrorCode::Unauthorized, "wrong username or password")
}

fn no_such_user() -> ErrorBody {
    ErrorBody::new(ErrorCode::NotFound, "there is no user with that name")
}
