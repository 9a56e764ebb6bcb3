//! The one error type of the shell's commands. It reaches the web UI as `{code, message}`,
//! with the codes `ui/src/screens/errorText.ts` translates.

use serde::ser::SerializeStruct;
use wren_core::CoreError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The client engine failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The username is taken (the server's `conflict` answer to a registration).
    #[error("{0}")]
    Taken(String),
    /// The profile is locked: the passcode must be entered first.
    #[error("the profile is locked; enter the passcode")]
    Locked,
    /// An argument is out of range.
    #[error("{0}")]
    Invalid(String),
    /// A window could not be made or changed.
    #[error("the window system refused: {0}")]
    Window(#[from] tauri::Error),
    /// The system could not open a link.
    #[error("the link could not be opened: {0}")]
    Open(String),
    /// Something else must end first (a call, before switching accounts).
    #[error("{0}")]
    Busy(String),
    /// The account is signed in to this app already, in another slot.
    #[error("{0}")]
    AlreadySignedIn(String),
    /// No such thing in this app (an account slot).
    #[error("{0}")]
    NotFound(String),
    /// A file of the app could not be written.
    #[error("{0}")]
    Io(String),
}

impl Error {
    /// The stable code the UI translates.
    pub(crate) fn code(&self) -> &str {
        match self {
            Error::Core(e) => match e.code() {
                "offline" | "timeout" => "network",
                code => code,
            },
            Error::Taken(_) => "taken",
            Error::Locked => "locked",
            Error::Invalid(_) => "invalid",
            Error::Busy(_) => "busy",
            Error::AlreadySignedIn(_) => "already_signed_in",
            Error::NotFound(_) => "not_found",
            Error::Window(_) | Error::Open(_) | Error::Io(_) => "internal",
        }
    }

    /// Maps the server's `conflict` on registration to `taken`.
    pub(crate) fn on_register(e: CoreError) -> Error {
        if e.code() == "conflict" {
            Error::Taken(e.to_string())
        } else {
            Error::Core(e)
        }
    }
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// What every command returns.
pub(crate) type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;
    use wren_proto::{ErrorBody, ErrorCode};

    #[test]
    fn errors_serialize_as_code_and_message_with_the_ui_codes() {
        let offline = Error::Core(CoreError::Offline("connection refused".into()));
        let json = serde_json::to_value(&offline).expect("serialize");
        assert_eq!(json["code"], "network");
        assert_eq!(json["message"], "offline: connection refused");
        assert_eq!(Error::Core(CoreError::Timeout).code(), "network");
        assert_eq!(Error::Core(CoreError::NotSignedIn).code(), "not_signed_in");
        assert_eq!(Error::Invalid("limit".into()).code(), "invalid");
        let weak = wren_core::KeyError::WeakPasscode(wren_core::profile::PasscodeError::TooShort);
        assert_eq!(Error::Core(CoreError::Key(weak)).code(), "weak_passcode");
        let removed = Error::Core(CoreError::NotMember(wren_core::ChatId(4)));
        assert_eq!(removed.code(), "not_member");
        let cleartext = Error::Core(CoreError::Insecure("ws://example.org".into()));
        assert_eq!(cleartext.code(), "insecure");
    }

    #[test]
    fn a_conflict_on_registration_is_a_taken_username_and_elsewhere_passes_through() {
        let conflict = || CoreError::Server(ErrorBody::new(ErrorCode::Conflict, "taken"));
        assert_eq!(Error::on_register(conflict()).code(), "taken");
        assert_eq!(Error::Core(conflict()).code(), "conflict");
        let refused = CoreError::Server(ErrorBody::new(ErrorCode::Unauthorized, "no"));
        assert_eq!(Error::on_register(refused).code(), "unauthorized");
    }
}
