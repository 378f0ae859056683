//! The pure rules of signing in through an API client: the proof of the client secret
//! (`secret` = SHA-512 of the nonce followed by the client secret, sent as hex in either
//! case or as Base64), the `ip_address` the caller claims, and what an exchanged
//! credential may become. No I/O here.

use std::net::IpAddr;

use base64::Engine as _;
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

use crate::access::ScopeSet;
use crate::people::types::UserType;

/// A SHA-512 digest as sent: 64 bytes.
pub type Proof = [u8; 64];

/// Reads a proof sent as 128 hex digits (lower or upper case) or as Base64 (standard or
/// URL-safe, padded or not); `None` when it is neither, or not 64 bytes.
pub fn decode_proof(sent: &str) -> Option<Proof> {
    let sent = sent.trim();
    let bytes = if sent.len() == 128 && sent.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..64)
            .map(|i| {
                sent.get(2 * i..2 * i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()?
    } else {
        let unpadded = sent.trim_end_matches('=');
        [
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ]
        .iter()
        .find_map(|engine| engine.decode(unpadded).ok())?
    };
    bytes.try_into().ok()
}

/// Whether `proof` is SHA-512 of `nonce` followed by `client_secret`, compared in
/// constant time.
pub fn proves(proof: &Proof, nonce: &str, client_secret: &[u8]) -> bool {
    let mut hasher = Sha512::new();
    hasher.update(nonce.as_bytes());
    hasher.update(client_secret);
    hasher.finalize().as_slice().ct_eq(proof).into()
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Whether the `ip_address` a caller sends is the address its request comes from, as Rota
/// sees it (trusted proxies honoured). An unknown address matches nothing.
pub fn is_own_address(claimed: &str, seen: Option<IpAddr>) -> bool {
    match (claimed.trim().parse::<IpAddr>(), seen) {
        (Ok(claimed), Some(seen)) => canonical(claimed) == canonical(seen),
        _ => false,
    }
}

/// Whether a credential that acts with `held_role` and `held_scopes` may be exchanged for
/// a token that acts with `minted_role` and `minted_scopes`: never for more than it holds.
pub fn may_exchange(
    held_role: UserType,
    held_scopes: &ScopeSet,
    minted_role: UserType,
    minted_scopes: &ScopeSet,
) -> bool {
    minted_role <= held_role && held_scopes.covers(minted_scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-512("abc"), the FIPS 180-2 example.
    const ABC: &str = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                       2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    #[test]
    fn a_proof_is_read_from_hex_of_either_case_or_base64() {
        let lower = decode_proof(ABC).unwrap();
        assert_eq!(decode_proof(&ABC.to_uppercase()), Some(lower));
        let standard = base64::engine::general_purpose::STANDARD.encode(lower);
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(lower);
        assert_eq!(decode_proof(&standard), Some(lower));
        assert_eq!(decode_proof(&url_safe), Some(lower));
        assert_eq!(decode_proof(&format!(" {ABC}\n")), Some(lower));
        assert_eq!(decode_proof(&ABC[..126]), None, "too short");
        assert_eq!(decode_proof("not a digest"), None);
        assert_eq!(decode_proof(""), None);
    }

    #[test]
    fn the_proof_is_sha512_of_the_nonce_followed_by_the_secret() {
        let proof = decode_proof(ABC).unwrap();
        assert!(proves(&proof, "a", b"bc"));
        assert!(proves(&proof, "ab", b"c"));
        assert!(proves(&proof, "", b"abc"));
        assert!(!proves(&proof, "bc", b"a"), "secret then nonce");
        assert!(!proves(&proof, "a", b"bd"));
    }

    #[test]
    fn the_claimed_address_must_be_the_one_seen() {
        let seen = Some("203.0.113.7".parse().unwrap());
        assert!(is_own_address("203.0.113.7", seen));
        assert!(is_own_address(" 203.0.113.7 ", seen));
        assert!(is_own_address(
            "::ffff:203.0.113.7",
            Some("203.0.113.7".parse().unwrap())
        ));
        assert!(is_own_address(
            "2001:db8::1",
            Some("2001:db8::1".parse().unwrap())
        ));
        assert!(!is_own_address("203.0.113.8", seen));
        assert!(!is_own_address("localhost", seen));
        assert!(!is_own_address("203.0.113.7", None));
    }

    #[test]
    fn an_exchange_never_gains_a_role_or_a_scope() {
        let scopes = |names: &[&str]| {
            ScopeSet::parse(
                "scopes",
                &names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            )
            .unwrap()
        };
        let all = scopes(&["people:write", "leave:write"]);
        let read = scopes(&["people:read", "leave:read"]);
        assert!(may_exchange(
            UserType::SuperUser,
            &all,
            UserType::SuperUser,
            &all
        ));
        assert!(may_exchange(
            UserType::SuperUser,
            &all,
            UserType::Staff,
            &read
        ));
        assert!(!may_exchange(
            UserType::Staff,
            &all,
            UserType::SuperUser,
            &all
        ));
        assert!(!may_exchange(
            UserType::SuperUser,
            &read,
            UserType::SuperUser,
            &all
        ));
    }
}
