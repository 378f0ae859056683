//! Signing secrets at rest. Rota must hold a webhook's secret itself to sign with it, so
//! it cannot keep a digest as it does for credentials it only checks. With the server's
//! secret key (see [`crate::sealing`]: configured, or the key file beside a SQLite
//! database) secrets are sealed under it, bound to their company; a copy of the database
//! alone then reveals none. A PostgreSQL server without a configured key stores them as
//! issued. A secret stored as issued stays readable after a key is configured (it is
//! sealed when next rotated); a sealed one needs the key it was sealed with.

use crate::error::{Error, Result};
use crate::sealing::{self, SecretKey};

/// What binds a sealed secret to its company, so it cannot be moved to another's row.
fn context(company_id: i64) -> String {
    format!("rota-webhook-secret:{company_id}")
}

/// The form `secret` is stored in: sealed under `key`, or as issued without one.
pub fn seal(key: Option<&SecretKey>, company_id: i64, secret: &str) -> Result<String> {
    match key {
        Some(key) => key.seal(&context(company_id), secret.as_bytes()),
        None => Ok(secret.to_owned()),
    }
}

/// The secret `stored` holds. A sealed one needs the key it was sealed with.
pub fn open(key: Option<&SecretKey>, company_id: i64, stored: &str) -> Result<String> {
    if !sealing::is_sealed(stored) {
        return Ok(stored.to_owned());
    }
    let unusable = |why: &str| {
        Error::Internal(
            format!("the webhook's signing secret cannot be read: {why}; rotate the secret or configure the ROTA_SECRET_KEY it was sealed with").into(),
        )
    };
    let key = key.ok_or_else(|| unusable("it is sealed and no secret key is configured"))?;
    let plain = key
        .open(&context(company_id), stored)
        .map_err(|_| unusable("it was sealed with another key, or is damaged"))?;
    String::from_utf8(plain).map_err(|_| unusable("it is damaged"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_company_only() {
        let key = SecretKey::random();
        let sealed = seal(Some(&key), 7, "rota_whsec_abc").unwrap();
        assert!(
            sealing::is_sealed(&sealed) && !sealed.contains("abc"),
            "{sealed}"
        );
        assert_eq!(open(Some(&key), 7, &sealed).unwrap(), "rota_whsec_abc");
        assert!(
            open(Some(&SecretKey::random()), 7, &sealed).is_err(),
            "another key"
        );
        assert!(open(Some(&key), 8, &sealed).is_err(), "another company");
        let error = open(None, 7, &sealed).unwrap_err().to_string();
        assert!(error.contains("ROTA_SECRET_KEY"), "{error}");
    }

    #[test]
    fn without_a_key_secrets_are_kept_as_issued_and_still_read_with_one() {
        assert_eq!(seal(None, 7, "rota_whsec_abc").unwrap(), "rota_whsec_abc");
        assert_eq!(
            open(Some(&SecretKey::random()), 7, "rota_whsec_abc").unwrap(),
            "rota_whsec_abc"
        );
    }
}
