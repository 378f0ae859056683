//! Where a webhook may point. A server that sends requests on a tenant's behalf must not
//! become a way into the network it runs in (server-side request forgery), so by default a
//! URL is refused when its host is, or resolves to, an address that is not public:
//! loopback, private (RFC 1918, fc00::/7), link-local, unspecified, broadcast, multicast,
//! carrier-grade NAT, reserved, or an IPv6 form that embeds one of these.
//!
//! The check runs twice. When a subscription is saved, so the admin hears at once; and at
//! every send, through [`PublicOnly`], the resolver the worker's HTTP client uses: it drops
//! every non-public address a name resolves to, so a name that later re-points (DNS
//! rebinding) at an internal address gets nowhere. A literal address in the URL skips DNS
//! and is checked by [`refused_literal`] before the send. Redirects are not followed.
//!
//! Self-hosted setups whose receivers live on the same network turn all of this off with
//! `--allow-private-webhooks` (`ROTA_WEBHOOKS_ALLOW_PRIVATE=true`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ipnet::{Ipv4Net, Ipv6Net};
use url::{Host, Url};

use crate::error::{Error, Result, code};

/// The longest URL a subscription may have.
pub const MAX_URL_LENGTH: usize = 2000;

fn v4(text: &str) -> Option<Ipv4Net> {
    text.parse().ok()
}

/// IPv4 ranges that are not the public internet.
fn refused_v4(ip: Ipv4Addr) -> bool {
    const RANGES: [&str; 12] = [
        "0.0.0.0/8",          // "this network", unspecified
        "10.0.0.0/8",         // private
        "100.64.0.0/10",      // carrier-grade NAT
        "127.0.0.0/8",        // loopback
        "169.254.0.0/16",     // link-local, cloud metadata services
        "172.16.0.0/12",      // private
        "192.0.0.0/24",       // IETF protocol assignments
        "192.168.0.0/16",     // private
        "198.18.0.0/15",      // benchmarking
        "224.0.0.0/4",        // multicast
        "240.0.0.0/4",        // reserved
        "255.255.255.255/32", // broadcast
    ];
    RANGES
        .iter()
        .filter_map(|range| v4(range))
        .any(|net| net.contains(&ip))
}

/// IPv6 ranges that are not the public internet, and the IPv4 address an IPv6 one
/// embeds (mapped, compatible, NAT64, 6to4), which is judged as IPv4.
fn refused_v6(ip: Ipv6Addr) -> bool {
    if let Some(embedded) = ip.to_ipv4_mapped() {
        return refused_v4(embedded);
    }
    let segments = ip.segments();
    // ::a.b.c.d (deprecated "compatible") and 64:ff9b::a.b.c.d (NAT64) carry IPv4 in the
    // last 32 bits; 2002:AABB:CCDD::/48 (6to4) in bits 16–48.
    let tail = Ipv4Addr::new(
        (segments[6] >> 8) as u8,
        segments[6] as u8,
        (segments[7] >> 8) as u8,
        segments[7] as u8,
    );
    if segments[..6] == [0; 6] && !ip.is_unspecified() && !ip.is_loopback() {
        return refused_v4(tail);
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return refused_v4(tail);
    }
    if segments[0] == 0x2002 {
        let six_to_four = Ipv4Addr::new(
            (segments[1] >> 8) as u8,
            segments[1] as u8,
            (segments[2] >> 8) as u8,
            segments[2] as u8,
        );
        return refused_v4(six_to_four);
    }
    const RANGES: [&str; 6] = [
        "::/128",    // unspecified
        "::1/128",   // loopback
        "fc00::/7",  // unique local
        "fe80::/10", // link-local
        "fec0::/10", // site-local (deprecated)
        "ff00::/8",  // multicast
    ];
    RANGES
        .iter()
        .filter_map(|range| range.parse::<Ipv6Net>().ok())
        .any(|net| net.contains(&ip))
}

/// Whether `ip` is on the public internet, where a webhook may go by default.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => !refused_v4(ip),
        IpAddr::V6(ip) => !refused_v6(ip),
    }
}

fn not_allowed(message: String) -> Error {
    Error::Invalid {
        code: code::WEBHOOK_URL_NOT_ALLOWED,
        message: message.into(),
        field: Some("url".into()),
    }
}

