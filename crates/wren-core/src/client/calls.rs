//! Calls: placing, answering, declining and ending a one-to-one call in a direct chat
//! (see [`crate::calls`]); what happens arrives as `Call*` events.

use super::{random_u64, Client};
use crate::calls::machine::Sender;
use crate::calls::media::{
    Controls, Link, MediaDeviceChoice, MediaDevices, MediaSources, MediaStats, RemotePicture,
};
use crate::calls::task::{Action, Input};
use crate::calls::{CallId, CallInfo, Phase};
use crate::error::CoreError;
use std::time::Duration;
use tokio::sync::oneshot;
use wren_proto::{ChatId, ChatKind};

/// How long placing a call waits for the chat's encryption group to be made.
const GROUP_WAIT: Duration = Duration::from_secs(20);
/// How often it looks.
const GROUP_POLL: Duration = Duration::from_millis(25);

impl Client {
    /// Calls the other member of a direct chat; every device of theirs rings.
    pub async fn start_call(&self, chat: ChatId, video: bool) -> Result<CallInfo, CoreError> {
        let me = self.me()?;
        let summary = self
            .inner
            .store
            .chat(me, chat)
            .await?
            .ok_or(CoreError::NotMember(chat))?;
        if summary.kind != ChatKind::Direct || !summary.is_member {
            return Err(CoreError::Invalid(
                "calls are one-to-one: place them in a direct chat".into(),
            ));
        }
        let peer = summary
            .members
            .iter()
            .map(|m| m.account.id)
            .find(|id| *id != me)
            .ok_or_else(|| CoreError::Invalid("this chat has nobody to call".into()))?;
        self.ensure_group(chat).await?;
        // At most 53 bits, so that the id survives a JavaScript number in the app.
        let call = CallId(random_u64()? >> 11);
        self.call_action(Action::Place {
            call,
            chat,
            peer,
            video,
        })
        .await?;
        self.current_call()
            .await
            .map(|(info, _)| info)
            .ok_or_else(|| CoreError::Protocol("the call ended at once".into()))
    }

    /// Answers the call ringing on this device.
    pub async fn accept_call(&self, call: CallId) -> Result<(), CoreError> {
        self.call_action(Action::Accept(call)).await
    }

    /// Declines the call ringing on this device (it stops ringing on every device).
    pub async fn decline_call(&self, call: CallId) -> Result<(), CoreError> {
        self.call_action(Action::Decline(call)).await
    }

    /// Ends the call: cancels it while it rings, declines it if it rings here, hangs up
    /// once answered.
    pub async fn hang_up(&self, call: CallId) -> Result<(), CoreError> {
        self.call_action(Action::HangUp(call)).await
    }

    /// This device's id (signed in).
    pub async fn this_device(&self) -> Result<wren_proto::DeviceId, CoreError> {
        Ok(self.saved_session().await?.device)
    }

    /// The call this device is in, and where it stands.
    pub async fn current_call(&self) -> Option<(CallInfo, Phase)> {
        let (reply, answer) = oneshot::channel();
        self.inner.calls.send(Input::Current { reply }).ok()?;
        answer.await.ok().flatten()
    }

    /// The four emojis of a call this device is in, derived from the call's key: both
    /// sides show the same ones unless someone is in the middle.
    pub async fn call_emojis(&self, call: CallId) -> Option<[&'static str; 4]> {
        let (reply, answer) = oneshot::channel();
        self.inner.calls.send(Input::Emojis { call, reply }).ok()?;
        answer.await.ok().flatten()
    }

    /// The other side's latest picture in this device's calls, as it changes (`None`
    /// between calls and before the first picture).
    pub async fn watch_call_pictures(
        &self,
    ) -> Option<tokio::sync::watch::Receiver<Option<std::sync::Arc<RemotePicture>>>> {
        let (reply, answer) = oneshot::channel();
        self.inner.calls.send(Input::WatchPictures { reply }).ok()?;
        answer.await.ok()
    }

