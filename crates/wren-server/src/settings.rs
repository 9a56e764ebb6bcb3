//! The server's settings: flags, a TOML file with the same names (kebab-case), and the
//! defaults, in that order of precedence.

use anyhow::{bail, Context};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use wren_server::{Config, TlsFiles};

/// The address served when neither a flag nor the file names one.
const DEFAULT_LISTEN: &str = "127.0.0.1:8443";

/// Every setting, each optional: as flags, and as keys of the `--config` file.
#[derive(Debug, Default, Deserialize, clap::Args)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct Settings {
    /// Directory for the database (created if missing).
    #[arg(long, global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Where the data lives: `postgres://user@host/db` (several servers may share it), or
    /// `sqlite:DIR` [default: the SQLite file in --data-dir].
    #[arg(long)]
    database: Option<String>,
    /// The NATS server (`nats://host:4222`) through which the nodes that share a PostgreSQL
    /// database wake each other; every such node needs it.
    #[arg(long)]
    nats: Option<String>,
    /// Address to listen on; without TLS only loopback addresses are allowed [default:
    /// 127.0.0.1:8443].
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// PEM certificate chain; enables TLS together with --tls-key.
    #[arg(long)]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long)]
    tls_key: Option<PathBuf>,
    /// A client further behind than this many updates must refetch its chat list
    /// [default: 100000].
    #[arg(long)]
    max_difference: Option<u64>,
    /// Sign-in attempts allowed per minute per client IP (0 = no limit) [default: 30].
    #[arg(long)]
    auth_per_minute: Option<u32>,
    /// Wrong passwords allowed per account in 15 minutes, from any IPs (0 = no limit)
    /// [default: 10].
    #[arg(long)]
    failed_logins_per_account: Option<u32>,
    /// Connections allowed at once (more are closed at once) [default: 10000].
    #[arg(long)]
    max_connections: Option<usize>,
    /// Connections allowed at once from one client IP, IPv6 per /64 (0 = no cap)
    /// [default: 64].
    #[arg(long)]
    max_connections_per_ip: Option<usize>,
    /// Messages (sends, edits, deletes) one account may make per second (0 = no quota)
    /// [default: 20].
    #[arg(long)]
    messages_per_second: Option<u32>,
    /// Serve /metrics on this address only (for example 127.0.0.1:9090), not on --listen.
    #[arg(long)]
    metrics_listen: Option<SocketAddr>,
    /// Sponsored messages are shown only in public channels with at least this many
    /// subscribers [default: 1000].
    #[arg(long)]
    sponsored_min_subscribers: Option<u64>,
    /// Run the media relay for calls on this UDP port (0: any free port) of the --listen
    /// address.
    #[arg(long)]
    media_port: Option<u16>,
    /// For tests: drop this share of media datagrams (in percent) at the relay.
    #[arg(long)]
    media_loss_percent: Option<u8>,
    /// For tests: hold each media datagram back by a random 0 to this many ms at the relay.
    #[arg(long)]
    media_jitter_ms: Option<u16>,
    /// Turn off every per-IP and per-account limit: for benchmarks and tests on one
    /// machine, never for a server people use.
    #[arg(long)]
    #[serde(default)]
    no_limits: bool,
}

/// Where the store is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    /// The SQLite file in this data directory.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by connection URL.
    Postgres(String),
}

/// What `serve` needs, resolved.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// The server's settings.
    pub(crate) config: Config,
    /// Where to listen.
    pub(crate) listen: SocketAddr,
    /// The certificate and key, when serving TLS.
    pub(crate) tls: Option<TlsFiles>,
}

