//! The forms of `/access` that issue or stop a credential: create an API client or key
//! (its secret shown this once), regenerate a client's secret (with an optional overlap,
//! shown once again), revoke a client or key. Refusals are the core's, beside their field.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::access::clients::{self, ApiClientForCreate};
use rota_core::access::keys::{self, ApiKeyForCreate};
use rota_core::people::types::UserType;
use rota_core::policy::Action;

use super::overview::{Draft, Refusal, refused};
use super::{Fields, Issued, entries, find_acting, show_secret};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{PageError, Problem};
use crate::web::session::{Posted, Refused, Signed};

/// The fields of the client form, as the core names them.
pub(super) const CLIENT_FIELDS: [&str; 8] = [
    "name",
    "description",
    "scopes",
    "role_ceiling",
    "acts_as_user_id",
    "acts_as_email",
    "ip_allow_list",
    "rate_limit",
];
/// The fields of the key form, as the core names them.
const KEY_FIELDS: [&str; 8] = [
    "name",
    "scopes",
    "role_ceiling",
    "acts_as_user_id",
    "acts_as_email",
    "ip_allow_list",
    "expires_at",
    "rate_limit",
];

/// The role picked as the ceiling; none picked leaves it to the core (the person's own).
pub(super) fn ceiling(draft: &Draft) -> Result<Option<UserType>, PageError> {
    if draft.role_ceiling.is_empty() {
        return Ok(None);
    }
    draft
        .role_ceiling
        .parse::<i64>()
        .ok()
        .and_then(|code| UserType::try_from(code).ok())
        .map(Some)
        .ok_or_else(|| {
            rota_core::Error::invalid("role_ceiling", "pick a role from the list").into()
        })
}

/// The end of the day picked, in the company's time zone, as RFC 3339.
async fn end_of(state: &AppState, signed: &Signed, day: &str) -> Result<String, PageError> {
    let date: jiff::civil::Date = day.parse().map_err(|_| {
        PageError::from(rota_core::Error::invalid(
            "expires_at",
            "the expiry must be a date, such as 2027-12-31",
        ))
    })?;
    let company = rota_core::company::get(&state.db, &signed.actor).await?;
    let zone = jiff::tz::TimeZone::get(&company.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let end = date.at(23, 59, 59, 0).to_zoned(zone).map_err(|_| {
        PageError::from(rota_core::Error::invalid(
            "expires_at",
            "that day does not exist in the company's time zone",
        ))
    })?;
    Ok(end.timestamp().to_string())
}

pub async fn create_client(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let mut draft = Draft::of(&fields);
    let created = async {
        find_acting(&state, &signed, &mut draft).await?;
        let input = ApiClientForCreate {
            name: draft.name.clone(),
            description: fields.text("description"),
            scopes: draft.scopes.clone(),
            role_ceiling: ceiling(&draft)?,
            ip_allow_list: entries(&draft.ip_allow_list),
            requires_nonce: draft.requires_nonce,
            may_act_as_users: draft.may_act_as_users,
            rate_limit: draft.rate_limit()?,
            acts_as_user_id: draft.acts_as()?,
            ..ApiClientForCreate::default()
        };
        let key = state.config.secret_key.as_ref();
        Ok::<_, PageError>(clients::create(&state.db, key, &signed.actor, input).await?)
    }
    .await;
    match created {
        Ok(created) => {
            let issued = Issued {
                subject: format!("API client \u{201c}{}\u{201d}", created.client.name),
                app_id: Some(created.client.app_id),
                label: "Client secret",
                secret: created.client_secret.expose().to_owned(),
                hint: "Give the App ID and the secret to the system that calls the API: it \
                       exchanges them at /api/v1/oauth/token for a token.",
                back: "/access".to_owned(),
            };
            Ok(show_secret(&state, &signed, "/access", issued).await?)
        }
        Err(error) => {
            let problem = Problem::of(&error, &CLIENT_FIELDS);
            let refusal = Refusal::Client(draft, problem);
            Ok(refused(&state, &signed, error.status, refusal).await?)
        }
    }
}

/// A new secret for a client; `overlap_seconds` lets the old one work a while longer.
pub async fn regenerate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    let overlap = match fields.one("overlap_seconds") {
        "" => 0,
        text => text.parse().map_err(|_| {
            PageError::from(rota_core::Error::invalid(
                "overlap_seconds",
                "pick how long the old secret keeps working",
            ))
        })?,
    };
    let renewed = clients::regenerate_secret(
        &state.db,
        state.config.secret_key.as_ref(),
        &signed.actor,
        id,
        overlap,
    )
    .await
    .map_err(PageError::from)?;
    let issued = Issued {
        subject: format!("API client \u{201c}{}\u{201d}", renewed.client.name),
        app_id: Some(renewed.client.app_id),
        label: "New client secret",
        secret: renewed.client_secret.expose().to_owned(),
        hint: if overlap > 0 {
            "The old secret, and its tokens, keep working until the overlap ends."
        } else {
            "The old secret and every token minted with it have stopped."
        },
        back: "/access".to_owned(),
    };
    Ok(show_secret(&state, &signed, "/access", issued).await?)
}

pub async fn revoke_client(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    clients::revoke(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/access?done=client-revoked").into_response())
}

pub async fn create_key(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let mut draft = Draft::of(&fields);
    let created = async {
        find_acting(&state, &signed, &mut draft).await?;
        let role_ceiling = ceiling(&draft)?;
        let expires_at = match fields.text("expires_on") {
            Some(day) => Some(end_of(&state, &signed, &day).await?),
            None => None,
        };
        let input = ApiKeyForCreate {
            name: draft.name.clone(),
            scopes: draft.scopes.clone(),
            role_ceiling,
            acts_as_user_id: draft.acts_as()?,
            ip_allow_list: entries(&draft.ip_allow_list),
            expires_at,
            may_act_as_users: draft.may_act_as_users,
            rate_limit: draft.rate_limit()?,
        };
        keys::create(&state.db, &signed.actor, input)
            .await
            .map_err(PageError::from)
    }
    .await;
    match created {
        Ok(created) => {
            let issued = Issued {
                subject: format!("API key \u{201c}{}\u{201d}", created.key.name),
                app_id: None,
                label: "API key",
                secret: created.api_key.expose().to_owned(),
                hint: "Send it as Authorization: Bearer <key> with every call.",
                back: "/access".to_owned(),
            };
            Ok(show_secret(&state, &signed, "/access", issued).await?)
        }
        Err(error) => {
            let problem = Problem::of(&error, &KEY_FIELDS);
            let refusal = Refusal::Key(draft, problem);
            Ok(refused(&state, &signed, error.status, refusal).await?)
        }
    }
}

pub async fn revoke_key(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    keys::revoke(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/access?done=key-revoked").into_response())
}
