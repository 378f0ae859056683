//! The one admission function.

use axum::http::Method;
use axum::http::request::Parts;
use rota_core::access::principal::ApiPrincipal;
use rota_core::access::{self, Access};
use rota_core::policy::Actor;

use super::{Credential, Declared, Presented};
use crate::AppState;
use crate::error::ApiError;
use crate::rate_limit::RateLimitSlot;

/// The actor behind `presented`, once every guard on the call has passed. A session acts
/// as its person (and may not act as another); an API credential acts as its user with its
/// role ceiling, and must call from an admitted address, within the scopes `declared`
/// asks (`None`: no API credential may call), within its rate limit, with a fresh nonce
/// when its client requires one, and may act as another user when allowed to. The
/// request span records the company, the user and the API client or key.
pub async fn admit(
    state: &AppState,
    parts: &Parts,
    presented: Presented,
    declared: Option<Declared>,
) -> Result<Actor, ApiError> {
    let ip = crate::origin::client_ip(parts, &state.config.trusted_proxies);
    let mut actor = match &presented.credential {
        Credential::Session(token) => {
            if presented.act_as.is_some() {
                return Err(rota_core::Error::Forbidden {
                    code: rota_core::error::code::ACT_AS_NOT_ALLOWED,
                    message:
                        "people signed in act as themselves; X-Act-As-User is for API credentials"
                            .into(),
                }
                .into());
            }
            rota_core::auth::authenticate(&state.db, token).await?
        }
        Credential::ApiKey(key) => {
            let principal = access::keys::authenticate(&state.db, key).await?;
            api_actor(state, parts, principal, &presented, ip, declared).await?
        }
        Credential::ApiToken { token, .. } => {
            let principal = access::tokens::authenticate(&state.db, token).await?;
            api_actor(state, parts, principal, &presented, ip, declared).await?
        }
    };
    actor.origin.ip = ip;
    let span = tracing::Span::current();
    span.record("company.id", actor.company_id)
        .record("user.id", actor.user_id);
    if let Some(id) = actor.origin.api_client_id {
        span.record("api_client.id", id);
    }
    if let Some(id) = actor.origin.api_key_id {
        span.record("api_key.id", id);
    }
    Ok(actor)
}

/// The guards on an API token or key.
async fn api_actor(
    state: &AppState,
    parts: &Parts,
    mut principal: ApiPrincipal,
    presented: &Presented,
    ip: Option<std::net::IpAddr>,
    declared: Option<Declared>,
) -> Result<Actor, ApiError> {
    principal.actor.origin.ip = ip;
    if let (Some(client), Some(app_id)) = (&principal.client, presented.credential.app_id())
        && app_id.trim() != client.app_id
    {
        return Err(rota_core::Error::unauthenticated(
            "the app-id header names another client than the one the token was issued to",
        )
        .into());
    }
    match declared {
        Some(Declared::AnyScope) => principal.check_address(ip)?,
        Some(Declared::Area(area)) => principal.check(ip, Some(area), access_of(&parts.method))?,
        Some(Declared::Reads(area)) => principal.check(ip, Some(area), Access::Read)?,
        // Fails closed: a route that declares nothing admits no API credential.
        None => principal.check(ip, None, access_of(&parts.method))?,
    }
    let quota = principal.rate_limit.unwrap_or(state.config.limits.api);
    let admitted = access::limits::take(&state.db, &principal.rate_bucket(), quota).await?;
    if let Some(slot) = parts.extensions.get::<RateLimitSlot>() {
        slot.fill(admitted);
    }
    if let Some(client) = principal.client.as_ref().filter(|c| c.requires_nonce) {
        access::nonces::accept(
            &state.db,
            principal.actor.company_id,
            client.id,
            presented.nonce.as_deref(),
            presented.timestamp.as_deref(),
        )
        .await?;
    }
    if let Some(user_id) = presented.act_as {
        principal = principal.act_as(&state.db, user_id).await?;
    }
    Ok(principal.actor)
}

/// Reading or writing: safe methods read, everything else writes.
fn access_of(method: &Method) -> Access {
    if method == Method::GET || method == Method::HEAD || method == Method::OPTIONS {
        Access::Read
    } else {
        Access::Write
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_methods_read_and_the_rest_write() {
        assert_eq!(access_of(&Method::GET), Access::Read);
        assert_eq!(access_of(&Method::HEAD), Access::Read);
        assert_eq!(access_of(&Method::POST), Access::Write);
        assert_eq!(access_of(&Method::DELETE), Access::Write);
    }
}
