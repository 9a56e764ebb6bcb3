//! The `wren` command line as scripts use it: exit status, one-line errors, JSON output.

use std::time::Duration;
use wren_tests::process::{free_port, memory_contains, wait_until, Cli, ServerProcess};

fn one_line_error(out: &std::process::Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(
        stderr.lines().count(),
        1,
        "one line of error, got: {stderr:?}"
    );
    assert!(stderr.starts_with("wren: "), "{stderr:?}");
    stderr
}

/// A server in `scratch` and the registered CLI profiles of alice and bob.
fn alice_and_bob(scratch: &std::path::Path) -> (ServerProcess, Cli, Cli) {
    let server = ServerProcess::start(&scratch.join("server"), free_port());
    let cli = |name: &str| Cli {
        profile: scratch.join(name),
        server: server.url.clone(),
    };
    let (alice, bob) = (cli("alice"), cli("bob"));
    alice.ok(&["register", "alice"]);
    bob.ok(&["register", "bob"]);
    (server, alice, bob)
}

#[test]
fn the_cli_contract_holds_for_scripts() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&scratch.path().join("server"), free_port());
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    let (alice, bob, carol) = (cli("alice"), cli("bob"), cli("carol"));
    assert!(alice.ok(&["register", "alice"]).contains("@alice"));
    bob.ok(&["register", "bob"]);
    carol.ok(&["register", "carol"]);

    // Clear one-line errors.
    let taken = one_line_error(&cli("alice2").run(&["register", "alice"]));
    assert!(
        taken.contains("conflict") || taken.contains("taken"),
        "{taken}"
    );
    let mut wrong = cli("alice3").command(&["login", "alice"]);
    wrong.env("WREN_PASSWORD", "not the password");
    let refused = one_line_error(&wrong.output().expect("run"));
    assert!(refused.contains("unauthorized"), "{refused}");
    let nobody = one_line_error(&alice.run(&["send", "@nobody_here", "hi"]));
    assert!(
        nobody.contains("not_found") || nobody.contains("no such"),
        "{nobody}"
    );

    // Direct messages, JSON history, search.
    assert!(alice
        .ok(&["send", "@bob", "hello bob"])
        .starts_with("sent #"));
    bob.ok(&["send", "@alice", "مرحبا alice"]);
    let history: serde_json::Value =
        serde_json::from_str(&alice.ok(&["--json", "history", "@bob"])).expect("JSON");
    let texts: Vec<&str> = history
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(texts, ["hello bob", "مرحبا alice"]);
    let hits: serde_json::Value =
        serde_json::from_str(&alice.ok(&["--json", "search", "مرحبا"])).expect("JSON");
    assert_eq!(hits[0]["message"]["text"], "مرحبا alice");
    assert!(alice.ok(&["search", "مرحبا"]).contains("[مرحبا] alice"));

    // Groups by id.
    let group = alice
        .ok(&["group", "create", "Plans", "@bob"])
        .trim()
        .to_string();
    assert!(group.parse::<u64>().is_ok(), "group id: {group:?}");
    alice.ok(&["group", "add", &group, "@carol"]);
    carol.ok(&["send", &group, "carol here"]);
    assert!(wait_until(Duration::from_secs(20), || bob
        .ok(&["history", &group])
        .contains("carol: carol here")));
    alice.ok(&["group", "remove", &group, "@carol"]);
    let forbidden = one_line_error(&carol.run(&["send", &group, "still here?"]));
    assert!(
        ["no chat", "forbidden", "no longer in it"]
            .iter()
            .any(|w| forbidden.contains(w)),
        "{forbidden}"
    );
    let chats = alice.ok(&["chats"]);
    assert!(chats.contains("Plans") && chats.contains("@bob"), "{chats}");
}

#[test]
fn a_dead_server_gives_a_clear_error() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let cli = Cli {
        profile: scratch.path().join("p"),
        server: format!("ws://127.0.0.1:{}", free_port()),
    };
    let error = one_line_error(&cli.run(&["register", "alice"]));
    assert!(
        error.contains("cannot reach") || error.contains("offline"),
        "{error}"
    );
}

