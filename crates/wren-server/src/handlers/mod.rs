//! Request handling: one function per request, grouped by feature.
//!
//! A handler validates its input and, for a write, queues it on the store *before*
//! returning its future (waiting while the store's queue is full, which is what pushes
//! back on a connection that writes faster than the store commits), so that the writes of
//! one connection are applied in the order the client sent them even though their answers
//! are awaited concurrently. Before that, every request is checked against the id range
//! the store can hold and charged to the caller's quotas.

pub(crate) mod accounts;
mod channels;
mod chats;
mod keys;
mod messages;
mod mls;
pub(crate) mod presence;
mod sponsored;
mod sync;

use crate::server::AppState;
use crate::store::{ChannelOp, ChannelOutcome, StoreError, WriteOp, WriteOutcome};
use futures_util::future::BoxFuture;
use std::future::Future;
use wren_proto::{AccountInfo, DeviceId, ErrorBody, ErrorCode, Pts, Request, Response};

/// Who a signed-in connection acts as.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    /// The account.
    pub(crate) account: AccountInfo,
    /// This device.
    pub(crate) device: DeviceId,
}

/// A request's eventual answer.
pub(crate) type Reply = BoxFuture<'static, Result<Response, ErrorBody>>;

/// Handles every request except the sign-in changes (`Register`, `Login`, `Resume`,
/// `Logout`), which the connection handles itself because they change who it is.
pub(crate) async fn dispatch(state: &AppState, caller: Option<&Caller>, request: Request) -> Reply {
    let Some(caller) = caller else {
        return ready(match request {
            Request::Ping => Ok(Response::Pong { pts: Pts(0) }),
            _ => Err(unauthorized()),
        });
    };
    if !request.ids_in_range() {
        return ready(Err(bad_request("an id in this request is out of range")));
    }
    let me = caller.account.id;
    match state.quotas.charge(me, &request) {
        Err(refused) => return ready(Err(refused)),
        Ok(false) => return ready(Ok(Response::Done)),
        Ok(true) => {}
    }
    match request {
        Request::Ping => sync::ping(state, me),
        Request::GetDifference { since, limit } => sync::difference(state, me, since, limit),
        Request::ListDevices => accounts::list_devices(state, caller),
        Request::RevokeDevice { device } => accounts::revoke_device(state, me, device).await,
        Request::LookupUser { username } => accounts::lookup_user(state, &username),
        Request::GetChats { after } => chats::get_chats(state, me, after),
        Request::GetChat { chat } => chats::get_chat(state, me, chat),
        Request::OpenDirect { peer } => write(state, WriteOp::OpenDirect { me, peer }).await,
        Request::CreateGroup { title, members } => {
            chats::create_group(state, me, &title, members).await
        }
        Request::AddMember { chat, account } => {
            let op = WriteOp::AddMember {
                actor: me,
                chat,
                account,
            };
            write(state, op).await
        }
        Request::RemoveMember { chat, account } => {
            let op = WriteOp::RemoveMember {
                actor: me,
                chat,
                account,
            };
            write(state, op).await
        }
        Request::LeaveChat { chat } => {
            let op = WriteOp::RemoveMember {
                actor: me,
                chat,
                account: me,
            };
            write(state, op).await
        }
        Request::RenameChat { chat, title } => chats::rename(state, me, chat, &title).await,
        Request::SendMessage {
            chat,
            client_msg_id,
            payload,
            reply_to,
        } => messages::send(state, me, chat, client_msg_id, payload, reply_to).await,
        Request::EditMessage { chat, seq, payload } => {
            messages::edit(state, me, chat, seq, payload).await
        }
        Request::DeleteMessage { chat, seq } => {
            let op = WriteOp::DeleteMessage {
                actor: me,
                chat,
                seq,
            };
            write(state, op).await
        }
        Request::MarkRead { chat, up_to } => {
            let op = WriteOp::MarkRead {
                reader: me,
                chat,
                up_to,
            };
            write(state, op).await
        }
        Request::SetGroupAdds { allowed } => {
            write(
                state,
                WriteOp::SetGroupAdds {
                    account: me,
                    allowed,
                },
            )
            .await
        }
        Request::GetPrivacy => accounts::privacy(state, me),
        Request::SetLastSeen { visibility } => {
            let op = WriteOp::SetLastSeen {
                account: me,
                visibility,
            };
            write(state, op).await
        }
        Request::GetPresence { accounts } => presence::get(state, me, accounts),
        Request::SetTyping { chat } => messages::typing(state, caller, chat),
        Request::CallSignal {
            chat,
            epoch,
            sealed,
        } => messages::call_signal(state, caller, chat, epoch, sealed),
        Request::GetHistory {
            chat,
            before,
            limit,
        } => messages::history(state, me, chat, before, limit),
        Request::SetIdentityKey { key } => keys::set_identity_key(state, caller, &key).await,
        Request::UploadKeyPackages {
            packages,
            last_resort,
        } => keys::upload(state, caller, packages, last_resort).await,
        Request::ClaimKeyPackages { account } => keys::claim(state, account).await,
        Request::GetKeyPackageCount => keys::count(state, caller),
        Request::ListAccountDevices { account } => keys::account_devices(state, account),
        Request::PublishCommit {
            chat,
            commit,
            group_info,
            welcome,
        } => {
            let published = mls::Published {
                commit,
                group_info,
                welcome,
            };
            mls::publish_commit(state, caller, chat, published).await
        }
        Request::GetGroupInfo { chat } => mls::group_info(state, me, chat),
        Request::SealTitle {
            chat,
            epoch,
            sealed,
            rename,
        } => {
            let title = mls::SealedTitle {
                epoch,
                sealed,
                rename,
            };
            mls::seal_title(state, me, chat, title).await
        }
        Request::GetSealedTitle { chat } => mls::sealed_title(state, me, chat),
        Request::CreateChannel(new) => channels::create(state, me, new).await,
        Request::GetChannel { channel } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::Channel(store.channel(me, channel).await?)) })
        }
        Request::ResolveChannel { handle } => channels::resolve(state, me, &handle),
        Request::Subscribe { channel } => {
            let op = ChannelOp::Subscribe {
                account: me,
                channel,
            };
            channels::membership(state, op).await
        }
        Request::JoinByInvite { link } => channels::join_by_invite(state, me, &link).await,
        Request::LeaveChannel { channel } => {
            let op = ChannelOp::Leave {
                account: me,
                channel,
            };
            channels::membership(state, op).await
        }
        Request::MyChannels => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::Channels(store.my_channels(me).await?)) })
        }
        Request::PublishPost(post) => channels::publish(state, me, post).await,
        Request::EditPost { channel, seq, text } => {
            channels::change(state, me, channel, seq, Some(text)).await
        }
        Request::DeletePost { channel, seq } => {
            channels::change(state, me, channel, seq, None).await
        }
        Request::PinPost { channel, seq } => {
            let op = ChannelOp::Pin {
                actor: me,
                channel,
                seq,
            };
            write(state, WriteOp::Channel(op)).await
        }
        Request::ChannelDifference {
            channel,
            since,
            limit,
        } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move {
                let page = store.channel_difference(me, channel, since, limit).await?;
                Ok(Response::ChannelPosts(page))
            })
        }
        Request::ChannelHistory {
            channel,
            before,
            limit,
        } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move {
                let page = store.channel_history(me, channel, before, limit).await?;
                Ok(Response::ChannelPosts(page))
            })
        }
        Request::SearchDirectory(query) => channels::search(state, me, query),
        Request::ReportViews { channel, seqs } => channels::report_views(state, me, channel, seqs),
        Request::CreateInvite { channel } => channels::create_invite(state, me, channel).await,
        Request::RevokeInvite { channel, link } => {
            channels::revoke_invite(state, me, channel, &link).await
        }
        Request::CreateCampaign(campaign) => sponsored::create(state, me, campaign).await,
        Request::StopCampaign { campaign } => {
            let op = WriteOp::StopCampaign {
                advertiser: me,
                campaign,
            };
            write(state, op).await
        }
        Request::MyCampaigns => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::Campaigns(store.campaigns(me).await?)) })
        }
        Request::GetSponsored { channel } => sponsored::serve(state, me, channel),
        Request::SponsoredEvent {
            campaign,
            channel,
            action,
        } => sponsored::event(state, me, campaign, channel, action).await,
        Request::ChannelEarnings { channel } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move {
                Ok(Response::Earnings(
                    store.channel_earnings(me, channel).await?,
                ))
            })
        }
        Request::ChannelAdmins { channel } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move {
                Ok(Response::ChannelAdmins(
                    store.channel_admins(me, channel).await?,
                ))
            })
        }
        Request::SetChatPinned { chat, pinned } => {
            let op = WriteOp::SetChatPinned {
                account: me,
                chat,
                pinned,
            };
            write(state, op).await
        }
        Request::GetMediaRelay => ready(match &state.relay {
            Some(relay) => Ok(Response::MediaRelay(wren_proto::MediaRelayInfo {
                port: relay.port,
                cert_sha256: relay.cert_sha256.to_vec(),
            })),
            None => Err(ErrorBody::new(
                ErrorCode::NotFound,
                "this server runs no media relay",
            )),
        }),
        Request::SetProfile { display_name, bio } => {
            let (display_name, bio) = match (
                wren_proto::rules::normalize_display_name(&display_name),
                wren_proto::rules::normalize_bio(&bio),
            ) {
                (Ok(name), Ok(bio)) => (name.to_owned(), bio.to_owned()),
                (Err(e), _) => return ready(Err(bad_request(format!("display name: {e}")))),
                (_, Err(e)) => return ready(Err(bad_request(format!("bio: {e}")))),
            };
            let op = WriteOp::SetProfile {
                account: me,
                display_name,
                bio,
            };
            write(state, op).await
        }
        Request::GetProfile { account } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move {
                store
                    .profile(account)
                    .await?
                    .map(Response::Profile)
                    .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such account"))
            })
        }
        Request::SetChatMuted { chat, until } => {
            let op = WriteOp::ChangeChatSettings {
                account: me,
                chat,
                change: crate::store::sql::SettingsChange::Muted(until),
            };
            write(state, op).await
        }
        Request::SetChatArchived { chat, archived } => {
            let op = WriteOp::ChangeChatSettings {
                account: me,
                chat,
                change: crate::store::sql::SettingsChange::Archived(archived),
            };
            write(state, op).await
        }
        Request::SetFolders { mut folders } => {
            if let Err(e) = wren_proto::rules::validate_folders(&mut folders) {
                return ready(Err(bad_request(e.to_string())));
            }
            write(
                state,
                WriteOp::SetFolders {
                    account: me,
                    folders,
                },
            )
            .await
        }
        Request::GetFolders => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::Folders(store.folders(me).await?)) })
        }
        Request::GetChatSettings => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::AllChatSettings(store.chat_settings(me).await?)) })
        }
        Request::GetPinnedChats => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::PinnedChats(store.pinned_chats(me).await?)) })
        }
        Request::GetPlan => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move { Ok(Response::Plan(store.plan(me).await?)) })
        }
        Request::SetBusinessProfile(profile) => {
            match wren_proto::rules::validate_business_profile(&profile) {
                Ok(()) => {
                    write(
                        state,
                        WriteOp::SetBusinessProfile {
                            account: me,
                            profile,
                        },
                    )
                    .await
                }
                Err(reason) => ready(Err(bad_request(reason))),
            }
        }
        Request::GetBusinessProfile { account } => {
            let store = std::sync::Arc::clone(&state.store);
            Box::pin(async move {
                Ok(Response::BusinessProfile(
                    store.business_profile(account).await?,
                ))
            })
        }
        Request::SetChannelAdmin(change) => {
            let op = ChannelOp::SetAdmin {
                actor: me,
                channel: change.channel,
                account: change.account,
                admin: change.admin,
            };
            write(state, WriteOp::Channel(op)).await
        }
        Request::Register { .. }
        | Request::Login { .. }
        | Request::Resume { .. }
        | Request::Logout => ready(Err(internal(
            "sign-in request reached dispatch",
            &"the connection handles these itself",
        ))),
    }
}

