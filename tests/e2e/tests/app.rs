//! The desktop app in its real window, driven like a user drives it, against a real
//! server on loopback and a `wren` CLI peer.

use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;
use wren_e2e::bus::{Notification, SessionBus};
use wren_e2e::desktop::testid;
use wren_e2e::webdriver::Element;
use wren_e2e::{App, Desktop};
use wren_tests::process::{free_port, wait_until, Cli, ServerProcess};

const ENTER: &str = "\u{E007}";

/// Registers `username` on the sign-in screen, which proposes the `WREN_SERVER` address.
fn register(app: &App<'_>, server: &str, username: &str) {
    let field = app.wait_for("login-server");
    assert_eq!(
        app.property(&field, "value"),
        json!(server),
        "the sign-in screen proposes WREN_SERVER"
    );
    app.type_into("login-username", username);
    app.type_into("login-password", wren_tests::PASSWORD);
    app.click("register-submit");
    app.wait_for("main-screen");
}

/// The first chat row of the list.
fn first_chat(app: &App<'_>) -> Element {
    app.wait("a chat in the list", |app| {
        app.all(FIRST_CHAT).into_iter().next()
    })
}

/// The first row of the chat list.
const FIRST_CHAT: &str = "[data-testid^=\"chat-item-\"]";

/// The message bubble showing `text`, once it is on screen.
fn message(app: &App<'_>, text: &str) -> Element {
    app.wait(&format!("the message {text:?}"), |app| {
        app.all(&testid("message"))
            .into_iter()
            .find(|m| app.text(m).contains(text))
    })
}

/// The delivery state (`data-state`) of the message showing `text`, if it is on screen.
fn state_of(app: &App<'_>, text: &str) -> Option<String> {
    let row = app
        .all(&testid("message"))
        .into_iter()
        .find(|m| app.text(m).contains(text))?;
    app.attribute(&row, "data-state")
}

/// The messages of the CLI profile's direct chat with `peer`, as JSON.
fn cli_history(cli: &Cli, peer: &str) -> Vec<Value> {
    let out = cli.ok(&["--json", "history", peer]);
    serde_json::from_str::<Value>(&out)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
}

fn cli_has(cli: &Cli, peer: &str, check: impl Fn(&Value) -> bool) -> bool {
    wait_until(Duration::from_secs(30), || {
        cli_history(cli, peer).iter().any(&check)
    })
}

fn peer(root: &Path, server: &ServerProcess, name: &str) -> Cli {
    let cli = Cli {
        profile: root.join(name),
        server: server.url.clone(),
    };
    cli.ok(&["register", name]);
    cli
}

#[test]
fn chatting_with_a_cli_peer_edit_delete_and_search() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start("chat", root.path(), &server.url) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "alice");
    app.screenshot("1-registered");

    // A message from the CLI appears with an unread badge.
    let bob = peer(root.path(), &server, "bob");
    bob.ok(&["send", "@alice", "hello from the cli"]);
    let badge = app.wait("the unread badge", |app| {
        app.all(&format!(
            "[data-testid^=\"chat-item-\"] {}",
            testid("unread-badge")
        ))
        .into_iter()
        .next()
    });
    assert_eq!(app.text(&badge), "1");
    assert!(app.text(&first_chat(&app)).contains("hello from the cli"));
    app.screenshot("2-unread");

    // The app replies; the CLI receives it.
    app.click_css(FIRST_CHAT);
    message(&app, "hello from the cli");
    app.type_into("composer", &format!("hello from the app{ENTER}"));
    app.wait("the reply to be stored by the server", |app| {
        matches!(
            state_of(app, "hello from the app").as_deref(),
            Some("sent" | "read")
        )
        .then_some(())
    });
    assert!(
        cli_has(&bob, "@alice", |m| m["text"] == "hello from the app"),
        "the CLI peer did not receive the app's reply"
    );

    // The chat is end-to-end encrypted: the lock shows, and the safety number in the app is
    // the one the CLI peer sees; marking it verified shows the mark.
    app.wait_for("chat-lock");
    app.click("open-chat-info");
    app.click("safety-number-open");
    let digits = app.wait_for("safety-number-digits");
    let from_cli: Value =
        serde_json::from_str(&bob.ok(&["--json", "verify", "@alice"])).expect("JSON");
    assert_eq!(
        app.text(&digits),
        from_cli["digits"].as_str().expect("digits"),
        "the app and the CLI peer show the same safety number"
    );
    app.screenshot("2b-safety-number");
    app.click("safety-number-verify");
    app.click("dialog-close");
    if !app.all(&testid("dialog-close")).is_empty() {
        app.click("dialog-close");
    }
    app.wait_for("verified-mark");

    // An edit by the CLI shows in the app.
    let seq = cli_history(&bob, "@alice")
        .iter()
        .find(|m| m["text"] == "hello from the cli")
        .and_then(|m| m["seq"].as_u64())
        .expect("the CLI's message has a seq");
    bob.ok(&["edit", "@alice", &seq.to_string(), "edited by the cli"]);
    let edited = message(&app, "edited by the cli");
    assert!(
        !app.all(&format!(
            "[data-seq=\"{seq}\"] {}",
            testid("message-edited")
        ))
        .is_empty(),
        "the edited message is marked edited"
    );
    assert!(!app.text(&edited).contains("hello from the cli"));

    // A delete in the app (context menu) reaches the CLI.
    app.context_click_text(&testid("message"), "hello from the app");
    app.click("message-menu-delete");
    app.click("delete-for-everyone");
    assert!(
        cli_has(&bob, "@alice", |m| m["deleted"] == true
            && m["sender"]["username"] == "alice"),
        "the CLI peer did not see the deletion"
    );
    app.wait("the deleted message to leave the list", |app| {
        (!app
            .all(&testid("message"))
            .iter()
            .any(|m| app.text(m).contains("hello from the app")))
        .then_some(())
    });
    app.screenshot("3-edited-and-deleted");

    // Search finds a message.
    app.type_into("search-input", "edited");
    let hit = app.wait_for("search-hit");
    assert!(app.text(&hit).contains("edited by the cli"));
    app.screenshot("4-search");

    // A draft left in the composer is kept in the encrypted store only: once the app has
    // quit, no file under the test's root (the app's profile and logs, the web view's
    // data and caches, the CLI peer's profile, the server's database) holds it, or any
    // message, in the clear.
    const DRAFT: &str = "a draft nobody else should read";
    app.type_into("composer", DRAFT);
    // A probe the scan must find, to show it reaches where the web view keeps its storage.
    app.script(
        "localStorage.setItem('probe', 'web-storage-probe'); return null;",
        json!([]),
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    app.quit();
    let utf16 =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    assert!(
        !files_containing(root.path(), &utf16("web-storage-probe")).is_empty()
            || !files_containing(root.path(), b"web-storage-probe").is_empty(),
        "the scan reaches the web view's storage"
    );
    for text in [DRAFT, "hello from the cli", "edited by the cli"] {
        // UTF-8, and UTF-16 as WebKit keeps web storage.
        for needle in [text.as_bytes(), &utf16(text)] {
            let found = files_containing(root.path(), needle);
            assert!(found.is_empty(), "{text:?} is readable in {found:?}");
        }
    }
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if std::fs::read(&path)
            .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        {
            found.push(path);
        }
    }
    found
}