#[test]
fn an_unencrypted_address_to_another_computer_needs_allow_insecure() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // Not loopback by the rule (only 127.0.0.0/8, ::1 and localhost are), yet it fails fast.
    let cli = Cli {
        profile: scratch.path().join("p"),
        server: format!("ws://0.0.0.0:{}", free_port()),
    };
    let refused = one_line_error(&cli.run(&["register", "alice"]));
    assert!(refused.contains("not encrypted"), "{refused}");

    let flagged = cli.command(&["--allow-insecure", "register", "alice"]);
    let mut by_env = cli.command(&["register", "alice"]);
    by_env.env("WREN_ALLOW_INSECURE", "1");
    for mut allowed in [flagged, by_env] {
        let out = allowed.output().expect("run");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("warning") && stderr.contains("unencrypted"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("not encrypted"),
            "allowed, it tries: {stderr}"
        );
    }
}

#[test]
fn both_sides_see_the_same_safety_number_and_a_new_device_changes_it() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (server, alice, bob) = alice_and_bob(scratch.path());
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    alice.ok(&["send", "@bob", "shall we compare numbers?"]);
    assert!(wait_until(Duration::from_secs(20), || bob
        .ok(&["history", "@alice"])
        .contains("shall we compare numbers?")));

    let number = |who: &Cli, peer: &str| -> serde_json::Value {
        serde_json::from_str(&who.ok(&["--json", "verify", peer])).expect("JSON")
    };
    let seen_by_alice = number(&alice, "@bob");
    let seen_by_bob = number(&bob, "@alice");
    assert_eq!(seen_by_alice["digits"], seen_by_bob["digits"]);
    assert_eq!(seen_by_alice["fromChat"], true);
    assert_eq!(seen_by_alice["verified"], false);
    let digits = seen_by_alice["digits"].as_str().expect("digits");
    assert_eq!(digits.split(' ').count(), 12, "{digits}");

    // Alice compares and marks it verified.
    assert!(alice.ok(&["verify", "@bob", "--mark"]).contains("verified"));
    assert_eq!(number(&alice, "@bob")["verified"], true);

    // Bob signs in on a tablet; once it is in their chat, alice's number changes and warns.
    cli("bob-tablet").ok(&["login", "bob"]);
    assert!(wait_until(Duration::from_secs(30), || {
        let now = number(&alice, "@bob");
        now["changed"] == true && now["contactDevices"] == 2
    }));
    let shown = alice.ok(&["verify", "@bob"]);
    assert!(shown.contains("NOT VERIFIED"), "{shown}");
    assert_ne!(number(&alice, "@bob")["digits"], seen_by_alice["digits"]);
}

/// A video call with synthetic media from `alice` to `bob` on a server started with
/// `server_args`, answered by `wren answer` and hung up after `seconds`: both final
/// reports, and the caller's profile.
fn call_between(
    scratch: &std::path::Path,
    server_args: &[&str],
    seconds: &str,
) -> (serde_json::Value, serde_json::Value, Cli, ServerProcess) {
    let server = ServerProcess::start_with(&scratch.join("server"), free_port(), server_args);
    let cli = |name: &str| Cli {
        profile: scratch.join(name),
        server: server.url.clone(),
    };
    let (alice, bob) = (cli("alice"), cli("bob"));
    let answering = listen_for_a_call(&alice, &bob, &[], &[]);
    let calling = alice.run(&[
        "--json",
        "call",
        "@bob",
        "--video",
        "--synthetic",
        "--seconds",
        seconds,
    ]);
    let answered = answering.wait_with_output().expect("wren answer");
    (
        final_report(&calling),
        final_report(&answered),
        alice,
        server,
    )
}

/// The last line of a call command's output, as JSON.
fn final_report(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().expect("a final line")).expect("JSON")
}

/// Registers `alice` and `bob`, gives them a chat, and starts `wren answer` for bob with
/// synthetic media, the environment `env` and the `extra` arguments; returns once it
/// listens.
fn listen_for_a_call(
    alice: &Cli,
    bob: &Cli,
    env: &[(&str, &str)],
    extra: &[&str],
) -> std::process::Child {
    alice.ok(&["register", "alice"]);
    bob.ok(&["register", "bob"]);
    alice.ok(&["send", "@bob", "calling you now"]);

    let mut answering = bob
        .command(&[&["--json", "answer", "--synthetic", "--wait", "30"], extra].concat())
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start wren answer");
    // Call once bob's device is online and listening (signals are not stored).
    let stderr = answering.stderr.take().expect("stderr");
    let (ready, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("waiting for a call") {
                let _ = ready.send(());
            }
        }
    });
    listening
        .recv_timeout(Duration::from_secs(30))
        .expect("wren answer is listening");
    answering
}

