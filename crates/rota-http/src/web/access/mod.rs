//! API access for super users, in the browser: whether the company lets other systems in
//! and from which addresses, its API clients and keys ([`overview`], [`credentials`],
//! [`client`]),
//! webhooks with their delivery log ([`webhooks`]) and the audit log ([`audit`]). Every
//! page calls the same core services as `/api/v1/api-access`, `/api-clients`, `/api-keys`,
//! `/webhooks` and `/audit`; who may open them is the core's `may()`
//! (`ManageApiAccess`, `ViewAudit`), asked before any form is read.
//!
//! A secret (a client secret, an API key, a webhook's signing secret) is shown once: the
//! answer to the form that issued it renders it, with a copy button, and nothing stores
//! it for a later page. That answer is therefore not a redirect (Post/Redirect/Get would
//! need the secret kept somewhere to show it after the redirect); it is never cached.

mod audit;
mod client;
mod credentials;
mod overview;
mod webhooks;

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use rota_core::people::service::{self, UserFilter};
use rota_core::people::types::{UserStatus, UserType};
use rota_core::policy::{Action, Target, may};

use super::page::{Frame, PageError, PersonNames, render};
use super::session::Signed;
use crate::AppState;
pub use crate::web::form::Fields;
use overview::Draft;

/// The pages under `/access`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/access", get(overview::page))
        .route("/access/enable", post(overview::enable))
        .route("/access/revoke", post(overview::revoke))
        .route("/access/ip-allow-list", post(overview::allow_list))
        .route("/access/clients", post(credentials::create_client))
        .route(
            "/access/clients/{id}",
            get(client::page).post(client::update),
        )
        .route("/access/clients/{id}/delete", post(client::delete))
        .route(
            "/access/clients/{id}/regenerate",
            post(credentials::regenerate),
        )
        .route(
            "/access/clients/{id}/revoke",
            post(credentials::revoke_client),
        )
        .route("/access/keys", post(credentials::create_key))
        .route("/access/keys/{id}/revoke", post(credentials::revoke_key))
        .route(
            "/access/webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/access/webhooks/{id}",
            get(webhooks::page).post(webhooks::update),
        )
        .route("/access/webhooks/{id}/test", post(webhooks::ping))
        .route("/access/webhooks/{id}/rotate", post(webhooks::rotate))
        .route("/access/webhooks/{id}/delete", post(webhooks::delete))
        .route("/access/audit", get(audit::page))
}

/// The tabs of the API access pages, each shown when the person may use it.
pub struct Tab {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

fn tabs(signed: &Signed, current: &str) -> Vec<Tab> {
    let actor = &signed.actor;
    [
        ("/access", "Clients and keys", Action::ManageApiAccess),
        ("/access/webhooks", "Webhooks", Action::ManageApiAccess),
        ("/access/audit", "Audit log", Action::ViewAudit),
    ]
    .into_iter()
    .filter(|(_, _, action)| may(actor, *action, Target::Company(actor.company_id)))
    .map(|(href, label, _)| Tab {
        href,
        label,
        current: href == current,
    })
    .collect()
}

/// The entries of a list typed one a line (or separated by commas or spaces), blanks
/// dropped: `"10.0.0.0/8\n 203.0.113.7, "` is two entries.
fn entries(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|entry| !entry.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A role as people read it.
pub fn role_label(role: UserType) -> &'static str {
    match role {
        UserType::Staff => "Staff",
        UserType::Approver => "Approver",
        UserType::ApproverPlusAdd => "Approver, may add leave",
        UserType::ApproverPlusAddEditCancel => "Approver, may add, edit and cancel leave",
        UserType::SuperUser => "Super user",
        UserType::SuperUserWithStaffHub => "Super user with staff hub",
    }
}

/// The roles a credential may be given as its ceiling: up to the person's own.
fn ceilings(signed: &Signed) -> Vec<(i64, &'static str)> {
    UserType::ALL
        .into_iter()
        .filter(|role| *role <= signed.actor.role)
        .map(|role| (role.code(), role_label(role)))
        .collect()
}

/// Whom a client or key may act as, by name: the company's approvers and super users
/// (the ones an integration usually acts as), and whoever `drafts` name already; anyone
/// else active is named by e-mail ([`find_acting`]).
async fn acting_choices(
    state: &AppState,
    signed: &Signed,
    drafts: &[&Draft],
) -> Result<Vec<(i64, String)>, PageError> {
    let limit = Some(rota_core::paging::MAX_LIMIT);
    let mut people: Vec<(i64, String)> = service::approvers(&state.db, &signed.actor, limit, None)
        .await?
        .data
        .into_iter()
        .map(|a| {
            (
                a.id,
                format!("{} {} ({})", a.first_name, a.last_name, a.email),
            )
        })
        .collect();
    let mut others: Vec<i64> = (drafts.iter())
        .filter_map(|draft| draft.acts_as_user_id.trim().parse().ok())
        .filter(|id| !people.iter().any(|(p, _)| p == id))
        .collect();
    others.sort_unstable();
    others.dedup();
    if !others.is_empty() {
        let names = PersonNames::load(state, signed, others.iter().copied()).await?;
        people.extend(others.into_iter().map(|id| (id, names.of(id))));
    }
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people)
}