/// Parses a subscription's URL: absolute http or https, with a host, without credentials
/// (they would show in every listing) and without a fragment.
pub fn parse_url(text: &str) -> Result<Url> {
    let text = text.trim();
    if text.len() > MAX_URL_LENGTH {
        return Err(Error::invalid(
            "url",
            format!("url is longer than {MAX_URL_LENGTH} characters"),
        ));
    }
    let url = Url::parse(text)
        .map_err(|e| Error::invalid("url", format!("url is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid("url", "url must start https:// or http://"));
    }
    if url.host().is_none() {
        return Err(Error::invalid("url", "url names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "url",
            "url may not carry credentials; the signature authenticates Rota to the receiver",
        ));
    }
    if url.fragment().is_some() {
        return Err(Error::invalid("url", "url may not have a #fragment"));
    }
    Ok(url)
}

/// The refusal for a URL whose host is a literal address that is not public.
pub fn refused_literal(url: &Url) -> Option<Error> {
    let ip = match url.host()? {
        Host::Domain(_) => return None,
        Host::Ipv4(ip) => IpAddr::V4(ip),
        Host::Ipv6(ip) => IpAddr::V6(ip),
    };
    (!is_public(ip)).then(|| {
        not_allowed(format!(
            "url points at {ip}, which is not a public address; a server operator can allow \
             private addresses with --allow-private-webhooks"
        ))
    })
}

/// Checks, when a subscription is saved, that `url` leads to public addresses only: a
/// literal address must be public, and a name must resolve, to public addresses only.
pub async fn check(url: &Url, allow_private: bool) -> Result<()> {
    if allow_private {
        return Ok(());
    }
    if let Some(refusal) = refused_literal(url) {
        return Err(refusal);
    }
    let Some(Host::Domain(name)) = url.host() else {
        return Ok(());
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((name, port))
        .await
        .map_err(|e| Error::invalid("url", format!("the host {name} does not resolve ({e})")))?
        .collect();
    if addresses.is_empty() {
        return Err(Error::invalid(
            "url",
            format!("the host {name} does not resolve"),
        ));
    }
    if let Some(private) = addresses.iter().find(|a| !is_public(a.ip())) {
        return Err(not_allowed(format!(
            "the host {name} resolves to {}, which is not a public address; a server operator \
             can allow private addresses with --allow-private-webhooks",
            private.ip()
        )));
    }
    Ok(())
}

/// A resolver that answers with a name's public addresses only, and fails when it has none.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| is_public(a.ip()))
                .collect();
            if public.is_empty() {
                let shown: Vec<String> = found.iter().map(|a| a.ip().to_string()).collect();
                return Err(format!(
                    "{name} resolves to no public address ({}); refused",
                    shown.join(", ")
                )
                .into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("an address"))
    }

    #[test]
    fn internal_addresses_are_refused_in_every_spelling() {
        for internal in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
        ] {
            assert!(!public(internal), "{internal} must be refused");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for outside in [
            "93.184.215.14",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(outside), "{outside} is public");
        }
    }

    #[test]
    fn urls_must_be_http_with_a_host_and_no_credentials() {
        assert!(parse_url("https://hooks.example.com/rota?x=1").is_ok());
        assert!(parse_url(" http://example.com ").is_ok());
        for bad in [
            "ftp://example.com/",
            "example.com/hook",
            "https://user:pw@example.com/",
            "https://example.com/#frag",
            "file:///etc/passwd",
        ] {
            let error = parse_url(bad).expect_err(bad);
            assert!(
                matches!(&error, Error::Invalid { field: Some(f), .. } if f == "url"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn literal_internal_addresses_are_refused_however_written() {
        for url in [
            "http://127.0.0.1:8080/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::1]/",
            "http://[::ffff:7f00:1]/",
            "http://169.254.169.254/latest/meta-data",
        ] {
            let url = parse_url(url).expect(url);
            assert!(refused_literal(&url).is_some(), "{url}");
        }
        let url = parse_url("https://203.0.113.10/hook").expect("url");
        assert!(refused_literal(&url).is_none());
    }

    #[tokio::test]
    async fn names_that_resolve_to_loopback_are_refused_unless_allowed() {
        let url = parse_url("http://localhost:9/hook").expect("url");
        let error = check(&url, false).await.expect_err("localhost");
        assert!(
            matches!(
                error,
                Error::Invalid {
                    code: code::WEBHOOK_URL_NOT_ALLOWED,
                    ..
                }
            ),
            "{error}"
        );
        assert!(check(&url, true).await.is_ok());
    }
}