/// The value of one of the server's Prometheus metrics (a plain GET of `/metrics`).
fn metric(server: &ServerProcess, name: &str) -> Option<f64> {
    use std::io::{Read, Write};
    let address = server.url.trim_start_matches("ws://");
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    stream.read_to_string(&mut body).ok()?;
    body.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
}

/// How many of what `from` sent `to` showed or played, in percent.
fn share(to: &serde_json::Value, shown: &str, from: &serde_json::Value, sent: &str) -> u64 {
    let shown = to["media"][shown].as_u64().unwrap_or(0);
    let sent = from["media"][sent].as_u64().unwrap_or(0).max(1);
    shown * 100 / sent
}

#[test]
fn a_call_between_two_command_lines_connects_with_the_same_emojis_and_carries_media() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (caller, callee, alice, server) =
        call_between(scratch.path(), &["--media-port", "0"], "10");
    assert_eq!(caller["answered"], true);
    assert_eq!(callee["answered"], true);
    assert_eq!(caller["call"], callee["call"]);
    assert_eq!(caller["video"], true);
    assert_eq!(caller["reason"]["hungUp"]["byMe"], true);
    assert_eq!(callee["reason"]["hungUp"]["byMe"], false);
    assert!(caller["durationMs"].as_u64().is_some_and(|ms| ms >= 10_000));
    assert_eq!(caller["emojis"].as_array().map(Vec::len), Some(4));
    assert_eq!(caller["emojis"], callee["emojis"], "the same four emojis");
    // Media flowed both ways through the relay, sealed: pictures shown in order, and
    // nothing failed to open.
    for (side, report, other) in [("caller", &caller, &callee), ("callee", &callee, &caller)] {
        let media = &report["media"];
        assert_eq!(media["synthetic"], true, "{side}: {media}");
        assert!(
            share(report, "videoFramesShown", other, "videoFramesSent") >= 80,
            "{side}: {media}"
        );
        assert!(
            share(report, "audioFramesPlayed", other, "audioFramesSent") >= 90,
            "{side}: {media}"
        );
        assert_eq!(media["videoInOrder"], true, "{side}: {media}");
        assert_eq!(media["droppedForged"], 0, "{side}: {media}");
    }

    // The relay handed on what it received, as many bytes as it took in (one other
    // device in the room), and forgot the call once both had hung up.
    let received = metric(&server, "wren_media_bytes_received_total").unwrap_or(0.0);
    let forwarded = metric(&server, "wren_media_bytes_forwarded_total").unwrap_or(0.0);
    assert!(received > 100_000.0, "{received}");
    assert!(
        forwarded <= received && forwarded > received * 0.95,
        "{forwarded} of {received}"
    );
    assert!(wait_until(Duration::from_secs(15), || metric(
        &server,
        "wren_media_rooms"
    ) == Some(0.0)));

    // The caller's device wrote the call into the chat's history.
    let history: serde_json::Value =
        serde_json::from_str(&alice.ok(&["--json", "history", "@bob"])).expect("JSON");
    let record = history
        .as_array()
        .expect("array")
        .iter()
        .rev()
        .find_map(|m| m.get("call").filter(|c| !c.is_null()))
        .cloned()
        .expect("the call is in the chat's history");
    assert_eq!(record["outcome"], "answered");
    assert_eq!(record["video"], true);

    // A call to nobody fails with the reason, on one line.
    let unanswered = one_line_error(&alice.run(&["call", "@nobody_here"]));
    assert!(
        unanswered.contains("no such") || unanswered.contains("not_found"),
        "{unanswered}"
    );
}

