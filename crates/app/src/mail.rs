//! Outgoing e-mail over SMTP (lettre on tokio), used by the action reminders. Mail is sent
//! only where SMTP is configured (`urenwinst --smtp-host …`); without it the reminders stay
//! in the app (the "Mijn acties" count).

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
            Some(mail.to_name.clone()),
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
