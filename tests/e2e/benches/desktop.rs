//! The desktop app on a 100,000-message store: cold start to the chat list, memory of the
//! whole app (shell + WebKit processes) after opening that chat, and frame times while
//! scrolling it (beside a bare page of the same rows in the same web view), and the memory
//! again after a scripted session of switching chats, scrolling and sending (30 minutes
//! unless `WREN_BENCH_SESSION_MINUTES` says otherwise).
//!
//! `cargo bench -p wren-e2e --bench desktop` (needs the release app:
//! `cargo build --release -p wren-desktop`, and what the end-to-end tests need).

use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use wren_core::{ChatId, Client};
use wren_e2e::Desktop;
use wren_tests::process::binary;

const MESSAGES: usize = 100_000;
/// How long each scrolling run lasts.
const SCROLL_MS: u64 = 8_000;
/// Rows of the bare page the scrolling baseline scrolls.
const BARE_ROWS: usize = 10_000;
/// The smaller chats beside the big one, and their messages.
const OTHER_CHATS: usize = 4;
const OTHER_CHAT_MESSAGES: usize = 300;
/// How long the scripted session lasts, in minutes, unless `WREN_BENCH_SESSION_MINUTES`
/// says otherwise (0 skips it).
const SESSION_MINUTES: u64 = 30;
const ENTER: &str = "\u{E007}";

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// A `/proc/<pid>/...` file, if readable.
fn proc_file(pid: u32, name: &str) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/{name}")).ok()
}

fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn parent(pid: u32) -> Option<u32> {
    let stat = proc_file(pid, "stat")?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The running app and every process under it (WebKit's web and network processes).
fn app_tree(app: &Path) -> Vec<u32> {
    let all = pids();
    let root = all
        .iter()
        .copied()
        .find(|&pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app));
    let Some(root) = root else { return Vec::new() };
    let mut tree = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for &pid in &all {
            if !tree.contains(&pid) && parent(pid).is_some_and(|p| tree.contains(&p)) {
                tree.push(pid);
                grew = true;
            }
        }
    }
    tree
}

/// Sum of a `kB` field of `/proc/<pid>/<file>` over `pids`, in MiB.
fn sum_mib(pids: &[u32], file: &str, field: &str) -> f64 {
    let kib: u64 = pids
        .iter()
        .filter_map(|&pid| {
            proc_file(pid, file)?
                .lines()
                .find(|l| l.starts_with(field))?
                .split_whitespace()
                .nth(1)?
                .parse::<u64>()
                .ok()
        })
        .sum();
    kib as f64 / 1024.0
}

/// Where process `pid`'s PSS is: the `top` largest mappings (a file's name, `[anon]`,
/// `[heap]`, …) with their PSS in MiB, largest first.
fn largest_mappings(pid: u32, top: usize) -> Vec<(String, f64)> {
    let mut by_name: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut name = String::new();
    for line in proc_file(pid, "smaps").unwrap_or_default().lines() {
        if let Some(kib) = line.strip_prefix("Pss:") {
            let kib: u64 = kib
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap_or(0);
            *by_name.entry(name.clone()).or_default() += kib;
        } else if line
            .split(' ')
            .next()
            .is_some_and(|range| range.contains('-'))
        {
            // `start-end perms offset dev inode [path]`: a mapping's first line.
            let path = line.split_whitespace().nth(5).unwrap_or("[anon]");
            name = path.rsplit('/').next().unwrap_or(path).to_owned();
        }
    }
    let mut largest: Vec<(String, f64)> = by_name
        .into_iter()
        .map(|(name, kib)| (name, kib as f64 / 1024.0))
        .collect();
    largest.sort_by(|a, b| b.1.total_cmp(&a.1));
    largest.truncate(top);
    largest
}

