//! Embeds `tauri.conf.json`, the capabilities and the icon (the web UI in `../ui/dist` is
//! embedded by `tauri::generate_context!`).

fn main() {
    tauri_build::build();
}