    /// Switches the microphone (`muted`) or the camera (`camera_off`) of this device's
    /// call; `None` leaves a switch as it is. Both are on again for each new call.
    /// Returns the switches as they are now.
    pub async fn switch_call_media(
        &self,
        muted: Option<bool>,
        camera_off: Option<bool>,
    ) -> Result<Controls, CoreError> {
        let (reply, answer) = oneshot::channel();
        self.inner
            .calls
            .send(Input::Switch {
                muted,
                camera_off,
                reply,
            })
            .map_err(|_| CoreError::Closed)?;
        answer.await.map_err(|_| CoreError::Closed)
    }

    /// The microphones, speakers and cameras this computer has, and which are picked.
    pub async fn media_devices(&self) -> Result<MediaDevices, CoreError> {
        let (reply, answer) = oneshot::channel();
        self.inner
            .calls
            .send(Input::ChosenDevices { reply })
            .map_err(|_| CoreError::Closed)?;
        let chosen = answer.await.map_err(|_| CoreError::Closed)?;
        tokio::task::spawn_blocking(move || MediaDevices::list(chosen))
            .await
            .map_err(|e| CoreError::Invalid(format!("cannot list devices: {e}")))
    }

    /// Picks the microphone, speaker and camera (`None`: the system's default); a call in
    /// progress switches at once. A device this computer does not have is refused with
    /// [`CoreError::NoSuchDevice`]. Returns the devices, with the new choice.
    pub async fn choose_media_devices(
        &self,
        choice: MediaDeviceChoice,
    ) -> Result<MediaDevices, CoreError> {
        let mut devices = self.media_devices().await?;
        if let Some(missing) = devices.missing(&choice) {
            return Err(CoreError::NoSuchDevice(missing));
        }
        let (reply, answer) = oneshot::channel();
        self.inner
            .calls
            .send(Input::ChooseDevices { choice, reply })
            .map_err(|_| CoreError::Closed)?;
        devices.chosen = answer.await.map_err(|_| CoreError::Closed)?;
        Ok(devices)
    }

    /// Tells this device's call that the network changed (another Wi-Fi, a cable plugged
    /// in, a VPN): its media joins the relay afresh from the new address, and the call
    /// goes on. A path that is lost is joined again without being told.
    pub fn call_network_changed(&self) {
        let _ = self.inner.calls.send(Input::NetworkChanged);
    }

    /// What a call's media did on this device (sent, received, shown, how late), once
    /// the call ended.
    pub async fn call_stats(&self, call: CallId) -> Option<MediaStats> {
        let (reply, answer) = oneshot::channel();
        self.inner.calls.send(Input::Stats { call, reply }).ok()?;
        answer.await.ok().flatten()
    }

    /// Where calls' sound and pictures come from: the computer's devices (the default),
    /// or synthetic sources whatever it has, for tests and the command line's
    /// `--synthetic`.
    pub fn use_media_sources(&self, sources: MediaSources) {
        *self
            .inner
            .media_sources
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = sources;
    }

    async fn call_action(&self, action: Action) -> Result<(), CoreError> {
        let session = self.saved_session().await?;
        let me = Sender {
            account: session.account,
            device: session.device,
        };
        let link = match self.inner.connection.lock().await.as_ref() {
            Some(connection) => Link {
                requester: connection.requester(),
                url: connection.url().to_string(),
                token: session.token,
            },
            None => return Err(CoreError::NotSignedIn),
        };
        let (reply, answer) = oneshot::channel();
        self.inner
            .calls
            .send(Input::User {
                me,
                link,
                action,
                sources: *self
                    .inner
                    .media_sources
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                reply,
            })
            .map_err(|_| CoreError::Closed)?;
        answer.await.map_err(|_| CoreError::Closed)?
    }

    /// Makes the chat's encryption group if it has none yet (nothing was written there).
    async fn ensure_group(&self, chat: ChatId) -> Result<(), CoreError> {
        if self.inner.store.has_group(chat).await? {
            return Ok(());
        }
        match self.inner.connection.lock().await.as_ref() {
            Some(connection) => connection.check_groups(vec![chat], true)?,
            None => return Err(CoreError::NotSignedIn),
        }
        let deadline = tokio::time::Instant::now() + GROUP_WAIT;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(GROUP_POLL).await;
            if self.inner.store.has_group(chat).await? {
                return Ok(());
            }
        }
        Err(CoreError::Offline(
            "the chat's encryption is not ready yet; try again when online".into(),
        ))
    }
}