/// The page's time origin and the UI's chat-list paint mark, once the mark exists, with
/// the steps before it: the page's resources fetched, the UI's script run, the host's
/// answers to the profile status and the chat list (ms from the origin).
const PAINT_MARK_SCRIPT: &str = r#"
const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
const mark = at('wren:chat-list-painted');
const nav = performance.getEntriesByType('navigation')[0];
return mark === null ? null : {
  origin: performance.timeOrigin,
  mark,
  steps: [
    ['page fetched', nav ? nav.responseEnd : null],
    ['script ran', at('wren:script-started')],
    ['profile status answered', at('wren:status-answered')],
    ['chat list answered', at('wren:chats-answered')],
    ['list painted', mark],
  ],
};
"#;

/// When process `pid` started, in ms since the epoch (to the kernel's 10 ms tick).
fn process_start_ms(pid: u32) -> Option<f64> {
    let ticks_per_s: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())?;
    let stat = proc_file(pid, "stat")?;
    let started_ticks: f64 = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()?;
    let uptime_s: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(now_ms() - (uptime_s - started_ticks / ticks_per_s) * 1000.0)
}

/// Scrolls the element `arguments[1]` selects (the message list unless given) up by 600 px
/// per frame for `arguments[0]` ms, and reports every frame's gap.
const SCROLL_SCRIPT: &str = r#"
const [duration, selector, done] = arguments;
const list = document.querySelector(selector || '[data-testid="message-list"]');
const seqs = () => [...document.querySelectorAll('[data-testid="message"]')]
  .map((m) => Number(m.dataset.seq)).filter((n) => n > 0);
const firstSeq = Math.min(...seqs());
const longTasks = [];
const supported = (PerformanceObserver.supportedEntryTypes || []).includes('longtask');
let observer = null;
if (supported) {
  observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => longTasks.push(e.duration)));
  observer.observe({ type: 'longtask' });
}
const frames = [];
const start = performance.now();
let last = start;
function tick(now) {
  frames.push(now - last);
  last = now;
  list.scrollTop = Math.max(0, list.scrollTop - 600);
  if (now - start < duration) requestAnimationFrame(tick);
  else {
    if (observer) observer.disconnect();
    done({ frames, longTasks, supported, firstSeq, lastSeq: Math.min(...seqs()) });
  }
}
requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
"#;

/// Takes the chat's wallpaper away (the app's variant without it).
const NO_WALLPAPER_SCRIPT: &str = r#"
const style = document.createElement('style');
style.id = 'no-wallpaper';
style.textContent = '.chat-area::before { display: none !important; }';
document.head.appendChild(style);
"#;

/// The baseline: the same rows as a bare page in the same web view. The app is hidden and
/// a plain scrolling page of message bubbles (the bench's texts, simple styles, no script,
/// no wallpaper) takes the window, scrolled to its end like an opened chat.
const BARE_PAGE_SCRIPT: &str = r#"
const [rows] = arguments;
for (const child of document.body.children) child.style.display = 'none';
const page = document.createElement('div');
page.id = 'bare-page';
page.style.cssText = 'position:fixed;inset:0;overflow-y:auto;background:#fff;font:15px/1.35 sans-serif;display:flex;flex-direction:column';
const parts = [];
for (let i = rows - 1; i >= 0; i--) {
  parts.push(`<div style="align-self:${i % 3 ? 'flex-start' : 'flex-end'};max-width:60%;margin:3px 16px;padding:6px 10px;border-radius:12px;background:${i % 3 ? '#fff' : '#e3fee0'};box-shadow:0 1px 2px rgba(0,0,0,.15)">message number ${i} of the benchmark<span style="float:right;margin-left:8px;font-size:12px;color:#687076">12:34</span></div>`);
}
page.innerHTML = parts.join('');
document.body.appendChild(page);
page.scrollTop = page.scrollHeight;
"#;

/// What a scripted session did, and the whole app's PSS along the way.
struct Session {
    minutes: u64,
    switches: usize,
    sent: usize,
    /// (minute, PSS MiB), the first at the start.
    pss: Vec<(u64, f64)>,
}

