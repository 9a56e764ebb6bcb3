//! The `wren-server` binary: the listening line, the loopback rule, SIGTERM.

#![allow(clippy::unwrap_used)]

mod common;

use common::{expect_fatal, hello, recv_frame, send_frame, WAIT};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use wren_proto::{ErrorCode, ServerFrame, PROTOCOL_VERSION};

const BIN: &str = env!("CARGO_BIN_EXE_wren-server");

#[test]
fn plain_listening_off_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0:0 without TLS"),
        "{stderr}"
    );
}

#[tokio::test]
async fn prints_one_line_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(&data)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("wren-server listening on ws://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = addr.parse().unwrap();
    let url = format!("ws://127.0.0.1:{port}/ws");
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    send_frame(&mut ws, &hello(PROTOCOL_VERSION)).await;
    assert!(matches!(
        recv_frame(&mut ws).await,
        Some(ServerFrame::Welcome(_))
    ));
    assert!(
        data.join("wren.db").exists(),
        "the store is created in the data dir"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(expect_fatal(&mut ws).await.code, ErrorCode::ShuttingDown);
    let waited = tokio::task::spawn_blocking(move || child.wait());
    let status = tokio::time::timeout(WAIT, waited)
        .await
        .expect("server stops on SIGTERM")
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status}");
}
