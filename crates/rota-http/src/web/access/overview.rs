//! `/access`: whether API access is on (enable it, which issues the first client, or
//! revoke it, which stops every client, key and token), the company-wide IP allow-list,
//! the API clients and keys with their buttons, and the forms that create them.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::access::clients::ApiClient;
use rota_core::access::keys::ApiKey;
use rota_core::access::limits::Quota;
use rota_core::access::settings::{self, ApiAccessStatus, IpAllowListInput};
use rota_core::access::{Area, clients, keys};
use rota_core::paging::MAX_LIMIT;
use rota_core::policy::Action;

use super::{
    Fields, Issued, Tab, acting_choices, ceilings, entries, role_label, show_secret, tabs, when,
};
use crate::AppState;
use crate::web::page::{Frame, PageError, Problem, render, render_as};
use crate::web::session::{Posted, Refused, Signed};
use crate::web::sign_in::DoneQuery;

/// A client as a row of the list.
pub struct ClientRow {
    pub id: i64,
    pub name: String,
    pub app_id: String,
    pub scopes: String,
    pub ceiling: &'static str,
    pub allow: String,
    pub enabled: bool,
    pub last_used: String,
}

impl ClientRow {
    fn of(client: ApiClient) -> Self {
        Self {
            id: client.id,
            name: client.name,
            app_id: client.app_id,
            scopes: listed(&client.scopes, "none"),
            ceiling: role_label(client.role_ceiling),
            allow: listed(&client.ip_allow_list, "any address"),
            enabled: client.enabled,
            last_used: client
                .last_used_at
                .as_deref()
                .map_or_else(|| "never".to_owned(), when),
        }
    }
}

/// A key as a row of the list.
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub hint: String,
    pub scopes: String,
    pub ceiling: &'static str,
    pub allow: String,
    pub expires: String,
    pub enabled: bool,
}

impl KeyRow {
    fn of(key: ApiKey) -> Self {
        Self {
            id: key.id,
            name: key.name,
            hint: key.key_hint,
            scopes: listed(&key.scopes, "none"),
            ceiling: role_label(key.role_ceiling),
            allow: listed(&key.ip_allow_list, "any address"),
            expires: key
                .expires_at
                .as_deref()
                .map_or_else(|| "never".to_owned(), when),
            enabled: key.enabled,
        }
    }
}

