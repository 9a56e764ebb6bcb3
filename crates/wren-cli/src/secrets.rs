//! Where the account password and the local passcode come from: the environment for
//! scripts, else a prompt on the terminal.

use anyhow::{bail, Context, Result};
use std::io::IsTerminal;
use wren_core::profile::validate_passcode;

/// The account password: `WREN_PASSWORD`, or a prompt (asked twice when `confirm`).
pub(crate) fn password(confirm: bool) -> Result<String> {
    secret("WREN_PASSWORD", "Password", confirm)
}

/// The local passcode given by the user, if any: `WREN_PASSCODE`.
pub(crate) fn passcode_from_env() -> Option<String> {
    std::env::var("WREN_PASSCODE")
        .ok()
        .filter(|p| !p.is_empty())
}

/// Prompts for the local passcode. When creating one (`choosing`) it is asked twice and
/// must follow the strength rule (at least 6 characters); a weak one is asked again.
pub(crate) fn prompt_passcode(choosing: bool) -> Result<String> {
    if !choosing {
        return secret("WREN_PASSCODE", "Local passcode", false);
    }
    for _ in 0..3 {
        let passcode = secret("WREN_PASSCODE", "New local passcode", true)?;
        match validate_passcode(&passcode) {
            Ok(()) => return Ok(passcode),
            // From the environment there is nobody to ask again.
            Err(e) if std::env::var_os("WREN_PASSCODE").is_some() => bail!("WREN_PASSCODE: {e}"),
            Err(e) => eprintln!("wren: {e}; try again."),
        }
    }
    bail!("no acceptable passcode was entered")
}

fn secret(variable: &str, label: &str, confirm: bool) -> Result<String> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(value);
    }
    if !std::io::stdin().is_terminal() {
        bail!("{label} needed: set {variable} (no terminal to ask on)");
    }
    let first =
        rpassword::prompt_password(format!("{label}: ")).context("reading from the terminal")?;
    if confirm {
        let again = rpassword::prompt_password(format!("{label} again: "))
            .context("reading from the terminal")?;
        if again != first {
            bail!("the two entries differ");
        }
    }
    Ok(first)
}
