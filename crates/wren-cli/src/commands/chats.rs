//! chats, history, search, read, group.

use super::{sync, Ctx};
use crate::{output, profile};
use anyhow::{anyhow, Result};

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
