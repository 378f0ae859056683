//! The mail worker: sends what the outbox holds over SMTP, with retries.
//!
//! Several Rota processes may share one database, each with a worker. A worker claims a due
//! row with one `UPDATE` that raises `attempts` from the value it read and moves
//! `next_attempt_at` a lease ahead; only one claimant's update matches, on either engine,
//! and no lock is held while it sends. A sent row gets `sent_at`. A failure records
//! `last_error` and makes the row due again after an exponential back-off; after the last
//! attempt it gets `failed_at` and stays in the table. A message holding a secret (a link
//! that sets a password) keeps it only until it is sent or given up: then its bodies are
//! replaced by [`super::SECRET_SENT`]. A worker that dies mid-send leaves
//! its claim to lapse, and the row is due again when the lease ends: mail may then go twice,
//! but is never lost.

use std::fmt;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::FromRow;

use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::retry::{Queue, Retry};

/// Rows one pass looks at.
const BATCH: i64 = 50;
/// The mail outbox; a claim holds a row longer than any send takes (SMTP commands time
/// out sooner).
const QUEUE: Queue = Queue {
    table: "outbox",
    done_column: "sent_at",
    lease_seconds: 600,
};
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Where links point when the server's public URL is not given: `rota demo`'s address.
pub const DEFAULT_SITE: &str = "http://127.0.0.1:8080";

/// Where and as whom the worker sends: a plain-SMTP relay and the `From` address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port`, for logs; never the credentials.
    server: String,
    retry: Retry,
    /// The web app's public URL, which links in messages point at.
    site: String,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .field("retry", &self.retry)
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp://[user:password@]host[:port]` (port 25 by default) sending as
    /// `from` (`Rota <rota@example.com>` or a bare address). TLS is not built in, so the
    /// relay should be on this host or a network you trust.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self> {
        let url = url::Url::parse(smtp_url)
            .map_err(|e| Error::invalid("smtp_url", format!("the SMTP URL is not a URL ({e})")))?;
        if url.scheme() != "smtp" {
            return Err(Error::invalid(
                "smtp_url",
                format!(
                    "the SMTP URL must start smtp:// (plain SMTP; TLS is not built in), not {}://",
                    url.scheme()
                ),
            ));
        }
        if url.query().is_some() || !matches!(url.path(), "" | "/") {
            return Err(Error::invalid(
                "smtp_url",
                "the SMTP URL takes only smtp://[user:password@]host[:port]",
            ));
        }
        let host = match url.host() {
            Some(url::Host::Domain(name)) => name.to_owned(),
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            None => return Err(Error::invalid("smtp_url", "the SMTP URL names no host")),
        };
        let port = url.port().unwrap_or(25);
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
            .port(port)
            .timeout(Some(SMTP_TIMEOUT));
        if !url.username().is_empty() {
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            builder = builder.credentials(Credentials::new(
                decode(url.username()),
                decode(url.password().unwrap_or_default()),
            ));
        }
        let from: Mailbox = from.parse().map_err(|e| {
            Error::invalid(
                "mail_from",
                format!("the sender {from:?} is not an e-mail address ({e})"),
            )
        })?;
        Ok(Self {
            transport: builder.build(),
            from,
            server: format!("{host}:{port}"),
            retry: Retry::default(),
            site: DEFAULT_SITE.to_owned(),
        })
    }

    /// The same mailer with links in messages pointing at `site`, the server's public URL
    /// (`https://rota.example.com`).
    pub fn with_site(mut self, site: &str) -> Self {
        site.trim_end_matches('/').clone_into(&mut self.site);
        self
    }

    /// The same mailer with another retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// `host:port` of the relay.
    pub fn server(&self) -> &str {
        &self.server
    }
}

#[derive(Debug, FromRow)]
struct Due {
    id: i64,
    company_id: i64,
    recipient_user_id: Option<i64>,
    recipient_address: String,
    subject: String,
    text_body: String,
    html_body: Option<String>,
    created_at: i64,
    attempts: i64,
}

/// What one pass did.
struct Pass {
    /// Rows that were due when it looked.
    due: usize,
    sent: usize,
}

/// Sends what is due now, once each, and returns how many were sent. The worker calls
/// this on a timer; tests call it to deliver without waiting.
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> Result<usize> {
    Ok(pass(db, mailer).await?.sent)
}

/// Delivers the outbox for as long as the process runs, every `every` when idle.
pub async fn run(db: Db, mailer: Mailer, every: Duration) {
    tracing::info!(server = mailer.server(), "mail worker started");
    loop {
        match pass(&db, &mailer).await {
            Ok(pass) if pass.due as i64 >= BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "mail worker: a pass failed; trying again"),
        }
        tokio::time::sleep(every).await;
    }
}

