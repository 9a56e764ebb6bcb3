//! chats, history, search, read, mute, group.

use super::{sync, Ctx};
use crate::{output, profile};
use anyhow::{anyhow, bail, Result};
use wren_core::MUTED_FOR_EVER;

pub(super) async fn list(ctx: &Ctx) -> Result<()> {
    sync(ctx).await?;
    let chats = ctx.client.chats().await?;
    if ctx.json {
        return output::json(&chats);
    }
    for chat in &chats {
        output::line(&output::chat(chat))?;
    }
    Ok(())
}

pub(super) async fn history(ctx: &Ctx, chat: &str, limit: u32) -> Result<()> {
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    let mut messages = ctx.client.history(chat, None, limit).await?;
    messages.reverse();
    if ctx.json {
        return output::json(&messages);
    }
    for message in &messages {
        output::line(&output::message(message))?;
    }
    Ok(())
}

pub(super) async fn search(ctx: &Ctx, query: &str, limit: u32) -> Result<()> {
    sync(ctx).await?;
    let hits = ctx.client.search(query, limit).await?;
    if ctx.json {
        return output::json(&hits);
    }
    for hit in &hits {
        output::line(&output::hit(hit))?;
    }
    Ok(())
}

pub(super) async fn read(ctx: &Ctx, chat: &str) -> Result<()> {
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    let newest = ctx
        .client
        .history(chat, None, 1)
        .await?
        .first()
        .and_then(|m| m.seq)
        .ok_or_else(|| anyhow!("chat {chat} has no messages"))?;
    ctx.client.mark_read(chat, newest).await?;
    Ok(())
}

pub(super) async fn mute(ctx: &Ctx, chat: &str, duration: Option<&str>, off: bool) -> Result<()> {
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    let hours = match duration {
        Some("1h") => Some(1),
        Some("8h") => Some(8),
        Some("2d") => Some(48),
        Some(other) => bail!("--for takes 1h, 8h or 2d, not {other:?}"),
        None => None,
    };
    let until = match (off, hours) {
        (true, _) => None,
        (false, Some(hours)) => Some(now_ms() + hours * 3_600_000),
        (false, None) => Some(MUTED_FOR_EVER),
    };
    ctx.client.set_muted(chat, until).await?;
    let summary = ctx
        .client
        .chat(chat)
        .await?
        .ok_or_else(|| anyhow!("chat {chat} is gone"))?;
    if ctx.json {
        return output::json(&summary);
    }
    output::line(&match summary.muted_until {
        None => format!("{} is not muted", summary.title),
        Some(until) if until >= MUTED_FOR_EVER => format!("{} is muted", summary.title),
        Some(_) => format!(
            "{} is muted for {}",
            summary.title,
            duration.unwrap_or("a while")
        ),
    })
}

/// Milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

pub(super) async fn group_create(ctx: &Ctx, title: &str, members: &[String]) -> Result<()> {
    let names: Vec<String> = members
        .iter()
        .map(|m| m.trim_start_matches('@').to_string())
        .collect();
    let chat = ctx.client.create_group(title, &names).await?;
    if ctx.json {
        return output::json(&chat);
    }
    output::line(&format!("{}", chat.id))
}

pub(super) async fn group_add(ctx: &Ctx, chat: &str, user: &str) -> Result<()> {
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    ctx.client
        .add_member(chat, user.trim_start_matches('@'))
        .await?;
    Ok(())
}

pub(super) async fn group_remove(ctx: &Ctx, chat: &str, user: &str) -> Result<()> {
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    let account = ctx.client.lookup(user.trim_start_matches('@')).await?;
    ctx.client.remove_member(chat, account.id).await?;
    Ok(())
}

pub(super) async fn archive(ctx: &Ctx, chat: &str, archived: bool) -> Result<()> {
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    ctx.client.set_archived(chat, archived).await?;
    let summary = ctx
        .client
        .chat(chat)
        .await?
        .ok_or_else(|| anyhow!("chat {chat} is gone"))?;
    if ctx.json {
        return output::json(&summary);
    }
    output::line(&if summary.archived {
        format!("{} is archived", summary.title)
    } else {
        format!("{} is not archived", summary.title)
    })
}
