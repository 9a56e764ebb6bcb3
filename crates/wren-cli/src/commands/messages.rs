//! send, edit, delete, react, pin, forward, tail.

use super::{sync, Ctx, SERVER_WAIT};
use crate::{output, profile};
use anyhow::{bail, Result};
use std::time::Duration;
use wren_core::content::{self, Format, RichText};
use wren_core::{ClientEvent, MessageView, Seq};

pub(super) async fn send(
    ctx: &Ctx,
    chat: &str,
    text: &str,
    reply_to: Option<u64>,
    format: Format,
) -> Result<()> {
    if ctx.client.account().is_none() {
        bail!("not signed in: run `wren --server URL register NAME` or `login NAME` first");
    }
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    if ctx.client.chat(chat).await?.is_none() {
        // Perhaps just added to it: catch up before deciding the chat does not exist.
        sync(ctx).await?;
    }
    let mut events = ctx.client.events();
    let body = RichText {
        reply_to: reply_to.map(Seq),
        ..content::compose(text, format)
    };
    let queued = ctx.client.send_rich(chat, body).await?;
    let outcome = match delivery(&mut events, &queued.local_id, Duration::from_secs(1)).await {
        Some(outcome) => outcome,
        None => {
            eprintln!("wren: queued on this device; waiting for the server…");
            match delivery(&mut events, &queued.local_id, SERVER_WAIT).await {
                Some(outcome) => outcome,
                None => bail!(
                    "message queued on this device but not delivered yet; it goes out the next time wren runs"
                ),
            }
        }
    };
    let sent =
        outcome.map_err(|reason| anyhow::anyhow!("the server refused the message: {reason}"))?;
    if ctx.json {
        return output::json(&sent);
    }
    output::line(&format!("sent #{}", sent.seq.map(|s| s.0).unwrap_or(0)))
}

/// Waits for this message to be stored (`Ok`) or refused (`Err(reason)`).
async fn delivery(
    events: &mut tokio::sync::broadcast::Receiver<ClientEvent>,
    local_id: &str,
    timeout: Duration,
) -> Option<std::result::Result<MessageView, String>> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .ok()?;
        match event {
            Ok(ClientEvent::MessageUpserted { message })
                if message.local_id == local_id && message.seq.is_some() =>
            {
                return Some(Ok(message))
            }
            Ok(ClientEvent::MessageFailed {
                local_id: failed,
                reason,
                ..
            }) if failed.as_deref().is_none_or(|f| f == local_id) => return Some(Err(reason)),
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        }
    }
}

pub(super) async fn edit(
    ctx: &Ctx,
    chat: &str,
    seq: u64,
    text: &str,
    format: Format,
) -> Result<()> {
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    ctx.client
        .edit_rich(chat, Seq(seq), content::compose(text, format))
        .await?;
    Ok(())
}

pub(super) async fn react(ctx: &Ctx, chat: &str, seq: u64, emoji: &str, add: bool) -> Result<()> {
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    ctx.client.react(chat, Seq(seq), emoji, add).await?;
    delivered(ctx).await
}

pub(super) async fn pin(ctx: &Ctx, chat: &str, seq: u64, pinned: bool) -> Result<()> {
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    ctx.client.pin_message(chat, Seq(seq), pinned).await?;
    delivered(ctx).await
}

pub(super) async fn forward(ctx: &Ctx, chat: &str, seqs: &[u64], to: &str) -> Result<()> {
    sync(ctx).await?;
    let from = profile::resolve_chat(&ctx.client, chat).await?;
    let to = profile::resolve_chat(&ctx.client, to).await?;
    let seqs: Vec<Seq> = seqs.iter().copied().map(Seq).collect();
    let queued = ctx.client.forward(from, &seqs, to).await?;
    delivered(ctx).await?;
    if ctx.json {
        return output::json(&queued.len());
    }
    output::line(&format!("forwarded {}", queued.len()))
}

/// Waits until everything queued has reached the server.
async fn delivered(ctx: &Ctx) -> Result<()> {
    if ctx.client.wait_outbox_empty(SERVER_WAIT).await.is_err() {
        bail!("queued on this device but not delivered yet; it goes out the next time wren runs");
    }
    Ok(())
}

pub(super) async fn delete(ctx: &Ctx, chat: &str, seq: u64) -> Result<()> {
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    ctx.client.delete(chat, Seq(seq)).await?;
    Ok(())
}

/// Prints every message that arrives or changes until Ctrl-C or SIGTERM.
pub(super) async fn tail(ctx: &Ctx) -> Result<()> {
    let mut events = ctx.client.events();
    sync(ctx).await?;
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return Ok(()),
            event = events.recv() => match event {
                Ok(ClientEvent::MessageUpserted { message }) if message.seq.is_some() => {
                    if ctx.json {
                        output::json(&message)?;
                    } else {
                        output::line(&output::message(&message))?;
                    }
                }
                Ok(ClientEvent::SignedOut) => bail!("this device was signed out"),
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    eprintln!("wren: {n} events skipped (too many at once); see `wren history`");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return Ok(()),
            },
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
