//! A raw protocol client that does MLS by hand (with `wren_core::e2e::bench::Device`): it
//! makes a chat's group from key packages it chooses and seals messages for it, so that
//! benchmarks can put many encrypted messages on the server fast and hostile-client tests
//! can send commits a real client never would.

use crate::raw::RawClient;
use wren_core::e2e::bench::Device;
use wren_proto::{AccountId, ChatId, ErrorBody, Request, Response, Session};

/// A raw client's own MLS device.
pub struct MlsSender {
    device: Device,
    _dir: tempfile::TempDir,
}

impl MlsSender {
    /// A device for the raw client's session, whose identity key it publishes.
    pub async fn new(raw: &mut RawClient, session: &Session) -> MlsSender {
        let dir = tempfile::tempdir().expect("tempdir");
        let device = Device::open(
            &dir.path().join("sender.db"),
            session.account.id.0,
            session.device.0,
        )
        .expect("device store");
        let set = raw
            .request(Request::SetIdentityKey {
                key: device.public_key(),
            })
            .await;
        assert!(matches!(set, Ok(Response::Done)), "{set:?}");
        MlsSender { device, _dir: dir }
    }

    /// One key package of every device of `account`.
    pub async fn claim(raw: &mut RawClient, account: AccountId) -> Vec<Vec<u8>> {
        match raw.request(Request::ClaimKeyPackages { account }).await {
            Ok(Response::KeyPackages(claimed)) => {
                claimed.into_iter().filter_map(|c| c.package).collect()
            }
            other => panic!("claim: {other:?}"),
        }
    }

    /// Creates `chat`'s group with the devices of `packages` and publishes the commit;
    /// the server's answer.
    pub async fn create_group(
        &mut self,
        raw: &mut RawClient,
        chat: ChatId,
        packages: &[Vec<u8>],
    ) -> Result<Response, ErrorBody> {
        let made = self.device.create_group(chat.0, packages).expect("commit");
        raw.request(Request::PublishCommit {
            chat,
            commit: made.commit,
            group_info: made.group_info,
            welcome: made.welcome,
        })
        .await
    }

    /// The payloads of these texts, sealed for `chat`'s group in order.
    pub fn seal_texts(
        &mut self,
        chat: ChatId,
        texts: impl Iterator<Item = String>,
    ) -> Vec<Vec<u8>> {
        texts
            .map(|text| {
                self.device
                    .seal(chat.0, &wren_core::content::encode_text(&text))
                    .expect("seal")
            })
            .collect()
    }
}