#[test]
fn with_a_tenth_of_the_datagrams_lost_and_30_ms_jitter_at_the_relay_audio_plays_on_and_video_recovers(
) {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (caller, callee, _alice, _server) = call_between(
        scratch.path(),
        &[
            "--media-port",
            "0",
            "--media-loss-percent",
            "10",
            "--media-jitter-ms",
            "30",
        ],
        "6",
    );
    for (side, report, other) in [("caller", &caller, &callee), ("callee", &callee, &caller)] {
        let media = &report["media"];
        let received = media["datagramsReceived"].as_u64().unwrap_or(0);
        let sent = other["media"]["datagramsSent"].as_u64().unwrap_or(0);
        assert!(
            received * 100 < sent * 97,
            "the relay dropped some: {side}: {media}"
        );
        assert!(
            share(report, "audioFramesPlayed", other, "audioFramesSent") >= 90,
            "{side}: {media}"
        );
        // Lost fragments freeze the picture until FEC, a retransmission or a keyframe
        // mends it; it keeps recovering, so the last picture shown is from the call's
        // last two seconds (30 frames).
        assert!(
            share(report, "videoFramesShown", other, "videoFramesSent") >= 50,
            "{side}: {media}"
        );
        let last = media["lastFrameShown"].as_u64().unwrap_or(0);
        let sent = other["media"]["videoFramesSent"].as_u64().unwrap_or(0);
        assert!(
            last + 30 >= sent,
            "{side} froze at frame {last} of {sent}: {media}"
        );
        assert_eq!(media["videoInOrder"], true, "{side}: {media}");
    }
}

/// The SPS and PPS the call's encoder (640×360 at 15 frames a second) puts in front of
/// every keyframe: plaintext in every sender's memory, never in the relay's.
fn parameter_sets() -> Vec<u8> {
    use wren_media::codec::{H264Config, H264Encoder};
    let pattern = wren_media::synth::TestPattern::new(640, 360, 15).expect("pattern");
    let mut encoder = H264Encoder::new(H264Config::for_size(640, 360, 15)).expect("encoder");
    let first = encoder
        .encode(&pattern.render(0).expect("render"))
        .expect("encode");
    assert!(first.keyframe);
    // Up to the start code of the first slice (NAL type 5, an IDR slice).
    let slice = first
        .data
        .windows(4)
        .position(|w| w[..3] == [0, 0, 1] && w[3] & 0x1f == 5)
        .expect("an IDR slice");
    let sets = first.data[..slice].to_vec();
    assert!(sets.len() >= 16, "{sets:?}");
    sets
}

#[test]
fn the_relay_forwards_sealed_media_it_cannot_read_nothing_plain_in_its_memory_or_logs() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let log = scratch.path().join("server.log");
    let server = ServerProcess::start_logged(
        &scratch.path().join("server"),
        free_port(),
        &["--media-port", "0"],
        &log,
    );
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    let (alice, bob) = (cli("alice"), cli("bob"));
    let answering = listen_for_a_call(&alice, &bob, &[], &[]);
    let calling = alice
        .command(&[
            "--json",
            "call",
            "@bob",
            "--video",
            "--synthetic",
            "--seconds",
            "6",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start wren call");
    let marker = parameter_sets();
    // Mid-call: the caller holds the plaintext (its sent packets, kept for
    // retransmission), which shows the search works; the relay, forwarding the same
    // keyframes, holds none.
    let caller_has_it = wait_until(Duration::from_secs(20), || {
        memory_contains(calling.id(), &marker).unwrap_or(false)
    });
    assert!(caller_has_it, "the search finds the caller's own plaintext");
    assert!(
        !memory_contains(server.pid(), &marker).expect("read the server's memory"),
        "plaintext media in the relay's memory"
    );
    let caller = final_report(&calling.wait_with_output().expect("wren call"));
    let callee = final_report(&answering.wait_with_output().expect("wren answer"));
    // Every datagram the relay handed on opened under SFrame's authentication tag: it
    // forwarded the bytes it received, unaltered.
    for report in [&caller, &callee] {
        let media = &report["media"];
        assert!(
            media["datagramsReceived"].as_u64().unwrap_or(0) > 100,
            "{media}"
        );
        assert_eq!(media["droppedForged"], 0, "{media}");
        assert!(
            media["videoFramesShown"].as_u64().unwrap_or(0) > 30,
            "{media}"
        );
    }
    assert!(
        !memory_contains(server.pid(), &marker).expect("read the server's memory"),
        "plaintext media in the relay's memory after the call"
    );
    let logged = std::fs::read(&log).expect("the server's log");
    assert!(logged.len() > 1000, "the relay logged at debug level");
    let hex: String = marker.iter().map(|b| format!("{b:02x}")).collect();
    assert!(memchr::memmem::find(&logged, &marker).is_none());
    assert!(!String::from_utf8_lossy(&logged)
        .to_lowercase()
        .contains(&hex));
}

#[test]
fn where_udp_is_blocked_the_call_s_media_goes_over_a_websocket() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start_with(
        &scratch.path().join("server"),
        free_port(),
        &["--media-port", "0"],
    );
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    let (alice, bob) = (cli("alice"), cli("bob"));
    let over_the_socket = [("WREN_MEDIA_TRANSPORT", "websocket")];
    // Bob hangs up this time, after 3 s.
    let answering = listen_for_a_call(&alice, &bob, &over_the_socket, &["--seconds", "3"]);
    let calling = alice
        .command(&["--json", "call", "@bob", "--video", "--synthetic"])
        .envs(over_the_socket)
        .output()
        .expect("wren call");
    let caller = final_report(&calling);
    let callee = final_report(&answering.wait_with_output().expect("wren answer"));
    assert_eq!(caller["emojis"], callee["emojis"]);
    assert_eq!(callee["reason"]["hungUp"]["byMe"], true);
    assert_eq!(caller["reason"]["hungUp"]["byMe"], false);
    for (side, report, other) in [("caller", &caller, &callee), ("callee", &callee, &caller)] {
        let media = &report["media"];
        assert_eq!(media["transport"], "websocket", "{side}: {media}");
        assert!(
            share(report, "videoFramesShown", other, "videoFramesSent") >= 80,
            "{side}: {media}"
        );
        assert!(
            share(report, "audioFramesPlayed", other, "audioFramesSent") >= 90,
            "{side}: {media}"
        );
        assert_eq!(media["videoInOrder"], true, "{side}: {media}");
        assert_eq!(media["droppedForged"], 0, "{side}: {media}");
    }
    // The relay forwarded it all and forgot the room.
    let forwarded = metric(&server, "wren_media_bytes_forwarded_total").unwrap_or(0.0);
    assert!(forwarded > 100_000.0, "{forwarded}");
    assert!(wait_until(Duration::from_secs(15), || metric(
        &server,
        "wren_media_rooms"
    ) == Some(0.0)));
}

