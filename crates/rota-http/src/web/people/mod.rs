//! People: the list with search and filters, in pages ([`list`]); one person to create,
//! edit, archive, restore, unlock and give an allowance adjustment ([`person`]), with the
//! fields rarely set by hand ([`more`]); people
//! imported from and exported as CSV ([`import`]). For those who may list their staff
//! (approvers and super users); what each may do to a person, and whether they may
//! create, import and export, is the core's `may()`, and the core refuses the rest.

pub mod import;
pub(crate) mod more;
pub mod person;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use rota_core::org::{self, Department, Location, OrgItem, Position, Region, Tag};
use rota_core::people::model::User;
use rota_core::people::service::{self, UserFilter};
use rota_core::people::types::{UserStatus, UserType};
use rota_core::policy::{Action, Actor, Target, may};
use serde::Deserialize;

use super::page::{Frame, PageError, Problem, render};
use super::session::Signed;
use crate::AppState;

/// The page is for those who may list their staff; the list holds whom they may see.
pub(super) fn ensure_may_manage(signed: &Signed) -> Result<(), PageError> {
    let actor = &signed.actor;
    if may(
        actor,
        Action::ListMyStaff,
        Target::Company(actor.company_id),
    ) {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
}

/// Whether the actor may create people (and so import and export them).
pub(super) fn may_create(actor: &Actor) -> bool {
    may(actor, Action::CreateUser, Target::Company(actor.company_id))
}

/// A choice of a select: its value, label, and whether it is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

impl Choice {
    pub(super) fn new(value: impl ToString, label: impl Into<String>, chosen: bool) -> Self {
        Self {
            value: value.to_string(),
            label: label.into(),
            chosen,
        }
    }
}

/// The company's departments, regions, locations and tags, by id and name.
pub struct Organisation {
    pub departments: Vec<(i64, String)>,
    pub regions: Vec<(i64, String)>,
    pub locations: Vec<(i64, String)>,
    pub positions: Vec<(i64, String)>,
    pub tags: Vec<(i64, String)>,
}

/// Every item of a kind (one page of the most the API gives: a company's organisation
/// fits in it).
async fn named<T: OrgItem>(
    state: &AppState,
    actor: &Actor,
    name: fn(&T) -> &str,
) -> Result<Vec<(i64, String)>, PageError> {
    let page = org::list::<T>(&state.db, actor, Some(rota_core::paging::MAX_LIMIT), None).await?;
    Ok(page
        .data
        .iter()
        .map(|item| (item.id(), name(item).to_owned()))
        .collect())
}

impl Organisation {
    pub async fn load(state: &AppState, actor: &Actor) -> Result<Self, PageError> {
        Ok(Self {
            departments: named::<Department>(state, actor, |d| &d.name).await?,
            regions: named::<Region>(state, actor, |r| &r.name).await?,
            locations: named::<Location>(state, actor, |l| &l.name).await?,
            positions: named::<Position>(state, actor, |p| &p.name).await?,
            tags: named::<Tag>(state, actor, |t| &t.name).await?,
        })
    }

    /// `items` as choices, with `chosen` chosen, after a blank "any"/"none" choice.
    pub fn choices(items: &[(i64, String)], chosen: &[i64], blank: &str) -> Vec<Choice> {
        std::iter::once(Choice::new("", blank, chosen.is_empty()))
            .chain(
                items
                    .iter()
                    .map(|(id, name)| Choice::new(id, name.clone(), chosen.contains(id))),
            )
            .collect()
    }

    fn name_of(items: &[(i64, String)], id: Option<i64>) -> String {
        id.and_then(|id| items.iter().find(|(i, _)| *i == id))
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    }
}

/// A role's name as the pages say it.
pub fn role_name(role: UserType) -> &'static str {
    match role {
        UserType::Staff => "Staff",
        UserType::Approver => "Approver",
        UserType::ApproverPlusAdd => "Approver (add)",
        UserType::ApproverPlusAddEditCancel => "Approver (add, edit, cancel)",
        UserType::SuperUser => "Super user",
        UserType::SuperUserWithStaffHub => "Super user (staff hub)",
    }
}

