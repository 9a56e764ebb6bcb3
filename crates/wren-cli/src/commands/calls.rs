//! call, answer: one-to-one calls from the command line. Each prints how the call went
//! (with `--json`, one JSON line at the end) and fails when it was not answered.

use super::{sync, Ctx};
use crate::{output, profile};
use anyhow::{anyhow, bail, Result};
use serde::Serialize;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};
use wren_core::calls::media::{MediaSources, MediaStats};
use wren_core::calls::{CallId, CallInfo, Direction, EndReason, Phase};
use wren_core::{Client, ClientEvent};

/// How long `call` waits for the call to ring out or be answered, beyond the engine's own
/// ring timeout.
const RING_WAIT: Duration = Duration::from_secs(60);

/// The final line of `call` and `answer`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    call: CallId,
    video: bool,
    /// Whether it was answered.
    answered: bool,
    /// Why it ended.
    reason: EndReason,
    /// The four emojis of the call's key (both sides show the same ones).
    emojis: Option<[&'static str; 4]>,
    /// How long it was connected, in milliseconds.
    duration_ms: Option<u64>,
    /// What its media did here (sent, received, shown, how late), if media ran.
    media: Option<MediaStats>,
}

/// The media sources `--synthetic` and `--hd` ask for.
pub(super) fn sources(synthetic: bool, hd: bool) -> MediaSources {
    match (synthetic, hd) {
        (false, _) => MediaSources::Devices,
        (true, false) => MediaSources::Synthetic,
        (true, true) => MediaSources::SyntheticHd,
    }
}

pub(super) async fn call(ctx: &Ctx, chat: &str, video: bool, seconds: Option<u64>) -> Result<()> {
    if !chat.starts_with('@') {
        bail!("calls are one-to-one: name the person as @username");
    }
    sync(ctx).await?;
    let chat = profile::resolve_chat(&ctx.client, chat).await?;
    let mut events = ctx.client.events();
    let call = ctx.client.start_call(chat, video).await?;
    progress(ctx, "calling…")?;
    let answered = tokio::time::timeout(RING_WAIT, until_connected(ctx, &mut events, &call))
        .await
        .map_err(|_| anyhow!("the call neither rang out nor was answered"))??;
    finish(ctx, &mut events, call, answered, seconds).await
}

pub(super) async fn answer(ctx: &Ctx, seconds: Option<u64>, wait: u64) -> Result<()> {
    let mut events = ctx.client.events();
    sync(ctx).await?;
    // Always said (on stderr, so `--json` output stays one line): scripts wait for it.
    eprintln!("wren: waiting for a call…");
    let call = match ringing(&ctx.client).await {
        Some(call) => call,
        None => tokio::time::timeout(Duration::from_secs(wait), next_ring(&mut events))
            .await
            .map_err(|_| anyhow!("no call rang within {wait} s"))??,
    };
    progress(ctx, "ringing: answering…")?;
    ctx.client.accept_call(call.id).await?;
    let answered = until_connected(ctx, &mut events, &call).await?;
    finish(ctx, &mut events, call, answered, seconds).await
}

/// The call ringing here now, if one is.
async fn ringing(client: &Client) -> Option<CallInfo> {
    match client.current_call().await {
        Some((call, Phase::Ringing)) if call.direction == Direction::Incoming => Some(call),
        _ => None,
    }
}

async fn next_ring(events: &mut Receiver<ClientEvent>) -> Result<CallInfo> {
    loop {
        match events.recv().await {
            Ok(ClientEvent::CallChanged {
                call,
                phase: Phase::Ringing,
            }) if call.direction == Direction::Incoming => return Ok(call),
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => bail!("the client stopped"),
        }
    }
}

