//! Display names and bios.

use super::{unexpected, Client};
use crate::error::CoreError;
use crate::model::Profile;
use wren_proto::{rules, AccountId, Request, Response};

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
