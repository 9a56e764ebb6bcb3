//! The command line, as scripts see it. Changing a name here breaks scripts.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// wren: the Wren messenger from the command line.
#[derive(Debug, Parser)]
#[command(name = "wren", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Server address (ws://, wss://, http:// or host:port). Needed for register and login.
    #[arg(long, env = "WREN_SERVER", global = true)]
    pub(crate) server: Option<String>,

    /// Profile directory (one account per directory). Defaults to the user's data directory.
    #[arg(long, env = "WREN_PROFILE", global = true)]
    pub(crate) profile: Option<PathBuf>,

    /// Print JSON instead of text (one document, or one per line for `tail`).
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create an account (password from WREN_PASSWORD or a prompt).
    Register {
        /// The new username.
        name: String,
    },
    /// Sign in to an existing account.
    Login {
        /// The username.
        name: String,
    },
    /// Sign this device out.
    Logout,
    /// List chats, newest activity first.
    Chats,
    /// Send a message. CHAT is @username for a direct chat or a group's id.
    Send {
        /// The chat.
        chat: String,
        /// The text.
        text: String,
        /// Reply to this message number.
        #[arg(long)]
        reply_to: Option<u64>,
    },
    /// Show a chat's messages, oldest first.
    History {
        /// The chat.
        chat: String,
        /// How many of the newest messages.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Print messages as they arrive, until interrupted.
    Tail,
    /// Search messages stored on this device.
    Search {
        /// Words to find.
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Edit one of your messages.
    Edit {
        /// The chat.
        chat: String,
        /// The message number.
        seq: u64,
        /// The new text.
        text: String,
    },
    /// Delete a message for everyone.
    Delete {
        /// The chat.
        chat: String,
        /// The message number.
        seq: u64,
    },
    /// Mark a chat read.
    Read {
        /// The chat.
        chat: String,
    },
    /// Groups.
    #[command(subcommand)]
    Group(GroupCommand),
    /// List this account's devices.
    Devices,
    /// Sign another device out.
    Revoke {
        /// The device id (see `devices`).
        device: u64,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// Create a group: TITLE @user...
    Create {
        /// The title.
        title: String,
        /// Initial members, as @username.
        members: Vec<String>,
    },
    /// Add a member: CHAT @user.
    Add {
        /// The group id.
        chat: String,
        /// The new member.
        user: String,
    },
    /// Remove a member: CHAT @user.
    Remove {
        /// The group id.
        chat: String,
        /// The member to remove.
        user: String,
    },
}
