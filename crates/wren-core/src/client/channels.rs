//! Channels on the client: creating and finding them, subscribing, posting, reading what
//! this device has pulled, reporting views, invite links and the directory.

use super::{random_u64, Client};
use crate::error::CoreError;
use crate::events::ClientEvent;
use wren_proto::rules::{self, MAX_CHANNEL_PAGE, MAX_VIEWS_PER_REPORT};
use wren_proto::{
    AccountId, AdminChange, ChannelId, ChannelInfo, ClientMsgId, DirectoryQuery, Invite,
    NewChannel, NewPost, Post, Request, Response, Seq,
};

impl Client {
    /// Creates a channel owned by this account: public with a handle, private without.
    pub async fn create_channel(&self, new: NewChannel) -> Result<ChannelInfo, CoreError> {
        rules::validate_title(&new.title)
            .map_err(|e| CoreError::Invalid(format!("this channel title cannot be used: {e}")))?;
        if let Some(handle) = &new.handle {
            rules::validate_handle(handle).map_err(|e| CoreError::Invalid(e.to_string()))?;
        }
        rules::validate_description(&new.description)
            .map_err(|e| CoreError::Invalid(e.to_string()))?;
        rules::validate_topic(&new.topic).map_err(|e| CoreError::Invalid(e.to_string()))?;
        rules::validate_language(&new.language).map_err(|e| CoreError::Invalid(e.to_string()))?;
        let info = self.channel_answer(Request::CreateChannel(new)).await?;
        self.joined_channel(info).await
    }

    /// A public channel by `@handle` or an id this account can see: a preview when not
    /// subscribed (`role` is `None`).
    pub async fn find_channel(&self, handle: &str) -> Result<ChannelInfo, CoreError> {
        self.channel_answer(Request::ResolveChannel {
            handle: handle.into(),
        })
        .await
    }

    /// A channel by id, as the server has it now.
    pub async fn channel_info(&self, channel: ChannelId) -> Result<ChannelInfo, CoreError> {
        self.channel_answer(Request::GetChannel { channel }).await
    }

    /// Subscribes to a public channel; its posts are pulled in the background.
    pub async fn subscribe(&self, channel: ChannelId) -> Result<ChannelInfo, CoreError> {
        let info = self.channel_answer(Request::Subscribe { channel }).await?;
        self.joined_channel(info).await
    }

    /// Subscribes with an invite link (`wren://join/…`).
    pub async fn join_channel(&self, link: &str) -> Result<ChannelInfo, CoreError> {
        let info = self
            .channel_answer(Request::JoinByInvite { link: link.into() })
            .await?;
        self.joined_channel(info).await
    }

    /// Stops reading a channel; it and its posts leave this device.
    pub async fn leave_channel(&self, channel: ChannelId) -> Result<(), CoreError> {
        self.done(Request::LeaveChannel { channel }).await?;
        self.inner.store.forget_channel(channel).await?;
        let _ = self
            .inner
            .events
            .send(ClientEvent::ChannelRemoved { channel });
        Ok(())
    }

    /// The channels this account is in, as this device has them.
    pub async fn channels(&self) -> Result<Vec<ChannelInfo>, CoreError> {
        Ok(self.inner.store.channels().await?)
    }

