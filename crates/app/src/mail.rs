//! Outgoing e-mail over SMTP (lettre on tokio): the action reminders, account invitations
//! and password resets, and survey invitations and their reminders (docs/mail.md). Mail is
//! sent only where SMTP is configured (`urenwinst --smtp-host …`); without it reminders
//! stay in the app (the "Mijn acties" count) and one-time links are shown to the admin.
//!
//! Never log an address, a link or a code: a failed send is logged with the error only.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// SMTP settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    /// The sender, e.g. `Urenwinst <noreply@urenwinst.example>`.
    pub from: String,
    pub user: Option<String>,
    pub password: Option<String>,
    /// Upgrade the connection with STARTTLS (required when set).
    pub starttls: bool,
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("address: {0}")]
    Address(String),
    #[error("message: {0}")]
    Message(String),
    #[error("smtp: {0}")]
    Smtp(String),
}

/// One plain-text mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
}

impl MailConfig {
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
        let mut builder = if self.starttls {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host)
                .map_err(|e| MailError::Smtp(e.to_string()))?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
        };
        builder = builder
            .port(self.port)
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&self.user, &self.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }

    /// Sends one mail (a new connection per call; reminders are few and daily).
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Address(e.to_string()))?;
        let to = Mailbox::new(
            Some(mail.to_name.clone()).filter(|n| !n.trim().is_empty()),
            mail.to_email
                .parse()
                .map_err(|e: lettre::address::AddressError| MailError::Address(e.to_string()))?,
        );
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Message(e.to_string()))?;
        self.transport()?
            .send(message)
            .await
            .map_err(|e| MailError::Smtp(e.to_string()))?;
        Ok(())
    }
}

/// A local SMTP sink for tests (and for trying the product without a mail server): it
/// speaks just enough SMTP to accept every mail and keeps them in memory. It runs on OS
/// threads, so it works under any async runtime and needs no extra tokio features.
pub mod testing {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// One mail as the sink received it: the envelope recipients and the DATA text
    /// (headers and body, lines joined with `\n`, dot-stuffing undone).
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Received {
        pub rcpt: Vec<String>,
        pub data: String,
    }

    impl Received {
        /// The body: the DATA text after the blank line that ends the headers, with
        /// quoted-printable soft line breaks and `=XX` escapes undone (lettre encodes
        /// non-ASCII text that way).
        pub fn body(&self) -> String {
            let raw = self
                .data
                .split_once("\n\n")
                .map(|(_, b)| b)
                .unwrap_or(&self.data);
            let headers = self.data.to_ascii_lowercase();
            if headers.contains("content-transfer-encoding: base64") {
                use base64::Engine;
                let packed: String = raw.split_whitespace().collect();
                return base64::engine::general_purpose::STANDARD
                    .decode(packed)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_else(|_| raw.to_string());
            }
            if !headers.contains("quoted-printable") {
                return raw.to_string();
            }
            let joined = raw.replace("=\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let (b'=', Some(b)) = (bytes[i], hex) {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        }

        /// Whether the envelope goes to `email`.
        pub fn is_to(&self, email: &str) -> bool {
            self.rcpt
                .iter()
                .any(|r| r.trim_matches(['<', '>']) == email)
        }
    }

    /// A running sink: its port and what it received.
    #[derive(Clone)]
    pub struct SmtpSink {
        pub port: u16,
        inbox: Arc<Mutex<Vec<Received>>>,
    }

    impl SmtpSink {
        /// Starts a sink on a free port of 127.0.0.1.
        pub fn start() -> SmtpSink {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
            let port = listener.local_addr().expect("sink address").port();
            let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
            let keep = inbox.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let keep = keep.clone();
                    std::thread::spawn(move || {
                        let _ = serve(stream, &keep);
                    });
                }
            });
            SmtpSink { port, inbox }
        }

        /// Settings that send to this sink (no TLS, no login).
        pub fn config(&self) -> super::MailConfig {
            super::MailConfig {
                host: "127.0.0.1".into(),
                port: self.port,
                from: "Urenwinst <noreply@urenwinst.example>".into(),
                user: None,
                password: None,
                starttls: false,
            }
        }

        /// A copy of every mail received so far.
        pub fn received(&self) -> Vec<Received> {
            self.inbox.lock().unwrap_or_else(|e| e.into_inner()).clone()
        }

        /// Forgets the mails received so far.
        pub fn clear(&self) {
            self.inbox.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }

        /// Waits (up to `timeout`) until at least `n` mails arrived; returns them all.
        pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
            let until = Instant::now() + timeout;
            loop {
                let got = self.received();
                if got.len() >= n || Instant::now() >= until {
                    return got;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    fn serve(stream: TcpStream, keep: &Mutex<Vec<Received>>) -> std::io::Result<()> {
        let mut w = stream.try_clone()?;
        let mut lines = BufReader::new(stream).lines();
        w.write_all(b"220 sink ESMTP\r\n")?;
        let mut current = Received::default();
        while let Some(Ok(line)) = lines.next() {
            let upper = line.to_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-sink\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("RCPT TO:") {
                current.rcpt.push(line[8..].trim().to_string());
                b"250 OK\r\n"
            } else if upper.starts_with("DATA") {
                w.write_all(b"354 go ahead\r\n")?;
                for l in lines.by_ref() {
                    let l = l?;
                    if l == "." {
                        break;
                    }
                    current.data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    current.data.push('\n');
                }
                keep.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(std::mem::take(&mut current));
                b"250 queued\r\n"
            } else if upper.starts_with("QUIT") {
                w.write_all(b"221 bye\r\n")?;
                break;
            } else {
                b"250 OK\r\n"
            };
            w.write_all(reply)?;
        }
        Ok(())
    }
}
