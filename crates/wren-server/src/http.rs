//! The HTTP surface: `/ws` (the WebSocket), `/media` (the media relay over a WebSocket,
//! when UDP is blocked), `/healthz`, `/metrics` (on the main listener or on its own
//! address).

use crate::accept::SlotHandle;
use crate::connection;
use crate::server::AppState;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Extension, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use tracing::Instrument;

/// The WebSocket layer refuses messages larger than this outright; anything up to it is
/// read whole, so the protocol can answer an oversize frame with a clear `TooLarge`.
const TRANSPORT_LIMIT: usize = wren_proto::codec::MAX_CLIENT_FRAME_BYTES + 64 * 1024;

/// How much a connection reads from its socket at a time. tungstenite zero-fills its whole
/// read buffer, so the default 128 KiB was resident for every idle connection; a larger
/// frame still gets room for its full length while it is read.
pub const WS_READ_BUFFER: usize = 4 * 1024;

/// Errors of the plain HTTP endpoints; details stay in the logs.
#[derive(Debug, thiserror::Error)]
enum AppError {
    /// The store does not answer.
    #[error("store unavailable")]
    Unavailable,
    /// Metrics could not be rendered.
    #[error("metrics unavailable")]
    Metrics,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (StatusCode::SERVICE_UNAVAILABLE, self.to_string()).into_response()
    }
}

/// The router of the main listener; `/metrics` only `with_metrics`.
pub(crate) fn router(state: AppState, with_metrics: bool) -> Router {
    let router = Router::new()
        .route("/ws", get(websocket))
        .route("/media", get(media))
        .route("/healthz", get(healthz));
    let router = if with_metrics {
        router.route("/metrics", get(metrics))
    } else {
        router
    };
    router.with_state(state)
}

/// The router of the separate metrics listener.
pub(crate) fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn websocket(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(slot): Extension<SlotHandle>,
) -> Result<Response, AppError> {
    Ok(ws
        .read_buffer_size(WS_READ_BUFFER)
        .max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        .on_upgrade(move |socket| {
            connection::serve(socket, state, peer.ip(), slot)
                .instrument(tracing::debug_span!("connection", %peer))
        }))
}

async fn media(ws: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    let Some(relay) = state
        .relay
        .as_ref()
        .map(|info| std::sync::Arc::clone(&info.relay))
    else {
        return (StatusCode::NOT_FOUND, "this server runs no media relay").into_response();
    };
    ws.max_message_size(crate::relay_socket::MAX_DATAGRAM)
        .max_frame_size(crate::relay_socket::MAX_DATAGRAM)
        .on_upgrade(move |socket| crate::relay_socket::serve(socket, relay))
}

/// `ok` (or `degraded` while the bus to the other nodes is down: this node still serves
/// its clients, and their pushes from other nodes come late), then a line per part; 503
/// when the database does not answer.
async fn healthz(State(state): State<AppState>) -> Result<String, AppError> {
    state.store.health().await.map_err(|e| {
        tracing::error!(error = %e, "health check failed");
        AppError::Unavailable
    })?;
    let nats = match &state.bus {
        None => "not configured",
        Some(bus) if bus.connected() => "connected",
        Some(_) => "disconnected",
    };
    let overall = if nats == "disconnected" {
        "degraded"
    } else {
        "ok"
    };
    Ok(format!("{overall}\ndatabase: ok\nnats: {nats}\n"))
}

async fn metrics(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let body = state.metrics.render().map_err(|_| AppError::Metrics)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    ))
}
