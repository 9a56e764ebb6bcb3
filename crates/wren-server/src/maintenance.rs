//! `wren-server migrate`, `backup DEST` and `restore SRC`: the library's maintenance
//! calls with a progress bar and a one-line summary.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;
use wren_server::CopyProgress;

/// Creates or upgrades the schema and says which version it is at.
pub(crate) fn migrate(data_dir: &Path) -> anyhow::Result<()> {
    let done = wren_server::migrate(data_dir)
        .with_context(|| format!("cannot migrate the database in {}", data_dir.display()))?;
    if done.from == done.to {
        println!("schema version {}: up to date", done.to);
    } else {
        println!("schema version {} → {}", done.from, done.to);
    }
    Ok(())
}

/// Creates or upgrades the schema of a PostgreSQL database.
pub(crate) fn migrate_postgres(url: &str) -> anyhow::Result<()> {
    wren_server::migrate_postgres(url).context("cannot migrate the PostgreSQL database")?;
    println!("schema up to date");
    Ok(())
}

/// Writes a backup of the data directory's database to `dest`.
pub(crate) fn backup(data_dir: &Path, dest: &Path) -> anyhow::Result<()> {
    let bar = copy_bar("backing up");
    let written = wren_server::backup(data_dir, dest, &mut |p| show(&bar, p));
    bar.finish_and_clear();
    let written = written.with_context(|| format!("backup to {} failed", dest.display()))?;
    println!("backed up {} to {}", mebibytes(written), dest.display());
    Ok(())
}

/// Restores the backup `src` into the data directory.
pub(crate) fn restore(data_dir: &Path, src: &Path) -> anyhow::Result<()> {
    let bar = copy_bar("restoring");
    let restored = wren_server::restore(data_dir, src, &mut |p| show(&bar, p));
    bar.finish_and_clear();
    let restored = restored.with_context(|| format!("cannot restore {}", src.display()))?;
    println!(
        "restored {} into {} (schema version {})",
        src.display(),
        data_dir.display(),
        restored.schema.to
    );
    if let Some(previous) = restored.previous {
        println!("the replaced database is kept at {}", previous.display());
    }
    Ok(())
}

/// A progress bar on stderr (drawn only on a terminal).
fn copy_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!("{what} {{bar:40}} {{bytes}}/{{total_bytes}}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn show(bar: &ProgressBar, progress: CopyProgress) {
    bar.set_length(progress.total);
    bar.set_position(progress.copied);
}

fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
