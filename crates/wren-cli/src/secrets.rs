//! Where the account password and the local passcode come from: the environment for
//! scripts, else a prompt on the terminal.

use anyhow::{bail, Context, Result};
use std::io::IsTerminal;

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

/// Prompts for the local passcode (asked twice when creating one).
pub(crate) fn prompt_passcode(confirm: bool) -> Result<String> {
    secret("WREN_PASSCODE", "Local passcode", confirm)
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
