//! The command line, as scripts see it. Changing a name here breaks scripts.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// wren: the Wren messenger from the command line.
#[derive(Debug, Parser)]
#[command(name = "wren", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Server address (host[:port] or wss:// or https://, which use TLS; ws:// and http://
    /// only to this computer unless --allow-insecure). Needed for register and login.
    #[arg(long, env = "WREN_SERVER", global = true)]
    pub(crate) server: Option<String>,

    /// Allow an unencrypted connection (ws:// or http://) to another computer: UNSAFE, the
    /// password and the session can be read by anyone on the network.
    #[arg(
        long,
        env = "WREN_ALLOW_INSECURE",
        global = true,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub(crate) allow_insecure: bool,

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
    /// Send a message. CHAT is @username for a direct chat or a group's id. Markdown-style
    /// marks format it: **bold**, __italic__, ++underline++, ~~strike~~, ||spoiler||,
    /// `code`, ```block```, [text](https://…).
    Send {
        /// The chat.
        chat: String,
        /// The text.
        text: String,
        /// Reply to this message number.
        #[arg(long)]
        reply_to: Option<u64>,
        /// Send the text as it is, without reading marks.
        #[arg(long)]
        plain: bool,
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
        /// The new text (marks read as `send` reads them).
        text: String,
        /// Take the text as it is, without reading marks.
        #[arg(long)]
        plain: bool,
    },
    /// React to a message with an emoji, or take the reaction back.
    React {
        /// The chat.
        chat: String,
        /// The message number.
        seq: u64,
        /// The emoji.
        emoji: String,
        /// Take it back.
        #[arg(long)]
        remove: bool,
    },
    /// Forward messages to another chat.
    Forward {
        /// The chat they are in.
        chat: String,
        /// Their numbers, in the order to forward them.
        #[arg(required = true)]
        seqs: Vec<u64>,
        /// The chat to forward them to.
        #[arg(long)]
        to: String,
    },
    /// Pin a message for everyone in the chat (group admins; either side of a direct
    /// chat), or unpin it.
    Pin {
        /// The chat.
        chat: String,
        /// The message number.
        seq: u64,
        /// Unpin.
        #[arg(long)]
        unpin: bool,
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
    /// Put a chat in your archive (on all your devices), or take it out with --off. A new
    /// message takes it out again unless the chat is muted.
    Archive {
        /// The chat.
        chat: String,
        /// Take it out of the archive.
        #[arg(long)]
        off: bool,
    },
    /// Mute a chat's notifications on all your devices (for ever unless --for), or unmute it.
    Mute {
        /// The chat.
        chat: String,
        /// How long: 1h, 8h or 2d.
        #[arg(long = "for", conflicts_with = "off")]
        duration: Option<String>,
        /// Unmute.
        #[arg(long)]
        off: bool,
    },
    /// Groups.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Channels. CHANNEL is @handle, a channel id, or (to subscribe) an invite link.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Show your plan (Free or Business) and what it allows.
    Plan,
    /// Call someone: it rings their devices, connects, shows the call's security emojis
    /// and carries voice (and video) through the server's media relay, end-to-end
    /// encrypted.
    Call {
        /// Who: @username (their direct chat).
        chat: String,
        /// A video call.
        #[arg(long)]
        video: bool,
        /// Send a synthetic voice and a stamped test pattern (640×360, 15 frames a
        /// second) instead of the microphone and camera.
        #[arg(long)]
        synthetic: bool,
        /// With --synthetic: the test pattern at 1280×720, 30 frames a second.
        #[arg(long, requires = "synthetic")]
        hd: bool,
        /// Hang up this many seconds after the call is answered (default: wait until the
        /// other side hangs up or Ctrl-C).
        #[arg(long)]
        seconds: Option<u64>,
    },
    /// Wait for a call and answer it.
    Answer {
        /// Send a synthetic voice and a stamped test pattern (640×360, 15 frames a
        /// second) instead of the microphone and camera.
        #[arg(long)]
        synthetic: bool,
        /// With --synthetic: the test pattern at 1280×720, 30 frames a second.
        #[arg(long, requires = "synthetic")]
        hd: bool,
        /// Hang up this many seconds after answering (default: wait until the other side
        /// hangs up or Ctrl-C).
        #[arg(long)]
        seconds: Option<u64>,
        /// Give up if no call rings within this many seconds.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
    /// Advertising campaigns: sponsored messages in large public channels.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Search the directory of public channels, most subscribers first.
    Directory {
        /// Words to find in titles, handles, descriptions and topics.
        query: Option<String>,
        /// Only this topic.
        #[arg(long)]
        topic: Option<String>,
        /// Only this language (a two-letter code, such as en).
        #[arg(long)]
        language: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// List this account's devices.
    Devices,
    /// Sign another device out.
    Revoke {
        /// The device id (see `devices`).
        device: u64,
    },
    /// Your display name and bio, or someone's (`profile @user`); `profile set` changes yours.
    Profile {
        /// Whose (`@user`); without one, yours. Or `set` with --name / --bio.
        #[command(subcommand)]
        command: Option<ProfileCommand>,
    },
    /// Show your privacy settings, or change one (`privacy groups nobody`).
    Privacy {
        /// The setting to change; without one, the settings are shown.
        #[command(subcommand)]
        change: Option<PrivacyCommand>,
    },
    /// Show the safety number you and @user compare to know your chats are encrypted for
    /// each other's devices only; mark it verified once it matches theirs.
    Verify {
        /// The contact.
        user: String,
        /// Mark the number shown as verified (after comparing it).
        #[arg(long, conflicts_with = "clear")]
        mark: bool,
        /// Remove the verified mark.
        #[arg(long)]
        clear: bool,
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

#[derive(Debug, Subcommand)]
pub(crate) enum ChannelCommand {
    /// Create a channel: public with --handle, or --private (joined by invite link).
    Create {
        /// The title.
        title: String,
        /// The public handle, as @name or name.
        #[arg(long, conflicts_with = "private")]
        handle: Option<String>,
        /// A private channel: not listed, joined by invite link only.
        #[arg(long)]
        private: bool,
        /// The topic (news, technology, science, business, finance, sports,
        /// entertainment, music, education, travel, food, art, games, health, other).
        #[arg(long, default_value = "other")]
        topic: String,
        /// The language of its posts, a two-letter code.
        #[arg(long, default_value = "en")]
        language: String,
        /// What it is about.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Publish a post (owner and admins).
    Post {
        /// The channel.
        channel: String,
        /// The text.
        text: String,
    },
    /// Subscribe to a public channel, or join one with an invite link.
    Subscribe {
        /// @handle, id, or invite link.
        channel: String,
    },
    /// Leave a channel.
    Leave {
        /// The channel.
        channel: String,
    },
    /// Show a channel's newest posts, oldest first, with view counts (a preview when you
    /// are not subscribed).
    Read {
        /// The channel.
        channel: String,
        /// How many of the newest posts.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Make an invite link, or revoke one with --revoke LINK.
    Invite {
        /// The channel.
        channel: String,
        /// The link to revoke.
        #[arg(long)]
        revoke: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CampaignCommand {
    /// Start a campaign; its button leads to --link URL or --channel @handle.
    Create {
        /// A short title.
        title: String,
        /// The text (at most 160 characters).
        text: String,
        /// The https:// link its button opens.
        #[arg(long, conflicts_with = "channel", required_unless_present = "channel")]
        link: Option<String>,
        /// The public channel its button opens.
        #[arg(long)]
        channel: Option<String>,
        /// The button's label.
        #[arg(long, default_value = "Open")]
        button: String,
        /// A channel topic to be shown in (repeat for more; none: any).
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// A channel language to be shown in (repeat for more; none: any).
        #[arg(long = "language")]
        languages: Vec<String>,
        /// How many impressions it may have in all.
        #[arg(long)]
        budget: u64,
    },
    /// Your campaigns with their counts.
    List,
    /// Stop a campaign.
    Stop {
        /// The campaign id (see `campaign list`).
        campaign: u64,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// Change your display name or bio ("" clears one); what is not given stays.
    Set {
        /// The name to be shown by, in any script (up to 64 characters).
        #[arg(long)]
        name: Option<String>,
        /// A short text about you (up to 140 characters).
        #[arg(long)]
        bio: Option<String>,
    },
    /// Someone's profile.
    #[command(external_subcommand)]
    Show(Vec<String>),
}

#[derive(Debug, Subcommand)]
pub(crate) enum PrivacyCommand {
    /// Who may add you to groups: everybody or nobody.
    Groups {
        /// Who may.
        allowed: GroupAddsArg,
    },
    /// Who sees when you are online and were last seen: everybody, contacts (people you
    /// have a direct chat with) or nobody (then you see nobody else's either).
    LastSeen {
        /// Who may.
        visibility: LastSeenArg,
    },
}

/// Who sees when this account is online, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum LastSeenArg {
    /// Everyone who shares a chat with you.
    Everybody,
    /// People you have a direct chat with.
    Contacts,
    /// Nobody.
    Nobody,
}

impl From<LastSeenArg> for wren_core::LastSeenVisibility {
    fn from(arg: LastSeenArg) -> Self {
        match arg {
            LastSeenArg::Everybody => wren_core::LastSeenVisibility::Everybody,
            LastSeenArg::Contacts => wren_core::LastSeenVisibility::Contacts,
            LastSeenArg::Nobody => wren_core::LastSeenVisibility::Nobody,
        }
    }
}

/// Who may add this account to groups, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum GroupAddsArg {
    /// Anyone who knows your username.
    Everybody,
    /// Nobody.
    Nobody,
}

impl From<GroupAddsArg> for wren_core::GroupAdds {
    fn from(arg: GroupAddsArg) -> Self {
        match arg {
            GroupAddsArg::Everybody => wren_core::GroupAdds::Everybody,
            GroupAddsArg::Nobody => wren_core::GroupAdds::Nobody,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_insecure_is_off_unless_asked_for_anywhere_on_the_line() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.allow_insecure);
        assert_eq!(parse(&["wren", "chats"]).ok(), Some(false));
        assert_eq!(
            parse(&["wren", "--allow-insecure", "chats"]).ok(),
            Some(true)
        );
        assert_eq!(
            parse(&["wren", "login", "alice", "--allow-insecure"]).ok(),
            Some(true)
        );
    }

    #[test]
    fn privacy_shows_the_settings_or_changes_who_may_add_to_groups() {
        let parse = |args: &[&str]| match Cli::try_parse_from(args).map(|cli| cli.command) {
            Ok(Command::Privacy { change: None }) => Some(None),
            Ok(Command::Privacy {
                change: Some(PrivacyCommand::Groups { allowed }),
            }) => Some(Some(allowed)),
            _ => None,
        };
        assert_eq!(parse(&["wren", "privacy"]), Some(None));
        assert_eq!(parse(&["wren", "--json", "privacy"]), Some(None));
        assert_eq!(
            parse(&["wren", "privacy", "groups", "nobody"]),
            Some(Some(GroupAddsArg::Nobody))
        );
        assert_eq!(
            parse(&["wren", "privacy", "groups", "everybody", "--json"]),
            Some(Some(GroupAddsArg::Everybody))
        );
        assert_eq!(parse(&["wren", "privacy", "groups"]), None);
        assert_eq!(parse(&["wren", "privacy", "groups", "friends"]), None);
    }
}