impl Session {
    /// For `minutes`, goes round `chats`: opens each, scrolls up for 2 s, sends a
    /// message; reads the PSS every 5 minutes and at the end.
    fn run(app: &wren_e2e::App<'_>, binary: &Path, chats: &[ChatId], minutes: u64) -> Session {
        let pss = || sum_mib(&app_tree(binary), "smaps_rollup", "Pss:");
        let mut session = Session {
            minutes,
            switches: 0,
            sent: 0,
            pss: vec![(0, pss())],
        };
        if minutes == 0 {
            return session;
        }
        let start = Instant::now();
        let end = Duration::from_secs(minutes * 60);
        let mut next_sample = 5;
        while start.elapsed() < end {
            for chat in chats {
                app.click(&format!("chat-item-{chat}"));
                app.wait_for("message");
                app.script_async(SCROLL_SCRIPT, json!([2_000, ""]));
                app.type_into(
                    "composer",
                    &format!("session message {} {ENTER}", session.sent),
                );
                session.switches += 1;
                session.sent += 1;
            }
            let minute = start.elapsed().as_secs() / 60;
            if minute >= next_sample {
                session.pss.push((minute, pss()));
                next_sample += 5;
            }
        }
        std::thread::sleep(Duration::from_secs(2));
        session.pss.push((start.elapsed().as_secs() / 60, pss()));
        session
    }
}

/// Frame gaps of one scrolling run, sorted, and how far it went.
struct ScrollRun {
    frames: Vec<f64>,
    long_tasks: Option<usize>,
    scrolled: f64,
}