#[test]
fn with_a_key_that_differs_on_one_side_the_emojis_differ_and_no_media_opens() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start_with(
        &scratch.path().join("server"),
        free_port(),
        &["--media-port", "0"],
    );
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    let (alice, bob) = (cli("alice"), cli("bob"));
    let answering = listen_for_a_call(&alice, &bob, &[], &[]);
    // Alice holds another key, as she would with someone in the middle.
    let calling = alice
        .command(&[
            "--json",
            "call",
            "@bob",
            "--video",
            "--synthetic",
            "--seconds",
            "3",
        ])
        .env("WREN_TEST_WRONG_CALL_KEY", "1")
        .output()
        .expect("wren call");
    let caller = final_report(&calling);
    let callee = final_report(&answering.wait_with_output().expect("wren answer"));
    assert_eq!(caller["answered"], true);
    assert_ne!(
        caller["emojis"], callee["emojis"],
        "different keys, different emojis"
    );
    for (side, report) in [("caller", &caller), ("callee", &callee)] {
        let media = &report["media"];
        assert!(
            media["datagramsReceived"].as_u64().unwrap_or(0) > 50,
            "{side}: {media}"
        );
        assert_eq!(
            media["droppedForged"], media["datagramsReceived"],
            "nothing opens: {side}: {media}"
        );
        assert_eq!(media["videoFramesShown"], 0, "{side}: {media}");
    }
}

#[test]
fn a_chat_is_muted_for_a_while_for_ever_or_not_on_all_the_account_s_devices() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (server, alice, _bob) = alice_and_bob(scratch.path());
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    alice.ok(&["send", "@bob", "hello"]);
    let muted = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&alice.ok(&[&["--json", "mute", "@bob"], args].concat()))
            .expect("JSON")
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as u64;
    let hour = muted(&["--for", "1h"])["mutedUntil"]
        .as_u64()
        .expect("muted");
    assert!(
        (now_ms + 3_590_000..now_ms + 3_700_000).contains(&hour),
        "{hour} is about an hour after {now_ms}"
    );
    assert_eq!(
        muted(&[])["mutedUntil"].as_u64(),
        Some(i64::MAX as u64),
        "for ever"
    );
    assert!(muted(&["--off"])["mutedUntil"].is_null());
    assert!(alice
        .ok(&["mute", "@bob", "--for", "8h"])
        .contains("muted for 8h"));
    // The chat list says so too, and so does another device of the account.
    let list: serde_json::Value =
        serde_json::from_str(&alice.ok(&["--json", "chats"])).expect("JSON");
    assert!(list[0]["mutedUntil"].as_u64().is_some(), "{list}");
    let laptop = cli("alice-laptop");
    laptop.ok(&["login", "alice"]);
    let there: serde_json::Value =
        serde_json::from_str(&laptop.ok(&["--json", "chats"])).expect("JSON");
    assert_eq!(there[0]["mutedUntil"], list[0]["mutedUntil"], "{there}");
    let wrong = one_line_error(&alice.run(&["mute", "@bob", "--for", "3w"]));
    assert!(wrong.contains("3w"), "{wrong}");
}