/// The assignments that, for a message holding a secret, replace its bodies by the text
/// bound at `$n` ([`super::SECRET_SENT`]); other messages keep theirs.
fn forget_secret(n: usize) -> String {
    format!(
        "text_body = CASE WHEN holds_secret = 1 THEN ${n} ELSE text_body END, \
         html_body = CASE WHEN holds_secret = 1 THEN NULL ELSE html_body END"
    )
}

async fn pass(db: &Db, mailer: &Mailer) -> Result<Pass> {
    let due: Vec<Due> = sqlx::query_as(
        "SELECT id, company_id, recipient_user_id, recipient_address, subject, text_body, html_body, created_at, attempts FROM outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now())
    .bind(BATCH)
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for row in &due {
        if !QUEUE.claim(db, row.id, row.attempts).await? {
            continue;
        }
        match send(mailer, row).await {
            Ok(()) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE outbox SET sent_at = $1, {} WHERE id = $2",
                    forget_secret(3)
                )))
                .bind(now())
                .bind(row.id)
                .bind(super::SECRET_SENT)
                .execute(db.pool())
                .await?;
                sent += 1;
            }
            Err(failure) => record_failure(db, mailer, row, failure).await?,
        }
    }
    Ok(Pass {
        due: due.len(),
        sent,
    })
}

/// Why a send failed, and whether trying again could help.
struct Failure {
    error: String,
    permanent: bool,
}

async fn send(mailer: &Mailer, row: &Due) -> Result<(), Failure> {
    let permanent = |error: String| Failure {
        error,
        permanent: true,
    };
    let to: Mailbox = row
        .recipient_address
        .parse()
        .map_err(|e| permanent(format!("recipient address: {e}")))?;
    // One Message-ID per row, the same on every attempt, so that a message sent twice (a
    // worker died before recording the first send) can be recognised as one.
    let message_id = format!(
        "<{}.{}.outbox@{}>",
        row.id,
        row.created_at,
        mailer.from.email.domain()
    );
    let builder = lettre::Message::builder()
        .message_id(Some(message_id))
        .from(mailer.from.clone())
        .to(to)
        .subject(&row.subject);
    let text = super::resolve_links(&row.text_body, &mailer.site);
    let message = match &row.html_body {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            text,
            super::resolve_links(html, &mailer.site),
        )),
        None => builder.singlepart(SinglePart::plain(text)),
    }
    .map_err(|e| permanent(format!("message: {e}")))?;
    mailer
        .transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| Failure {
            error: format!("SMTP: {e}"),
            permanent: false,
        })
}

async fn record_failure(db: &Db, mailer: &Mailer, row: &Due, failure: Failure) -> Result<()> {
    let attempts = row.attempts + 1;
    let error: String = failure.error.chars().take(1000).collect();
    let stamp = now();
    let next = if failure.permanent {
        None
    } else {
        mailer.retry.next_attempt_at(attempts, stamp)
    };
    match next {
        None => {
            tracing::error!(
                outbox.id = row.id,
                company.id = row.company_id,
                user.id = row.recipient_user_id,
                attempts,
                error,
                "mail given up; the message stays in the outbox"
            );
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE outbox SET failed_at = $1, last_error = $2, {} WHERE id = $3 AND sent_at IS NULL",
                forget_secret(4)
            )))
            .bind(stamp)
            .bind(&error)
            .bind(row.id)
            .bind(super::SECRET_SENT)
            .execute(db.pool())
            .await?;
        }
        Some(next) => {
            tracing::warn!(
                outbox.id = row.id,
                company.id = row.company_id,
                attempts,
                retry_in_seconds = next - stamp,
                error,
                "mail not sent; will retry"
            );
            sqlx::query("UPDATE outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3 AND sent_at IS NULL")
                .bind(next)
                .bind(&error)
                .bind(row.id)
                .execute(db.pool())
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailer_takes_plain_smtp_urls_only() {
        let mailer =
            Mailer::new("smtp://127.0.0.1:1025", "Rota <rota@example.com>").expect("a mailer");
        assert_eq!(mailer.server(), "127.0.0.1:1025");
        let with_login = Mailer::new("smtp://mail%40acme:p%40ss@relay.internal", "rota@acme.test")
            .expect("a mailer");
        assert_eq!(with_login.server(), "relay.internal:25");
        assert!(
            !format!("{with_login:?}").contains("p@ss"),
            "Debug never shows the password"
        );
        for bad in [
            "smtps://relay.internal",
            "relay.internal:25",
            "smtp://relay.internal?tls=required",
            "smtp:///nohost",
        ] {
            let error = Mailer::new(bad, "rota@acme.test").expect_err(bad);
            assert!(
                matches!(&error, Error::Invalid { field: Some(f), .. } if f == "smtp_url"),
                "{bad}: {error}"
            );
        }
        let error = Mailer::new("smtp://127.0.0.1", "not an address").expect_err("bad sender");
        assert!(
            error.to_string().contains("not an e-mail address"),
            "{error}"
        );
    }
}