/// The roles as choices, `chosen` chosen, after a blank one labelled `blank` (if any).
pub fn role_choices(chosen: Option<UserType>, blank: Option<&str>) -> Vec<Choice> {
    blank
        .map(|label| Choice::new("", label, chosen.is_none()))
        .into_iter()
        .chain(
            UserType::ALL
                .into_iter()
                .map(|role| Choice::new(role.code(), role_name(role), chosen == Some(role))),
        )
        .collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    region_id: String,
    #[serde(default)]
    location_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    user_type_id: String,
    cursor: Option<String>,
    done: Option<String>,
    created: Option<usize>,
    updated: Option<usize>,
    refused: Option<usize>,
}

/// A person as a row of the list.
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub department: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "people_list.html")]
struct ListPage {
    frame: Frame,
    notice: Option<String>,
    q: String,
    departments: Vec<Choice>,
    regions: Vec<Choice>,
    locations: Vec<Choice>,
    statuses: Vec<Choice>,
    roles: Vec<Choice>,
    people: Vec<PersonRow>,
    /// The query of the next page, when there is one.
    next: Option<String>,
    may_create: bool,
    /// No refusal: the filters' selects share the form macros.
    problem: Problem,
}

/// An optional id of a filter; anything else is no filter.
fn filter_id(text: &str) -> Option<i64> {
    text.parse().ok().filter(|id| *id > 0)
}

fn notice(query: &ListQuery) -> Option<String> {
    match query.done.as_deref() {
        Some("archived") => Some("The person is archived.".into()),
        Some("imported") => Some(format!(
            "Imported: {} created, {} updated, {} refused.",
            query.created.unwrap_or(0),
            query.updated.unwrap_or(0),
            query.refused.unwrap_or(0)
        )),
        _ => None,
    }
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    ensure_may_manage(&signed)?;
    let frame = Frame::load(&state, &signed, "/people", "People").await?;
    let actor = &signed.actor;
    let status = match query.status.as_str() {
        "archived" => Some(UserStatus::Archived),
        "pending" => Some(UserStatus::Pending),
        "active" => Some(UserStatus::Active),
        _ => None,
    };
    let role = query
        .user_type_id
        .parse::<i64>()
        .ok()
        .and_then(|code| UserType::try_from(code).ok());
    let filter = UserFilter {
        department_id: filter_id(&query.department_id),
        region_id: filter_id(&query.region_id),
        location_id: filter_id(&query.location_id),
        status,
        user_type_id: role,
        q: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
        ..UserFilter::default()
    };
    let page = service::list(&state.db, actor, filter, Some(50), query.cursor.as_deref()).await?;
    let organisation = Organisation::load(&state, actor).await?;
    let people = page
        .data
        .iter()
        .map(|user| person_row(user, &organisation))
        .collect();
    let next = page.next_cursor.map(|cursor| {
        let mut next = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", query.q.as_str()),
            ("department_id", &query.department_id),
            ("region_id", &query.region_id),
            ("location_id", &query.location_id),
            ("status", &query.status),
            ("user_type_id", &query.user_type_id),
            ("cursor", &cursor),
        ] {
            if !value.is_empty() {
                next.append_pair(key, value);
            }
        }
        next.finish()
    });
    let ids = |id: &str| filter_id(id).into_iter().collect::<Vec<_>>();
    render(&ListPage {
        frame,
        notice: notice(&query),
        q: query.q.clone(),
        departments: Organisation::choices(
            &organisation.departments,
            &ids(&query.department_id),
            "Any",
        ),
        regions: Organisation::choices(&organisation.regions, &ids(&query.region_id), "Any"),
        locations: Organisation::choices(&organisation.locations, &ids(&query.location_id), "Any"),
        statuses: [
            ("", "Active and pending"),
            ("active", "Active"),
            ("pending", "Pending"),
            ("archived", "Archived"),
        ]
        .into_iter()
        .map(|(value, label)| Choice::new(value, label, query.status == value))
        .collect(),
        roles: role_choices(role, Some("Any")),
        people,
        next,
        may_create: may_create(actor),
        problem: Problem::default(),
    })
}

fn person_row(user: &User, organisation: &Organisation) -> PersonRow {
    PersonRow {
        id: user.id,
        name: format!("{} {}", user.first_name, user.last_name),
        email: user.email.clone().unwrap_or_default(),
        role: role_name(user.user_type_id),
        department: Organisation::name_of(&organisation.departments, user.department_id),
        status: user.status.as_str(),
    }
}
