//! One function per command.

mod account;
mod calls;
mod channels;
mod chats;
mod messages;

use crate::args::{Cli, Command, GroupCommand};
use crate::profile;
use anyhow::Result;
use std::time::Duration;
use wren_core::Client;

/// How long a command waits for the server before giving up.
pub(crate) const SERVER_WAIT: Duration = Duration::from_secs(30);

/// What every command gets.
pub(crate) struct Ctx {
    pub(crate) client: Client,
    pub(crate) json: bool,
    pub(crate) server: Option<String>,
}

/// Runs a parsed command line.
pub(crate) async fn run(cli: Cli) -> Result<()> {
    let dir = profile::profile_dir(cli.profile)?;
    let client = profile::open(dir).await?;
    if cli.allow_insecure {
        eprintln!(
            "wren: warning: --allow-insecure: an unencrypted server address is accepted; \
             your password and session can be read by anyone on the network"
        );
        client.allow_insecure(true);
    }
    let ctx = Ctx {
        client: client.clone(),
        json: cli.json,
        server: cli.server,
    };
    let result = dispatch(&ctx, cli.command).await;
    client.close().await;
    result
}

async fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Register { name } => account::register(ctx, &name).await,
        Command::Login { name } => account::login(ctx, &name).await,
        Command::Logout => account::logout(ctx).await,
        Command::Devices => account::devices(ctx).await,
        Command::Revoke { device } => account::revoke(ctx, device).await,
        Command::Privacy { change } => account::privacy(ctx, change).await,
        Command::Profile { command } => account::profile(ctx, command).await,
        Command::Verify { user, mark, clear } => account::verify(ctx, &user, mark, clear).await,
        Command::Chats => chats::list(ctx).await,
        Command::History { chat, limit } => chats::history(ctx, &chat, limit).await,
        Command::Search { query, limit } => chats::search(ctx, &query, limit).await,
        Command::Read { chat } => chats::read(ctx, &chat).await,
        Command::Mute {
            chat,
            duration,
            off,
        } => chats::mute(ctx, &chat, duration.as_deref(), off).await,
        Command::Archive { chat, off } => chats::archive(ctx, &chat, !off).await,
        Command::Group(GroupCommand::Create { title, members }) => {
            chats::group_create(ctx, &title, &members).await
        }
        Command::Group(GroupCommand::Add { chat, user }) => {
            chats::group_add(ctx, &chat, &user).await
        }
        Command::Group(GroupCommand::Remove { chat, user }) => {
            chats::group_remove(ctx, &chat, &user).await
        }
        Command::Send {
            chat,
            text,
            reply_to,
            plain,
        } => messages::send(ctx, &chat, &text, reply_to, format(plain)).await,
        Command::Edit {
            chat,
            seq,
            text,
            plain,
        } => messages::edit(ctx, &chat, seq, &text, format(plain)).await,
        Command::React {
            chat,
            seq,
            emoji,
            remove,
        } => messages::react(ctx, &chat, seq, &emoji, !remove).await,
        Command::Forward { chat, seqs, to } => messages::forward(ctx, &chat, &seqs, &to).await,
        Command::Pin { chat, seq, unpin } => messages::pin(ctx, &chat, seq, !unpin).await,
        Command::Delete { chat, seq } => messages::delete(ctx, &chat, seq).await,
        Command::Tail => messages::tail(ctx).await,
        Command::Channel(command) => channels::run(ctx, command).await,
        Command::Plan => account::plan(ctx).await,
        Command::Call {
            chat,
            video,
            synthetic,
            hd,
            seconds,
        } => {
            ctx.client.use_media_sources(calls::sources(synthetic, hd));
            calls::call(ctx, &chat, video, seconds).await
        }
        Command::Answer {
            synthetic,
            hd,
            seconds,
            wait,
        } => {
            ctx.client.use_media_sources(calls::sources(synthetic, hd));
            calls::answer(ctx, seconds, wait).await
        }
        Command::Campaign(command) => channels::campaign(ctx, command).await,
        Command::Directory {
            query,
            topic,
            language,
            limit,
        } => {
            let query = wren_core::DirectoryQuery {
                text: query.unwrap_or_default(),
                topic,
                language,
                limit,
            };
            channels::directory(ctx, query).await
        }
    }
}

/// Catches up with the server (and delivers the outbox), showing a progress bar for a long catch-up; when the
/// server cannot be reached, says so and goes on with what is stored.
pub(crate) async fn sync(ctx: &Ctx) -> Result<()> {
    if ctx.client.account().is_none() {
        anyhow::bail!("not signed in: run `wren --server URL register NAME` or `login NAME` first");
    }
    let mut events = ctx.client.events();
    let bar = indicatif::ProgressBar::hidden();
    let progress = async {
        while let Ok(event) = events.recv().await {
            if let wren_core::ClientEvent::SyncProgress { done, total } = event {
                if total >= 1000 && bar.is_hidden() {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.set_style(
                        indicatif::ProgressStyle::with_template(
                            "syncing {bar:40} {pos}/{len} updates",
                        )
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                }
                bar.set_length(total);
                bar.set_position(done);
            }
        }
    };
    let outcome = tokio::select! {
        outcome = async {
            ctx.client.wait_synced(SERVER_WAIT).await?;
            ctx.client.wait_outbox_empty(SERVER_WAIT).await
        } => outcome,
        () = progress => Ok(()),
    };
    bar.finish_and_clear();
    if let Err(e) = outcome {
        eprintln!("wren: showing what is stored on this device ({e})");
    }
    Ok(())
}

/// How `send` and `edit` read their text.
fn format(plain: bool) -> wren_core::content::Format {
    if plain {
        wren_core::content::Format::Plain
    } else {
        wren_core::content::Format::Markdown
    }
}
