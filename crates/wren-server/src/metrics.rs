//! Prometheus metrics, served as text at `/metrics`.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::Duration;

/// The label of per-request metrics.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// `Request::name()`.
    r#type: &'static str,
}

/// The label of per-write metrics.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OpLabels {
    /// `WriteOp::name()`.
    op: &'static str,
}

/// The label of the wake-up counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WakeUpLabels {
    /// `sent`, `received` or `dropped`.
    event: &'static str,
}

/// A request-latency histogram: 100 µs to about 3 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// The server's metrics and their registry.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    connections: Gauge,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RequestLabels, Histogram, fn() -> Histogram>,
    messages_stored: Counter,
    pushes_dropped: Counter,
    connections_refused: Counter,
    batch_writes: Histogram,
    rows_written: Family<OpLabels, Counter>,
    media_rooms: Gauge,
    media_bytes_received: Counter,
    media_bytes_forwarded: Counter,
    wake_ups: Family<WakeUpLabels, Counter>,
}

impl Metrics {
    /// Registers every metric.
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("wren");
        let connections = Gauge::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let durations: Family<RequestLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        let messages_stored = Counter::default();
        let pushes_dropped = Counter::default();
        let connections_refused = Counter::default();
        let batch_writes = Histogram::new(exponential_buckets(1.0, 2.0, 11));
        registry.register(
            "connections",
            "Open WebSocket connections",
            connections.clone(),
        );
        registry.register("requests", "Requests handled, by type", requests.clone());
        registry.register(
            "request_duration_seconds",
            "Time to answer a request, by type",
            durations.clone(),
        );
        registry.register(
            "messages_stored",
            "Messages stored",
            messages_stored.clone(),
        );
        registry.register(
            "pushes_dropped",
            "Live updates dropped because a connection's queue was full",
            pushes_dropped.clone(),
        );
        registry.register(
            "connections_refused",
            "TCP connections closed at once: no slot left for the server or the client's address",
            connections_refused.clone(),
        );
        registry.register(
            "store_batch_writes",
            "Writes applied per group commit",
            batch_writes.clone(),
        );
        let rows_written = Family::<OpLabels, Counter>::default();
        registry.register(
            "store_rows_written",
            "Rows inserted, changed or deleted by committed writes, by kind of write",
            rows_written.clone(),
        );
        let media_rooms = Gauge::default();
        let media_bytes_received = Counter::default();
        let media_bytes_forwarded = Counter::default();
        registry.register(
            "media_rooms",
            "Calls with at least one device on the media relay",
            media_rooms.clone(),
        );
        registry.register(
            "media_bytes_received",
            "Bytes of media datagrams the relay received",
            media_bytes_received.clone(),
        );
        registry.register(
            "media_bytes_forwarded",
            "Bytes of media datagrams the relay handed on, unchanged, to other devices",
            media_bytes_forwarded.clone(),
        );
        let wake_ups = Family::<WakeUpLabels, Counter>::default();
        registry.register(
            "wake_ups",
            "Notices between server nodes: sent, received, or dropped (queue full or unreadable)",
            wake_ups.clone(),
        );
        Metrics {
            registry,
            wake_ups,
            media_rooms,
            media_bytes_received,
            media_bytes_forwarded,
            connections,
            requests,
            durations,
            messages_stored,
            pushes_dropped,
            connections_refused,
            batch_writes,
            rows_written,
        }
    }

    /// A connection opened; the returned guard counts it closed when dropped.
    pub(crate) fn connection_opened(&self) -> ConnectionGuard {
        self.connections.inc();
        ConnectionGuard(self.connections.clone())
    }

    /// Records one answered request.
    pub(crate) fn request(&self, name: &'static str, took: Duration) {
        let labels = RequestLabels { r#type: name };
        self.requests.get_or_create(&labels).inc();
        self.durations
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }

    /// Records a newly stored message.
    pub(crate) fn message_stored(&self) {
        self.messages_stored.inc();
    }

    /// Records one group commit of `writes` writes.
    pub(crate) fn batch_committed(&self, writes: usize) {
        self.batch_writes.observe(writes as f64);
    }

    /// Records the rows one committed write of kind `op` changed.
    pub(crate) fn rows_written(&self, op: &'static str, rows: u64) {
        self.rows_written
            .get_or_create(&OpLabels { op })
            .inc_by(rows);
    }

    /// Records a connection closed at accept for want of a slot.
    pub(crate) fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    /// Counts notices to or from the other nodes.
    pub(crate) fn wake_ups(&self, event: &'static str, count: u64) {
        self.wake_ups
            .get_or_create(&WakeUpLabels { event })
            .inc_by(count);
    }

    /// A notice for the other nodes did not fit the outgoing queue.
    pub(crate) fn wake_up_dropped(&self) {
        self.wake_ups("dropped", 1);
    }

    /// Records a live update that did not fit a connection's queue.
    pub(crate) fn push_dropped(&self) {
        self.pushes_dropped.inc();
    }

    /// A call's room opened on the media relay (`true`) or closed.
    pub(crate) fn media_room(&self, opened: bool) {
        if opened {
            self.media_rooms.inc();
        } else {
            self.media_rooms.dec();
        }
    }

    /// The relay received a datagram of `bytes` and handed it to `copies` devices.
    pub(crate) fn media_forwarded(&self, bytes: usize, copies: usize) {
        let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
        let copies = u64::try_from(copies).unwrap_or(u64::MAX);
        self.media_bytes_received.inc_by(bytes);
        self.media_bytes_forwarded
            .inc_by(bytes.saturating_mul(copies));
    }

    /// The metrics in the Prometheus/OpenMetrics text format.
    pub(crate) fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Decrements the connection gauge when dropped.
#[derive(Debug)]
pub(crate) struct ConnectionGuard(Gauge);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_documented_metric_names() {
        let metrics = Metrics::new();
        let guard = metrics.connection_opened();
        metrics.request("send_message", Duration::from_millis(2));
        metrics.message_stored();
        let text = metrics.render().expect("render");
        assert!(text.contains("wren_connections 1"), "{text}");
        assert!(
            text.contains("wren_requests_total{type=\"send_message\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("wren_request_duration_seconds_count{type=\"send_message\"} 1"),
            "{text}"
        );
        assert!(text.contains("wren_messages_stored_total 1"), "{text}");
        drop(guard);
        assert!(metrics
            .render()
            .expect("render")
            .contains("wren_connections 0"));
    }
}
