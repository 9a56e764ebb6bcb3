//! A [`Client`] and its connection task against a scripted server on a loopback socket:
//! the wire side of the sync engine's decisions (paging a reset, retrying a refused page)
//! and request round trips.

use crate::{Client, ClientOptions, GroupAdds, Privacy};
use futures_util::{SinkExt, StreamExt};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatInfo, ChatKind, ClientFrame, DeviceId, Difference,
    ErrorBody, ErrorCode, Member, Pts, Request, RequestFrame, Response, Role, Seq, ServerFrame,
    Session, Welcome, PROTOCOL_VERSION,
};

/// The server's `pts`: far ahead of a new profile, so that sync starts with a reset.
const SERVER_PTS: Pts = Pts(1_000_000);

/// What the scripted server holds, and what it was asked.
#[derive(Default)]
struct Script {
    /// The account is in chats 1 to `chats`.
    chats: u64,
    /// Chats per `GetChats` page.
    page: u64,
    /// How many `GetChats` to refuse (as a failing server would) before answering.
    refuse_chats: u32,
    /// The `after` of every `GetChats`, in order.
    asked_after: Vec<Option<ChatId>>,
    privacy: Privacy,
}

fn alice() -> AccountInfo {
    AccountInfo {
        id: AccountId(1),
        username: "alice".into(),
        display_name: String::new(),
    }
}

fn chat(id: u64) -> ChatInfo {
    ChatInfo {
        id: ChatId(id),
        kind: ChatKind::Group,
        title: format!("group {id}"),
        members: vec![Member {
            account: alice(),
            role: Role::Admin,
        }],
        last_seq: Seq(0),
        read_seq: Seq(0),
        peers_read_seq: Seq(0),
        created_at: id,
    }
}

fn answer(script: &Mutex<Script>, request: Request) -> Result<Response, ErrorBody> {
    let mut script = script.lock().expect("the script");
    match request {
        Request::Register { .. } => Ok(Response::Session(Session {
            account: alice(),
            device: DeviceId(1),
            token: "token".into(),
        })),
        Request::Ping => Ok(Response::Pong { pts: SERVER_PTS }),
        Request::GetDifference { .. } => Ok(Response::Difference(Difference::TooFarBehind {
            current: SERVER_PTS,
        })),
        Request::GetChats { after } => {
            script.asked_after.push(after);
            if script.refuse_chats > 0 {
                script.refuse_chats -= 1;
                return Err(ErrorBody::new(ErrorCode::Internal, "try again later"));
            }
            let first = after.map_or(1, |c| c.0 + 1);
            let last = (first + script.page - 1).min(script.chats);
            Ok(Response::Chats {
                chats: (first..=last).map(chat).collect(),
                more: last < script.chats,
            })
        }
        Request::GetPrivacy => Ok(Response::Privacy(script.privacy)),
        Request::SetGroupAdds { allowed } => {
            script.privacy.group_adds = allowed;
            Ok(Response::Privacy(script.privacy))
        }
        other => Err(ErrorBody::new(
            ErrorCode::BadRequest,
            format!("not in the script: {}", other.name()),
        )),
    }
}

/// Serves every connection from the script until the test ends.
async fn serve(listener: TcpListener, script: Arc<Mutex<Script>>) {
    while let Ok((stream, _)) = listener.accept().await {
        let script = Arc::clone(&script);
        tokio::spawn(async move {
            let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
                return;
            };
            while let Some(Ok(message)) = socket.next().await {
                let WsMessage::Binary(bytes) = message else {
                    continue;
                };
                let reply = match wren_proto::decode_client(&bytes) {
                    Ok(ClientFrame::Hello(_)) => ServerFrame::Welcome(Welcome {
                        version: PROTOCOL_VERSION,
                        server: "scripted".into(),
                        max_frame_bytes: 1 << 20,
                    }),
                    Ok(ClientFrame::Request(RequestFrame { id, body })) => ServerFrame::Response {
                        id,
                        result: answer(&script, body),
                    },
                    Err(_) => return,
                };
                let bytes = wren_proto::encode(&reply).expect("a frame encodes");
                if socket.send(WsMessage::Binary(bytes.into())).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// A client signed in to a scripted server.
async fn signed_in(script: Script, profile: &std::path::Path) -> (Client, Arc<Mutex<Script>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}", listener.local_addr().expect("an address"));
    let script = Arc::new(Mutex::new(script));
    tokio::spawn(serve(listener, Arc::clone(&script)));
    let client = Client::open(ClientOptions {
        profile_dir: profile.to_path_buf(),
        passcode: Some("passcode".into()),
        device_name: "test".into(),
        client_name: "test".into(),
    })
    .await
    .expect("open");
    client
        .register(&url, "alice", "a long password")
        .await
        .expect("register");
    (client, script)
}

#[tokio::test]
async fn a_reset_stores_every_page_of_the_chat_list_after_refused_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Script {
        chats: 2_500,
        page: 300,
        refuse_chats: 2,
        ..Script::default()
    };
    let (client, script) = signed_in(script, dir.path()).await;
    client
        .wait_synced(Duration::from_secs(30))
        .await
        .expect("caught up");
    assert_eq!(client.chats().await.expect("the chat list").len(), 2_500);
    let asked = script.lock().expect("the script").asked_after.clone();
    // The first page refused twice, then each page after the last id of the one before.
    let mut expected = vec![None, None, None];
    expected.extend((1..=8).map(|n| Some(ChatId(n * 300))));
    assert_eq!(asked, expected);
    client.close().await;
}

#[tokio::test]
async fn the_group_adds_setting_is_read_and_changed_on_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Script {
        chats: 1,
        page: 10,
        ..Script::default()
    };
    let (client, script) = signed_in(script, dir.path()).await;
    assert_eq!(
        client.privacy().await.expect("privacy").group_adds,
        GroupAdds::Everybody
    );
    let now = client
        .set_group_adds(GroupAdds::Nobody)
        .await
        .expect("changed");
    assert_eq!(now.group_adds, GroupAdds::Nobody);
    assert_eq!(
        script.lock().expect("the script").privacy.group_adds,
        GroupAdds::Nobody
    );
    assert_eq!(
        client.privacy().await.expect("privacy").group_adds,
        GroupAdds::Nobody
    );
    client.close().await;
}
