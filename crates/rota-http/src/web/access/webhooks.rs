//! `/access/webhooks`: the company's subscriptions and the form that adds one (the events
//! from the core's subscribable list as checkboxes; its signing secret shown this once),
//! and each subscription's page: change it, pause it, send a test ping, rotate its secret,
//! delete it, and its delivery log (status, attempts, the receiver's answers), paged.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::paging::MAX_LIMIT;
use rota_core::policy::Action;
use rota_core::webhooks::events::{EVERY_EVENT, Event};
use rota_core::webhooks::log::{self, DeliveryStatus, WebhookDelivery};
use rota_core::webhooks::subscriptions::{self, Webhook, WebhookForCreate, WebhookPatch};
use serde::Deserialize;

use super::{Fields, Issued, Tab, show_secret, tabs, when};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, Problem, render, render_as};
use crate::web::session::{Posted, Refused, Signed};
use crate::web::sign_in::DoneQuery;

/// The fields of the subscription form, as the core names them.
const FIELDS: [&str; 3] = ["url", "description", "events"];
/// Deliveries on a page of the log.
const LOG_PAGE: i64 = 20;

/// The subscription form as typed.
#[derive(Default)]
pub struct Draft {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
}

impl Draft {
    fn of(fields: &Fields) -> Self {
        Self {
            url: fields.one("url").to_owned(),
            description: fields.one("description").to_owned(),
            events: fields.all("events"),
            enabled: fields.ticked("enabled"),
        }
    }

    fn of_webhook(webhook: &Webhook) -> Self {
        Self {
            url: webhook.url.clone(),
            description: webhook.description.clone().unwrap_or_default(),
            events: webhook.events.clone(),
            enabled: webhook.enabled,
        }
    }

    pub fn has(&self, event: &str) -> bool {
        self.events.iter().any(|e| e == event)
    }
}

/// Every event a subscription may name, `*` first.
fn event_names() -> Vec<&'static str> {
    std::iter::once(EVERY_EVENT)
        .chain(Event::SUBSCRIBABLE.iter().map(|event| event.as_str()))
        .collect()
}

/// A subscription as a row of the list.
pub struct HookRow {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub enabled: bool,
}

#[derive(Template)]
#[template(path = "access_webhooks.html")]
struct ListPage {
    frame: Frame,
    tabs: Vec<Tab>,
    notice: Option<&'static str>,
    hooks: Vec<HookRow>,
    names: Vec<&'static str>,
    draft: Draft,
    problem: Problem,
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    signed.ensure(Action::ManageApiAccess)?;
    let notice = match query.done.as_deref() {
        Some("deleted") => Some("The webhook is deleted, with its delivery log."),
        _ => None,
    };
    let draft = Draft {
        enabled: true,
        ..Draft::default()
    };
    render(&list_page(&state, &signed, notice, draft, Problem::default()).await?)
}

async fn list_page(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    draft: Draft,
    problem: Problem,
) -> Result<ListPage, PageError> {
    let frame = Frame::load(state, signed, "/access", "Webhooks").await?;
    let hooks = subscriptions::list(&state.db, &signed.actor, Some(MAX_LIMIT), None)
        .await?
        .data
        .into_iter()
        .map(|hook| HookRow {
            id: hook.id,
            url: hook.url,
            description: hook.description,
            events: hook.events.join(", "),
            enabled: hook.enabled,
        })
        .collect();
    Ok(ListPage {
        frame,
        tabs: tabs(signed, "/access/webhooks"),
        notice,
        hooks,
        names: event_names(),
        draft,
        problem,
    })
}

pub async fn create(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let draft = Draft::of(&fields);
    let input = WebhookForCreate {
        url: draft.url.trim().to_owned(),
        description: fields.text("description"),
        events: draft.events.clone(),
        enabled: Some(draft.enabled),
    };
    match subscriptions::create(&state.db, &signed.actor, input, &state.config.webhooks).await {
        Ok(created) => {
            let issued = Issued {
                subject: format!("the webhook to {}", created.webhook.url),
                app_id: None,
                label: "Signing secret",
                secret: created.secret.expose().to_owned(),
                hint: "The receiver checks each delivery's Rota-Signature header with it.",
                back: format!("/access/webhooks/{}", created.webhook.id),
            };
            Ok(show_secret(&state, &signed, "/access/webhooks", issued).await?)
        }
        Err(error) => {
            let error = PageError::from(error);
            let problem = Problem::of(&error, &FIELDS);
            let page = list_page(&state, &signed, None, draft, problem).await?;
            Ok(render_as(error.status, &page)?)
        }
    }
}

/// An attempt as the log shows it.
pub struct AttemptView {
    pub at: String,
    pub answer: String,
    pub duration_ms: i64,
}

/// A delivery as the log shows it.
pub struct DeliveryView {
    pub id: i64,
    pub event: String,
    pub status: &'static str,
    pub queued: String,
    /// When delivered, given up, or due again.
    pub outcome: String,
    pub attempts: Vec<AttemptView>,
}

