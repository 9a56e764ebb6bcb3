//! The installable package: Tauri's bundler makes a `.deb` of the built desktop app, and
//! the package is checked the way Debian's tools see it: its control fields, its files,
//! and its desktop entry (which must register the `wren://` scheme).

use std::path::{Path, PathBuf};
use std::process::Command;
use wren_tests::process::binary;

/// Runs `program` with `args` in `dir` and returns its standard output; panics with its
/// error output when it fails.
fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

/// Bundles the already built debug app (the README's package command does the same in
/// release) and returns the `.deb`.
fn build_deb() -> PathBuf {
    let root = repo_root();
    let app = binary("wren-desktop");
    let tauri = root.join("ui/node_modules/.bin/tauri");
    assert!(
        tauri.exists(),
        "{} is missing: npm install in ui/ first",
        tauri.display()
    );
    let tauri = tauri.to_string_lossy().into_owned();
    run(
        &root,
        &tauri,
        &["bundle", "--bundles", "deb", "--debug", "--ci"],
    );
    let deb = app.parent().expect("target/debug").join(format!(
        "bundle/deb/Wren_{}_amd64.deb",
        env!("CARGO_PKG_VERSION")
    ));
    assert!(deb.exists(), "the bundler made no {}", deb.display());
    deb
}

#[test]
fn the_deb_package_installs_the_app_its_icons_and_a_desktop_entry_for_wren_links() {
    let deb = build_deb();
    let deb_path = deb.to_string_lossy().into_owned();
    let here = repo_root();

    let field = |name: &str| run(&here, "dpkg-deb", &["--field", &deb_path, name]);
    assert_eq!(field("Package").trim(), "wren");
    assert_eq!(field("Version").trim(), env!("CARGO_PKG_VERSION"));
    assert_eq!(field("Architecture").trim(), "amd64");
    assert_eq!(field("Section").trim(), "net");
    assert!(!field("Description").trim().is_empty());
    let depends = field("Depends");
    for needed in [
        "libwebkit2gtk-4.1-0",
        "libgtk-3-0",
        "libayatana-appindicator3-1",
        "libasound2",
        "libdbus-1-3",
    ] {
        assert!(
            depends.contains(needed),
            "Depends lacks {needed}: {depends}"
        );
    }

    let listing = run(&here, "dpkg-deb", &["--contents", &deb_path]);
    for file in [
        "usr/bin/wren-desktop",
        "usr/share/applications/Wren.desktop",
        "usr/share/icons/hicolor/32x32/apps/wren-desktop.png",
        "usr/share/icons/hicolor/128x128/apps/wren-desktop.png",
    ] {
        assert!(
            listing.lines().any(|l| l.ends_with(&format!(" {file}"))),
            "the package lacks {file}:\n{listing}"
        );
    }
    let program = listing
        .lines()
        .find(|l| l.ends_with("usr/bin/wren-desktop"))
        .expect("listed above");
    assert!(
        program.starts_with("-rwxr-xr-x"),
        "not executable: {program}"
    );

    let unpacked = tempfile::tempdir().expect("tempdir");
    let into = unpacked.path().to_string_lossy().into_owned();
    run(&here, "dpkg-deb", &["--extract", &deb_path, &into]);
    let entry = unpacked.path().join("usr/share/applications/Wren.desktop");
    let validated = run(&here, "desktop-file-validate", &[&entry.to_string_lossy()]);
    assert!(
        validated.trim().is_empty(),
        "desktop-file-validate: {validated}"
    );
    let text = std::fs::read_to_string(&entry).expect("the desktop entry");
    let line = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= in\n{text}"))
            .to_owned()
    };
    assert_eq!(line("Name"), "Wren");
    assert_eq!(
        line("Exec"),
        "wren-desktop %u",
        "a link must reach the app as its argument"
    );
    assert!(line("MimeType")
        .split(';')
        .any(|t| t == "x-scheme-handler/wren"));
    assert_eq!(line("Icon"), "wren-desktop");
    assert_eq!(
        std::fs::metadata(unpacked.path().join("usr/bin/wren-desktop"))
            .expect("the packaged program")
            .len(),
        std::fs::metadata(binary("wren-desktop"))
            .expect("the built program")
            .len(),
        "the package carries the app that was built"
    );
}
