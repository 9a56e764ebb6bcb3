//! A bare protocol client: wren-proto frames over a WebSocket, with no store and no sync.
//! For bulk traffic, bad input and benchmarks.

use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use wren_proto::{
    ChatId, ClientFrame, ClientMsgId, ErrorBody, Hello, Request, RequestFrame, RequestId, Response,
    ServerFrame, Session, UpdateEnvelope, PROTOCOL_VERSION,
};

/// A connected, handshaken protocol client.
pub struct RawClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Updates pushed while waiting for responses.
    pub pushes: Vec<UpdateEnvelope>,
}

impl RawClient {
    /// Connects to `url` (`ws://host:port`) without the handshake.
    pub async fn connect_bare(url: &str) -> RawClient {
        let (socket, _) = tokio_tungstenite::connect_async(format!("{url}/ws"))
            .await
            .expect("connect");
        RawClient {
            socket,
            next_id: 1,
            pushes: Vec::new(),
        }
    }

    /// Connects and completes the handshake.
    pub async fn connect(url: &str) -> RawClient {
        RawClient::connect_bare(url).await.handshake().await
    }

    /// Opens a WebSocket to `url` (`ws://IP:PORT`) from the loopback address `source`,
    /// without the handshake; an error (no file descriptors left, say) is returned, not
    /// a panic. Many connections need many source addresses: each has ~28,000 ports.
    pub async fn connect_from(
        url: &str,
        source: std::net::IpAddr,
    ) -> Result<RawClient, Box<dyn std::error::Error + Send + Sync>> {
        let target: std::net::SocketAddr = url.trim_start_matches("ws://").parse()?;
        let socket = match source {
            std::net::IpAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
            std::net::IpAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
        };
        socket.bind(std::net::SocketAddr::new(source, 0))?;
        let tcp = socket.connect(target).await?;
        let (socket, _) =
            tokio_tungstenite::client_async(format!("{url}/ws"), MaybeTlsStream::Plain(tcp))
                .await?;
        Ok(RawClient {
            socket,
            next_id: 1,
            pushes: Vec::new(),
        })
    }

    /// Says `Hello` and waits for `Welcome`.
    pub async fn handshake(mut self) -> RawClient {
        self.send_frame(&ClientFrame::Hello(Hello {
            version: PROTOCOL_VERSION,
            client: "raw".into(),
        }))
        .await;
        match self.next_frame().await {
            Some(ServerFrame::Welcome(_)) => self,
            other => panic!("expected Welcome, got {other:?}"),
        }
    }

    /// Registers a new account on a new connection.
    pub async fn register(url: &str, name: &str) -> (RawClient, Session) {
        let mut client = RawClient::connect(url).await;
        let answer = client
            .request(Request::Register {
                username: name.into(),
                password: crate::PASSWORD.into(),
                device_name: "raw".into(),
            })
            .await;
        match answer {
            Ok(Response::Session(session)) => (client, session),
            other => panic!("register {name}: {other:?}"),
        }
    }

    /// Sends a frame.
    pub async fn send_frame(&mut self, frame: &ClientFrame) {
        let bytes = wren_proto::encode(frame).expect("encode");
        self.send_bytes(bytes).await;
    }

    /// Sends arbitrary bytes as one binary message.
    pub async fn send_bytes(&mut self, bytes: Vec<u8>) {
        let _ = self.socket.send(WsMessage::Binary(bytes.into())).await;
    }

    /// The next frame, or `None` once the server has closed the connection.
    pub async fn next_frame(&mut self) -> Option<ServerFrame> {
        loop {
            match self.socket.next().await? {
                Ok(WsMessage::Binary(bytes)) => {
                    return Some(wren_proto::decode_server(&bytes).expect("a valid server frame"))
                }
                Ok(WsMessage::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// Sends one request and waits for its answer, keeping pushes that arrive meanwhile.
    pub async fn request(&mut self, body: Request) -> Result<Response, ErrorBody> {
        let mut answers = self.pipeline(vec![body], 1).await;
        answers.pop().expect("one answer")
    }

    /// Sends requests with up to `window` in flight; answers come back in request order.
    pub async fn pipeline(
        &mut self,
        bodies: Vec<Request>,
        window: usize,
    ) -> Vec<Result<Response, ErrorBody>> {
        let total = bodies.len();
        let mut queue = bodies.into_iter();
        let mut order = Vec::with_capacity(total);
        let mut answers: HashMap<RequestId, Result<Response, ErrorBody>> = HashMap::new();
        let mut in_flight = 0usize;
        loop {
            while in_flight < window.max(1) {
                let Some(body) = queue.next() else { break };
                let id = RequestId(self.next_id);
                self.next_id += 1;
                order.push(id);
                self.send_frame(&ClientFrame::Request(RequestFrame { id, body }))
                    .await;
                in_flight += 1;
            }
            if in_flight == 0 {
                break;
            }
            match self.next_frame().await {
                Some(ServerFrame::Response { id, result }) => {
                    answers.insert(id, result);
                    in_flight -= 1;
                }
                Some(ServerFrame::Update(update)) => self.pushes.push(update),
                Some(ServerFrame::Fatal(body)) => panic!("fatal from server: {body}"),
                Some(_) => {}
                None => panic!("the server closed the connection"),
            }
        }
        order
            .into_iter()
            .map(|id| answers.remove(&id).expect("every request answered"))
            .collect()
    }

    /// Fills `chat` with `count` text messages, 256 requests in flight; panics on a refusal.
    pub async fn fill_chat(&mut self, chat: ChatId, count: usize, text: impl Fn(usize) -> String) {
        let payloads = (0..count)
            .map(|i| wren_core::content::encode_text(&text(i)))
            .collect();
        self.fill_chat_with(chat, payloads).await;
    }

    /// Sends these payloads to `chat` as they are (pipelined, in order), checking each is
    /// stored.
    pub async fn fill_chat_with(&mut self, chat: ChatId, payloads: Vec<Vec<u8>>) {
        let mut payloads = payloads.into_iter().enumerate().peekable();
        while payloads.peek().is_some() {
            let sends = payloads
                .by_ref()
                .take(10_000)
                .map(|(i, payload)| Request::SendMessage {
                    chat,
                    client_msg_id: ClientMsgId(i as u64 + 1),
                    payload,
                    reply_to: None,
                })
                .collect();
            let answers = self.pipeline(sends, 256).await;
            assert!(answers
                .iter()
                .all(|a| matches!(a, Ok(Response::Sent { .. }))));
            self.pushes.clear();
        }
    }
}
