//! The pure rules of API access: scopes (`people:read`, `leave:write`, …) and IP
//! allow-lists (addresses and CIDR ranges, IPv4 and IPv6). No I/O here.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use crate::error::{Error, Result};

/// An area of the API a scope grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    People,
    Leave,
    Schedule,
    Time,
    Payroll,
    Reports,
    Compliance,
}

impl Area {
    pub const ALL: [Area; 7] = [
        Area::People,
        Area::Leave,
        Area::Schedule,
        Area::Time,
        Area::Payroll,
        Area::Reports,
        Area::Compliance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::People => "people",
            Area::Leave => "leave",
            Area::Schedule => "schedule",
            Area::Time => "time",
            Area::Payroll => "payroll",
            Area::Reports => "reports",
            Area::Compliance => "compliance",
        }
    }
}

/// Read, or read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    Read,
    Write,
}

/// One grant: an area and how far into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope {
    pub area: Area,
    pub access: Access,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let access = match self.access {
            Access::Read => "read",
            Access::Write => "write",
        };
        write!(f, "{}:{access}", self.area.as_str())
    }
}

impl FromStr for Scope {
    type Err = ();

    fn from_str(text: &str) -> std::result::Result<Self, ()> {
        let (area, access) = text.trim().split_once(':').ok_or(())?;
        let area = Area::ALL
            .into_iter()
            .find(|a| a.as_str() == area)
            .ok_or(())?;
        let access = match access {
            "read" => Access::Read,
            "write" => Access::Write,
            _ => return Err(()),
        };
        Ok(Scope { area, access })
    }
}

/// The scopes of a client or key. `leave:write` implies `leave:read`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(Vec<Scope>);

impl ScopeSet {
    /// Parses scope names, refusing unknown ones (422 on `field`).
    pub fn parse(field: &'static str, names: &[String]) -> Result<Self> {
        let mut scopes = Vec::with_capacity(names.len());
        for name in names {
            let scope: Scope = name.parse().map_err(|()| {
                Error::invalid(
                    field,
                    format!(
                        "unknown scope {name:?}: use <area>:read or <area>:write, areas being \
                         people, leave, schedule, time, payroll, reports, compliance"
                    ),
                )
            })?;
            scopes.push(scope);
        }
        scopes.sort();
        scopes.dedup();
        Ok(Self(scopes))
    }

    /// Reads scopes as stored (a JSON array of names); unknown names are dropped.
    pub fn from_stored(json: &str) -> Self {
        let names: Vec<String> = serde_json::from_str(json).unwrap_or_default();
        Self(names.iter().filter_map(|n| n.parse().ok()).collect())
    }

    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(Scope::to_string).collect()
    }

    pub fn to_stored(&self) -> String {
        serde_json::Value::from(self.names()).to_string()
    }

    /// Whether the set allows `access` to `area`.
    pub fn allows(&self, area: Area, access: Access) -> bool {
        self.0.iter().any(|s| s.area == area && s.access >= access)
    }

    /// Whether the set allows everything `other` does.
    pub fn covers(&self, other: &ScopeSet) -> bool {
        other.0.iter().all(|s| self.allows(s.area, s.access))
    }
}

/// Addresses and ranges allowed to use a credential. Empty admits every address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpAllowList(Vec<IpNet>);

impl IpAllowList {
    /// Parses `203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`, … (422 on `field` otherwise).
    pub fn parse(field: &'static str, entries: &[String]) -> Result<Self> {
        let mut nets = Vec::with_capacity(entries.len());
        for entry in entries {
            let text = entry.trim();
            let net = text
                .parse::<IpNet>()
                .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    Error::invalid(
                        field,
                        format!("{entry:?} is not an IP address or CIDR range"),
                    )
                })?;
            nets.push(net.trunc());
        }
        if nets.len() > 100 {
            return Err(Error::invalid(field, "at most 100 entries"));
        }
        nets.sort();
        nets.dedup();
        Ok(Self(nets))
    }

    /// Reads an allow-list as stored (a JSON array of ranges); unreadable entries admit nothing.
    pub fn from_stored(json: &str) -> Self {
        let names: Vec<String> = serde_json::from_str(json).unwrap_or_default();
        Self(names.iter().filter_map(|n| n.parse().ok()).collect())
    }

    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(IpNet::to_string).collect()
    }

    pub fn to_stored(&self) -> String {
        serde_json::Value::from(self.names()).to_string()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` may use the credential. An unknown address passes only an empty list.
    pub fn admits(&self, ip: Option<IpAddr>) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let Some(ip) = ip else { return false };
        // An IPv4 peer seen through an IPv6 socket (::ffff:a.b.c.d) is the IPv4 address.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        self.0.iter().any(|net| net.contains(&ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn write_implies_read_and_nothing_else() {
        let set = ScopeSet::parse("scopes", &strings(&["leave:write", "people:read"])).unwrap();
        assert!(set.allows(Area::Leave, Access::Read));
        assert!(set.allows(Area::Leave, Access::Write));
        assert!(set.allows(Area::People, Access::Read));
        assert!(!set.allows(Area::People, Access::Write));
        assert!(!set.allows(Area::Reports, Access::Read));
        assert_eq!(ScopeSet::from_stored(&set.to_stored()), set);
        let read = ScopeSet::parse("scopes", &strings(&["leave:read", "people:read"])).unwrap();
        assert!(set.covers(&read) && set.covers(&set) && set.covers(&ScopeSet::default()));
        assert!(!read.covers(&set));
    }

    #[test]
    fn unknown_scopes_are_refused_naming_the_field() {
        for bad in ["people", "people:admin", "payroll:", "wages:read", ""] {
            let error = ScopeSet::parse("scopes", &strings(&[bad])).unwrap_err();
            assert!(
                matches!(error, Error::Invalid { ref field, .. } if field.as_deref() == Some("scopes")),
                "{bad}"
            );
        }
    }

    #[test]
    fn allow_lists_take_addresses_and_ranges_of_both_families() {
        let list = IpAllowList::parse(
            "ip_allow_list",
            &strings(&["10.0.0.0/8", "203.0.113.7", "2001:db8::/32"]),
        )
        .unwrap();
        assert!(list.admits(Some("10.1.2.3".parse().unwrap())));
        assert!(list.admits(Some("203.0.113.7".parse().unwrap())));
        assert!(list.admits(Some("::ffff:10.9.9.9".parse().unwrap())));
        assert!(list.admits(Some("2001:db8::1".parse().unwrap())));
        assert!(!list.admits(Some("203.0.113.8".parse().unwrap())));
        assert!(!list.admits(Some("127.0.0.1".parse().unwrap())));
        assert!(!list.admits(None));
        assert!(IpAllowList::default().admits(None));
        assert_eq!(IpAllowList::from_stored(&list.to_stored()), list);
    }

    #[test]
    fn malformed_ranges_are_refused() {
        for bad in ["10.0.0.0/33", "10.0.0", "localhost", "::g", "1.2.3.4/"] {
            assert!(
                IpAllowList::parse("ip_allow_list", &strings(&[bad])).is_err(),
                "{bad}"
            );
        }
    }
}
