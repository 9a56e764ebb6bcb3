//! The `wren-server` binary: the listening line, the loopback rule, SIGTERM, the config
//! file, and `migrate`, `backup` and `restore`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{
    expect_fatal, hello, listening_port, recv_frame, send_frame, Client, TestServer, WAIT,
};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use wren_proto::{ChatId, ErrorCode, Request, Response, ServerFrame, PROTOCOL_VERSION};

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
    let port = listening_port(&mut child);
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

/// Runs `wren-server --data-dir DIR ARGS…` to the end.
fn maintenance(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The texts of a chat's messages, oldest first.
async fn texts(client: &mut Client, chat: ChatId) -> Vec<String> {
    let Ok(Response::History(page)) = client
        .call(Request::GetHistory {
            chat,
            before: None,
            limit: 100,
        })
        .await
    else {
        panic!("history");
    };
    page.iter()
        .rev()
        .map(|m| String::from_utf8_lossy(&m.payload).into_owned())
        .collect()
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_what_it_held() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await.id;
    alice.say(chat, 1, "before the backup").await;
    let copies = tempfile::tempdir().unwrap();
    let dest = copies.path().join("wren-backup.db");
    let dest_arg = dest.to_str().unwrap();

    let out = maintenance(server.dir.path(), &["backup", dest_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("backed up "), "{}", stdout(&out));
    assert!(dest.is_file());
    let again = maintenance(server.dir.path(), &["backup", dest_arg]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    let busy = maintenance(server.dir.path(), &["restore", dest_arg]);
    assert!(!busy.status.success());
    assert!(
        stderr(&busy).contains("another wren-server is using"),
        "{}",
        stderr(&busy)
    );

    alice.say(chat, 2, "after the backup").await;
    let token = alice.token();
    drop(alice);
    let dir = server.stop().await;
    let restored = maintenance(dir.path(), &["restore", dest_arg]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let said = stdout(&restored);
    assert!(said.contains("restored"), "{said}");
    let kept = said
        .lines()
        .find_map(|l| l.strip_prefix("the replaced database is kept at "))
        .expect("names the kept database")
        .to_owned();

    let server = TestServer::start_in(dir, |_| {}).await;
    let mut alice = Client::resume(&server, &token).await;
    assert_eq!(texts(&mut alice, chat).await, ["before the backup"]);
    drop(alice);
    let dir = server.stop().await;
    let undo = maintenance(dir.path(), &["restore", &kept]);
    assert!(undo.status.success(), "{}", stderr(&undo));
    let server = TestServer::start_in(dir, |_| {}).await;
    let mut alice = Client::resume(&server, &token).await;
    assert_eq!(
        texts(&mut alice, chat).await,
        ["before the backup", "after the backup"],
        "the database a restore replaced is kept whole"
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await.id;
    alice.say(chat, 1, "still here").await;
    let token = alice.token();
    drop(alice);
    let dir = server.stop().await;
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "not a database at all, just some text").unwrap();
    let empty = dir.path().join("empty.db");
    schema_less_database(&empty);
    for (file, says) in [
        (junk.as_path(), "is not a Wren database backup"),
        (empty.as_path(), "holds no Wren schema"),
        (
            dir.path().join("missing.db").as_path(),
            "no Wren database at",
        ),
    ] {
        let out = maintenance(dir.path(), &["restore", file.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    let server = TestServer::start_in(dir, |_| {}).await;
    let mut alice = Client::resume(&server, &token).await;
    assert_eq!(texts(&mut alice, chat).await, ["still here"]);
}

/// An SQLite database with no Wren schema version: a fresh server's database with its
/// version cleared.
fn schema_less_database(path: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let out = maintenance(dir.path(), &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut bytes = std::fs::read(dir.path().join("wren.db")).unwrap();
    // The schema version ("user_version") is the big-endian u32 at offset 60.
    bytes[60..64].copy_from_slice(&[0, 0, 0, 0]);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn migrate_creates_the_schema_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = maintenance(dir.path(), &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).starts_with("schema version 0 → "),
        "{}",
        stdout(&first)
    );
    let second = maintenance(dir.path(), &["migrate"]);
    assert!(
        stdout(&second).ends_with(": up to date\n"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn a_config_file_is_read_and_its_mistakes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("wren.toml");
    std::fs::write(
        &config,
        format!(
            "data-dir = {:?}\nlisten = \"0.0.0.0:0\"\n",
            dir.path().join("data")
        ),
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("refusing to listen on 0.0.0.0:0 without TLS"),
        "the file's listen address is used: {}",
        stderr(&out)
    );
    std::fs::write(&config, "data-dir = \"d\"\nlisten-on = \"127.0.0.1:0\"\n").unwrap();
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("listen-on"), "{}", stderr(&out));
}
