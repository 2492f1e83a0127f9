//! Configuration: flags, then `URENWINST_*` / `DATABASE_URL` environment variables, then
//! defaults. The flags come in groups and each subcommand takes (and its `--help` lists)
//! only the groups it uses: the database flags on `serve` and the commands that open the
//! database, the server flags on `serve`, the mail flags where mail is sent; logging on
//! all. What a command does not take still comes from the environment ([`from_env`]).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

/// Where the database is: shown (and accepted) on `serve` and on every command that
/// opens the database, never on the pure ones (`calc`, `bench`).
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Directory for the embedded SQLite database (created when missing).
    #[arg(
        long,
        global = true,
        env = "URENWINST_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// PostgreSQL (postgres://…) or SQLite (sqlite://…) URL; overrides --data-dir.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// SQLite's sync to disk: `normal` (default; a power loss can lose the last
    /// transactions, never corrupts) or `full` (every commit synced: survives power loss,
    /// slower writes). Ignored for PostgreSQL.
    #[arg(
        long,
        global = true,
        env = "URENWINST_SQLITE_SYNCHRONOUS",
        default_value = "normal"
    )]
    pub sqlite_synchronous: store::SqliteSync,
}

/// The web server's settings: shown on `serve` (and `config`) only.
#[derive(Args, Debug, Clone)]
pub struct ServerArgs {
    /// Address to listen on.
    #[arg(
        long,
        global = true,
        env = "URENWINST_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: SocketAddr,
    /// The address users reach the site at, used in invitation links
    /// (default: http://ADDR).
    #[arg(long, global = true, env = "URENWINST_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Mark cookies Secure and send HSTS; set when the site is served over HTTPS.
    #[arg(long, global = true, env = "URENWINST_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (only behind your own proxy).
    #[arg(long, global = true, env = "URENWINST_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// The server key (32 bytes as 64 hex digits or base64) that seals HR uploads waiting
    /// for the mapping step and keys the open-link throttle's address hashes. Set the same
    /// key on every instance over one database; when unset, DATA_DIR/upload.key is used
    /// (created with mode 0600), which only works for a single instance.
    #[arg(
        long,
        global = true,
        env = "URENWINST_UPLOAD_KEY",
        hide_env_values = true
    )]
    pub upload_key: Option<app::uploads::UploadKey>,
    /// Turns on /metrics (Prometheus text format) behind this bearer token; off when unset.
    #[arg(
        long,
        global = true,
        env = "URENWINST_METRICS_TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
}

/// Only the public address, for commands that print links (`user add --invite`).
#[derive(Args, Debug, Clone)]
pub struct PublicUrlArgs {
    /// The address users reach the site at, used in invitation links
    /// (default: http://ADDR).
    #[arg(long, global = true, env = "URENWINST_PUBLIC_URL")]
    pub public_url: Option<String>,
}

/// Mail: shown on the commands that send it (`serve`, `worker`, `reminders`) and `config`.
#[derive(Args, Debug, Clone)]
pub struct MailArgs {
    /// SMTP server for e-mail reminders of actions; without it reminders stay in the app.
    #[arg(long, global = true, env = "URENWINST_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port.
    #[arg(
        long,
        global = true,
        env = "URENWINST_SMTP_PORT",
        default_value_t = 587
    )]
    pub smtp_port: u16,
    /// Sender of the reminders, e.g. "Urenwinst <noreply@example.nl>".
    #[arg(long, global = true, env = "URENWINST_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// SMTP user name (with --smtp-password).
    #[arg(long, global = true, env = "URENWINST_SMTP_USER")]
    pub smtp_user: Option<String>,
    /// SMTP password.
    #[arg(
        long,
        global = true,
        env = "URENWINST_SMTP_PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// Use STARTTLS: true (default) or false (only for a server on the same host).
    #[arg(
        long,
        global = true,
        env = "URENWINST_SMTP_STARTTLS",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    pub smtp_starttls: bool,
}

/// Logging: for every command.
#[derive(Args, Debug, Clone)]
pub struct LogArgs {
    /// Log format: text or json.
    #[arg(
        long,
        global = true,
        env = "URENWINST_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,
    /// Log filter, e.g. info or web=debug (RUST_LOG syntax).
    #[arg(long, global = true, env = "URENWINST_LOG", default_value = "info")]
    pub log: String,
}

/// A group of settings from the environment and the defaults alone, for a command that
/// does not take its flags (the environment variables keep working everywhere).
pub fn from_env<T: Args + clap::FromArgMatches>() -> anyhow::Result<T> {
    let cmd = T::augment_args(clap::Command::new("urenwinst").no_binary_name(true));
    let matches = cmd
        .try_get_matches_from(Vec::<String>::new())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    T::from_arg_matches(&matches).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The whole configuration of one run: the flags its command takes, the rest from the
/// environment and the defaults.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: DbArgs,
    pub server: ServerArgs,
    pub mail: MailArgs,
    pub log: LogArgs,
}