#[test]
fn switching_to_arabic_flips_the_layout_to_right_to_left() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start("arabic", root.path(), &server.url) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "layla");
    let html_dir = |app: &App<'_>| {
        app.script(
            "return document.documentElement.getAttribute('dir');",
            json!([]),
        )
    };
    assert_eq!(html_dir(&app), json!("ltr"));
    app.click("open-settings");
    app.wait_for("settings-language");
    let arabic = app.wait("the Arabic option", |app| {
        app.all(&format!(
            "{} option[value=\"ar\"]",
            testid("settings-language")
        ))
        .into_iter()
        .next()
    });
    app.click_element(&arabic);
    app.wait("dir=\"rtl\" on <html>", |app| {
        (html_dir(app) == json!("rtl")).then_some(())
    });
    let lang = app.script("return document.documentElement.lang;", json!([]));
    assert_eq!(lang, json!("ar"));
    // The sidebar really moved to the right-hand side.
    let sidebar_right = app.script(
        "const r = document.querySelector('[data-testid=\"search-input\"]').getBoundingClientRect(); return r.left > window.innerWidth / 2;",
        json!([]),
    );
    assert_eq!(sidebar_right, json!(true), "the sidebar is on the right");
    app.click("dialog-close");
    app.wait("the settings to close", |app| {
        app.all(&testid("settings-dialog")).is_empty().then_some(())
    });
    app.screenshot("rtl");
    app.quit();
}

#[test]
fn a_restarted_app_shows_history_offline_and_sends_the_queued_message_later() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("server");
    let port = free_port();
    let server = ServerProcess::start(&data, port);
    let url = server.url.clone();
    let Some(desktop) = Desktop::start("offline", root.path(), &url) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &url, "olga");
    let bob = peer(root.path(), &server, "bob");
    bob.ok(&["send", "@olga", "before the outage"]);
    app.click_css(FIRST_CHAT);
    message(&app, "before the outage");
    app.quit();

    // Restarted without the server: the history is there, offline.
    server.kill();
    let app = desktop.launch();
    app.wait_for("main-screen");
    app.click_css(FIRST_CHAT);
    message(&app, "before the outage");
    app.wait("the offline banner", |app| {
        let banner = app.all(&testid("connection-state")).into_iter().next()?;
        matches!(
            app.attribute(&banner, "data-state").as_deref(),
            Some("offline" | "connecting")
        )
        .then_some(())
    });
    app.type_into("composer", &format!("sent while offline{ENTER}"));
    app.wait("the queued message, pending", |app| {
        (state_of(app, "sent while offline").as_deref() == Some("pending")).then_some(())
    });
    app.screenshot("1-offline");

    // The server returns: the queued message goes out.
    let _server = ServerProcess::start(&data, port);
    app.wait_longer(
        Duration::from_secs(90),
        "the queued message to be sent",
        |app| {
            matches!(
                state_of(app, "sent while offline").as_deref(),
                Some("sent" | "read")
            )
            .then_some(())
        },
    );
    assert!(
        cli_has(&bob, "@olga", |m| m["text"] == "sent while offline"),
        "the CLI peer did not receive the queued message"
    );
    app.screenshot("2-back-online");
    app.quit();
}

#[test]
fn without_a_keychain_the_lock_screen_sets_the_passcode_then_asks_for_it() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start_locked("lock", root.path(), &server.url) else {
        return;
    };
    let unlock = |app: &App<'_>, passcode: &str| {
        app.type_into("lock-passcode", passcode);
        app.click("lock-submit");
    };

    // A new profile on a machine without a keychain: the passcode typed here becomes its
    // passcode.
    let app = desktop.launch();
    let lock = app.wait_for("lock-screen");
    assert!(
        app.text(&lock).contains("Choose a passcode"),
        "{}",
        app.text(&lock)
    );
    app.screenshot("1-choose-passcode");
    unlock(&app, "local secret");
    register(&app, &server.url, "pia");
    app.quit();

    // Started again: locked until the right passcode is entered.
    let app = desktop.launch();
    let lock = app.wait_for("lock-screen");
    assert!(!app.text(&lock).contains("Choose a passcode"));
    unlock(&app, "not the passcode");
    app.wait_for("lock-error");
    assert!(app.all(&testid("main-screen")).is_empty());
    app.screenshot("2-wrong-passcode");
    unlock(&app, "local secret");
    app.wait_for("main-screen");
    app.click("open-settings");
    let username = app.wait_for("settings-username");
    assert!(app.text(&username).contains("pia"));
    app.click("dialog-close");

    // Ctrl+L locks: the chats go, and nothing opens them again but the passcode.
    app.type_into("search-input", "\u{E009}l\u{E000}");
    app.wait_for("lock-screen");
    assert!(app.all(&testid("main-screen")).is_empty());
    unlock(&app, "not the passcode");
    app.wait_for("lock-error");
    assert!(app.all(&testid("main-screen")).is_empty());
    unlock(&app, "local secret");
    app.wait_for("main-screen");
    app.quit();
}

