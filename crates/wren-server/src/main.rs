//! The `wren-server` binary: parses flags, binds, serves until SIGTERM or Ctrl-C; or runs
//! an `admin` command on the data directory.

mod admin;

use anyhow::{bail, Context};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;
use wren_server::{Config, TlsFiles};

/// The Wren sync server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Directory for the database (created if missing).
    #[arg(long)]
    data_dir: PathBuf,
    /// Address to listen on; without TLS only loopback addresses are allowed.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// PEM certificate chain; enables TLS together with --tls-key.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A client further behind than this many updates must refetch its chat list.
    #[arg(long, default_value_t = 100_000)]
    max_difference: u64,
    /// Sign-in attempts allowed per minute per client IP (0 = no limit).
    #[arg(long, default_value_t = 30)]
    auth_per_minute: u32,
    /// Wrong passwords allowed per account in 15 minutes, from any IPs (0 = no limit).
    #[arg(long, default_value_t = 10)]
    failed_logins_per_account: u32,
    /// Connections allowed at once from one client IP, IPv6 per /64 (0 = no cap).
    #[arg(long, default_value_t = 64)]
    max_connections_per_ip: usize,
    /// Messages (sends, edits, deletes) one account may make per second (0 = no quota).
    #[arg(long, default_value_t = 20)]
    messages_per_second: u32,
    /// Serve /metrics on this address only (for example 127.0.0.1:9090), not on --listen.
    #[arg(long)]
    metrics_listen: Option<SocketAddr>,
    /// Sponsored messages are shown only in public channels with at least this many
    /// subscribers.
    #[arg(long, default_value_t = 1000)]
    sponsored_min_subscribers: u64,
    /// Run the media relay for calls on this UDP port (0: any free port) of the --listen
    /// address.
    #[arg(long)]
    media_port: Option<u16>,
    /// For tests: drop this share of media datagrams (in percent) at the relay.
    #[arg(long, default_value_t = 0)]
    media_loss_percent: u8,
    /// For tests: hold each media datagram back by a random 0 to this many ms at the relay.
    #[arg(long, default_value_t = 0)]
    media_jitter_ms: u16,
    /// Turn off every per-IP and per-account limit: for benchmarks and tests on one
    /// machine, never for a server people use.
    #[arg(long)]
    no_limits: bool,
    /// Instead of serving: maintenance on the data directory.
    #[command(subcommand)]
    admin: Option<Admin>,
}

/// `wren-server --data-dir DIR admin …`.
#[derive(Debug, clap::Subcommand)]
enum Admin {
    /// Maintenance on the data directory (plans).
    #[command(subcommand)]
    Admin(admin::AdminCommand),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if let Some(Admin::Admin(command)) = args.admin {
        return admin::run(&args.data_dir, command);
    }
    let mut config = Config::new(&args.data_dir);
    config.max_difference = args.max_difference;
    config.auth_per_minute = args.auth_per_minute;
    config.failed_logins_per_account = args.failed_logins_per_account;
    config.max_connections_per_ip = args.max_connections_per_ip;
    config.messages_per_second = args.messages_per_second;
    config.metrics_listen = args.metrics_listen;
    config.sponsored_min_subscribers = args.sponsored_min_subscribers;
    config.media_port = args.media_port;
    config.media_loss_percent = args.media_loss_percent;
    config.media_jitter_ms = args.media_jitter_ms;
    if args.no_limits {
        tracing::warn!("every rate limit and quota is off (--no-limits)");
        config = config.without_limits();
    }
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        _ => None,
    };
    if tls.is_none() && !args.listen.ip().is_loopback() {
        bail!(
            "refusing to listen on {} without TLS; pass --tls-cert and --tls-key, or use a loopback address",
            args.listen
        );
    }
    let listener = std::net::TcpListener::bind(args.listen)
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let shutdown = shutdown_signal()?;
    let scheme = if tls.is_some() { "wss" } else { "ws" };
    println!("wren-server listening on {scheme}://{addr}");
    match tls {
        Some(tls) => wren_server::run_tls(listener, config, tls, shutdown).await?,
        None => {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            wren_server::run(listener, config, shutdown).await?;
        }
    }
    Ok(())
}

/// Installs the SIGTERM and Ctrl-C handlers now (so a signal that arrives right after the
/// listening line is not missed) and resolves when either fires.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("cannot handle Ctrl-C")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        tracing::info!("shutting down");
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    })
}
