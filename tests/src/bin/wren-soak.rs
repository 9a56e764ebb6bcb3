//! The soak run: N clients (real engines with encrypted stores) chat in pairs for a while
//! as the server process is SIGKILLed and restarted; at the end every message is counted.
//!
//! ```text
//! cargo build --release --bins && target/release/wren-soak --clients 200 --seconds 60
//! ```
//! Prints acknowledged / delivered / lost / duplicated; exits non-zero on any loss or
//! duplicate.

use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use wren_core::{ChatId, Client};
use wren_tests::process::{free_port, ServerProcess};

struct Options {
    clients: usize,
    seconds: u64,
    kills: u32,
}

fn options() -> Result<Options> {
    let mut options = Options {
        clients: 200,
        seconds: 60,
        kills: 2,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).context("every option takes a value")?;
        match pair[0].as_str() {
            "--clients" => options.clients = value.parse().context("--clients")?,
            "--seconds" => options.seconds = value.parse().context("--seconds")?,
            "--kills" => options.kills = value.parse().context("--kills")?,
            other => bail!("unknown option {other}; use --clients N --seconds S --kills K"),
        }
    }
    if options.clients < 2 || !options.clients.is_multiple_of(2) {
        bail!("--clients must be an even number of at least 2");
    }
    Ok(options)
}

/// Every message of a chat in a client's store: text -> how many times.
async fn stored(client: &Client, chat: ChatId) -> Result<HashMap<String, (usize, bool)>> {
    let mut seen: HashMap<String, (usize, bool)> = HashMap::new();
    let mut before = None;
    loop {
        let page = client.history(chat, before, 200).await?;
        let Some(last) = page.last() else { break };
        before = last.seq;
        for m in page {
            let entry = seen.entry(m.text).or_insert((0, false));
            entry.0 += 1;
            entry.1 |= m.seq.is_some();
        }
        if before.is_none() {
            break;
        }
    }
    Ok(seen)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let options = options()?;
    let scratch = tempfile::tempdir()?;
    let data = scratch.path().join("server");
    let port = free_port();
    let mut server = Some(ServerProcess::start(&data, port));
    let url = format!("ws://127.0.0.1:{port}");
    println!(
        "soak: {} clients, {} s, {} server kills",
        options.clients, options.seconds, options.kills
    );

    let mut clients = Vec::with_capacity(options.clients);
    for i in 0..options.clients {
        let (client, _) = wren_tests::register(&url, scratch.path(), &format!("soak{i}")).await;
        clients.push(client);
    }
    let mut chats = Vec::new();
    for pair in clients.chunks(2) {
        let peer = pair[1].account().context("signed in")?.username;
        chats.push(pair[0].open_direct(&peer).await?.id);
    }
    println!(
        "registered {} clients in {} chats",
        clients.len(),
        chats.len()
    );

    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let mut senders = Vec::new();
    for (i, client) in clients.iter().enumerate() {
        let client = client.clone();
        let chat = chats[i / 2];
        senders.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                if client.send(chat, &format!("c{i}-{n}"), None).await.is_ok() {
                    n += 1;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            n
        }));
    }
    for k in 1..=options.kills {
        let at = Duration::from_secs(options.seconds) * k / (options.kills + 1);
        tokio::time::sleep_until((deadline - Duration::from_secs(options.seconds) + at).into())
            .await;
        if let Some(running) = server.take() {
            running.kill();
        }
        println!("killed the server (SIGKILL) at {:.0} s", at.as_secs_f64());
        tokio::time::sleep(Duration::from_secs(1)).await;
        server = Some(ServerProcess::start(&data, port));
        println!("restarted it");
    }
    let mut written = 0;
    for sender in senders {
        written += sender.await?;
    }
    for client in &clients {
        client.wait_outbox_empty(Duration::from_secs(300)).await?;
    }
    for client in &clients {
        client.wait_synced(Duration::from_secs(300)).await?;
    }

    let (mut acknowledged, mut delivered, mut lost, mut duplicated) =
        (0usize, 0usize, 0usize, 0usize);
    for (i, client) in clients.iter().enumerate() {
        let chat = chats[i / 2];
        let partner = &clients[i ^ 1];
        let mine = stored(client, chat).await?;
        let theirs = stored(partner, chat).await?;
        let prefix = format!("c{i}-");
        for (text, (count, acked)) in mine.iter().filter(|(t, _)| t.starts_with(&prefix)) {
            if *acked {
                acknowledged += 1;
            }
            duplicated += count - 1;
            match theirs.get(text) {
                Some((n, _)) => {
                    delivered += 1;
                    duplicated += n - 1;
                }
                None if *acked => lost += 1,
                None => {}
            }
        }
    }
    println!(
        "written {written}, acknowledged {acknowledged}, delivered {delivered}, lost {lost}, duplicated {duplicated}"
    );
    drop(server);
    if lost > 0 || duplicated > 0 || acknowledged as u64 != written {
        bail!("the soak run lost or duplicated messages");
    }
    Ok(())
}
