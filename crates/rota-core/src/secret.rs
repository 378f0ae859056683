//! Secrets: random bearer tokens that are recognisable by their prefix, stored only as a
//! SHA-256 digest; argon2id password hashes, computed off the async runtime with a bound
//! on how many run at once; and [`Secret`], which keeps a secret handed in out of `Debug`.

use std::fmt;
use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// Prefix of a user session token, so a leaked one is recognisable in logs and scanners.
pub const SESSION_PREFIX: &str = "rota_s_";
/// Prefix of an API client secret.
pub const CLIENT_SECRET_PREFIX: &str = "rota_cs_";
/// Prefix of an API access token (15 minutes, from the token endpoint).
pub const ACCESS_TOKEN_PREFIX: &str = "rota_at_";
/// Prefix of a scoped API key.
pub const API_KEY_PREFIX: &str = "rota_k_";
/// Prefix of the short-lived token between a sign-in's password and its second factor.
pub const MFA_TOKEN_PREFIX: &str = "rota_mfa_";
/// Prefix of an MFA recovery code.
pub const RECOVERY_CODE_PREFIX: &str = "rota_rc_";
/// Prefix of the token of a mailed invitation link.
pub const INVITATION_PREFIX: &str = "rota_inv_";
/// Prefix of the token of a mailed password-reset link.
pub const RESET_PREFIX: &str = "rota_pw_";

/// A secret handed in: a password, a client secret, a token, a key or a URL holding a
/// password. Its `Debug` prints `"[redacted]"`, so the derived `Debug` of an input or
/// config struct, a log line or a panic message never shows it; the value is read only
/// through [`Secret::expose`], in the one place that needs it. It deserialises from a
/// plain string and is deliberately not `Serialize`: it cannot slip into a response.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A secret Rota issues and shows once: a session token, a client secret, an API key, a
/// TOTP seed, recovery codes. It is serialised into the one answer that shows it, and its
/// `Debug` prints `"[redacted]"`, so a logged answer or struct never shows it. A type apart
/// from [`Secret`], so that nothing handed in can be serialised by mistake.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Issued(String);

impl Issued {
    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

impl From<String> for Issued {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// For flags and environment variables (clap).
impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}

/// A fresh public App ID: `rota_app_` and 128 random bits in hex. Not a secret.
pub fn new_app_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("rota_app_{}", hex(&bytes))
}

/// Whether `presented` hashes to `stored_digest`, compared in constant time.
pub fn digest_matches(presented: &str, stored_digest: &str) -> bool {
    let computed = token_digest(presented);
    subtle::ConstantTimeEq::ct_eq(computed.as_bytes(), stored_digest.as_bytes()).into()
}

/// A fresh 256-bit random token, URL-safe, behind `prefix`.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The digest a token is stored and looked up by.
pub fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// OWASP's argon2id floor: 19 MiB, two passes, one lane.
fn argon2() -> Argon2<'static> {
    #[expect(
        clippy::unwrap_used,
        reason = "constant parameters, checked by a unit test"
    )]
    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// At most two hashes at once per process: enough to use both cores, not enough for a
/// burst of logins to exhaust memory.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|_| Error::Internal("hashing pool closed".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("hashing task failed: {e}").into()))
}

/// Hashes a password with argon2id and a random salt, in PHC string form.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}").into()))
    })
    .await?
}

/// Checks a password against a stored PHC hash; a malformed hash never matches.
pub async fn verify_password(password: &str, hash: &str) -> Result<bool> {
    let password = password.to_owned();
    let hash = hash.to_owned();
    bounded(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// A hash that no password matches, verified against when the e-mail is unknown so that
/// a wrong address and a wrong password take the same time.
pub static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(b"decoy password nobody has", &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_prefix_and_256_bits() {
        let token = new_token(SESSION_PREFIX);
        assert!(token.starts_with(SESSION_PREFIX));
        assert_eq!(token.len(), SESSION_PREFIX.len() + 43);
        assert_ne!(token, new_token(SESSION_PREFIX));
    }

    #[test]
    fn a_secret_never_shows_in_debug_and_reads_from_a_plain_string() {
        #[derive(Debug, serde::Deserialize)]
        struct Input {
            #[expect(dead_code, reason = "read through Debug only")]
            password: Secret,
        }
        let input: Input = serde_json::from_str(r#"{"password": "hunter2 hunter2"}"#).unwrap();
        assert_eq!(format!("{input:?}"), r#"Input { password: "[redacted]" }"#);
        assert_eq!(format!("{:#?}", Secret::from("hunter2")), r#""[redacted]""#);
        let parsed: Secret = "hunter2".parse().unwrap();
        assert_eq!(parsed.expose(), "hunter2");
    }

    #[test]
    fn an_issued_secret_is_serialised_as_its_text_and_never_shown_in_debug() {
        let issued = Issued::from(new_token(SESSION_PREFIX));
        assert_eq!(
            serde_json::to_value(&issued).unwrap(),
            serde_json::json!(issued.expose())
        );
        assert_eq!(format!("{issued:?}"), r#""[redacted]""#);
    }

    #[test]
    fn digests_are_stable_hex() {
        assert_eq!(token_digest("abc").len(), 64);
        assert_eq!(token_digest("abc"), token_digest("abc"));
    }

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password("correct horse battery", &hash)
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse battery", &hash).await.unwrap());
        assert!(!verify_password("anything", "not a hash").await.unwrap());
    }
}