#[test]
fn a_wren_link_opens_the_direct_chat_and_a_broken_invite_link_is_explained() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start("deep-link", root.path(), &server.url) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "dana");
    let _erin = peer(root.path(), &server, "erin");
    app.quit();

    // Started by a link, as the desktop environment starts it: the chat with erin opens.
    let app = desktop.launch_with(&["wren://user/erin"]);
    app.wait("the chat with erin to open from the link", |app| {
        (app.texts(&testid("conversation-title")) == ["erin"]).then_some(())
    });
    assert!(
        app.texts(&testid("chat-title"))
            .contains(&"erin".to_string()),
        "erin's chat is in the list"
    );
    app.screenshot("1-user-link");
    app.quit();

    // A broken invite link: the app says plainly what is wrong with it.
    let app = desktop.launch_with(&["wren://join/AbC123"]);
    let notice = app.wait_for("notice");
    assert!(
        app.text(&notice).to_lowercase().contains("invite"),
        "the notice explains the invite link: {:?}",
        app.text(&notice)
    );
    app.screenshot("2-invite-link");
    app.click("notice-close");
    app.wait("the notice to close", |app| {
        app.all(&testid("notice")).is_empty().then_some(())
    });
    app.quit();
}

#[test]
fn an_unfocused_app_notifies_new_messages_and_counts_them_on_the_tray() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let bus = SessionBus::start(root.path());
    let Some(desktop) = Desktop::start_on_bus("notify", root.path(), &server.url, &bus) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "nina");
    let omar = peer(root.path(), &server, "omar");

    // While the user looks at the app, a new message is not announced.
    desktop.set_window_focus(true);
    omar.ok(&["send", "@nina", "seen in the window"]);
    app.wait("the first message in the chat list", |app| {
        app.texts(&testid("chat-preview"))
            .iter()
            .any(|p| p.contains("seen in the window"))
            .then_some(())
    });

    // The user looks away: the next one is announced, with the sender and the text, and
    // the tray counts both.
    desktop.set_window_focus(false);
    omar.ok(&["send", "@nina", "are you coming tonight?"]);
    let announced = Notification {
        summary: "omar".into(),
        body: "are you coming tonight?".into(),
    };
    app.wait("the notification of the second message", |_| {
        bus.notifications().contains(&announced).then_some(())
    });
    assert_eq!(
        bus.notifications(),
        vec![announced],
        "only the message that came while the window was unfocused is announced"
    );
    app.wait("the tray to show 2 unread", |_| {
        (bus.tray_labels().last().map(String::as_str) == Some("2")).then_some(())
    });
    app.screenshot("1-notified");

    // With previews hidden and the app in Arabic, the text stays private and the stand-in
    // is in Arabic.
    app.click("open-settings");
    app.click("settings-notification-preview");
    app.click_css(&format!(
        "{} option[value=\"ar\"]",
        testid("settings-language")
    ));
    app.wait("the app in Arabic", |app| {
        (app.script("return document.documentElement.lang;", json!([])) == json!("ar"))
            .then_some(())
    });
    app.click("dialog-close");
    desktop.set_window_focus(false);
    omar.ok(&["send", "@nina", "the secret plan"]);
    let hidden = Notification {
        summary: "omar".into(),
        body: "رسالة جديدة".into(),
    };
    app.wait("the notification without the text", |_| {
        bus.notifications().contains(&hidden).then_some(())
    });
    assert!(
        !bus.notifications()
            .iter()
            .any(|n| n.body.contains("secret")),
        "a hidden preview leaked the text: {:?}",
        bus.notifications()
    );
    app.wait("the tray to show 3 unread", |_| {
        (bus.tray_labels().last().map(String::as_str) == Some("3")).then_some(())
    });

    // Reading the chat clears the tray's count.
    app.click_css(FIRST_CHAT);
    message(&app, "the secret plan");
    app.wait("the tray count to clear", |_| {
        bus.tray_labels()
            .last()
            .map(String::as_str)
            .filter(|l| l.is_empty())
            .map(|_| ())
    });
    app.screenshot("2-read");
    app.quit();
}

#[test]
fn a_link_opened_while_the_app_runs_goes_to_the_running_app() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let bus = SessionBus::start(root.path());
    let Some(desktop) = Desktop::start_installed("single", root.path(), &server.url, &bus) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "pia");
    let _quinn = peer(root.path(), &server, "quinn");

    // The desktop starts the app again for the link: that instance hands the link to the
    // running one and exits.
    let second = desktop.start_second_instance(&["wren://user/quinn"]);
    assert!(second.success(), "the second instance exited with {second}");
    app.wait("the running app to open the chat with quinn", |app| {
        (app.texts(&testid("conversation-title")) == ["quinn"]).then_some(())
    });
    app.screenshot("1-link-handed-over");
    app.quit();
}

/// The posts of the channel on screen, as shown.
fn channel_posts(app: &App<'_>) -> Vec<String> {
    app.texts(&testid("channel-post"))
}

