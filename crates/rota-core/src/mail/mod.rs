//! E-mail through a transactional outbox.
//!
//! A change that should tell someone writes its messages to the `outbox` table with
//! [`enqueue`], inside the transaction that makes the change: if the change rolls back, so
//! do its messages, and once it commits they survive any crash. The [`worker`] sends what is
//! due over SMTP, with retries; nothing else sends mail.
//!
//! [`audience`] decides who hears of a change to a leave request (a
//! [`Change`](crate::leave::request::Change), the name its audit event and webhooks share)
//! and [`compose`] writes their messages (pure functions); [`leave`] loads what they need
//! inside the caller's transaction; [`account`] writes the messages of mailed links
//! (invitations, password resets).
//!
//! Links in a message point at the web app's pages. A service does not know the address
//! the server is reached at, so a message holds [`SITE`] where the address goes
//! ([`link`]) and the worker puts the server's public URL there as it sends
//! ([`worker::Mailer::with_site`]).

pub mod account;
pub mod audience;
pub mod compose;
#[cfg(test)]
mod fixtures;
pub mod leave;
pub mod worker;

use crate::db::{Tx, now};
use crate::error::Result;

/// Where the server's public URL goes in a queued message.
pub const SITE: &str = "{rota-site}";

/// A link to the web app's page `path` (`/approvals`), as a queued message holds it.
pub fn link(path: &str) -> String {
    format!("{SITE}{path}")
}

/// `text` with the server's public URL `site` (no trailing slash) where the links go.
pub fn resolve_links(text: &str, site: &str) -> String {
    text.replace(SITE, site.trim_end_matches('/'))
}

/// One e-mail to one person, as it is queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The user it is for, when it is for a user.
    pub recipient_user_id: Option<i64>,
    pub recipient_address: String,
    pub subject: String,
    pub text_body: String,
    /// Sent beside the text as an alternative when present (users who chose HTML).
    pub html_body: Option<String>,
}

/// Queues `messages` for `company_id` inside `tx`; they are due at once.
pub async fn enqueue(tx: &mut Tx, company_id: i64, messages: &[Message]) -> Result<()> {
    for message in messages {
        insert(tx, company_id, message, false).await?;
    }
    Ok(())
}

/// Queues `message`, which carries a secret (a link that sets a password), for
/// `company_id` inside `tx`: once it is sent or given up, the outbox keeps
/// [`SECRET_SENT`] in place of its bodies.
pub async fn enqueue_secret(tx: &mut Tx, company_id: i64, message: &Message) -> Result<()> {
    insert(tx, company_id, message, true).await
}

/// What the outbox keeps of a message that carried a secret, once it is sent or given up.
pub const SECRET_SENT: &str = "(This message carried a single-use link; it is not kept.)";

async fn insert(tx: &mut Tx, company_id: i64, message: &Message, holds_secret: bool) -> Result<()> {
    // `holds_secret` is named only when set: other messages take the column's default.
    let (secret_column, secret_value) = if holds_secret {
        (", holds_secret", ", 1")
    } else {
        ("", "")
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO outbox (company_id, kind, recipient_user_id, recipient_address, subject, text_body, html_body, \
         created_at, attempts, next_attempt_at{secret_column}) VALUES ($1, 'email', $2, $3, $4, $5, $6, $7, 0, $7{secret_value})",
    )))
    .bind(company_id)
    .bind(message.recipient_user_id)
    .bind(&message.recipient_address)
    .bind(&message.subject)
    .bind(&message.text_body)
    .bind(&message.html_body)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_point_at_the_public_url_once_sent() {
        let text = format!("Decide at {}", super::link("/approvals"));
        assert_eq!(
            super::resolve_links(&text, "https://rota.example.com/"),
            "Decide at https://rota.example.com/approvals"
        );
    }
}
