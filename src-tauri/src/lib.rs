//! The Wren desktop app: a Tauri 2 shell that embeds the client engine (`wren-core`) and
//! shows the web UI (`ui/dist`). The UI calls the commands in [`commands`] and listens to
//! the core's events on `wren://event`.
//!
//! Environment: `WREN_PROFILE_DIR` (a profile directory other than the app-data dir's; such
//! an app is not single-instance and does not register the `wren://` scheme),
//! `WREN_SERVER` (the server address the sign-in screen proposes), `WREN_PASSCODE` (the
//! profile's passcode, for headless runs), `RUST_LOG` (log filter).

mod accounts;
mod call_commands;
mod channel_commands;
mod commands;
mod deep_link;
mod error;
mod events;
mod logging;
mod message_commands;
mod models;
mod notify;
mod state;
mod tray;

use state::{AppState, PROFILE_ENV, SERVER_ENV};
use std::path::PathBuf;
use tauri::Manager;

/// Runs the app until its window is closed; exits the process with status 1 if it cannot
/// start.
pub fn run() {
    let own_profile = std::env::var_os(PROFILE_ENV).map(PathBuf::from);
    let mut builder = tauri::Builder::default();
    if own_profile.is_none() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            tracing::info!(?args, "started again; showing the running app");
            tray::show_window(app);
        }));
    }
    let result = builder
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| setup(app, own_profile))
        .invoke_handler(tauri::generate_handler![
            commands::profile_status,
            commands::unlock,
            commands::lock,
            commands::register,
            commands::login,
            commands::logout,
            commands::account_slots,
            commands::add_account,
            commands::switch_account,
            commands::chats,
            commands::history,
            commands::send,
            commands::edit,
            commands::remove,
            message_commands::react,
            message_commands::forward,
            message_commands::pin_message,
            message_commands::pinned_messages,
            message_commands::delete_for_me,
            message_commands::search_chat,
            message_commands::seq_at_date,
            message_commands::open_link,
            message_commands::profile,
            message_commands::set_profile,
            message_commands::presence,
            message_commands::set_last_seen,
            message_commands::folders,
            message_commands::set_folders,
            commands::mark_read,
            commands::typing,
            commands::open_direct,
            commands::create_group,
            commands::add_member,
            commands::remove_member,
            commands::leave,
            commands::rename,
            commands::set_pinned,
            commands::search,
            commands::devices,
            commands::revoke_device,
            commands::privacy,
            commands::chat_encryption,
            commands::set_draft,
            commands::safety_number,
            commands::set_passcode,
            commands::set_notification_preview,
            commands::set_notify_kinds,
            commands::set_tray_texts,
            commands::set_tray_unread,
            commands::take_deep_links,
            call_commands::start_call,
            call_commands::accept_call,
            call_commands::decline_call,
            call_commands::hang_up,
            call_commands::current_call,
            call_commands::watch_call_video,
            call_commands::open_call_window,
            call_commands::close_call_window,
            call_commands::switch_call_media,
            commands::set_chat_muted,
            commands::set_chat_archived,
            call_commands::list_media_devices,
            call_commands::choose_media_devices,
            call_commands::pip_stays_on_top,
            channel_commands::channels,
            channel_commands::channel_posts,
            channel_commands::refresh_posts,
            channel_commands::directory,
            channel_commands::find_channel,
            channel_commands::preview_posts,
            channel_commands::subscribe,
            channel_commands::join_channel,
            channel_commands::leave_channel,
            channel_commands::create_channel,
            channel_commands::post,
            channel_commands::report_views,
            channel_commands::create_invite,
            channel_commands::sponsored,
            channel_commands::sponsored_event,
            channel_commands::plan,
            channel_commands::business_profile,
            channel_commands::set_business_profile,
            channel_commands::edit_post,
            channel_commands::delete_post,
            channel_commands::pin_post,
            channel_commands::revoke_invite,
            channel_commands::channel_admins,
            channel_commands::set_channel_admin,
            channel_commands::channel_earnings,
            channel_commands::muted_channels,
            channel_commands::set_channel_muted,
        ])
        .build(tauri::generate_context!());
    let app = match result {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "the app failed");
            eprintln!("wren-desktop: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            if let Some(state) = app.try_state::<AppState>() {
                tauri::async_runtime::block_on(state.close());
            }
        }
    });
}

fn setup(
    app: &mut tauri::App,
    own_profile: Option<PathBuf>,
) -> Result<(), Box<dyn std::error::Error>> {
    let data = app.path().app_data_dir()?;
    let (profile, logs) = match &own_profile {
        Some(dir) => (dir.clone(), dir.join("logs")),
        None => (data.join("profile"), data.join("logs")),
    };
    app.manage(logging::init(&logs)?);
    tracing::info!(profile = %profile.display(), "starting");
    let server = std::env::var(SERVER_ENV).ok().filter(|s| !s.is_empty());
    app.manage(AppState::new(profile, server));
    let handle = app.handle().clone();
    match tray::create(&handle) {
        Ok(menu) => {
            app.manage(menu);
        }
        Err(e) => tracing::warn!(error = %e, "no tray icon"),
    }
    app.manage(deep_link::DeepLinks::default());
    deep_link::listen(&handle, own_profile.is_none());
    notify::open_chats_on_click(&handle);
    // The profile opens while the window and its web view start: `profile_status` waits
    // for it, nothing else needs it earlier.
    tauri::async_runtime::spawn(async move {
        handle.state::<AppState>().start(&handle).await;
    });
    Ok(())
}
