//! The signature on every delivery, `Rota-Signature: t=<unix seconds>,v1=<hex>`, where the
//! hex is HMAC-SHA256 keyed with the subscription's secret (its text, as UTF-8) over
//! `"<t>.<body>"`. The timestamp inside the signed text lets a receiver refuse replays of
//! old deliveries; `v1` names the scheme so that another can be added beside it later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header the signature travels in.
pub const HEADER: &str = "Rota-Signature";

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    #[expect(clippy::unwrap_used, reason = "HMAC accepts keys of any length")]
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `Rota-Signature` value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", crate::secret::hex(&digest))
}

/// Whether `header` is a valid signature of `body` under `secret`, made no more than
/// `tolerance_seconds` from `now`: what a receiver written in Rust would check. Any `v1`
/// entry may match (a header may carry several while secrets change).
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance_seconds: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.push(value),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    if now.abs_diff(timestamp) > tolerance_seconds.unsigned_abs() {
        return false;
    }
    signatures.iter().any(|hex| {
        decode_hex(hex)
            .is_some_and(|bytes| mac(secret, timestamp, body).verify_slice(&bytes).is_ok())
    })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_matches_the_published_recipe() {
        // HMAC-SHA256("whsec", "1700000000.{}") computed independently (Python's hmac).
        assert_eq!(
            sign("whsec", 1_700_000_000, b"{}"),
            "t=1700000000,v1=7d44587dddbaf4c7f70fef20f48cd594834ffea1641e3ac227b84408298738af"
        );
    }

    #[test]
    fn a_signature_verifies_only_for_its_secret_body_and_time() {
        let header = sign("s3cret", 1000, b"{\"a\":1}");
        assert!(verify("s3cret", &header, b"{\"a\":1}", 1100, 300));
        assert!(!verify("other", &header, b"{\"a\":1}", 1100, 300));
        assert!(!verify("s3cret", &header, b"{\"a\":2}", 1100, 300));
        assert!(
            !verify("s3cret", &header, b"{\"a\":1}", 2000, 300),
            "too old"
        );
        assert!(
            !verify("s3cret", "v1=00", b"{\"a\":1}", 1000, 300),
            "no time"
        );
        assert!(!verify("s3cret", "t=1000,v1=zz", b"{\"a\":1}", 1000, 300));
        let rotated = format!("{},v1={}", header, "00".repeat(32));
        assert!(verify("s3cret", &rotated, b"{\"a\":1}", 1000, 300));
    }
}
