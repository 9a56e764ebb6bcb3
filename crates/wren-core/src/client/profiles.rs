//! Display names, bios, presence and chat folders.

use super::{unexpected, Client};
use crate::error::CoreError;
use crate::model::{PresenceOf, Profile};
use wren_proto::{rules, AccountId, LastSeenVisibility, Privacy, Request, Response};

impl Client {
    /// Sets this account's display name and bio ("" clears one). Everyone who shares a
    /// chat with this account, and its other devices, hear the new name.
    pub async fn set_profile(&self, display_name: &str, bio: &str) -> Result<Profile, CoreError> {
        let me = self.me()?;
        let display_name = rules::normalize_display_name(display_name)
            .map_err(|e| CoreError::Invalid(format!("display name: {e}")))?;
        let bio = rules::normalize_bio(bio).map_err(|e| CoreError::Invalid(format!("bio: {e}")))?;
        self.done(Request::SetProfile {
            display_name: display_name.into(),
            bio: bio.into(),
        })
        .await?;
        if let Ok(mut slot) = self.inner.me.write() {
            if let Some(info) = slot.as_mut() {
                info.display_name = display_name.into();
            }
        }
        self.profile(me).await
    }

    /// Whether these accounts are online, or when they were last seen, as far as their
    /// privacy and this account's let it be known (this account itself is left out).
    pub async fn presence(&self, accounts: &[AccountId]) -> Result<Vec<PresenceOf>, CoreError> {
        let me = self.me()?;
        let accounts: Vec<AccountId> = accounts.iter().copied().filter(|&a| a != me).collect();
        if accounts.len() > rules::MAX_PRESENCE_QUERY {
            return Err(CoreError::Invalid(format!(
                "ask for at most {} people at a time",
                rules::MAX_PRESENCE_QUERY
            )));
        }
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        match self.request(Request::GetPresence { accounts }).await? {
            Response::Presence(list) => Ok(list.into_iter().map(PresenceOf::from).collect()),
            other => Err(unexpected(other)),
        }
    }

    /// Chooses who sees when this account is online and was last seen; with
    /// [`LastSeenVisibility::Nobody`] it sees nobody else's either.
    pub async fn set_last_seen(
        &self,
        visibility: LastSeenVisibility,
    ) -> Result<Privacy, CoreError> {
        match self.request(Request::SetLastSeen { visibility }).await? {
            Response::Privacy(privacy) => Ok(privacy),
            other => Err(unexpected(other)),
        }
    }

    /// The account's chat folders, in tab order, as this device last heard them.
    pub async fn folders(&self) -> Result<Vec<wren_proto::Folder>, CoreError> {
        self.me()?;
        Ok(self.inner.store.folders().await?)
    }

    /// Replaces the account's chat folders (all of its devices get them); returns them as
    /// the server keeps them (names trimmed). Needs the server.
    pub async fn set_folders(
        &self,
        mut folders: Vec<wren_proto::Folder>,
    ) -> Result<Vec<wren_proto::Folder>, CoreError> {
        rules::validate_folders(&mut folders).map_err(|e| CoreError::Invalid(e.to_string()))?;
        let folders = match self.request(Request::SetFolders { folders }).await? {
            Response::Folders(folders) => folders,
            other => return Err(unexpected(other)),
        };
        if self.inner.store.replace_folders(folders.clone()).await? {
            let _ = self
                .inner
                .events
                .send(crate::events::ClientEvent::FoldersChanged {
                    folders: folders.clone(),
                });
        }
        Ok(folders)
    }

    /// An account's display name and bio, as the server has them now.
    pub async fn profile(&self, account: AccountId) -> Result<Profile, CoreError> {
        match self.request(Request::GetProfile { account }).await? {
            Response::Profile(profile) => Ok(Profile {
                account: profile.account.into(),
                bio: profile.bio,
            }),
            other => Err(unexpected(other)),
        }
    }
}
