//! `tracing` to a daily-rotated log file (a week kept) in the app-data dir.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// Keeps the log writer flushing until the app exits.
pub(crate) struct LogGuard {
    _guard: WorkerGuard,
}

/// Starts logging to `dir/wren-desktop.<date>.log`; `RUST_LOG` overrides the default level.
pub(crate) fn init(dir: &Path) -> Result<LogGuard, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("wren-desktop")
        .filename_suffix("log")
        .max_log_files(7)
        .build(dir)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,wren_core=info,wren_desktop=debug"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(LogGuard { _guard: guard })
}