impl Settings {
    /// These flags over the settings of the TOML file at `path`.
    pub(crate) fn over_file(self, path: &Path) -> anyhow::Result<Settings> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        let file: Settings = toml::from_str(&text)
            .with_context(|| format!("the config file {} is not valid", path.display()))?;
        Ok(self.over(file))
    }

    /// Each setting of `self`, or `under`'s where `self` has none.
    fn over(self, under: Settings) -> Settings {
        Settings {
            data_dir: self.data_dir.or(under.data_dir),
            database: self.database.or(under.database),
            nats: self.nats.or(under.nats),
            listen: self.listen.or(under.listen),
            tls_cert: self.tls_cert.or(under.tls_cert),
            tls_key: self.tls_key.or(under.tls_key),
            max_difference: self.max_difference.or(under.max_difference),
            auth_per_minute: self.auth_per_minute.or(under.auth_per_minute),
            failed_logins_per_account: self
                .failed_logins_per_account
                .or(under.failed_logins_per_account),
            max_connections: self.max_connections.or(under.max_connections),
            max_connections_per_ip: self.max_connections_per_ip.or(under.max_connections_per_ip),
            messages_per_second: self.messages_per_second.or(under.messages_per_second),
            metrics_listen: self.metrics_listen.or(under.metrics_listen),
            sponsored_min_subscribers: self
                .sponsored_min_subscribers
                .or(under.sponsored_min_subscribers),
            media_port: self.media_port.or(under.media_port),
            media_loss_percent: self.media_loss_percent.or(under.media_loss_percent),
            media_jitter_ms: self.media_jitter_ms.or(under.media_jitter_ms),
            no_limits: self.no_limits || under.no_limits,
        }
    }

    /// Where the store is, which every command needs.
    pub(crate) fn location(&self) -> anyhow::Result<Location> {
        match self.database.as_deref() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_owned()))
            }
            Some(other) => match other.strip_prefix("sqlite:") {
                Some(dir) => Ok(Location::Sqlite(dir.into())),
                None => bail!("--database takes postgres://… or sqlite:DIR, not {other:?}"),
            },
            None => match &self.data_dir {
                Some(dir) => Ok(Location::Sqlite(dir.clone())),
                None => bail!(
                    "no data directory: pass --data-dir DIR (or --database) or set data-dir in --config"
                ),
            },
        }
    }

    /// The settings `serve` runs with, checked.
    pub(crate) fn resolve(self) -> anyhow::Result<Resolved> {
        let mut config = match self.location()? {
            Location::Sqlite(dir) => Config::new(dir),
            Location::Postgres(url) => {
                let mut config = Config::new(self.data_dir.clone().unwrap_or_default());
                config.postgres = Some(url);
                config.nats = self.nats.clone();
                config
            }
        };
        if config.postgres.is_none() && self.nats.is_some() {
            bail!("nats is for nodes that share a database: it needs --database postgres://…");
        }
        let listen = match self.listen {
            Some(listen) => listen,
            None => DEFAULT_LISTEN.parse()?,
        };
        let tls = match (self.tls_cert, self.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => bail!("TLS needs both tls-cert and tls-key"),
        };
        if tls.is_none() && !listen.ip().is_loopback() {
            bail!(
                "refusing to listen on {listen} without TLS; pass --tls-cert and --tls-key, or use a loopback address"
            );
        }
        set(&mut config.max_difference, self.max_difference);
        set(&mut config.auth_per_minute, self.auth_per_minute);
        set(
            &mut config.failed_logins_per_account,
            self.failed_logins_per_account,
        );
        set(&mut config.max_connections, self.max_connections);
        set(
            &mut config.max_connections_per_ip,
            self.max_connections_per_ip,
        );
        set(&mut config.messages_per_second, self.messages_per_second);
        set(
            &mut config.sponsored_min_subscribers,
            self.sponsored_min_subscribers,
        );
        set(&mut config.media_loss_percent, self.media_loss_percent);
        set(&mut config.media_jitter_ms, self.media_jitter_ms);
        config.metrics_listen = self.metrics_listen;
        config.media_port = self.media_port;
        if self.no_limits {
            tracing::warn!("every rate limit and quota is off (no-limits)");
            config = config.without_limits();
        }
        Ok(Resolved {
            config,
            listen,
            tls,
        })
    }
}

/// Replaces a default with a given setting.
fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Settings;

    fn file(text: &str) -> anyhow::Result<Settings> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wren.toml");
        std::fs::write(&path, text).unwrap();
        Settings::default().over_file(&path)
    }

    #[test]
    fn a_file_sets_what_the_flags_leave_out_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wren.toml");
        std::fs::write(
            &path,
            "data-dir = \"/var/lib/wren\"\nlisten = \"127.0.0.1:9000\"\nmessages-per-second = 5\n",
        )
        .unwrap();
        let flags = Settings {
            listen: Some("127.0.0.1:9100".parse().unwrap()),
            ..Settings::default()
        };
        let resolved = flags.over_file(&path).unwrap().resolve().unwrap();
        assert_eq!(resolved.listen, "127.0.0.1:9100".parse().unwrap());
        assert_eq!(resolved.config.messages_per_second, 5);
        assert_eq!(
            resolved.config.data_dir,
            std::path::Path::new("/var/lib/wren")
        );
        assert_eq!(resolved.config.auth_per_minute, 30, "untouched default");
    }

    #[test]
    fn the_sample_configuration_in_deploy_is_valid() {
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/wren-server.toml");
        let resolved = Settings::default()
            .over_file(std::path::Path::new(sample))
            .unwrap()
            .resolve()
            .unwrap();
        assert!(resolved.tls.is_some());
        assert_eq!(resolved.config.max_connections, 100_000);
        assert_eq!(resolved.config.media_port, Some(443));
    }

    #[test]
    fn the_sample_cluster_node_configuration_in_deploy_is_valid() {
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/wren-node.toml");
        let resolved = Settings::default()
            .over_file(std::path::Path::new(sample))
            .unwrap()
            .resolve()
            .unwrap();
        assert_eq!(
            resolved.config.postgres.as_deref(),
            Some("postgres://wren@db.internal/wren")
        );
        assert_eq!(
            resolved.config.nats.as_deref(),
            Some("nats://nats.internal:4222")
        );
        assert!(resolved.tls.is_some());
    }

    #[test]
    fn nats_without_a_shared_database_is_refused() {
        let refused = file("data-dir = \"d\"\nnats = \"nats://127.0.0.1:4222\"\n")
            .and_then(Settings::resolve)
            .unwrap_err();
        assert!(format!("{refused:#}").contains("postgres"), "{refused:#}");
    }

    #[test]
    fn unknown_keys_wrong_types_and_half_tls_are_refused_by_name() {
        let unknown = file("data-dir = \"d\"\nlisen = \"127.0.0.1:1\"\n").unwrap_err();
        assert!(format!("{unknown:#}").contains("lisen"), "{unknown:#}");
        let wrong = file("data-dir = \"d\"\nmax-connections = \"many\"\n").unwrap_err();
        assert!(
            format!("{wrong:#}").contains("max-connections"),
            "{wrong:#}"
        );
        let half = file("data-dir = \"d\"\ntls-cert = \"c.pem\"\n")
            .unwrap()
            .resolve()
            .unwrap_err();
        assert!(half.to_string().contains("tls-key"), "{half}");
        let none = Settings::default().resolve().unwrap_err();
        assert!(none.to_string().contains("no data directory"), "{none}");
    }
}
