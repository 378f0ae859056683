//! Nonces for the clients that require them: every call (and every token request) carries
//! a `nonce` of at least 128 bits and a `timestamp` within ±300 s of the server's clock.
//! A nonce is accepted once per client: it is written to the database, where it stays for
//! twice the window, so a replay is refused after a restart and by every other Rota
//! process on the same database. Past that, the timestamp alone refuses it.
//!
//! A nonce that signs a client secret (WhosOff's authenticate: `secret` is SHA-512 of the
//! nonce and the client secret) comes with no timestamp, so nothing but the store can
//! refuse its replay: it is remembered for as long as the secret it signed can still be
//! proved, that is until the secret is regenerated (and its overlap window has passed).

use base64::Engine as _;

use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};

/// How far a call's timestamp may stray from the server's clock, in seconds.
pub const WINDOW_SECONDS: i64 = 300;

/// The fewest random bytes a nonce must carry: 128 bits.
const MIN_NONCE_BYTES: usize = 16;

/// Longest nonce accepted, in characters.
const MAX_NONCE_LEN: usize = 256;

fn refused(code: &'static str, message: impl Into<String>) -> Error {
    Error::Unauthenticated {
        code,
        message: message.into().into(),
    }
}

/// How many bytes `nonce` encodes, read as hex or as base64 (standard or URL-safe, padded
/// or not); `None` when it is neither.
fn encoded_bytes(nonce: &str) -> Option<usize> {
    if nonce.len().is_multiple_of(2) && nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(nonce.len() / 2);
    }
    let unpadded = nonce.trim_end_matches('=');
    [
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ]
    .iter()
    .find_map(|engine| engine.decode(unpadded).ok())
    .map(|bytes| bytes.len())
}

/// Checks the shape of a nonce: hex or base64 of at least 128 bits.
pub fn check_shape(nonce: &str) -> Result<()> {
    let long_enough = nonce.len() <= MAX_NONCE_LEN
        && encoded_bytes(nonce).is_some_and(|bytes| bytes >= MIN_NONCE_BYTES);
    if !long_enough {
        return Err(refused(
            code::INVALID_NONCE,
            "the nonce header must be at least 128 random bits, as hex (32+ digits) or base64",
        ));
    }
    Ok(())
}

/// Reads a timestamp as Unix seconds or an RFC 3339 instant.
fn parse_timestamp(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().or_else(|| {
        text.trim()
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.as_second())
    })
}

/// Checks that a timestamp is within the window of `at`.
pub fn check_timestamp(timestamp: &str, at: i64) -> Result<()> {
    let Some(sent) = parse_timestamp(timestamp) else {
        return Err(refused(
            code::STALE_TIMESTAMP,
            "the timestamp header must be Unix seconds or an RFC 3339 instant",
        ));
    };
    if (at - sent).abs() > WINDOW_SECONDS {
        return Err(refused(
            code::STALE_TIMESTAMP,
            format!("the timestamp is more than {WINDOW_SECONDS} s away from the server's clock"),
        ));
    }
    Ok(())
}

/// Until when a nonce that signed the current secret is remembered: until the secret is
/// regenerated, which sets the real date ([`retire_signed`]).
const WHILE_THE_SECRET_LASTS: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

/// The shortest and longest nonce that signs a secret, in characters.
const SIGNING_NONCE_CHARS: std::ops::RangeInclusive<usize> = 8..=256;

/// Checks the shape of a nonce that signs a secret: any text of 8 to 256 characters
/// without control characters (WhosOff asks only for "any random string").
pub fn check_signing_shape(nonce: &str) -> Result<()> {
    if !SIGNING_NONCE_CHARS.contains(&nonce.chars().count()) || nonce.chars().any(char::is_control)
    {
        return Err(refused(
            code::INVALID_NONCE,
            "the nonce must be 8 to 256 characters without control characters, new for every request",
        ));
    }
    Ok(())
}

/// Records `nonce` for `client_id` until `expires_at`; refused when the client used it before.
async fn record(
    db: &Db,
    company_id: i64,
    client_id: i64,
    nonce: &str,
    expires_at: i64,
) -> Result<()> {
    let recorded = sqlx::query(
        "INSERT INTO api_nonces (company_id, client_id, nonce, expires_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (company_id, client_id, nonce) DO NOTHING",
    )
    .bind(company_id)
    .bind(client_id)
    .bind(nonce)
    .bind(expires_at)
    .execute(db.pool())
    .await?
    .rows_affected();
    if recorded == 0 {
        return Err(refused(
            code::NONCE_REPLAYED,
            "this nonce was used before by this client",
        ));
    }
    Ok(())
}

