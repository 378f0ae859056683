//! Time-based one-time passwords (RFC 6238) as authenticator apps know them: HMAC-SHA1,
//! six digits, a 30-second step, one step of drift either way. Pure functions: the
//! caller supplies the clock and the last step it accepted, and stores the step returned.

use rand::RngCore;
use totp_rs::{Algorithm, Builder, Totp};

use crate::error::{Error, Result};

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// Digits in a code.
pub const DIGITS: usize = 6;
/// Steps accepted either side of the current one, for clock drift and typing time.
const DRIFT_STEPS: i64 = 1;
/// Seed length: 160 bits, as RFC 4226 recommends.
const SEED_BYTES: usize = 20;
/// What the authenticator app shows above the account.
const ISSUER: &str = "Rota";

/// A fresh random TOTP seed.
pub fn new_seed() -> Vec<u8> {
    let mut seed = vec![0u8; SEED_BYTES];
    rand::rng().fill_bytes(&mut seed);
    seed
}

/// The time step an instant (Unix seconds) falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

fn generator(seed: &[u8], account: &str) -> Result<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS as u8)
        .with_step_duration(STEP_SECONDS as u64)
        // Drift is handled in `accepted_step`, one step at a time, to skip used steps.
        .with_skew(0)
        .with_secret(seed.to_vec())
        .with_issuer(Some(ISSUER))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| Error::Internal(format!("TOTP setup failed: {e}").into()))
}

/// Whether `code` looks like a code at all: exactly six ASCII digits.
pub fn well_formed(code: &str) -> bool {
    code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())
}

/// The step `code` is valid for at `now`, within the drift, if that step is later than
/// `last_used_step`; `None` for a wrong code and for a code already used (a replay).
/// Compared in constant time by the TOTP library.
pub fn accepted_step(
    seed: &[u8],
    code: &str,
    now: i64,
    last_used_step: i64,
) -> Result<Option<i64>> {
    if !well_formed(code) {
        return Ok(None);
    }
    let totp = generator(seed, "")?;
    let current = step_at(now);
    Ok(((current - DRIFT_STEPS)..=(current + DRIFT_STEPS))
        .filter(|step| *step > last_used_step && *step >= 0)
        .find(|step| totp.check(code, (*step * STEP_SECONDS) as u64).is_some()))
}

/// The `otpauth://totp/…` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(seed: &[u8], account: &str) -> Result<String> {
    generator(seed, account)?
        .to_url()
        .map_err(|e| Error::Internal(format!("otpauth URI failed: {e}").into()))
}

/// The seed as authenticator apps take it when typed: RFC 4648 base32, no padding.
pub fn base32(seed: &[u8]) -> String {
    totp_rs::Secret::from(seed.to_vec()).to_base32()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (seed "12345678901234567890"), in their last six
    /// digits: a six-digit code is the eight-digit one modulo 10^6.
    const RFC_VECTORS: [(i64, &str); 6] = [
        (59, "287082"),
        (1_111_111_109, "081804"),
        (1_111_111_111, "050471"),
        (1_234_567_890, "005924"),
        (2_000_000_000, "279037"),
        (20_000_000_000, "353130"),
    ];
    const RFC_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn the_rfc_6238_vectors_are_accepted_at_their_instants() {
        for (time, code) in RFC_VECTORS {
            assert_eq!(
                accepted_step(RFC_SEED, code, time, -1).unwrap(),
                Some(step_at(time)),
                "at {time}"
            );
        }
    }

    #[test]
    fn one_step_of_drift_is_tolerated_two_are_not() {
        let (time, code) = RFC_VECTORS[1];
        let step = step_at(time);
        assert_eq!(
            accepted_step(RFC_SEED, code, time + 30, -1).unwrap(),
            Some(step)
        );
        assert_eq!(
            accepted_step(RFC_SEED, code, time - 30, -1).unwrap(),
            Some(step)
        );
        assert_eq!(accepted_step(RFC_SEED, code, time + 60, -1).unwrap(), None);
        assert_eq!(accepted_step(RFC_SEED, code, time - 60, -1).unwrap(), None);
    }

    #[test]
    fn a_code_is_never_accepted_for_a_step_already_used() {
        let (time, code) = RFC_VECTORS[2];
        let step = accepted_step(RFC_SEED, code, time, -1).unwrap().unwrap();
        assert_eq!(accepted_step(RFC_SEED, code, time, step).unwrap(), None);
        assert_eq!(accepted_step(RFC_SEED, code, time, step + 1).unwrap(), None);
    }

    #[test]
    fn wrong_and_malformed_codes_are_refused() {
        let (time, _) = RFC_VECTORS[3];
        for code in [
            "000000", "12345", "1234567", "12345a", "+12345", " 05924", "",
        ] {
            assert_eq!(
                accepted_step(RFC_SEED, code, time, -1).unwrap(),
                None,
                "{code:?}"
            );
        }
    }

    #[test]
    fn the_uri_carries_the_seed_in_base32_and_the_account() {
        let uri = otpauth_uri(RFC_SEED, "ann@example.test").unwrap();
        assert_eq!(base32(RFC_SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert!(
            uri.starts_with("otpauth://totp/Rota:ann%40example.test?"),
            "{uri}"
        );
        assert!(
            uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{uri}"
        );
        assert!(uri.contains("issuer=Rota"), "{uri}");
    }

    #[test]
    fn seeds_are_fresh_160_bit_values() {
        assert_eq!(new_seed().len(), 20);
        assert_ne!(new_seed(), new_seed());
    }
}
