//! `/access/clients/{id}`: one API client, its settings in the same form that creates one
//! (name, description, scopes, role ceiling, whom it acts as, IP allow-list, nonces, acting
//! as others, its own rate limit);
//! saving sends the core only what the form changed, so the audit log records just that.
//! A revoked client may be deleted here; its audit events stay.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::access::Area;
use rota_core::access::clients::{self, ApiClient, ApiClientPatch};
use rota_core::policy::Action;

use super::credentials::{CLIENT_FIELDS, ceiling};
use super::overview::Draft;
use super::{Fields, Tab, acting_choices, ceilings, entries, find_acting, tabs};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, Problem, render, render_as};
use crate::web::session::{Posted, Refused, Signed};
use crate::web::sign_in::DoneQuery;

impl Draft {
    fn of_client(client: &ApiClient) -> Self {
        Self {
            name: client.name.clone(),
            description: client.description.clone().unwrap_or_default(),
            scopes: client.scopes.clone(),
            role_ceiling: client.role_ceiling.code().to_string(),
            ip_allow_list: client.ip_allow_list.join("\n"),
            requires_nonce: client.requires_nonce,
            may_act_as_users: client.may_act_as_users,
            expires_on: String::new(),
            rate_per_minute: (client.rate_limit.as_ref())
                .map_or(String::new(), |q| q.per_minute.to_string()),
            rate_burst: (client.rate_limit.as_ref()).map_or(String::new(), |q| q.burst.to_string()),
            acts_as_user_id: client.acts_as_user_id.to_string(),
            acts_as_email: String::new(),
        }
    }
}

/// `value` when it is not what the client holds.
fn changed<T>(same: bool, value: T) -> Option<T> {
    (!same).then_some(value)
}

/// What the form changes of `client`: only the fields that differ.
fn patch(client: &ApiClient, draft: &Draft, fields: &Fields) -> Result<ApiClientPatch, PageError> {
    let mut scopes = draft.scopes.clone();
    scopes.sort();
    let mut held = client.scopes.clone();
    held.sort();
    let allow = entries(&draft.ip_allow_list);
    let description = fields.text("description");
    let role_ceiling = ceiling(draft)?;
    let rate_limit = draft.rate_limit()?;
    let acts_as = draft.acts_as()?;
    Ok(ApiClientPatch {
        name: changed(client.name == draft.name, draft.name.clone()),
        description: changed(
            client.description == description,
            description.unwrap_or_default(),
        ),
        scopes: changed(held == scopes, scopes),
        role_ceiling: role_ceiling.filter(|role| *role != client.role_ceiling),
        ip_allow_list: changed(client.ip_allow_list == allow, allow),
        requires_nonce: changed(
            client.requires_nonce == draft.requires_nonce,
            draft.requires_nonce,
        ),
        may_act_as_users: changed(
            client.may_act_as_users == draft.may_act_as_users,
            draft.may_act_as_users,
        ),
        rate_limit: changed(client.rate_limit == rate_limit, rate_limit),
        acts_as_user_id: acts_as.filter(|id| *id != client.acts_as_user_id),
        ..ApiClientPatch::default()
    })
}

#[derive(Template)]
#[template(path = "access_client.html")]
struct ClientPage {
    frame: Frame,
    tabs: Vec<Tab>,
    notice: Option<&'static str>,
    client: ApiClient,
    draft: Draft,
    problem: Problem,
    areas: Vec<&'static str>,
    ceilings: Vec<(i64, &'static str)>,
    my_role: i64,
    /// Whom the client may act as: id and name.
    people: Vec<(i64, String)>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    let notice = match query.done.as_deref() {
        Some("saved") => Some("The client is saved."),
        _ => None,
    };
    let client = clients::get(&state.db, &signed.actor, id).await?;
    let draft = Draft::of_client(&client);
    render(&client_page(&state, &signed, notice, client, draft, Problem::default()).await?)
}

async fn client_page(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    client: ApiClient,
    draft: Draft,
    problem: Problem,
) -> Result<ClientPage, PageError> {
    Ok(ClientPage {
        frame: Frame::load(state, signed, "/access", "API client").await?,
        tabs: tabs(signed, "/access"),
        notice,
        client,
        problem,
        areas: Area::ALL.iter().map(|area| area.as_str()).collect(),
        ceilings: ceilings(signed),
        my_role: signed.actor.role.code(),
        people: acting_choices(state, signed, &[&draft]).await?,
        draft,
    })
}

/// Saves the form; a refusal comes back beside its field, as typed.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    let client = clients::get(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?;
    let mut draft = Draft::of(&fields);
    let saved = async {
        find_acting(&state, &signed, &mut draft).await?;
        let patch = patch(&client, &draft, &fields)?;
        Ok::<_, PageError>(clients::update(&state.db, &signed.actor, id, patch).await?)
    }
    .await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/access/clients/{id}?done=saved")).into_response()),
        Err(error) => {
            let problem = Problem::of(&error, &CLIENT_FIELDS);
            let page = client_page(&state, &signed, None, client, draft, problem).await?;
            Ok(render_as(error.status, &page)?)
        }
    }
}

/// Deletes a client with its tokens; its audit events stay.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    clients::delete(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/access?done=client-deleted").into_response())
}