/// Waits until the call is answered (`Ok(None)`) or ends first (`Ok(Some(end))`).
async fn until_connected(
    ctx: &Ctx,
    events: &mut Receiver<ClientEvent>,
    call: &CallInfo,
) -> Result<Option<(EndReason, Option<u64>)>> {
    if matches!(ctx.client.current_call().await, Some((info, Phase::Connected { .. })) if info.id == call.id)
    {
        return Ok(None);
    }
    loop {
        match events.recv().await {
            Ok(ClientEvent::CallChanged { call: info, phase }) if info.id == call.id => match phase
            {
                Phase::Connected { .. } => return Ok(None),
                Phase::Ringing if info.direction == Direction::Outgoing => {
                    progress(ctx, "ringing…")?;
                }
                _ => {}
            },
            Ok(ClientEvent::CallEnded {
                call: info,
                reason,
                duration_ms,
            }) if info.id == call.id => return Ok(Some((reason, duration_ms))),
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => bail!("the client stopped"),
        }
    }
}

/// Stays in an answered call for `seconds` (or until the other side hangs up or Ctrl-C),
/// then reports how it went.
async fn finish(
    ctx: &Ctx,
    events: &mut Receiver<ClientEvent>,
    call: CallInfo,
    ended_early: Option<(EndReason, Option<u64>)>,
    seconds: Option<u64>,
) -> Result<()> {
    let emojis = ctx.client.call_emojis(call.id).await;
    let (reason, duration_ms) = match ended_early {
        Some(end) => end,
        None => {
            if let Some(emojis) = emojis {
                progress(ctx, &format!("connected · {}", emojis.join(" ")))?;
            }
            let hang_up_after = async {
                match seconds {
                    Some(seconds) => tokio::time::sleep(Duration::from_secs(seconds)).await,
                    None => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            };
            tokio::select! {
                end = until_ended(events, call.id) => end?,
                () = hang_up_after => {
                    ctx.client.hang_up(call.id).await?;
                    until_ended(events, call.id).await?
                }
            }
        }
    };
    let answered = matches!(reason, EndReason::HungUp { .. });
    let report = Report {
        call: call.id,
        video: call.video,
        answered,
        reason,
        emojis,
        duration_ms,
        media: ctx.client.call_stats(call.id).await,
    };
    if ctx.json {
        output::json(&report)?;
    } else {
        output::line(&format!("call ended: {}", describe(reason, duration_ms)))?;
    }
    if !answered {
        bail!("the call was not answered: {}", describe(reason, None));
    }
    Ok(())
}

async fn until_ended(
    events: &mut Receiver<ClientEvent>,
    call: CallId,
) -> Result<(EndReason, Option<u64>)> {
    loop {
        match events.recv().await {
            Ok(ClientEvent::CallEnded {
                call: info,
                reason,
                duration_ms,
            }) if info.id == call => return Ok((reason, duration_ms)),
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => bail!("the client stopped"),
        }
    }
}

fn describe(reason: EndReason, duration_ms: Option<u64>) -> String {
    let lasted = duration_ms.map_or(String::new(), |ms| {
        let s = ms / 1000;
        format!(" after {}:{:02}", s / 60, s % 60)
    });
    match reason {
        EndReason::HungUp { by_me: true } => format!("you hung up{lasted}"),
        EndReason::HungUp { by_me: false } => format!("they hung up{lasted}"),
        EndReason::Cancelled => "cancelled".into(),
        EndReason::NoAnswer => "no answer".into(),
        EndReason::Declined { by_me: true } => "you declined".into(),
        EndReason::Declined { by_me: false } => "declined".into(),
        EndReason::Busy => "busy".into(),
        EndReason::Missed => "missed".into(),
        EndReason::AnsweredElsewhere => "answered on another device".into(),
        EndReason::DeclinedElsewhere => "declined on another device".into(),
    }
}

/// A progress line on stderr (stdout keeps the result).
fn progress(ctx: &Ctx, text: &str) -> Result<()> {
    if !ctx.json {
        eprintln!("wren: {text}");
    }
    Ok(())
}
