//! Signing secrets at rest. Rota must hold a webhook's secret itself to sign with it, so
//! it cannot keep a digest as it does for credentials it only checks. When the operator
//! gives a key (`ROTA_SECRET_KEY`, 32 bytes as 64 hex digits), secrets are sealed with
//! ChaCha20-Poly1305 under it, bound to their company, and stored as `enc1:<base64>`; a
//! copy of the database alone then reveals none. Without a key they are stored as issued.
//! A secret stored as issued stays readable after a key is configured (it is sealed when
//! next rotated); a sealed one needs the key it was sealed with.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use rand::RngCore;

use crate::error::{Error, Result};

/// What a sealed secret starts with.
const SEALED: &str = "enc1:";
const NONCE_LENGTH: usize = 12;

/// The key webhook secrets are sealed with.
#[derive(Clone)]
pub struct SecretKey(Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// A key from 64 hex digits (`openssl rand -hex 32`).
    pub fn from_hex(text: &str) -> Result<Self> {
        let text = text.trim();
        let invalid = || {
            Error::invalid(
                "secret_key",
                "the secret key must be 32 bytes written as 64 hex digits (openssl rand -hex 32)",
            )
        };
        if text.len() != 64 || !text.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            let pair = text.get(2 * i..2 * i + 2).ok_or_else(invalid)?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| invalid())?;
        }
        Ok(Self(Key::from(bytes)))
    }
}

/// What binds a sealed secret to its company, so it cannot be moved to another's row.
fn context(company_id: i64) -> String {
    format!("rota webhook secret, company {company_id}")
}

/// The form `secret` is stored in: sealed under `key`, or as issued without one.
pub fn seal(key: Option<&SecretKey>, company_id: i64, secret: &str) -> Result<String> {
    let Some(SecretKey(key)) = key else {
        return Ok(secret.to_owned());
    };
    let mut nonce = [0u8; NONCE_LENGTH];
    rand::rng().fill_bytes(&mut nonce);
    let aad = context(company_id);
    let sealed = ChaCha20Poly1305::new(key)
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: secret.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::Internal("sealing a webhook secret failed".into()))?;
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    Ok(format!("{SEALED}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The secret `stored` holds. A sealed one needs the key it was sealed with.
pub fn open(key: Option<&SecretKey>, company_id: i64, stored: &str) -> Result<String> {
    let Some(sealed) = stored.strip_prefix(SEALED) else {
        return Ok(stored.to_owned());
    };
    let unusable = |why: &str| {
        Error::Internal(
            format!("the webhook's signing secret cannot be read: {why}; rotate the secret or configure the ROTA_SECRET_KEY it was sealed with").into(),
        )
    };
    let Some(SecretKey(key)) = key else {
        return Err(unusable(
            "it is sealed and no ROTA_SECRET_KEY is configured",
        ));
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(sealed)
        .map_err(|_| unusable("it is damaged"))?;
    if bytes.len() < NONCE_LENGTH {
        return Err(unusable("it is damaged"));
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LENGTH);
    let aad = context(company_id);
    let plain = ChaCha20Poly1305::new(key)
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| unusable("it was sealed with another key"))?;
    String::from_utf8(plain).map_err(|_| unusable("it is damaged"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(digit: char) -> SecretKey {
        SecretKey::from_hex(&digit.to_string().repeat(64)).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_company_only() {
        let sealed = seal(Some(&key('a')), 7, "rota_whsec_abc").unwrap();
        assert!(
            sealed.starts_with(SEALED) && !sealed.contains("abc"),
            "{sealed}"
        );
        assert_ne!(
            sealed,
            seal(Some(&key('a')), 7, "rota_whsec_abc").unwrap(),
            "fresh nonce"
        );
        assert_eq!(open(Some(&key('a')), 7, &sealed).unwrap(), "rota_whsec_abc");
        assert!(open(Some(&key('b')), 7, &sealed).is_err(), "another key");
        assert!(
            open(Some(&key('a')), 8, &sealed).is_err(),
            "another company"
        );
        let error = open(None, 7, &sealed).unwrap_err().to_string();
        assert!(error.contains("ROTA_SECRET_KEY"), "{error}");
        assert!(open(Some(&key('a')), 7, "enc1:!!").is_err());
    }

    #[test]
    fn without_a_key_secrets_are_kept_as_issued_and_still_read_with_one() {
        assert_eq!(seal(None, 7, "rota_whsec_abc").unwrap(), "rota_whsec_abc");
        assert_eq!(
            open(Some(&key('a')), 7, "rota_whsec_abc").unwrap(),
            "rota_whsec_abc"
        );
    }

    #[test]
    fn keys_are_64_hex_digits_and_never_shown() {
        assert!(SecretKey::from_hex(&"0f".repeat(32)).is_ok());
        for bad in [
            "",
            "abc",
            &"g".repeat(64),
            &"a".repeat(66),
            &"+a".repeat(32),
        ] {
            assert!(SecretKey::from_hex(bad).is_err(), "{bad}");
        }
        assert_eq!(format!("{:?}", key('a')), "SecretKey(<redacted>)");
    }
}