    /// Publishes a post (owner and admins); returns its position.
    pub async fn post(&self, channel: ChannelId, text: &str) -> Result<Seq, CoreError> {
        let text = rules::validate_post(text)
            .map_err(|e| CoreError::Invalid(format!("this post cannot be sent: {e}")))?;
        let request = Request::PublishPost(NewPost {
            channel,
            client_msg_id: ClientMsgId(random_u64()?),
            text: text.into(),
        });
        match self.request(request).await? {
            Response::Posted { seq, .. } => Ok(seq),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Replaces a post's text (owner and admins).
    pub async fn edit_post(
        &self,
        channel: ChannelId,
        seq: Seq,
        text: &str,
    ) -> Result<(), CoreError> {
        let text = rules::validate_post(text)
            .map_err(|e| CoreError::Invalid(format!("this post cannot be sent: {e}")))?;
        self.done(Request::EditPost {
            channel,
            seq,
            text: text.into(),
        })
        .await
    }

    /// Deletes a post for everyone (owner and admins).
    pub async fn delete_post(&self, channel: ChannelId, seq: Seq) -> Result<(), CoreError> {
        self.done(Request::DeletePost { channel, seq }).await
    }

    /// Pins a post, or unpins with `None` (owner and admins).
    pub async fn pin_post(&self, channel: ChannelId, seq: Option<Seq>) -> Result<(), CoreError> {
        self.done(Request::PinPost { channel, seq }).await?;
        // The pin is the channel's, not a post's change: show it here at once.
        let info = self.channel_info(channel).await?;
        self.inner.store.store_channel(info.clone()).await?;
        let _ = self
            .inner
            .events
            .send(ClientEvent::ChannelUpdated { channel: info });
        Ok(())
    }

    /// Makes a subscriber an admin, or an admin a subscriber (owner only).
    pub async fn set_channel_admin(
        &self,
        channel: ChannelId,
        account: AccountId,
        admin: bool,
    ) -> Result<(), CoreError> {
        self.done(Request::SetChannelAdmin(AdminChange {
            channel,
            account,
            admin,
        }))
        .await
    }

    /// Posts of a channel this account is in, as this device has them, newest first.
    pub async fn channel_posts(
        &self,
        channel: ChannelId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<Post>, CoreError> {
        Ok(self
            .inner
            .store
            .channel_posts(channel, before, limit.clamp(1, MAX_CHANNEL_PAGE))
            .await?)
    }

    /// Pulls a channel's changes now and waits until this device has them all (the
    /// background pull does the same; this is for callers that show the posts next).
    pub async fn pull_channel(&self, channel: ChannelId) -> Result<(), CoreError> {
        let requester = self
            .inner
            .connection
            .lock()
            .await
            .as_ref()
            .map(|c| c.requester())
            .ok_or(CoreError::NotSignedIn)?;
        crate::connection::channels::pull(
            &self.inner.store,
            &requester,
            &self.inner.events,
            channel,
        )
        .await
    }

    /// Fetches a page of a channel's posts from the server (newest first, before `before`)
    /// and stores it: the view counts of posts on screen stay current this way.
    pub async fn refresh_posts(
        &self,
        channel: ChannelId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<Post>, CoreError> {
        let request = Request::ChannelHistory {
            channel,
            before,
            limit: limit.clamp(1, MAX_CHANNEL_PAGE),
        };
        let Response::ChannelPosts(page) = self.request(request).await? else {
            return Err(CoreError::Protocol(
                "unexpected answer to a channel page".into(),
            ));
        };
        self.inner.store.store_posts(page.posts.clone()).await?;
        Ok(page.posts)
    }

    /// The newest posts of a channel this account is not in (a preview), newest first.
    pub async fn preview_posts(
        &self,
        channel: ChannelId,
        limit: u32,
    ) -> Result<Vec<Post>, CoreError> {
        let request = Request::ChannelHistory {
            channel,
            before: None,
            limit: limit.clamp(1, MAX_CHANNEL_PAGE),
        };
        match self.request(request).await? {
            Response::ChannelPosts(page) => Ok(page.posts),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Tells the server these posts were on screen; each post is reported once from this
    /// device, whatever the UI calls.
    pub async fn report_views(&self, channel: ChannelId, seqs: Vec<Seq>) -> Result<(), CoreError> {
        let fresh = self.inner.store.take_unviewed(channel, seqs).await?;
        for chunk in fresh.chunks(MAX_VIEWS_PER_REPORT) {
            self.done(Request::ReportViews {
                channel,
                seqs: chunk.to_vec(),
            })
            .await?;
        }
        Ok(())
    }

    /// Public channels, most subscribers first.
    pub async fn directory(&self, query: DirectoryQuery) -> Result<Vec<ChannelInfo>, CoreError> {
        match self.request(Request::SearchDirectory(query)).await? {
            Response::Channels(list) => Ok(list),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Stored posts of this account's channels whose text matches `query`, newest first.
    pub async fn search_posts(&self, query: &str, limit: u32) -> Result<Vec<Post>, CoreError> {
        Ok(self
            .inner
            .store
            .search_posts(query.into(), limit.clamp(1, MAX_CHANNEL_PAGE))
            .await?)
    }

    /// A new invite link of a channel (owner and admins).
    pub async fn create_invite(&self, channel: ChannelId) -> Result<Invite, CoreError> {
        match self.request(Request::CreateInvite { channel }).await? {
            Response::Invite(invite) => Ok(invite),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Revokes an invite link: it stops working at once.
    pub async fn revoke_invite(&self, channel: ChannelId, link: &str) -> Result<(), CoreError> {
        self.done(Request::RevokeInvite {
            channel,
            link: link.into(),
        })
        .await
    }

    /// A channel's owner and admins (owner and admins may ask).
    pub async fn channel_admins(
        &self,
        channel: ChannelId,
    ) -> Result<Vec<wren_proto::ChannelAdmin>, CoreError> {
        match self.request(Request::ChannelAdmins { channel }).await? {
            Response::ChannelAdmins(admins) => Ok(admins),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Mutes or unmutes a channel on this device: a muted channel's new posts are not
    /// announced.
    pub async fn set_channel_muted(
        &self,
        channel: ChannelId,
        muted: bool,
    ) -> Result<(), CoreError> {
        Ok(self.inner.store.set_channel_muted(channel, muted).await?)
    }

    /// The channels muted on this device.
    pub async fn muted_channels(&self) -> Result<Vec<ChannelId>, CoreError> {
        Ok(self.inner.store.muted_channels().await?)
    }

    async fn channel_answer(&self, request: Request) -> Result<ChannelInfo, CoreError> {
        match self.request(request).await? {
            Response::Channel(info) => Ok(info),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Stores a channel this account just joined or made, and has its posts pulled.
    async fn joined_channel(&self, info: ChannelInfo) -> Result<ChannelInfo, CoreError> {
        self.inner.store.store_channel(info.clone()).await?;
        if let Some(connection) = self.inner.connection.lock().await.as_ref() {
            connection.sync_channel(info.id)?;
        }
        let _ = self.inner.events.send(ClientEvent::ChannelUpdated {
            channel: info.clone(),
        });
        Ok(info)
    }
}
