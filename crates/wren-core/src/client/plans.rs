//! Plans on the client: the account's plan and what it allows, and business profiles.

use super::Client;
use crate::error::CoreError;
use wren_proto::{AccountId, BusinessProfile, PlanInfo, Request, Response};

impl Client {
    /// This account's plan and what it allows, as the server enforces it.
    pub async fn plan(&self) -> Result<PlanInfo, CoreError> {
        match self.request(Request::GetPlan).await? {
            Response::Plan(info) => Ok(info),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Sets this account's business profile (Business plan only).
    pub async fn set_business_profile(&self, profile: BusinessProfile) -> Result<(), CoreError> {
        wren_proto::rules::validate_business_profile(&profile).map_err(CoreError::Invalid)?;
        self.done(Request::SetBusinessProfile(profile.clone()))
            .await?;
        // This device answers new contacts with it at once.
        Ok(self
            .inner
            .store
            .set_own_business_profile(Some(profile))
            .await?)
    }

    /// An account's business profile (`None`: it has none, or no Business plan).
    pub async fn business_profile(
        &self,
        account: AccountId,
    ) -> Result<Option<BusinessProfile>, CoreError> {
        match self
            .request(Request::GetBusinessProfile { account })
            .await?
        {
            Response::BusinessProfile(profile) => Ok(profile),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }
}