/// Queues a write (waiting while the store's queue is full); the returned future
/// resolves with its committed outcome.
async fn submit(
    state: &AppState,
    op: WriteOp,
) -> impl Future<Output = Result<WriteOutcome, ErrorBody>> + Send + 'static {
    let ticket = state.store.submit(op).await;
    async move { Ok(ticket.await?) }
}

/// Queues a write and answers with its outcome.
async fn write(state: &AppState, op: WriteOp) -> Reply {
    let committed = submit(state, op).await;
    Box::pin(async move { committed.await.map(into_response) })
}

/// The response for a committed write.
fn into_response(outcome: WriteOutcome) -> Response {
    match outcome {
        WriteOutcome::SignedIn {
            account,
            device,
            pts,
        } => Response::Resumed {
            account,
            device,
            pts,
        },
        WriteOutcome::Chat(info) => Response::Chat(info),
        WriteOutcome::Sent {
            chat, seq, sent_at, ..
        } => Response::Sent { chat, seq, sent_at },
        WriteOutcome::Privacy(privacy) => Response::Privacy(privacy),
        WriteOutcome::ChatSettings(settings) => Response::ChatSettings(settings),
        WriteOutcome::Folders(folders) => Response::Folders(folders),
        WriteOutcome::KeyPackageCount(remaining) => Response::KeyPackageCount { remaining },
        WriteOutcome::KeyPackages(claimed) => Response::KeyPackages(claimed),
        WriteOutcome::CommitAccepted { epoch, log_seq } => {
            Response::CommitAccepted { epoch, log_seq }
        }
        WriteOutcome::Channel(outcome) => match outcome {
            ChannelOutcome::Channel(info)
            | ChannelOutcome::Membership {
                info: Some(info), ..
            } => Response::Channel(info),
            ChannelOutcome::Posted {
                channel,
                seq,
                sent_at,
                ..
            } => Response::Posted {
                channel,
                seq,
                sent_at,
            },
            ChannelOutcome::Membership { info: None, .. }
            | ChannelOutcome::Changed(_)
            | ChannelOutcome::Done => Response::Done,
        },
        WriteOutcome::Campaign(report) => Response::Campaign(report),
        WriteOutcome::Done | WriteOutcome::Pruned { .. } => Response::Done,
    }
}

/// An answer that is already known.
pub(super) fn ready(result: Result<Response, ErrorBody>) -> Reply {
    Box::pin(std::future::ready(result))
}

/// The request needs a signed-in connection.
pub(crate) fn unauthorized() -> ErrorBody {
    ErrorBody::new(ErrorCode::Unauthorized, "sign in first")
}

/// Arguments the user can fix.
fn bad_request(message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(ErrorCode::BadRequest, message)
}

/// A server-side failure; the details go to the log only.
fn internal(context: &str, error: &dyn std::fmt::Display) -> ErrorBody {
    tracing::error!(%error, "{context}");
    ErrorBody::new(ErrorCode::Internal, "the server failed; try again later")
}

impl From<StoreError> for ErrorBody {
    fn from(e: StoreError) -> Self {
        if matches!(
            e,
            StoreError::Database(_) | StoreError::Conflict(_) | StoreError::Corrupt(_)
        ) {
            tracing::error!(error = %e, "store failed");
        }
        e.to_body()
    }
}