impl DeliveryView {
    fn of(delivery: WebhookDelivery) -> Self {
        let (status, outcome) = match delivery.status {
            DeliveryStatus::Delivered => (
                "delivered",
                delivery
                    .delivered_at
                    .as_deref()
                    .map(when)
                    .unwrap_or_default(),
            ),
            DeliveryStatus::Failed => (
                "failed",
                delivery.failed_at.as_deref().map(when).unwrap_or_default(),
            ),
            DeliveryStatus::Pending => (
                "pending",
                delivery
                    .next_attempt_at
                    .as_deref()
                    .map(|at| format!("next try {}", when(at)))
                    .unwrap_or_default(),
            ),
        };
        Self {
            id: delivery.id,
            event: delivery.event,
            status,
            queued: when(&delivery.created_at),
            outcome,
            attempts: delivery
                .attempts
                .into_iter()
                .map(|attempt| AttemptView {
                    at: when(&attempt.attempted_at),
                    answer: match (attempt.status_code, attempt.error) {
                        (Some(code), _) => format!("HTTP {code}"),
                        (None, Some(error)) => error,
                        (None, None) => "no answer".to_owned(),
                    },
                    duration_ms: attempt.duration_ms,
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "access_webhook.html")]
struct HookPage {
    frame: Frame,
    tabs: Vec<Tab>,
    notice: Option<&'static str>,
    id: i64,
    url: String,
    names: Vec<&'static str>,
    draft: Draft,
    problem: Problem,
    deliveries: Vec<DeliveryView>,
    /// The query of the log's next page, when there is one.
    next: Option<String>,
    /// Whether this is a later page of the log.
    later: bool,
}

#[derive(Deserialize)]
pub struct HookQuery {
    done: Option<String>,
    cursor: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<HookQuery>,
) -> Result<Response, PageError> {
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    let notice = match query.done.as_deref() {
        Some("saved") => Some("The webhook is saved."),
        Some("pinged") => Some("A ping is queued; its delivery shows below."),
        _ => None,
    };
    let cursor = query.cursor.as_deref();
    let page = hook_page(
        &state,
        &signed,
        id,
        notice,
        None,
        Problem::default(),
        cursor,
    )
    .await?;
    render(&page)
}

async fn hook_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    notice: Option<&'static str>,
    draft: Option<Draft>,
    problem: Problem,
    cursor: Option<&str>,
) -> Result<HookPage, PageError> {
    let actor = &signed.actor;
    let webhook = subscriptions::get(&state.db, actor, id).await?;
    let frame = Frame::load(state, signed, "/access", "Webhook").await?;
    let log = log::list(&state.db, actor, id, Some(LOG_PAGE), cursor).await?;
    let next = log.next_cursor.map(|cursor| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("cursor", &cursor)
            .finish()
    });
    let draft = draft.unwrap_or_else(|| Draft::of_webhook(&webhook));
    Ok(HookPage {
        frame,
        tabs: tabs(signed, "/access/webhooks"),
        notice,
        id,
        url: webhook.url,
        names: event_names(),
        draft,
        problem,
        deliveries: log.data.into_iter().map(DeliveryView::of).collect(),
        next,
        later: cursor.is_some(),
    })
}

/// The subscription's page with the core's refusal of one of its forms (`draft` as typed,
/// or as stored when `None`); a subscription that is gone is the not-found page.
async fn hook_refused(
    state: &AppState,
    signed: &Signed,
    id: i64,
    draft: Option<Draft>,
    fields: &[&str],
    error: rota_core::Error,
) -> Result<Response, Refused> {
    let error = PageError::from(error);
    if error.status == StatusCode::NOT_FOUND {
        return Err(error.into());
    }
    let problem = Problem::of(&error, fields);
    let page = hook_page(state, signed, id, None, draft, problem, None).await?;
    Ok(render_as(error.status, &page)?)
}

/// Saves the subscription form; a refusal comes back beside its field.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, fields) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    let draft = Draft::of(&fields);
    let patch = WebhookPatch {
        url: Some(draft.url.trim().to_owned()),
        description: Some(draft.description.trim().to_owned()),
        events: Some(draft.events.clone()),
        enabled: Some(draft.enabled),
    };
    let saved =
        subscriptions::update(&state.db, &signed.actor, id, patch, &state.config.webhooks).await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/access/webhooks/{id}?done=saved")).into_response()),
        Err(error) => hook_refused(&state, &signed, id, Some(draft), &FIELDS, error).await,
    }
}

/// Queues a test ping; a disabled subscription refuses it (the core says why).
pub async fn ping(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    match subscriptions::ping(&state.db, &signed.actor, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/access/webhooks/{id}?done=pinged")).into_response()),
        // The form as stored, with the reason above it.
        Err(error) => hook_refused(&state, &signed, id, None, &[], error).await,
    }
}

/// A new signing secret, shown this once.
pub async fn rotate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    let rotated =
        subscriptions::rotate_secret(&state.db, &signed.actor, id, &state.config.webhooks)
            .await
            .map_err(PageError::from)?;
    let issued = Issued {
        subject: format!("the webhook to {}", rotated.webhook.url),
        app_id: None,
        label: "New signing secret",
        secret: rotated.secret.expose().to_owned(),
        hint: "Every delivery from now on, retries included, is signed with it.",
        back: format!("/access/webhooks/{id}"),
    };
    Ok(show_secret(&state, &signed, "/access/webhooks", issued).await?)
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    signed.ensure(Action::ManageApiAccess)?;
    let id = path_id(&id)?;
    subscriptions::delete(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/access/webhooks?done=deleted").into_response())
}