#[test]
fn the_directory_previews_a_channel_and_a_subscriber_sees_live_posts_and_sponsored_messages() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = wren_tests::process::ServerProcess::start_with(
        &root.path().join("server"),
        free_port(),
        &["--sponsored-min-subscribers", "2"],
    );
    let Some(desktop) = Desktop::start("channels", root.path(), &server.url) else {
        return;
    };
    // A channel big enough for sponsored messages (its owner and a fan; the app's user
    // makes three), a small one, and a campaign for the big one's topic.
    let owner = peer(root.path(), &server, "owner");
    let fan = peer(root.path(), &server, "fan");
    let shop = peer(root.path(), &server, "shop");
    owner.ok(&[
        "channel",
        "create",
        "Wren news",
        "--handle",
        "wren_news",
        "--topic",
        "technology",
    ]);
    owner.ok(&[
        "channel",
        "create",
        "Wren tiny",
        "--handle",
        "wren_tiny",
        "--topic",
        "technology",
    ]);
    owner.ok(&[
        "channel",
        "post",
        "@wren_news",
        "first post before you came",
    ]);
    owner.ok(&["channel", "post", "@wren_tiny", "a small channel's post"]);
    fan.ok(&["channel", "subscribe", "@wren_news"]);
    shop.ok(&[
        "campaign",
        "create",
        "Keyboards",
        "Keyboards for people who type all day.",
        "--link",
        "https://example.com/keyboards",
        "--topic",
        "technology",
        "--budget",
        "100",
    ]);

    let app = desktop.launch();
    register(&app, &server.url, "dana");

    // Browse the directory and preview the channel before subscribing.
    app.click("directory-open");
    app.type_into("directory-search", "wren news");
    let result = app.wait("the channel in the directory", |app| {
        app.all(&testid("directory-result"))
            .into_iter()
            .find(|r| app.text(r).contains("wren_news"))
    });
    app.click_element(&result);
    app.wait("the preview's posts", |app| {
        channel_posts(app)
            .iter()
            .any(|p| p.contains("first post before you came"))
            .then_some(())
    });
    app.screenshot("1-preview");

    // Subscribed, a new post arrives live with its view count.
    app.click("channel-subscribe");
    app.wait("subscribed", |app| {
        app.all(&testid("channel-subscribe"))
            .is_empty()
            .then_some(())
    });
    owner.ok(&["channel", "post", "@wren_news", "live from the newsroom"]);
    let live = app.wait("the live post", |app| {
        app.all(&testid("channel-post"))
            .into_iter()
            .find(|p| app.text(p).contains("live from the newsroom"))
    });
    assert!(
        app.text(&live).chars().any(|c| c.is_ascii_digit()),
        "the post shows its view count: {:?}",
        app.text(&live)
    );
    assert_eq!(
        app.all(&format!(
            "{} {}",
            testid("channel-post"),
            testid("channel-views")
        ))
        .len(),
        channel_posts(&app).len(),
        "every post shows a view count"
    );
    // The view is the app's: the owner's CLI counts it.
    wait_until(Duration::from_secs(30), || {
        let read: Value =
            serde_json::from_str(&owner.ok(&["--json", "channel", "read", "@wren_news"]))
                .unwrap_or(Value::Null);
        read["posts"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["text"] == "live from the newsroom" && p["views"].as_u64() >= Some(1))
    });

    // Everything read: the sponsored message of this large public channel follows.
    let sponsored = app.wait_for("sponsored-message");
    assert!(
        app.text(&sponsored).contains("Keyboards"),
        "{:?}",
        app.text(&sponsored)
    );
    app.wait_for("sponsored-label");
    app.screenshot("2-live-post-and-sponsored");

    // The small channel shows none.
    app.click("directory-open");
    app.type_into("directory-search", "wren tiny");
    let small = app.wait("the small channel in the directory", |app| {
        app.all(&testid("directory-result"))
            .into_iter()
            .find(|r| app.text(r).contains("wren_tiny"))
    });
    app.click_element(&small);
    app.wait("the small channel's posts", |app| {
        channel_posts(app)
            .iter()
            .any(|p| p.contains("a small channel's post"))
            .then_some(())
    });
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        app.all(&testid("sponsored-message")).is_empty(),
        "no sponsored message in a channel under the threshold"
    );
    app.screenshot("3-small-channel");
    app.quit();
}

/// The size of the canvas and a sample of its pixels, once it has drawn something.
fn canvas_sample(app: &App<'_>, id: &str) -> Option<(u64, u64)> {
    // Copied onto a 2D canvas first: the picture may be drawn with WebGL.
    let script = format!(
        "const c = document.querySelector('[data-testid=\"{id}\"]');
         if (!c || !c.width) return null;
         const copy = document.createElement('canvas');
         copy.width = c.width;
         copy.height = c.height;
         const g = copy.getContext('2d');
         g.drawImage(c, 0, 0);
         const d = g.getImageData(0, 0, c.width, c.height).data;
         let sum = 0;
         for (let i = 0; i < d.length; i += 97) sum += d[i];
         return [c.width * c.height, sum];"
    );
    let value = app.script(&script, json!([]));
    let pair = value.as_array()?;
    Some((pair.first()?.as_u64()?, pair.get(1)?.as_u64()?))
}