fn listed(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

/// What the client and key forms hold: as typed, so that a refused form comes back filled.
#[derive(Default)]
pub struct Draft {
    pub name: String,
    pub description: String,
    pub scopes: Vec<String>,
    pub role_ceiling: String,
    pub ip_allow_list: String,
    pub requires_nonce: bool,
    pub may_act_as_users: bool,
    pub expires_on: String,
    /// The credential's own rate limit as typed: calls a minute and at once (both blank:
    /// the server's).
    pub rate_per_minute: String,
    pub rate_burst: String,
    /// Whom it acts as; blank: me.
    pub acts_as_user_id: String,
    /// Or the e-mail of whom it acts as, someone the list does not offer.
    pub acts_as_email: String,
}

impl Draft {
    pub fn of(fields: &Fields) -> Self {
        Self {
            name: fields.one("name").to_owned(),
            description: fields.one("description").to_owned(),
            scopes: fields.all("scopes"),
            role_ceiling: fields.one("role_ceiling").to_owned(),
            ip_allow_list: fields.one("ip_allow_list").to_owned(),
            requires_nonce: fields.ticked("requires_nonce"),
            may_act_as_users: fields.ticked("may_act_as_users"),
            expires_on: fields.one("expires_on").to_owned(),
            rate_per_minute: fields.one("rate_per_minute").to_owned(),
            rate_burst: fields.one("rate_burst").to_owned(),
            acts_as_user_id: fields.one("acts_as_user_id").to_owned(),
            acts_as_email: fields.one("acts_as_email").to_owned(),
        }
    }

    /// Whom it acts as: none picked leaves it to the core (me).
    pub fn acts_as(&self) -> Result<Option<i64>, PageError> {
        match self.acts_as_user_id.trim() {
            "" => Ok(None),
            id => id.parse().map(Some).map_err(|_| {
                rota_core::Error::invalid("acts_as_user_id", "pick a person of the list").into()
            }),
        }
    }

    /// The rate limit typed: none when both are blank, else both numbers, which the core
    /// then checks.
    pub fn rate_limit(&self) -> Result<Option<Quota>, PageError> {
        let (per_minute, burst) = (self.rate_per_minute.trim(), self.rate_burst.trim());
        if per_minute.is_empty() && burst.is_empty() {
            return Ok(None);
        }
        match (per_minute.parse(), burst.parse()) {
            (Ok(per_minute), Ok(burst)) => Ok(Some(Quota::new(per_minute, burst))),
            _ => Err(rota_core::Error::invalid(
                "rate_limit",
                "give both the calls a minute and the calls at once as whole numbers, or neither",
            )
            .into()),
        }
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Which form a refusal belongs to, with the form as typed.
pub enum Refusal {
    None,
    AllowList(String, Problem),
    Client(Draft, Problem),
    Key(Draft, Problem),
}

#[derive(Template)]
#[template(path = "access_overview.html")]
struct OverviewPage {
    frame: Frame,
    tabs: Vec<Tab>,
    notice: Option<&'static str>,
    status: ApiAccessStatus,
    clients: Vec<ClientRow>,
    keys: Vec<KeyRow>,
    areas: Vec<&'static str>,
    ceilings: Vec<(i64, &'static str)>,
    my_role: i64,
    /// Whom a client or key may act as: id and name.
    people: Vec<(i64, String)>,
    allow_list: String,
    allow_problem: Problem,
    client: Draft,
    client_problem: Problem,
    key: Draft,
    key_problem: Problem,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    signed.ensure(Action::ManageApiAccess)?;
    let notice = match query.done.as_deref() {
        Some("revoked") => Some("API access is revoked: every client, key and token has stopped."),
        Some("allow-list") => Some("The company's IP allow-list is saved."),
        Some("client-revoked") => Some("The client is revoked; its tokens have stopped."),
        Some("key-revoked") => Some("The key is revoked."),
        Some("client-deleted") => Some("The client is deleted; its audit events stay."),
        _ => None,
    };
    render(&overview(&state, &signed, notice, Refusal::None).await?)
}

/// The page, with a refused form's problem beside its fields.
pub(super) async fn refused(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    refusal: Refusal,
) -> Result<Response, PageError> {
    render_as(status, &overview(state, signed, None, refusal).await?)
}

async fn overview(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    refusal: Refusal,
) -> Result<OverviewPage, PageError> {
    let frame = Frame::load(state, signed, "/access", "API access").await?;
    let actor = &signed.actor;
    let status = settings::status(&state.db, actor).await?;
    let clients = clients::list(&state.db, actor, Some(MAX_LIMIT), None)
        .await?
        .data
        .into_iter()
        .map(ClientRow::of)
        .collect();
    let keys = keys::list(&state.db, actor, Some(MAX_LIMIT), None)
        .await?
        .data
        .into_iter()
        .map(KeyRow::of)
        .collect();
    let mut allow_list = status.ip_allow_list.join("\n");
    let (mut allow_problem, mut client, mut client_problem, mut key, mut key_problem) = (
        Problem::default(),
        Draft::default(),
        Problem::default(),
        Draft::default(),
        Problem::default(),
    );
    match refusal {
        Refusal::None => {}
        Refusal::AllowList(typed, problem) => (allow_list, allow_problem) = (typed, problem),
        Refusal::Client(draft, problem) => (client, client_problem) = (draft, problem),
        Refusal::Key(draft, problem) => (key, key_problem) = (draft, problem),
    }
    Ok(OverviewPage {
        frame,
        tabs: tabs(signed, "/access"),
        notice,
        status,
        clients,
        keys,
        areas: Area::ALL.iter().map(|area| area.as_str()).collect(),
        ceilings: ceilings(signed),
        my_role: actor.role.code(),
        people: acting_choices(state, signed, &[&client, &key]).await?,
        allow_list,
        allow_problem,
        client,
        client_problem,
        key,
        key_problem,
    })
}

/// Turns API access on: the core issues the first client, whose secret shows this once.
pub async fn enable(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let created = settings::enable(&state.db, state.config.secret_key.as_ref(), &signed.actor)
        .await
        .map_err(PageError::from)?;
    let issued = Issued {
        subject: format!("API client \u{201c}{}\u{201d}", created.client.name),
        app_id: Some(created.client.app_id),
        label: "Client secret",
        secret: created.client_secret.expose().to_owned(),
        hint: "API access is on. This first client acts as you, with write access to every area.",
        back: "/access".to_owned(),
    };
    Ok(show_secret(&state, &signed, "/access", issued).await?)
}

pub async fn revoke(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    settings::revoke_access(&state.db, &signed.actor)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/access?done=revoked").into_response())
}

/// Replaces the company-wide IP allow-list; a refusal shows beside the list as typed.
pub async fn allow_list(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let typed = fields.one("ip_allow_list").to_owned();
    let input = IpAllowListInput {
        ip_allow_list: entries(&typed),
    };
    match settings::set_ip_allow_list(&state.db, &signed.actor, input).await {
        Ok(_) => Ok(Redirect::to("/access?done=allow-list").into_response()),
        Err(error) => {
            let error = PageError::from(error);
            let problem = Problem::of(&error, &["ip_allow_list"]);
            let refusal = Refusal::AllowList(typed, problem);
            Ok(refused(&state, &signed, error.status, refusal).await?)
        }
    }
}