/// Accepts a nonce that signed the client's secret once: checks its shape and records it
/// for as long as that secret lasts (`secret_expires_at`: the end of the overlap window
/// for the previous secret, `None` for the current one).
pub async fn accept_signing(
    db: &Db,
    company_id: i64,
    client_id: i64,
    nonce: &str,
    secret_expires_at: Option<i64>,
) -> Result<()> {
    check_signing_shape(nonce)?;
    let until = secret_expires_at.unwrap_or(WHILE_THE_SECRET_LASTS);
    record(db, company_id, client_id, nonce, until).await
}

/// When a client's secret is regenerated: the nonces that signed it are remembered until
/// `until`, when it stops working (now, or the end of the overlap window), and then forgotten.
pub(crate) async fn retire_signed(
    tx: &mut Tx,
    company_id: i64,
    client_id: i64,
    until: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE api_nonces SET expires_at = $1 WHERE company_id = $2 AND client_id = $3 AND expires_at = $4",
    )
    .bind(until)
    .bind(company_id)
    .bind(client_id)
    .bind(WHILE_THE_SECRET_LASTS)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Accepts `nonce` for `client_id` once: checks its shape and timestamp, then records it;
/// a nonce the client has used before is refused.
pub async fn accept(
    db: &Db,
    company_id: i64,
    client_id: i64,
    nonce: Option<&str>,
    timestamp: Option<&str>,
) -> Result<()> {
    let Some(nonce) = nonce else {
        return Err(refused(
            code::INVALID_NONCE,
            "this API client requires a nonce header and a timestamp header on every call",
        ));
    };
    check_shape(nonce)?;
    let stamp = now();
    check_timestamp(timestamp.unwrap_or_default(), stamp)?;
    record(db, company_id, client_id, nonce, stamp + 2 * WINDOW_SECONDS).await
}

/// Forgets nonces past their time; their timestamps would be refused anyway.
pub(crate) async fn forget_expired(db: &Db) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM api_nonces WHERE expires_at < $1")
        .bind(now())
        .execute(db.pool())
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_carries_at_least_128_bits() {
        assert!(check_shape(&"ab".repeat(16)).is_ok());
        assert!(check_shape(&"AB".repeat(16)).is_ok());
        assert!(check_shape("3q2+7wAAAAAAAAAAAAAAAA==").is_ok());
        assert!(check_shape("3q2-7wAAAAAAAAAAAAAAAA").is_ok());
        assert!(check_shape(&"ab".repeat(15)).is_err());
        assert!(check_shape("3q2+7wAAAAAAAAAAAAAA").is_err());
        assert!(check_shape("not a nonce at all, just words").is_err());
        assert!(check_shape(&"a".repeat(300)).is_err());
    }

    #[test]
    fn a_signing_nonce_is_any_short_text_without_control_characters() {
        assert!(check_signing_shape("3F2504E0-4F89-11D3-9A0C-0305E82C3301").is_ok());
        assert!(check_signing_shape("12345678").is_ok());
        assert!(check_signing_shape("nonce for ünïcode").is_ok());
        assert!(check_signing_shape(&"x".repeat(256)).is_ok());
        assert!(check_signing_shape("1234567").is_err());
        assert!(check_signing_shape(&"x".repeat(257)).is_err());
        assert!(check_signing_shape("line\nbreak here").is_err());
        assert!(check_signing_shape("").is_err());
    }

    #[test]
    fn timestamps_stray_at_most_five_minutes() {
        let at = 1_800_000_000;
        assert!(check_timestamp("1800000000", at).is_ok());
        assert!(check_timestamp("1800000300", at).is_ok());
        assert!(check_timestamp("1799999700", at).is_ok());
        assert!(check_timestamp("1800000301", at).is_err());
        assert!(check_timestamp("1799999699", at).is_err());
        assert!(check_timestamp("2027-01-15T08:00:00Z", at).is_ok());
        assert!(check_timestamp("yesterday", at).is_err());
        assert!(check_timestamp("", at).is_err());
    }
}