#[test]
fn a_call_from_a_cli_peer_rings_connects_shows_moving_video_floats_in_picture_in_picture_and_is_recorded(
) {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start_with(
        &root.path().join("server"),
        free_port(),
        &["--media-port", "0"],
    );
    let Some(desktop) = Desktop::start("calls", root.path(), &server.url) else {
        return;
    };
    // Keeping a window above the others is the window manager's job.
    let _window_manager = desktop.start_window_manager();
    let app = desktop.launch();
    register(&app, &server.url, "vera");
    let max = peer(root.path(), &server, "max");
    max.ok(&["send", "@vera", "can I call you?"]);
    app.click_element(&first_chat(&app));
    message(&app, "can I call you?");

    // Max calls from the command line with a synthetic camera; the app rings and the
    // user answers (this machine has no camera either: the app sends its test pattern).
    let calling = max
        .command(&[
            "--json",
            "call",
            "@vera",
            "--video",
            "--synthetic",
            "--seconds",
            "20",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start wren call");
    let ringing = app.wait_for("incoming-call");
    assert!(app.text(&ringing).contains("max"), "{}", app.text(&ringing));
    app.screenshot("1-ringing");
    app.click("incoming-call-accept");
    let shown = app.wait("the call's emojis", |app| {
        let emojis = app.texts(&testid("call-emojis")).pop()?;
        (emojis.chars().count() >= 4).then_some(emojis)
    });

    // The other side's picture moves.
    let first = app.wait("the first picture", |app| {
        canvas_sample(app, "call-remote-video").filter(|(_, sum)| *sum > 0)
    });
    app.wait("the picture to change", |app| {
        canvas_sample(app, "call-remote-video").filter(|sample| sample.1 != first.1)
    });
    let renderer = app.script(
        "const c = document.querySelector('[data-testid=\"call-remote-video\"]');
         return c ? c.dataset.renderer : null;",
        json!([]),
    );
    let renderer = renderer.as_str().unwrap_or_default();
    assert!(
        matches!(renderer, "webgl" | "2d"),
        "the picture is drawn with WebGL or, without it, in 2D: {renderer:?}"
    );
    // The screenshot's name records which.
    app.screenshot(&format!("2-connected-{renderer}"));

    // Picture in picture: a second window, kept above the others; clicking it brings the
    // call back to the main window.
    app.click("call-pip");
    let pip = app.wait("the picture-in-picture window", |_| {
        desktop.window_named("Wren call")
    });
    let state = desktop.window_state(&pip);
    assert!(state.contains("_NET_WM_STATE_ABOVE"), "{state}");
    app.wait_for("call-bar");
    let shot = app.wait("the other side's picture in the small window", |app| {
        let shot = app.screenshot("3-picture-in-picture");
        (desktop.window_variety(&pip, &shot) > 0.05).then_some(shot)
    });
    assert!(shot.exists());
    desktop.click_in_window(&pip, 60, 60);
    app.wait("the picture-in-picture window to close", |_| {
        desktop.window_named("Wren call").is_none().then_some(())
    });
    app.wait_for("call-remote-video");

    // The microphone and camera switch off and on through the engine.
    for switch in ["call-mute", "call-camera"] {
        app.click(switch);
        app.wait(&format!("{switch} pressed"), |app| {
            let button = app.all(&testid(switch)).pop()?;
            (app.attribute(&button, "aria-pressed").as_deref() == Some("true")).then_some(())
        });
    }
    app.click("call-mute");
    app.wait("the microphone back on", |app| {
        let button = app.all(&testid("call-mute")).pop()?;
        (app.attribute(&button, "aria-pressed").as_deref() == Some("false")).then_some(())
    });

    // The device pickers list what the engine finds on this machine, after the system's
    // default.
    app.click("call-devices");
    app.wait_for("call-devices-dialog");
    let options = app.wait("the microphone picker's options", |app| {
        let value = app.script(
            "const s = document.querySelector('[data-testid=\"call-device-microphone\"]');
             return s ? Array.from(s.options).map(o => o.text) : null;",
            json!([]),
        );
        let texts: Vec<String> = value
            .as_array()?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        (!texts.is_empty()).then_some(texts)
    });
    assert_eq!(options[0], "System default", "{options:?}");
    app.screenshot("2b-devices");
    app.click("dialog-close");
    app.wait("the devices dialog to close", |app| {
        app.all(&testid("call-devices-dialog"))
            .is_empty()
            .then_some(())
    });

    // Max hangs up: both saw the same four emojis, and each side showed the other's
    // video.
    let out = calling.wait_with_output().expect("wren call");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value =
        serde_json::from_str(stdout.lines().last().expect("a report")).expect("JSON");
    assert_eq!(report["answered"], true);
    let emojis: Vec<&str> = report["emojis"]
        .as_array()
        .expect("emojis")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(emojis.len(), 4);
    assert!(
        emojis.iter().all(|e| shown.contains(e)),
        "the app shows {shown:?}, the peer {emojis:?}"
    );
    assert!(
        report["media"]["videoFramesShown"].as_u64() > Some(10),
        "the peer saw the app's video: {}",
        report["media"]
    );
    app.wait("the call to end in the app", |app| {
        app.all(&testid("call-view")).is_empty().then_some(())
    });

    // The call is in the chat's history, as an incoming video call.
    let record = app.wait("the call record", |app| {
        app.texts(&testid("call-record")).pop()
    });
    assert!(record.contains("Incoming video call"), "{record:?}");
    app.screenshot("4-recorded");
    app.quit();
}

/// axe-core's browser bundle, from the UI's npm packages.
fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run npm install in ui/)", path.display()))
}

