//! `wren`: the headless Wren client, for people and scripts.
//!
//! Every command opens the profile, does its work and exits: status 0 on success,
//! non-zero with a one-line reason on standard error otherwise.

mod args;
mod commands;
mod output;
mod profile;
mod secrets;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("wren: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let reason = format!("{e:#}").replace('\n', " ");
            eprintln!("wren: {reason}");
            ExitCode::FAILURE
        }
    }
}