#[test]
fn formatting_reactions_pins_and_forwards_from_the_command_line() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (_server, alice, bob) = alice_and_bob(scratch.path());
    alice.ok(&[
        "send",
        "@bob",
        "**bold** and [docs](https://wren.example/docs)",
    ]);
    alice.ok(&["send", "--plain", "@bob", "**as typed**"]);
    let history = |who: &Cli| -> serde_json::Value {
        serde_json::from_str(&who.ok(&["--json", "history", "@alice", "--limit", "10"]))
            .expect("JSON")
    };
    let first = &history(&bob)[0];
    assert_eq!(first["text"], "bold and docs");
    assert_eq!(first["entities"][0]["kind"], "bold");
    assert_eq!(first["entities"][1]["kind"], "textLink");
    assert_eq!(first["entities"][1]["url"], "https://wren.example/docs");
    assert_eq!(history(&bob)[1]["text"], "**as typed**");
    let seq = first["seq"].as_u64().expect("seq").to_string();

    bob.ok(&["react", "@alice", &seq, "👍"]);
    bob.ok(&["pin", "@alice", &seq]);
    let alice_view: serde_json::Value =
        serde_json::from_str(&alice.ok(&["--json", "history", "@bob", "--limit", "10"]))
            .expect("JSON");
    assert_eq!(alice_view.as_array().map(Vec::len), Some(2), "{alice_view}");
    assert_eq!(alice_view[0]["reactions"][0]["emoji"], "👍");
    assert_eq!(
        alice_view[0]["reactions"][0]["accounts"][0]["username"],
        "bob"
    );
    assert_eq!(alice_view[0]["pinned"], true);
    let lines = alice.ok(&["history", "@bob", "--limit", "2"]);
    assert!(
        lines.contains("alice: bold and docs ✓ [pinned] 👍1"),
        "{lines}"
    );
    bob.ok(&["react", "@alice", &seq, "👍", "--remove"]);
    let wrong = one_line_error(&bob.run(&["react", "@alice", &seq, "nope"]));
    assert!(wrong.contains("not an emoji"), "{wrong}");

    // Forward to a group: the group sees where it came from.
    let group: serde_json::Value =
        serde_json::from_str(&bob.ok(&["--json", "group", "create", "Team", "@alice"]))
            .expect("JSON");
    let group_id = group["id"].as_u64().expect("id").to_string();
    assert_eq!(
        bob.ok(&["forward", "@alice", &seq, "--to", &group_id])
            .trim(),
        "forwarded 1"
    );
    let there: serde_json::Value =
        serde_json::from_str(&alice.ok(&["--json", "history", &group_id])).expect("JSON");
    let last = there.as_array().and_then(|m| m.last()).expect("a message");
    assert_eq!(last["forwardedFrom"]["name"], "alice");
    assert_eq!(last["text"], "bold and docs");

    // A display name in Arabic, seen by bob; a name that reorders text is refused.
    assert_eq!(
        alice
            .ok(&["profile", "set", "--name", "أليس", "--bio", "baker"])
            .trim(),
        "أليس (@alice)\nbaker"
    );
    let seen: serde_json::Value =
        serde_json::from_str(&bob.ok(&["--json", "profile", "@alice"])).expect("JSON");
    assert_eq!(seen["account"]["displayName"], "أليس");
    assert_eq!(seen["bio"], "baker");
    let refused = one_line_error(&alice.run(&["profile", "set", "--name", "a\u{202E}b"]));
    assert!(refused.contains("display name"), "{refused}");
    // Last seen shown to contacts only.
    assert!(alice
        .ok(&["privacy", "last-seen", "contacts"])
        .contains("who sees your last seen time: contacts"));
}