/// axe-core's audit of what the window shows now (WCAG 2.2 A and AA rules): the serious
/// and critical violations, one line each, named after `screen`.
fn audit(app: &App<'_>, axe: &str, screen: &str) -> Vec<String> {
    if app.script("return typeof window.axe === 'object';", json!([])) != json!(true) {
        app.script(&format!("{axe}\nreturn true;"), json!([]));
    }
    let found = app.script_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {
           runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
           resultTypes: ['violations'],
         })
           .then((result) => done(result.violations
             .filter((v) => v.impact === 'serious' || v.impact === 'critical')
             .map((v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.slice(0, 4)
               .map((n) => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160) + ']')
               .join(' | ')}`)))
           .catch((error) => done([`axe failed: ${error}`]));",
        json!([]),
    );
    found
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .filter_map(Value::as_str)
                .map(|line| format!("{screen}: {line}"))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("{screen}: no answer from axe: {found}")])
}

#[test]
fn an_accessibility_audit_finds_nothing_serious_on_any_screen_in_either_theme_or_language() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start("audit", root.path(), &server.url) else {
        return;
    };
    let axe = axe_source();
    let app = desktop.launch();
    let mut violations = Vec::new();
    app.wait_for("login-server");
    violations.extend(audit(&app, &axe, "sign-in"));
    register(&app, &server.url, "ada");
    let bob = peer(root.path(), &server, "bob");
    bob.ok(&["send", "@ada", "hello Ada, **bold** plans for Friday"]);
    bob.ok(&["send", "@ada", "a second message, unread"]);
    first_chat(&app);
    for (theme, language) in [("light", "en"), ("dark", "ar")] {
        let screen = |what: &str| format!("{what} ({theme}, {language})");
        violations.extend(audit(&app, &axe, &screen("chat list")));
        app.click_element(&first_chat(&app));
        message(&app, "a second message");
        violations.extend(audit(&app, &axe, &screen("conversation")));
        app.click("chat-search-open");
        app.wait_for("chat-search-input");
        violations.extend(audit(&app, &axe, &screen("search in the chat")));
        app.click("chat-search-close");
        app.click("composer-emoji");
        app.wait_for("emoji-search");
        violations.extend(audit(&app, &axe, &screen("emoji picker")));
        app.press(wren_e2e::desktop::ESCAPE);
        app.context_click_text(&testid("message"), "a second message");
        app.click("message-menu-delete");
        app.wait_for("delete-dialog");
        violations.extend(audit(&app, &axe, &screen("delete dialog")));
        app.press(wren_e2e::desktop::ESCAPE);
        app.click("open-settings");
        app.wait_for("settings-dialog");
        violations.extend(audit(&app, &axe, &screen("settings dialog")));
        if theme == "light" {
            // Dark theme and Arabic for the second round.
            app.click("theme-dark");
            let arabic = app.wait("the Arabic option", |app| {
                app.all(&format!(
                    "{} option[value=\"ar\"]",
                    testid("settings-language")
                ))
                .into_iter()
                .next()
            });
            app.click_element(&arabic);
            app.wait("dir=\"rtl\" on <html>", |app| {
                (app.script("return document.documentElement.dir;", json!([])) == json!("rtl"))
                    .then_some(())
            });
        }
        app.click("dialog-close");
        app.wait("the settings to close", |app| {
            app.all(&testid("settings-dialog")).is_empty().then_some(())
        });
    }
    app.screenshot("dark-arabic");
    assert!(
        violations.is_empty(),
        "{} serious or critical violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    app.quit();
}

#[test]
fn without_a_mouse_one_signs_in_opens_a_chat_sends_and_changes_the_language() {
    use wren_e2e::desktop::{ARROW_DOWN, ENTER, ESCAPE};
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start("keyboard", root.path(), &server.url) else {
        return;
    };
    // Two people will have written by the time the chat list shows.
    let bob = peer(root.path(), &server, "bob");
    let carol = peer(root.path(), &server, "carol");
    let app = desktop.launch();
    app.wait_for("login-server");

    // Sign up with the keyboard alone.
    app.tab_to("login-username");
    app.press("kim");
    app.tab_to("login-password");
    app.press(wren_tests::PASSWORD);
    app.tab_to("register-submit");
    app.press(ENTER);
    app.wait_for("main-screen");
    bob.ok(&["send", "@kim", "from bob"]);
    carol.ok(&["send", "@kim", "from carol"]);
    app.wait("two chats in the list", |app| {
        (app.all(FIRST_CHAT).len() == 2).then_some(())
    });

    // The list is one tab stop; the arrow keys move in it and Enter opens a chat.
    app.tab_to("chat-item-");
    let first = app.focused().expect("a row has the focus");
    app.press(ARROW_DOWN);
    let second = app.focused().expect("a row has the focus");
    assert!(
        second.starts_with("chat-item-") && second != first,
        "{first} then {second}"
    );
    app.press(ENTER);
    let opened = app.wait("the chat to open", |app| {
        app.texts(&testid("conversation-title")).pop()
    });
    let expected = if app
        .texts(&testid("message"))
        .iter()
        .any(|m| m.contains("from bob"))
    {
        "bob"
    } else {
        "carol"
    };
    assert!(opened.contains(expected), "{opened} (expected {expected})");

    // Write and send.
    app.tab_to("composer");
    app.press("sent without a mouse");
    app.press(ENTER);
    message(&app, "sent without a mouse");

    // Settings: the language picker, then Escape closes and gives the focus back.
    app.tab_to("open-settings");
    app.press(ENTER);
    app.wait_for("settings-dialog");
    app.tab_to("settings-language");
    app.press(ARROW_DOWN);
    app.wait("the window in Arabic", |app| {
        (app.script("return document.documentElement.lang;", json!([])) == json!("ar"))
            .then_some(())
    });
    app.press(ESCAPE);
    app.wait("the settings to close", |app| {
        app.all(&testid("settings-dialog")).is_empty().then_some(())
    });
    assert_eq!(app.focused().as_deref(), Some("open-settings"));
    app.screenshot("keyboard-arabic");
    app.quit();
}

#[test]
fn a_chat_muted_from_its_menu_is_not_announced_and_a_group_s_message_names_the_group() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let bus = SessionBus::start(root.path());
    let Some(desktop) = Desktop::start_on_bus("mute", root.path(), &server.url, &bus) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "nora");
    let omar = peer(root.path(), &server, "omar");
    let pia = peer(root.path(), &server, "pia");
    omar.ok(&["send", "@nora", "first from omar"]);
    first_chat(&app);

    // Right-click the chat: mute it for an hour.
    app.context_click_text(FIRST_CHAT, "omar");
    app.wait_for("chat-menu");
    app.click("chat-menu-mute-1h");
    app.wait("the muted mark on the row", |app| {
        (!app.all(&testid("chat-muted-mark")).is_empty()).then_some(())
    });
    app.screenshot("1-muted");

    // Looking away: omar's next message is not announced, a group's is, named after it.
    desktop.set_window_focus(false);
    omar.ok(&["send", "@nora", "muted news"]);
    let group = pia
        .ok(&["group", "create", "Trip", "@nora"])
        .trim()
        .to_string();
    pia.ok(&["send", &group, "who brings the tent?"]);
    let announced = Notification {
        summary: "Trip".into(),
        body: "pia: who brings the tent?".into(),
    };
    app.wait("the group's notification", |_| {
        bus.notifications().contains(&announced).then_some(())
    });
    app.wait("omar's muted message in the list", |app| {
        app.texts(&testid("chat-preview"))
            .iter()
            .any(|p| p.contains("muted news"))
            .then_some(())
    });
    assert!(
        !bus.notifications()
            .iter()
            .any(|n| n.body.contains("muted news")),
        "a muted chat was announced: {:?}",
        bus.notifications()
    );
    // A mention gets through the mute.
    omar.ok(&["send", "@nora", "@nora are you there?"]);
    app.wait("the mention's notification despite the mute", |_| {
        bus.notifications()
            .iter()
            .any(|n| n.summary == "omar" && n.body == "@nora are you there?")
            .then_some(())
    });

    // Unmuted, omar is announced again.
    app.context_click_text(FIRST_CHAT, "omar");
    app.click("chat-menu-unmute");
    app.wait("the muted mark to go", |app| {
        app.all(&testid("chat-muted-mark")).is_empty().then_some(())
    });
    desktop.set_window_focus(false);
    omar.ok(&["send", "@nora", "loud again"]);
    app.wait("omar's notification", |_| {
        bus.notifications()
            .iter()
            .any(|n| n.summary == "omar" && n.body == "loud again")
            .then_some(())
    });
    app.screenshot("2-unmuted");
    app.quit();
}

#[test]
fn formatting_reactions_pins_forwards_and_search_in_the_real_window_with_nothing_injected() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let Some(desktop) = Desktop::start("rich", root.path(), &server.url) else {
        return;
    };
    let app = desktop.launch();
    register(&app, &server.url, "rana");
    let sami = peer(root.path(), &server, "sami");
    sami.ok(&["send", "@rana", "hello from sami"]);
    // What a hostile sender could try: markup, a script link, and a right-to-left override.
    sami.ok(&[
        "send",
        "--plain",
        "@rana",
        "<img src=x onerror=\"document.title='pwned'\">",
    ]);
    sami.ok(&[
        "send",
        "@rana",
        "[click](javascript:document.title='pwned')",
    ]);
    sami.ok(&[
        "send",
        "@rana",
        "see [the docs](https://wren.example/docs) and gpj\u{202E}exe.txt",
    ]);
    let group = sami
        .ok(&["group", "create", "Team", "@rana"])
        .trim()
        .to_string();
    app.click_css(&format!(
        "{FIRST_CHAT}:not([data-testid=\"chat-item-{group}\"])"
    ));
    message(&app, "see the docs");

    // Nothing a message says becomes markup or runs.
    let injected = app.script(
        "return { images: document.querySelectorAll('[data-testid=message] img').length, \
                  scripts: document.querySelectorAll('a[href^=\"javascript\"]').length, \
                  title: document.title };",
        json!([]),
    );
    assert_eq!(injected["images"], 0, "{injected}");
    assert_eq!(injected["scripts"], 0, "{injected}");
    assert!(
        !injected["title"].as_str().unwrap_or("").contains("pwned"),
        "{injected}"
    );
    message(&app, "<img src=x onerror=");
    message(&app, "[click](javascript:");
    // A link whose text differs from its target shows the target before opening.
    app.click_css(&format!("{} [data-kind=\"textLink\"]", testid("message")));
    let target = app.wait_for("link-confirm-url");
    assert_eq!(app.text(&target), "https://wren.example/docs");
    app.screenshot("1-link-target");
    app.click("link-confirm-cancel");

    // Formatting with the keyboard: Ctrl+B around a selection, then sent.
    app.type_into("composer", "loud");
    app.control('a');
    app.control('b');
    app.type_into("composer", "\u{E010} and clear");
    app.press(ENTER);
    let bold = app.wait("the bold word", |app| {
        app.texts(&format!("{} strong", testid("message")))
            .into_iter()
            .find(|t| t == "loud")
    });
    assert_eq!(bold, "loud");
    assert!(cli_has(&sami, "@rana", |m| m["text"] == "loud and clear"
        && m["entities"][0]["kind"] == "bold"));
    app.screenshot("2-formatted");

    // A reaction from the menu shows as a chip and reaches sami.
    app.context_click_text(&testid("message"), "hello from sami");
    app.click_css(&format!("{}[data-emoji=\"👍\"]", testid("menu-reaction")));
    let chip = app.wait("the reaction chip", |app| {
        app.all(&format!("{}[data-emoji=\"👍\"]", testid("reaction-chip")))
            .into_iter()
            .next()
    });
    assert_eq!(
        app.attribute(&chip, "aria-pressed").as_deref(),
        Some("true")
    );
    assert!(cli_has(&sami, "@rana", |m| m["reactions"][0]["emoji"]
        == "👍"
        && m["reactions"][0]["accounts"][0]["username"] == "rana"));

    // Pinning shows the bar; sami sees the pin.
    app.context_click_text(&testid("message"), "hello from sami");
    app.click("message-menu-pin");
    app.wait("the pinned bar showing the message", |app| {
        app.texts(&testid("pinned-bar-text"))
            .iter()
            .any(|t| t.contains("hello from sami"))
            .then_some(())
    });
    assert!(cli_has(&sami, "@rana", |m| m["pinned"] == true));
    app.click("pinned-bar-text");
    app.screenshot("3-reacted-and-pinned");

    // Search in this chat with Ctrl+F.
    app.control('f');
    app.type_into("chat-search-input", "hello");
    let count = app.wait("a search result", |app| {
        app.texts(&testid("chat-search-count"))
            .into_iter()
            .find(|t| t.contains('1'))
    });
    assert!(count.contains("1"), "{count}");
    app.screenshot("4-search");
    app.press(wren_e2e::desktop::ESCAPE);

    // Forward to the group: the group opens with the forwarded message, named after sami.
    app.context_click_text(&testid("message"), "hello from sami");
    app.click("message-menu-forward");
    app.click(&format!("forward-target-{group}"));
    let from = app.wait("the forwarded-from line", |app| {
        app.texts(&testid("message-forwarded-from"))
            .into_iter()
            .next()
    });
    assert!(from.contains("sami"), "{from}");
    assert!(
        wait_until(Duration::from_secs(30), || {
            let history: Value =
                serde_json::from_str(&sami.ok(&["--json", "history", &group])).unwrap_or_default();
            history.as_array().is_some_and(|messages| {
                messages
                    .iter()
                    .any(|m| m["forwardedFrom"]["name"] == "sami")
            })
        }),
        "sami never saw the forward in the group"
    );
    app.screenshot("5-forwarded");

    // Sami's CLI is not running: the header says when he was last seen.
    let sami_row = format!("{FIRST_CHAT}:not([data-testid=\"chat-item-{group}\"])");
    app.click_css(&sami_row);
    app.wait("sami's last seen time in the header", |app| {
        app.texts(&testid("chat-presence"))
            .into_iter()
            .find(|t| t.contains("last seen"))
    });

    // Archive the chat with sami: it leaves the list for the archive, and comes back
    // when he writes (it is not muted).
    app.context_click_text(&sami_row, "loud and clear");
    app.click("chat-menu-archive");
    app.click("archived-entry");
    app.wait_for("archive-view");
    app.wait("sami in the archive", |app| {
        app.texts(&format!("{} {FIRST_CHAT}", testid("archive-list")))
            .iter()
            .any(|t| t.contains("loud and clear"))
            .then_some(())
    });
    app.screenshot("6-archive");
    app.click("archive-back");
    sami.ok(&["send", "@rana", "back from the archive"]);
    app.wait("sami back in the main list", |app| {
        app.texts(&format!("{} {FIRST_CHAT}", testid("chat-list")))
            .iter()
            .any(|t| t.contains("back from the archive"))
            .then_some(())
    });
    app.quit();
}

#[test]
fn two_accounts_in_one_app_each_get_their_own_messages_and_notifications_name_the_account() {
    let root = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&root.path().join("server"), free_port());
    let bus = SessionBus::start(root.path());
    let Some(desktop) = Desktop::start_on_bus("accounts", root.path(), &server.url, &bus) else {
        return;
    };
    let notifications = desktop.start_notification_daemon(&bus);
    let app = desktop.launch();
    register(&app, &server.url, "anna");
    let carol = peer(root.path(), &server, "carol");

    // A second account, added from the account menu: the app shows its sign-in screen.
    app.click("account-menu");
    app.click("add-account");
    app.wait_for("cancel-add-account");
    register(&app, &server.url, "boris");
    let profile = root.path().join("profile");
    let stores: Vec<_> = std::fs::read_dir(profile.join("accounts"))
        .expect("the second account's directory")
        .filter_map(|e| Some(e.ok()?.path().join("wren.db")))
        .filter(|db| db.exists())
        .collect();
    assert!(
        profile.join("wren.db").exists(),
        "the first account's store"
    );
    assert_eq!(stores.len(), 1, "the second account has a store of its own");

    // A message to each: the one to the account in view shows in its list; the other is
    // announced, named with its account, although the window is in front.
    desktop.set_window_focus(true);
    carol.ok(&["send", "@boris", "hello boris"]);
    carol.ok(&["send", "@anna", "hello anna"]);
    wait_preview(&app, "boris's message in his chat list", "hello boris");
    let for_anna = Notification {
        summary: "carol → anna".into(),
        body: "hello anna".into(),
    };
    app.wait("the notification naming anna", |_| {
        bus.notifications().contains(&for_anna).then_some(())
    });
    assert!(
        !previews(&app).iter().any(|p| p.contains("hello anna")),
        "anna's message shows in boris's list"
    );
    assert_eq!(
        bus.notifications(),
        vec![for_anna],
        "the message in view is not announced"
    );
    let badge = app.wait_for("other-accounts-unread");
    assert_eq!(
        app.text(&badge).trim(),
        "1",
        "anna's unread count beside the menu"
    );
    app.screenshot("1-boris-with-a-message-for-anna");

    // Clicking the notification switches to anna and opens the chat it announced.
    app.wait("the notification on screen", |_| {
        (notifications.displayed() > 0).then_some(())
    });
    notifications.click_newest();
    message(&app, "hello anna");
    assert!(!previews(&app).iter().any(|p| p.contains("hello boris")));
    app.screenshot("2-anna-from-the-notification");

    // Ctrl+2 and Ctrl+1 go from one account to the other.
    app.control('2');
    wait_preview(&app, "boris's list", "hello boris");
    app.control('1');
    wait_preview(&app, "anna's list", "hello anna");
    app.click("account-menu");
    let second = app.wait_for("account-slot-1");
    assert!(app.text(&second).contains("boris"));
    app.press("\u{E00C}");

    // Signing boris out (from his account) deletes his store; anna stays signed in.
    app.control('2');
    wait_preview(&app, "boris's list", "hello boris");
    app.click("open-settings");
    app.click("logout");
    wait_preview(&app, "anna back in view", "hello anna");
    assert!(
        stores.iter().all(|db| !db.exists()),
        "boris's store is deleted with his sign-out"
    );
    assert!(profile.join("wren.db").exists());
    app.screenshot("3-boris-signed-out");
    app.quit();
}

/// The previews of the chat list's rows.
fn previews(app: &App<'_>) -> Vec<String> {
    app.texts(&testid("chat-preview"))
}

/// Waits for a chat row whose preview shows `text` (`what` names it in a failure).
fn wait_preview(app: &App<'_>, what: &str, text: &str) {
    app.wait(what, |app| {
        previews(app).iter().any(|p| p.contains(text)).then_some(())
    });
}
