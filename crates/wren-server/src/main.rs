//! The `wren-server` binary: parses flags (and the `--config` file), then serves until
//! SIGTERM or Ctrl-C, or runs a maintenance command on the data directory.

mod admin;
mod maintenance;
mod settings;

use anyhow::{bail, Context};
use clap::Parser;
use settings::Location;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

/// The Wren sync server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// A TOML file with any of the settings below, named as the flags without the dashes
    /// in front (`data-dir = "/var/lib/wren"`); flags override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(flatten)]
    settings: settings::Settings,
    /// What to do; without a command, `serve`.
    #[command(subcommand)]
    command: Option<Command>,
}

/// `wren-server [COMMAND]`.
#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Serve clients until SIGTERM or Ctrl-C (what runs without a command).
    Serve,
    /// Create or upgrade the database schema, then exit (a server also does this when it
    /// starts; refused while one runs on the data directory).
    Migrate,
    /// Copy the database to the new file DEST: a consistent snapshot, safe while the
    /// server runs.
    Backup {
        /// Where to write the copy (must not exist).
        dest: PathBuf,
    },
    /// Replace the database with the backup SRC; stop the server first. The replaced
    /// database is kept in the data directory.
    Restore {
        /// The backup to restore.
        src: PathBuf,
    },
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
    let settings = match &args.config {
        Some(path) => args.settings.over_file(path)?,
        None => args.settings,
    };
    let command = args.command.unwrap_or(Command::Serve);
    if let Command::Serve = command {
        return serve(settings).await;
    }
    let location = settings.location()?;
    // The maintenance commands block (the PostgreSQL client on a runtime of its own).
    tokio::task::spawn_blocking(move || maintain(&location, command)).await?
}

/// Runs a maintenance command on the store at `location`.
fn maintain(location: &Location, command: Command) -> anyhow::Result<()> {
    match (command, location) {
        (Command::Serve, _) => Ok(()),
        (Command::Migrate, Location::Sqlite(dir)) => maintenance::migrate(dir),
        (Command::Migrate, Location::Postgres(url)) => maintenance::migrate_postgres(url),
        (Command::Backup { dest }, Location::Sqlite(dir)) => maintenance::backup(dir, &dest),
        (Command::Restore { src }, Location::Sqlite(dir)) => maintenance::restore(dir, &src),
        (Command::Backup { .. } | Command::Restore { .. }, Location::Postgres(_)) => {
            bail!("backup and restore are for the SQLite store; use pg_dump and pg_restore for PostgreSQL")
        }
        (Command::Admin(command), location) => admin::run(location, command),
    }
}

/// Binds, prints the listening line and serves until a shutdown signal.
async fn serve(settings: settings::Settings) -> anyhow::Result<()> {
    let settings::Resolved {
        config,
        listen,
        tls,
    } = settings.resolve()?;
    let listener = std::net::TcpListener::bind(listen)
        .with_context(|| format!("cannot listen on {listen}"))?;
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