/// The person a form names by e-mail to act as (`acts_as_email`), put in as the one picked:
/// the list offers approvers and super users, the e-mail anyone active in the company.
async fn find_acting(
    state: &AppState,
    signed: &Signed,
    draft: &mut Draft,
) -> Result<(), PageError> {
    let email = draft.acts_as_email.trim();
    if email.is_empty() {
        return Ok(());
    }
    let filter = UserFilter {
        email: Some(email.to_owned()),
        status: Some(UserStatus::Active),
        ..UserFilter::default()
    };
    let found = service::list(&state.db, &signed.actor, filter, Some(1), None).await?;
    let person = (found.data.into_iter().next()).ok_or_else(|| {
        rota_core::Error::invalid(
            "acts_as_email",
            "no active person of the company has this e-mail",
        )
    })?;
    draft.acts_as_user_id = person.id.to_string();
    Ok(())
}

/// RFC 3339 as people read it: `2026-11-30 13:45 UTC`.
fn when(rfc3339: &str) -> String {
    rfc3339.parse::<jiff::Timestamp>().map_or_else(
        |_| rfc3339.to_owned(),
        |t| t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// What an issued secret is, for its page.
pub struct Issued {
    /// What it belongs to: `API client "Payroll"`.
    pub subject: String,
    /// The public identifier beside it (an App ID), if any.
    pub app_id: Option<String>,
    /// The label of the secret: `Client secret`, `API key`, `Signing secret`.
    pub label: &'static str,
    pub secret: String,
    /// What to do with it, in a sentence.
    pub hint: &'static str,
    /// Where to go on.
    pub back: String,
}

#[derive(Template)]
#[template(path = "access_secret.html")]
struct SecretPage {
    frame: Frame,
    tabs: Vec<Tab>,
    issued: Issued,
}

/// The page that shows a secret this once.
async fn show_secret(
    state: &AppState,
    signed: &Signed,
    tab: &'static str,
    issued: Issued,
) -> Result<Response, PageError> {
    let frame = Frame::load(state, signed, "/access", "Copy the secret now").await?;
    render(&SecretPage {
        frame,
        tabs: tabs(signed, tab),
        issued,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_list_keeps_its_entries_and_drops_blanks() {
        assert_eq!(
            entries("10.0.0.0/8\r\n 203.0.113.7, \n\n2001:db8::/32"),
            ["10.0.0.0/8", "203.0.113.7", "2001:db8::/32"]
        );
        assert!(entries(" \n ").is_empty());
    }

    #[test]
    fn a_form_reads_repeated_and_absent_fields() {
        let fields: Fields = serde_urlencoded::from_str(
            "name=%20Pay%20&scopes=people%3Aread&scopes=leave%3Awrite&requires_nonce=on",
        )
        .expect("fields");
        assert_eq!(fields.one("name"), " Pay ");
        assert_eq!(fields.text("name").as_deref(), Some("Pay"));
        assert_eq!(fields.text("notes"), None);
        assert_eq!(fields.all("scopes"), ["people:read", "leave:write"]);
        assert!(fields.ticked("requires_nonce"));
        assert!(!fields.ticked("may_act_as_users"));
    }

    #[test]
    fn instants_read_as_minutes_in_utc() {
        assert_eq!(when("2026-11-30T13:45:12Z"), "2026-11-30 13:45 UTC");
        assert_eq!(when("not a time"), "not a time");
    }
}