impl Config {
    /// `db`, `server` and `mail` as given (`None`: from the environment and defaults).
    pub fn new(
        log: LogArgs,
        db: Option<DbArgs>,
        server: Option<ServerArgs>,
        mail: Option<MailArgs>,
    ) -> anyhow::Result<Config> {
        Ok(Config {
            db: match db {
                Some(d) => d,
                None => from_env()?,
            },
            server: match server {
                Some(s) => s,
                None => from_env()?,
            },
            mail: match mail {
                Some(m) => m,
                None => from_env()?,
            },
            log,
        })
    }
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    pub fn init_tracing(&self) {
        let filter = tracing_subscriber::EnvFilter::try_new(&self.log.log)
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr);
        match self.log.log_format {
            LogFormat::Json => builder.json().init(),
            LogFormat::Text => builder.init(),
        }
    }

    pub async fn open_store(&self) -> anyhow::Result<store::Store> {
        match &self.db.database_url {
            Some(url) if !url.trim().is_empty() => store::Store::connect(url)
                .await
                .with_context(|| format!("cannot connect to {}", store::redact(url))),
            _ => store::Store::open_data_dir_with(&self.db.data_dir, self.db.sqlite_synchronous)
                .await
                .with_context(|| {
                    format!("cannot open the database in {}", self.db.data_dir.display())
                }),
        }
    }

    /// The SMTP settings when a host is configured (a sender is then required).
    pub fn mail_config(&self) -> anyhow::Result<Option<app::mail::MailConfig>> {
        let Some(host) = self
            .mail
            .smtp_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            return Ok(None);
        };
        let from = self
            .mail
            .smtp_from
            .clone()
            .filter(|f| !f.trim().is_empty())
            .ok_or_else(|| {
                anyhow::anyhow!("--smtp-host is set: set --smtp-from too (URENWINST_SMTP_FROM)")
            })?;
        Ok(Some(app::mail::MailConfig {
            host: host.to_string(),
            port: self.mail.smtp_port,
            from,
            user: self.mail.smtp_user.clone(),
            password: self.mail.smtp_password.clone(),
            starttls: self.mail.smtp_starttls,
        }))
    }

    pub fn web_config(&self) -> web::WebConfig {
        web::WebConfig {
            secure_cookies: self.server.secure_cookies,
            trust_proxy: self.server.trust_proxy,
            public_url: self.public_url(),
            upload_key: self.resolve_upload_key(),
            metrics_token: self
                .server
                .metrics_token
                .clone()
                .filter(|t| !t.trim().is_empty()),
            mail: self.mail_config().unwrap_or_else(|e| {
                tracing::error!(error = %e, "e-mail reminders are off");
                None
            }),
            ..web::WebConfig::default()
        }
    }

    /// The address users reach the site at (for links in mails and invitations).
    pub fn public_url(&self) -> String {
        self.server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.server.addr))
    }

    fn upload_key_file(&self) -> PathBuf {
        self.db.data_dir.join("upload.key")
    }

    /// The configured upload key, else the key file in the data directory (created when
    /// missing), else (the file cannot be written) a random key for this process only.
    fn resolve_upload_key(&self) -> app::uploads::UploadKey {
        if let Some(key) = &self.server.upload_key {
            return key.clone();
        }
        let path = self.upload_key_file();
        match app::uploads::UploadKey::load_or_create(&path) {
            Ok((key, created)) => {
                tracing::warn!(
                    file = %path.display(),
                    created,
                    "URENWINST_UPLOAD_KEY is not set: uploads and the open-link throttle use \
                     the key file; several instances over one database need the same \
                     configured URENWINST_UPLOAD_KEY"
                );
                key
            }
            Err(e) => {
                tracing::error!(
                    file = %path.display(),
                    error = %e,
                    "URENWINST_UPLOAD_KEY is not set and the key file cannot be used: a \
                     random key for this process only (uploads waiting for the mapping step \
                     are lost on restart); set URENWINST_UPLOAD_KEY"
                );
                app::uploads::UploadKey::random()
            }
        }
    }

    /// The effective configuration, one `key = value` per line, secrets redacted.
    pub fn describe(&self) -> String {
        let database = match &self.db.database_url {
            Some(url) if !url.trim().is_empty() => store::redact(url),
            _ => format!(
                "sqlite://{}",
                self.db.data_dir.join("urenwinst.sqlite").display()
            ),
        };
        let upload_key = match &self.server.upload_key {
            Some(_) => "*** (configured)".to_string(),
            None => format!("key file {}", self.upload_key_file().display()),
        };
        format!(
            "addr = {}\ndata_dir = {}\ndatabase = {}\npublic_url = {}\nsecure_cookies = {}\n\
             trust_proxy = {}\nupload_key = {}\nsmtp = {}\nlog_format = {:?}\nlog = {}",
            self.server.addr,
            self.db.data_dir.display(),
            database,
            self.public_url(),
            self.server.secure_cookies,
            self.server.trust_proxy,
            upload_key,
            match &self.mail.smtp_host {
                Some(h) => format!(
                    "{h}:{} starttls={} user={} password={}",
                    self.mail.smtp_port,
                    self.mail.smtp_starttls,
                    self.mail.smtp_user.as_deref().unwrap_or("-"),
                    if self.mail.smtp_password.is_some() {
                        "***"
                    } else {
                        "-"
                    }
                ),
                None => "off (reminders in the app only)".into(),
            },
            self.log.log_format,
            self.log.log
        )
    }
}
