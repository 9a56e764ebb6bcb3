//! channel create, post, subscribe, leave, read, invite; directory.

use super::{sync, Ctx};
use crate::args::{CampaignCommand, ChannelCommand};
use crate::output;
use anyhow::{anyhow, bail, Result};
use wren_core::{
    CampaignId, ChannelId, ChannelInfo, DirectoryQuery, NewCampaign, NewChannel, SponsoredAction,
    SponsoredTarget,
};

/// The scheme of invite links.
const INVITE_PREFIX: &str = "wren://join/";

pub(super) async fn run(ctx: &Ctx, command: ChannelCommand) -> Result<()> {
    sync(ctx).await?;
    match command {
        ChannelCommand::Create {
            title,
            handle,
            private,
            topic,
            language,
            description,
        } => {
            if handle.is_none() && !private {
                bail!("a public channel needs --handle NAME (or make it --private)");
            }
            let new = NewChannel {
                title,
                handle,
                description,
                topic,
                language,
            };
            let info = ctx.client.create_channel(new).await?;
            if ctx.json {
                return output::json(&info);
            }
            output::line(&format!("created {}", output::channel(&info)))
        }
        ChannelCommand::Post { channel, text } => {
            let info = resolve(ctx, &channel).await?;
            let seq = ctx.client.post(info.id, &text).await?;
            if ctx.json {
                return output::json(&serde_json::json!({ "channel": info.id, "seq": seq }));
            }
            output::line(&format!("#{seq}"))
        }
        ChannelCommand::Subscribe { channel } => {
            let info = if channel.trim().starts_with(INVITE_PREFIX) {
                ctx.client.join_channel(&channel).await?
            } else {
                let found = resolve(ctx, &channel).await?;
                ctx.client.subscribe(found.id).await?
            };
            if ctx.json {
                return output::json(&info);
            }
            output::line(&format!("subscribed to {}", output::channel(&info)))
        }
        ChannelCommand::Leave { channel } => {
            let info = resolve(ctx, &channel).await?;
            ctx.client.leave_channel(info.id).await?;
            Ok(())
        }
        ChannelCommand::Read { channel, limit } => read(ctx, &channel, limit).await,
        ChannelCommand::Invite { channel, revoke } => {
            let info = resolve(ctx, &channel).await?;
            match revoke {
                Some(link) => ctx
                    .client
                    .revoke_invite(info.id, &link)
                    .await
                    .map_err(Into::into),
                None => {
                    let invite = ctx.client.create_invite(info.id).await?;
                    if ctx.json {
                        return output::json(&invite);
                    }
                    output::line(&invite.link)
                }
            }
        }
    }
}

async fn read(ctx: &Ctx, channel: &str, limit: u32) -> Result<()> {
    let info = resolve(ctx, channel).await?;
    let mut posts = if info.role.is_some() {
        ctx.client.pull_channel(info.id).await?;
        ctx.client.refresh_posts(info.id, None, limit).await?;
        ctx.client.channel_posts(info.id, None, limit).await?
    } else {
        ctx.client.preview_posts(info.id, limit).await?
    };
    posts.reverse();
    // Everything new was read: a sponsored message may follow, shown once.
    let sponsored = ctx.client.sponsored(info.id).await?;
    if let Some(message) = &sponsored {
        ctx.client
            .sponsored_event(message.campaign, message.channel, SponsoredAction::Shown)
            .await?;
    }
    if ctx.json {
        return output::json(
            &serde_json::json!({ "channel": info, "posts": posts, "sponsored": sponsored }),
        );
    }
    output::line(&output::channel(&info))?;
    for post in &posts {
        output::line(&output::post(post))?;
    }
    if let Some(message) = &sponsored {
        output::line(&output::sponsored(message))?;
    }
    Ok(())
}

pub(super) async fn campaign(ctx: &Ctx, command: CampaignCommand) -> Result<()> {
    sync(ctx).await?;
    match command {
        CampaignCommand::Create {
            title,
            text,
            link,
            channel,
            button,
            topics,
            languages,
            budget,
        } => {
            let target = match (link, channel) {
                (Some(link), _) => SponsoredTarget::Link(link),
                (None, Some(channel)) => {
                    SponsoredTarget::Channel(channel.trim_start_matches('@').to_string())
                }
                (None, None) => bail!("give the button's target: --link URL or --channel @handle"),
            };
            let report = ctx
                .client
                .create_campaign(NewCampaign {
                    title,
                    text,
                    target,
                    button,
                    topics,
                    languages,
                    budget,
                })
                .await?;
            if ctx.json {
                return output::json(&report);
            }
            output::line(&output::campaign(&report))
        }
        CampaignCommand::List => {
            let list = ctx.client.campaigns().await?;
            if ctx.json {
                return output::json(&list);
            }
            for report in &list {
                output::line(&output::campaign(report))?;
            }
            Ok(())
        }
        CampaignCommand::Stop { campaign } => {
            Ok(ctx.client.stop_campaign(CampaignId(campaign)).await?)
        }
    }
}

pub(super) async fn directory(ctx: &Ctx, query: DirectoryQuery) -> Result<()> {
    sync(ctx).await?;
    let found = ctx.client.directory(query).await?;
    if ctx.json {
        return output::json(&found);
    }
    for info in &found {
        output::line(&output::channel(info))?;
    }
    Ok(())
}

/// A channel from `@handle` or an id.
async fn resolve(ctx: &Ctx, spec: &str) -> Result<ChannelInfo> {
    let spec = spec.trim();
    if spec.starts_with(INVITE_PREFIX) {
        bail!("an invite link only subscribes: run `wren channel subscribe {spec}` first");
    }
    if spec.starts_with('@') {
        return Ok(ctx.client.find_channel(spec).await?);
    }
    let id: u64 = spec
        .parse()
        .map_err(|_| anyhow!("{spec:?} is not a channel: use @handle or a channel id"))?;
    Ok(ctx.client.channel_info(ChannelId(id)).await?)
}
