//! API access and security: where a request came from ([`Origin`]), what an API
//! credential may touch ([`Scope`], [`Area`], the IP allow-lists), the company's API
//! access switch (`settings`), API clients with their bearer tokens, scoped API keys, the
//! acting principal (`principal`, with `X-Act-As-User`), a user's sign-in through an API
//! client (`app_sign_in`, WhosOff's authenticate), nonces, rate limits, the sweep that
//! clears their leftovers, and the audit log.
//!
//! The model: an API client or key acts *as a user of the company* — `acts_as_user_id`,
//! by default the super user who created it — and with at most its `role_ceiling`: the
//! effective role is the lower of that user's role and the ceiling. On top of the role,
//! every call must fall inside the credential's scopes (read or read-write per area) and
//! come from an address both the company's and the credential's allow-lists admit.
//! Everything that must hold across processes (nonces, rate-limit buckets, tokens) lives
//! in the database.

pub mod app_sign_in;
pub mod audit;
pub mod clients;
pub mod keys;
pub mod limits;
pub mod nonces;
pub mod principal;
pub mod rules;
pub mod settings;
pub mod sweep;
pub mod tokens;

use std::net::IpAddr;

pub use rules::{Access, Area, IpAllowList, Scope, ScopeSet};

/// Where a request came from and through which credential; recorded with every audit
/// event. The CLI acts with the default: no address, no client, no key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    /// The client's address: the peer, or the `X-Forwarded-For` entry a trusted proxy vouches for.
    pub ip: Option<IpAddr>,
    /// The session a signed-in user acts through.
    pub session_id: Option<i64>,
    pub api_client_id: Option<i64>,
    pub api_key_id: Option<i64>,
}

impl Origin {
    pub fn from_ip(ip: Option<IpAddr>) -> Self {
        Self {
            ip,
            ..Self::default()
        }
    }
}
