//! register, login, logout, devices, revoke, privacy.

use super::Ctx;
use crate::args::{PrivacyCommand, ProfileCommand};
use crate::{output, secrets};
use anyhow::{anyhow, Result};
use wren_core::DeviceId;

fn server(ctx: &Ctx) -> Result<&str> {
    ctx.server
        .as_deref()
        .ok_or_else(|| anyhow!("which server? pass --server URL (or set WREN_SERVER)"))
}

pub(super) async fn register(ctx: &Ctx, name: &str) -> Result<()> {
    let server = server(ctx)?;
    let password = secrets::password(true)?;
    let account = ctx.client.register(server, name, &password).await?;
    signed_in(ctx, "registered", &account)
}

pub(super) async fn login(ctx: &Ctx, name: &str) -> Result<()> {
    let server = server(ctx)?;
    let password = secrets::password(false)?;
    let account = ctx.client.login(server, name, &password).await?;
    super::sync(ctx).await?;
    signed_in(ctx, "signed in as", &account)
}

fn signed_in(ctx: &Ctx, what: &str, account: &wren_core::Account) -> Result<()> {
    if ctx.json {
        output::json(account)
    } else {
        output::line(&format!(
            "{what} @{} (account {})",
            account.username, account.id
        ))
    }
}

pub(super) async fn logout(ctx: &Ctx) -> Result<()> {
    ctx.client.logout().await?;
    if !ctx.json {
        output::line("signed out")?;
    }
    Ok(())
}

pub(super) async fn devices(ctx: &Ctx) -> Result<()> {
    let devices = ctx.client.devices().await?;
    if ctx.json {
        return output::json(&devices);
    }
    for device in &devices {
        output::line(&output::device(device))?;
    }
    Ok(())
}

pub(super) async fn revoke(ctx: &Ctx, device: u64) -> Result<()> {
    ctx.client.revoke_device(DeviceId(device)).await?;
    if !ctx.json {
        output::line(&format!("device {device} signed out"))?;
    }
    Ok(())
}

pub(super) async fn privacy(ctx: &Ctx, change: Option<PrivacyCommand>) -> Result<()> {
    let privacy = match change {
        None => ctx.client.privacy().await?,
        Some(PrivacyCommand::Groups { allowed }) => {
            ctx.client.set_group_adds(allowed.into()).await?
        }
        Some(PrivacyCommand::LastSeen { visibility }) => {
            ctx.client.set_last_seen(visibility.into()).await?
        }
    };
    if ctx.json {
        return output::json(&output::PrivacyJson::from(privacy));
    }
    output::line(&output::privacy(&privacy))
}

/// `plan`: the account's plan and what it allows.
pub(super) async fn plan(ctx: &Ctx) -> Result<()> {
    super::sync(ctx).await?;
    let plan = ctx.client.plan().await?;
    if ctx.json {
        return output::json(&plan);
    }
    output::line(&output::plan(&plan))
}

/// `verify @user [--mark | --clear]`: the safety number with @user, and whether it is verified.
pub(super) async fn verify(ctx: &Ctx, user: &str, mark: bool, clear: bool) -> Result<()> {
    super::sync(ctx).await?;
    let peer = ctx.client.lookup(user.trim_start_matches('@')).await?;
    let number = if mark || clear {
        ctx.client.set_verified(peer.id, mark).await?
    } else {
        ctx.client.safety_number(peer.id).await?
    };
    if ctx.json {
        return output::json(&number);
    }
    output::line(&output::safety_number(&peer.username, &number))
}

/// `profile [@user]` shows a profile; `profile set [--name N] [--bio B]` changes yours.
pub(super) async fn profile(ctx: &Ctx, command: Option<ProfileCommand>) -> Result<()> {
    let me = ctx
        .client
        .account()
        .ok_or_else(|| anyhow!("not signed in: run `wren --server URL login NAME` first"))?;
    let profile = match command {
        None => ctx.client.profile(me.id).await?,
        Some(ProfileCommand::Set { name, bio }) => {
            if name.is_none() && bio.is_none() {
                return Err(anyhow!(
                    "say what to change: --name NAME, --bio TEXT or both"
                ));
            }
            let current = ctx.client.profile(me.id).await?;
            ctx.client
                .set_profile(
                    name.as_deref().unwrap_or(&current.account.display_name),
                    bio.as_deref().unwrap_or(&current.bio),
                )
                .await?
        }
        Some(ProfileCommand::Show(args)) => match args.as_slice() {
            [user] => {
                let account = ctx.client.lookup(user).await?;
                ctx.client.profile(account.id).await?
            }
            _ => {
                return Err(anyhow!(
                    "usage: wren profile [@user] | wren profile set --name NAME --bio TEXT"
                ))
            }
        },
    };
    if ctx.json {
        return output::json(&profile);
    }
    output::line(&output::profile(&profile))
}
