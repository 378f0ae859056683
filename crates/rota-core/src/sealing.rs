//! Secrets Rota must read back (TOTP seeds, webhook signing secrets) sealed at rest with
//! XChaCha20-Poly1305 under the server's secret key, with a fresh random nonce each time
//! and a context naming what and whose the secret is as associated data, so a sealed
//! value copied onto another row does not open.
//!
//! The key comes from `--secret-key` / `ROTA_SECRET_KEY` (32 bytes in base64 or hex), or,
//! for a SQLite database with none configured, from a key file beside the database that
//! the first start creates (mode 0600) and later starts reuse.

use std::fmt;
use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

use crate::error::{Error, Result};

const NONCE_BYTES: usize = 24;
/// Marks the format of a sealed value, so a later scheme can sit beside this one.
const VERSION: &str = "v1:";

/// The server's 256-bit secret key. Its `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// Why a configured key was refused.
#[derive(Debug, thiserror::Error)]
#[error("the secret key must be 32 bytes written as base64 (44 characters) or hex (64 characters)")]
pub struct BadKey;

impl SecretKey {
    /// A fresh random key.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// Reads a key written as 64 hex digits or as base64 (standard or URL-safe).
    pub fn parse(text: &str) -> Result<Self, BadKey> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2).unwrap_or(""), 16))
                .collect::<Result<Vec<u8>, _>>()
                .map_err(|_| BadKey)?
        } else {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
                .map_err(|_| BadKey)?
        };
        bytes.try_into().map(Self).map_err(|_| BadKey)
    }

    /// The key in the form [`SecretKey::parse`] reads and key files hold: standard base64.
    fn encode(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// The key in `path`, or a new one written there (readable by the owner only) when
    /// the file does not exist. `Ok((key, true))` when the key was created.
    pub fn load_or_create(path: &Path) -> std::io::Result<(Self, bool)> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                let key = Self::random();
                writeln!(file, "{}", key.encode())?;
                file.sync_all()?;
                Ok((key, true))
            }
            // Another process (or an earlier start) made it: use that one.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path)?;
                let key = Self::parse(&text).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    )
                })?;
                Ok((key, false))
            }
            Err(error) => Err(error),
        }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }

    /// Seals `secret` for `context` (what and whose it is): `v1:` and base64 of nonce and
    /// ciphertext.
    pub fn seal(&self, context: &str, secret: &[u8]) -> Result<String> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher()
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Internal("sealing a secret failed".into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(format!(
            "{VERSION}{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
        ))
    }

    /// Opens a value sealed for `context`; fails for another key, another context or
    /// tampering.
    pub fn open(&self, context: &str, sealed: &str) -> Result<Vec<u8>> {
        let unreadable = || {
            Error::Internal("a stored secret does not open with the configured secret key".into())
        };
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|b64| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(b64)
                    .ok()
            })
            .ok_or_else(unreadable)?;
        let (nonce, ciphertext) = bytes.split_at_checked(NONCE_BYTES).ok_or_else(unreadable)?;
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| unreadable())?;
        self.cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| unreadable())
    }
}

/// Whether a stored value is sealed (rather than kept as issued).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_for_its_context_only() {
        let key = SecretKey::random();
        let sealed = key.seal("seed:1:7", b"twenty bytes of seed").unwrap();
        assert!(is_sealed(&sealed));
        assert!(!is_sealed("rota_whsec_as_issued"));
        assert!(!sealed.contains("twenty"));
        assert_eq!(
            key.open("seed:1:7", &sealed).unwrap(),
            b"twenty bytes of seed"
        );
        assert!(key.open("seed:1:8", &sealed).is_err(), "another context");
        assert!(
            SecretKey::random().open("seed:1:7", &sealed).is_err(),
            "another key"
        );
        assert!(key.open("seed:1:7", "v1:garbage").is_err(), "tampered");
        assert_ne!(
            sealed,
            key.seal("seed:1:7", b"twenty bytes of seed").unwrap(),
            "fresh nonce"
        );
    }

    #[test]
    fn keys_are_read_from_hex_or_base64_of_32_bytes() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let from_hex = SecretKey::parse(hex).unwrap();
        let from_b64 = SecretKey::parse(&from_hex.encode()).unwrap();
        assert_eq!(from_hex.0, from_b64.0);
        assert!(SecretKey::parse("too short").is_err());
        assert!(SecretKey::parse(&"ab".repeat(31)).is_err());
        assert_eq!(format!("{from_hex:?}"), "SecretKey(<redacted>)");
    }

    #[test]
    fn a_key_file_is_made_once_private_and_then_reused() {
        let path = std::env::temp_dir().join(format!("rota-key-{:016x}", rand::random::<u64>()));
        let (made, created) = SecretKey::load_or_create(&path).unwrap();
        let (again, created_again) = SecretKey::load_or_create(&path).unwrap();
        assert!(created && !created_again);
        assert_eq!(made.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_file(&path).unwrap();
    }
}