impl ScrollRun {
    /// Scrolls the element `selector` selects (the message list when empty) for
    /// [`SCROLL_MS`].
    fn measure(app: &wren_e2e::App<'_>, selector: &str) -> ScrollRun {
        let run = app.script_async(SCROLL_SCRIPT, json!([SCROLL_MS, selector]));
        let mut frames: Vec<f64> = run["frames"]
            .as_array()
            .map(|f| f.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default();
        frames.sort_by(f64::total_cmp);
        ScrollRun {
            frames,
            long_tasks: (run["supported"] == json!(true))
                .then(|| run["longTasks"].as_array().map(Vec::len).unwrap_or(0)),
            scrolled: run["firstSeq"].as_f64().unwrap_or(0.0)
                - run["lastSeq"].as_f64().unwrap_or(0.0),
        }
    }

    fn percentile(&self, p: f64) -> f64 {
        if self.frames.is_empty() {
            return 0.0;
        }
        let at = ((self.frames.len() - 1) as f64 * p).round() as usize;
        self.frames[at]
    }

    /// One line: frames, median, p95, longest, how many over 50 ms.
    fn summary(&self) -> String {
        format!(
            "{} frames, median {:.0} ms, p95 {:.0} ms, longest {:.0} ms, {} frames > 50 ms",
            self.frames.len(),
            self.percentile(0.5),
            self.percentile(0.95),
            self.percentile(1.0),
            self.frames.iter().filter(|&&f| f > 50.0).count()
        )
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let (server, profile, chat, others, engine_opened, engine_listed) = runtime.block_on(async {
        let server = wren_tests::TestServer::start_with(|c| c.max_difference = u64::MAX).await;
        let wren_tests::OfflineRecipient {
            profile,
            mut sender,
            chat,
        } = wren_tests::offline_recipient(&server).await;
        sender
            .fill_chat(chat, MESSAGES, |i| {
                format!("message number {i} of the benchmark")
            })
            .await;
        let bob = Client::open(wren_tests::client_options(&profile))
            .await
            .expect("open");
        let bob_id = bob.account().expect("signed in").id;
        // A few smaller chats beside it, for the session to switch between.
        let mut others = Vec::new();
        for i in 0..OTHER_CHATS {
            let (mut friend, _) =
                wren_tests::raw::RawClient::register(&server.url, &format!("friend{i}")).await;
            let chat = match friend
                .request(wren_proto::Request::OpenDirect { peer: bob_id })
                .await
            {
                Ok(wren_proto::Response::Chat(info)) => info.id,
                other => panic!("open direct: {other:?}"),
            };
            friend
                .fill_chat(chat, OTHER_CHAT_MESSAGES, |n| {
                    format!("friend {i} says hello, message {n}")
                })
                .await;
            others.push(chat);
        }
        bob.wait_synced(Duration::from_secs(900))
            .await
            .expect("synced");
        bob.close().await;
        // Baseline: the engine alone, opening the same profile and listing its chats.
        let opening = Instant::now();
        let bob = Client::open(wren_tests::client_options(&profile))
            .await
            .expect("open");
        let opened = opening.elapsed();
        let chats = bob.chats().await.expect("chats");
        let listed = opening.elapsed();
        assert_eq!(chats.len(), 1 + OTHER_CHATS);
        bob.close().await;
        (server, profile, chat, others, opened, listed)
    });
    let root = tempfile::tempdir().expect("tempdir");
    let Some(desktop) = Desktop::start_on_profile("bench", root.path(), &profile, &server.url)
    else {
        return;
    };
    let app_binary: PathBuf = binary("wren-desktop");

    // Cold start: from the app process's start to the chat list painted, both read on the
    // wall clock (the process start from /proc, the paint from the Performance API mark
    // the UI sets in the frame that showed the list).
    let requested = now_ms();
    let app = desktop.launch();
    app.wait_for(&format!("chat-item-{chat}"));
    let observed = now_ms();
    let paint = app.wait("the chat-list paint mark", |app| {
        app.script(PAINT_MARK_SCRIPT, json!([]))
            .as_object()
            .cloned()
    });
    let page_origin = paint["origin"].as_f64().unwrap_or(requested);
    let painted = page_origin + paint["mark"].as_f64().unwrap_or(0.0);
    let process_start = app_tree(&app_binary)
        .first()
        .and_then(|&pid| process_start_ms(pid))
        .unwrap_or(requested);
    app.screenshot("1-chat-list");

    // Memory after opening the 100,000-message chat.
    app.click(&format!("chat-item-{chat}"));
    app.wait_for("message");
    std::thread::sleep(Duration::from_secs(2));
    let tree = app_tree(&app_binary);
    let rss = sum_mib(&tree, "status", "VmRSS:");
    let pss = sum_mib(&tree, "smaps_rollup", "Pss:");
    let per_process: Vec<String> = tree
        .iter()
        .map(|&pid| {
            let name = proc_file(pid, "comm").unwrap_or_default();
            format!(
                "{} RSS {:.0} / PSS {:.0}",
                name.trim(),
                sum_mib(&[pid], "status", "VmRSS:"),
                sum_mib(&[pid], "smaps_rollup", "Pss:")
            )
        })
        .collect();
    let breakdown: Vec<String> = tree
        .iter()
        .map(|&pid| {
            let name = proc_file(pid, "comm").unwrap_or_default();
            let parts: Vec<String> = largest_mappings(pid, 6)
                .iter()
                .map(|(mapping, mib)| format!("{mapping} {mib:.0}"))
                .collect();
            format!("{}: {}", name.trim(), parts.join(", "))
        })
        .collect();
    app.screenshot("2-chat-open");

    // A scripted session right after opening the chat: switching chats, scrolling, sending;
    // memory read on the way.
    let minutes = std::env::var("WREN_BENCH_SESSION_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(SESSION_MINUTES);
    let chats: Vec<_> = std::iter::once(chat).chain(others).collect();
    let session = Session::run(&app, &app_binary, &chats, minutes);
    app.screenshot("3-after-session");

    // Scrolling up through the history: the app as it is, the app without its wallpaper,
    // and the baseline, a bare page of the same rows in the same web view.
    app.click(&format!("chat-item-{chat}"));
    app.wait_for("message");
    let scroll = ScrollRun::measure(&app, "");
    app.screenshot("4-scrolled");
    app.script(NO_WALLPAPER_SCRIPT, json!([]));
    let plain = ScrollRun::measure(&app, "");
    app.script(BARE_PAGE_SCRIPT, json!([BARE_ROWS]));
    let bare = ScrollRun::measure(&app, "#bare-page");
    app.screenshot("5-bare-page");

    app.quit();

    println!(
        "desktop app, release build, {MESSAGES} messages in one chat (Xvfb, software rendering)"
    );
    println!(
        "  cold start → chat list painted:   {:>7.0} ms from process start (target < 1000 ms)",
        painted - process_start
    );
    println!(
        "    process start → page starts loading: {:>5.0} ms (shell, profile, WebKit processes)",
        page_origin - process_start
    );
    println!(
        "    page starts loading → list painted:  {:>5.0} ms",
        painted - page_origin
    );
    let steps: Vec<String> = paint["steps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .map(|step| match step[1].as_f64() {
                    Some(ms) => format!("{} {ms:.0}", step[0].as_str().unwrap_or("?")),
                    None => format!("{} ?", step[0].as_str().unwrap_or("?")),
                })
                .collect()
        })
        .unwrap_or_default();
    println!(
        "      ms after the page starts loading: {}",
        steps.join(", ")
    );
    println!(
        "    baseline: the engine alone opens this profile in {:>5.0} ms and lists its chats by {:>5.0} ms",
        engine_opened.as_secs_f64() * 1000.0,
        engine_listed.as_secs_f64() * 1000.0
    );
    println!(
        "    cross-check: the list seen by WebDriver {:>5.0} ms after the request that started the app",
        observed - requested
    );
    println!(
        "  whole app after opening the chat ({} processes): RSS {rss:>6.0} MiB, PSS {pss:>6.0} MiB (target PSS < 250 MiB)",
        tree.len()
    );
    println!("    per process (MiB): {}", per_process.join("; "));
    for line in breakdown {
        println!("      largest PSS (MiB) in {line}");
    }
    if session.minutes > 0 {
        let last = session.pss.last().map_or(0.0, |p| p.1);
        let samples: Vec<String> = session
            .pss
            .iter()
            .map(|(minute, mib)| format!("{minute} min {mib:.0}"))
            .collect();
        println!(
            "  whole app after a {}-minute session ({} chat switches with 2 s of scrolling each, {} messages sent): PSS {last:.0} MiB, {:+.1}% from {pss:.0} MiB after opening the chat (target growth < 10%)",
            session.minutes,
            session.switches,
            session.sent,
            (last - pss) / pss * 100.0
        );
        println!("    PSS during the session (MiB): {}", samples.join(", "));
    }
    let seconds = SCROLL_MS / 1000;
    if scroll.scrolled > 0.0 {
        println!(
            "  scrolling up for {seconds} s: {}, {:.0} messages scrolled",
            scroll.summary(),
            scroll.scrolled
        );
        println!(
            "    the same without the wallpaper:  {}, {:.0} messages scrolled",
            plain.summary(),
            plain.scrolled
        );
    } else {
        println!(
            "  scrolling: NOT MEASURED — the chat opened with no older history to load (the list could not scroll up)"
        );
    }
    println!(
        "    baseline: a bare page of {BARE_ROWS} such rows in the same web view, scrolled the same way: {}",
        bare.summary()
    );
    println!(
        "  long tasks > 50 ms: {}",
        match scroll.long_tasks {
            Some(count) => count.to_string(),
            None =>
                "not reported (this WebKitGTK has no 'longtask' PerformanceObserver; see frames)"
                    .into(),
        }
    );
    drop(desktop);
    runtime.block_on(server.stop());
}
