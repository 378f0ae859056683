//! Where a request comes from.
//!
//! The client's address is the TCP peer. `X-Forwarded-For` is believed only when the peer
//! is one of the configured trusted proxies, and then only as far as the chain stays in
//! trusted hands: the rightmost entry that is not itself a trusted proxy is the client.
//! A client that writes its own `X-Forwarded-For` straight to Rota changes nothing.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use ipnet::IpNet;
use rota_core::access::{Origin, limits};

use crate::AppState;
use crate::error::ApiError;

/// The client's address as far as the configuration lets us know it.
pub fn client_ip(parts: &Parts, trusted_proxies: &[IpNet]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| canonical(address.ip()))?;
    Some(resolve(peer, &parts.headers, trusted_proxies))
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn resolve(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpNet]) -> IpAddr {
    let trusted = |ip: &IpAddr| trusted_proxies.iter().any(|net| net.contains(ip));
    if !trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
            // A garbled entry: nothing to its left can be trusted.
            break;
        };
        client = ip;
        if !trusted(&ip) {
            break;
        }
    }
    client
}

/// Whether the client reached us over TLS: the request itself says `https` (a server that
/// terminates TLS), or a trusted proxy in front says so with `X-Forwarded-Proto: https`.
/// From anyone else the header is ignored, as `X-Forwarded-For` is. The web app marks its
/// cookies `Secure` by this.
pub fn over_tls(parts: &Parts, trusted_proxies: &[IpNet]) -> bool {
    if parts.uri.scheme_str() == Some("https") {
        return true;
    }
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| canonical(address.ip()))
    else {
        return false;
    };
    forwarded_https(peer, &parts.headers, trusted_proxies)
}

fn forwarded_https(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpNet]) -> bool {
    trusted_proxies.iter().any(|net| net.contains(&peer))
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            // A chain of proxies lists one protocol per hop; the first is the client's.
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The client's address, for handlers that record it without a signed-in user.
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Self(client_ip(parts, &state.config.trusted_proxies)))
    }
}

/// Where a sign-in step (a password, an MFA code, a confirmed enrolment) comes from: the
/// client's address and device, for the session and the audit log.
pub struct SignInOrigin {
    pub origin: Origin,
    /// The `User-Agent`, recorded with the session.
    pub device: Option<String>,
}

impl SignInOrigin {
    /// Counts the attempt against its address's sign-in rate limit (429 beyond it).
    pub async fn admit(&self, state: &AppState) -> Result<(), ApiError> {
        let bucket = limits::bucket::login(self.origin.ip);
        limits::take(&state.db, &bucket, state.config.limits.login).await?;
        Ok(())
    }
}

impl FromRequestParts<AppState> for SignInOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Self {
            origin: Origin::from_ip(client_ip(parts, &state.config.trusted_proxies)),
            device: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(items: &[&str]) -> Vec<IpNet> {
        items.iter().map(|s| s.parse().expect("net")).collect()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().expect("header"));
        headers
    }

    #[test]
    fn forwarded_proto_counts_only_from_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", "https".parse().expect("header"));
        let proxy: IpAddr = "127.0.0.1".parse().expect("ip");
        let stranger: IpAddr = "203.0.113.9".parse().expect("ip");
        let trusted = nets(&["127.0.0.1/32"]);
        assert!(forwarded_https(proxy, &headers, &trusted));
        assert!(!forwarded_https(stranger, &headers, &trusted));
        assert!(!forwarded_https(proxy, &HeaderMap::new(), &trusted));
        headers.insert("x-forwarded-proto", "http".parse().expect("header"));
        assert!(!forwarded_https(proxy, &headers, &trusted));
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let peer: IpAddr = "203.0.113.9".parse().expect("ip");
        let ip = resolve(peer, &forwarded("10.1.1.1"), &nets(&["127.0.0.1/32"]));
        assert_eq!(ip, peer);
    }

    #[test]
    fn a_trusted_proxy_chain_yields_the_first_untrusted_hop_from_the_right() {
        let peer: IpAddr = "127.0.0.1".parse().expect("ip");
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let headers = forwarded("6.6.6.6, 198.51.100.4, 10.0.0.2");
        assert_eq!(
            resolve(peer, &headers, &trusted),
            "198.51.100.4".parse::<IpAddr>().expect("ip")
        );
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted), peer);
    }
}
