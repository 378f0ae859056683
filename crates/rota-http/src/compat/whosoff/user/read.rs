//! The User controller's reads: `retrieve` (v4, and v4.1 with the approver and notifier
//! roles and names), `get-by-id`, `get-my-details` and `get-approvers`.

use axum::extract::State;
use jiff::tz::TimeZone;
use rota_core::leave::report::UserBalances;
use rota_core::org::{self, Department, Tag};
use rota_core::people::directory::{self, Entry, PersonName};
use rota_core::people::service::{self, ApproverSummary, UserFilter};
use rota_core::people::types::{ApproverRole, UserStatus};
use rota_core::policy::{Action, Actor};
use rota_core::{Db, company};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Refusal, code, status_code};
use crate::AppState;
use crate::compat::dates::format_whosoff_datetime;
use crate::compat::lenient::Int;
use crate::compat::paging::all_pages;
use crate::compat::units::allowance_minutes;
use crate::compat::whosoff::envelope::{Answer, Envelope};
use crate::compat::whosoff::extract::{Body, Caller, Segments};

pub fn retrieve_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(retrieve))
        .routes(routes!(retrieve_v41))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_by_id))
        .routes(routes!(get_my_details))
        .routes(routes!(get_approvers))
}

/// `user/retrieve`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveBody {
    /// 0 company, 1 department, 2 tag, 3 staff, 4 my staff, 5 by approver.
    map_type_id: Int,
    /// The department, tag, user or approver of map types 1, 2, 3 and 5.
    map_id: Option<Int>,
    /// The start of the last name, in any case.
    last_name: Option<String>,
    /// 0 disabled, 1 active (the default), 99 both.
    status_id: Option<Int>,
}

/// A user as v4 `retrieve` lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserLine {
    user_id: i64,
    status_id: i64,
    staff_code: Option<String>,
    title: Option<String>,
    first_name: String,
    last_name: String,
    email_contact: Option<String>,
    email_type_id: i64,
    approver_id: Option<i64>,
    approver_first_name: Option<String>,
    approver_last_name: Option<String>,
    department_id: Option<i64>,
    department_name: Option<String>,
    region_id: Option<i64>,
    region_name: Option<String>,
    user_type_id: i64,
    notifier_2_id: Option<i64>,
    notifier_3_id: Option<i64>,
    allowance_type_id: i64,
    /// Minutes; null when the caller may not see this user's balances.
    this_year_remaining: Option<i32>,
    next_year_remaining: Option<i32>,
}

/// A user as v4.1 `retrieve` lists them: v4's fields, the approver slots' roles and names,
/// and the images.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserLine41 {
    #[serde(flatten)]
    line: UserLine,
    approver_role_id: i64,
    notifier_2_role_id: i64,
    notifier_2_first_name: Option<String>,
    notifier_2_last_name: Option<String>,
    notifier_3_role_id: i64,
    notifier_3_first_name: Option<String>,
    notifier_3_last_name: Option<String>,
    image_url_small: Option<String>,
    image_url_large: Option<String>,
}

/// A sign-in of `last_logins`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastLoginLine {
    /// The company's wall-clock time.
    login_date: String,
    device: Option<String>,
}

/// A user as `get-by-id` and `get-my-details` answer them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDetails {
    user_id: i64,
    status_id: i64,
    staff_code: Option<String>,
    title: Option<String>,
    first_name: String,
    middle_name: Option<String>,
    last_name: String,
    user_type_id: i64,
    default_view_type_id: i64,
    default_view_id: Option<i64>,
    default_sorting_id: i64,
    department_id: Option<i64>,
    region_id: Option<i64>,
    approver_id: Option<i64>,
    approver_role_id: i64,
    email_contact: Option<String>,
    notifier_2_id: Option<i64>,
    notifier_2_role_id: i64,
    notifier_3_id: Option<i64>,
    notifier_3_role_id: i64,
    email_type_id: i64,
    allowance_type_id: i64,
    active_directory_username: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    employment_started_date: Option<jiff::civil::Date>,
    #[schema(value_type = Option<String>, format = Date)]
    employment_ended_date: Option<jiff::civil::Date>,
    work_telephone: Option<String>,
    mobile_telephone: Option<String>,
    /// The five most recent; empty to a reader who may not see them.
    last_logins: Vec<LastLoginLine>,
    image_url_small: Option<String>,
    image_url_large: Option<String>,
    /// Rota has no Google sign-in: always empty.
    google_unique_id: String,
    /// Not published by Rota's face: always null.
    mfa_method_id: Option<i64>,
    /// Rota applies the company's password policy to every password: always true.
    password_policy: bool,
    /// The company's wall-clock time the account locked, while it is locked.
    lockout_date: Option<String>,
}

/// An approver as `get-approvers` lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApproverLine {
    user_id: i64,
    first_name: String,
    last_name: String,
    user_type_id: i64,
    email_contact: String,
}

/// One year's remaining Holiday allowance in minutes; `None` where Rota has no figure in
/// time (a pattern without working days) or the caller may not see it.
fn remaining(balances: Option<&UserBalances>, next: bool) -> Option<i32> {
    let balances = balances?;
    let year = if next {
        &balances.next_year
    } else {
        &balances.this_year
    };
    allowance_minutes(year.remaining, balances.unit, balances.day_minutes).ok()
}

/// Both names of a person named on a line, or neither.
fn names(person: &Option<PersonName>) -> (Option<String>, Option<String>) {
    person
        .clone()
        .map_or((None, None), |p| (Some(p.first_name), Some(p.last_name)))
}

fn line(entry: &Entry) -> UserLine {
    let user = &entry.user;
    let (approver_first_name, approver_last_name) = names(&entry.approver);
    UserLine {
        user_id: user.id,
        status_id: status_code(user.status),
        staff_code: user.staff_code.clone(),
        title: user.title.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email_contact: user.email.clone(),
        email_type_id: user.email_type.code(),
        approver_id: user.approver_id,
        approver_first_name,
        approver_last_name,
        department_id: user.department_id,
        department_name: entry.department_name.clone(),
        region_id: user.region_id,
        region_name: entry.region_name.clone(),
        user_type_id: user.user_type_id.code(),
        notifier_2_id: user.notifier_2_id,
        notifier_3_id: user.notifier_3_id,
        allowance_type_id: user.allowance_unit.code(),
        this_year_remaining: remaining(entry.balances.as_ref(), false),
        next_year_remaining: remaining(entry.balances.as_ref(), true),
    }
}

/// The department or tag a map names.
#[derive(Debug, Clone, Copy)]
enum Group {
    Department(i64),
    Tag(i64),
}

/// The people a map names, as a filter of the people list, with the department or tag it
/// names. That one is looked up only when the map finds nobody ([`UserMap::found`]): a
/// department or tag someone is in exists, so a call that finds people spares a statement.
pub(in crate::compat::whosoff) struct UserMap {
    pub filter: UserFilter,
    group: Option<Group>,
}

impl UserMap {
    /// `people`, found with [`UserMap::filter`]; when there is nobody, 404 for a department
    /// or tag that does not exist in the company.
    pub async fn found<T>(
        &self,
        db: &Db,
        actor: &Actor,
        people: Vec<T>,
    ) -> Result<Vec<T>, Refusal> {
        if people.is_empty() {
            match self.group {
                Some(Group::Department(id)) => {
                    org::get::<Department>(db, actor, id).await?;
                }
                Some(Group::Tag(id)) => {
                    org::get::<Tag>(db, actor, id).await?;
                }
                None => {}
            }
        }
        Ok(people)
    }
}

/// The people a map names (company 0, department 1, tag 2, staff 3, my staff 4, by
/// approver 5, with `map_id` for 1, 2, 3 and 5) of a user status (disabled 0, active 1,
/// the default, both 99; its field named `status_field`): `user/retrieve`'s and
/// `reporting/work`'s. An id of another company, or of someone the actor may not see, is
/// absent.
pub(in crate::compat::whosoff) async fn user_map(
    db: &Db,
    actor: &Actor,
    map_type_id: Option<Int>,
    map_id: Option<Int>,
    (status_field, status_id): (&'static str, Option<Int>),
) -> Result<UserMap, Refusal> {
    let map_type = code(
        "map_type_id",
        map_type_id,
        |c| (0..=5).contains(&c).then_some(c),
        "0 (company), 1 (department), 2 (tag), 3 (staff), 4 (my staff), 5 (by approver)",
    )?
    .unwrap_or_default();
    let map_id = || {
        map_id
            .map(Int::get)
            .filter(|id| *id != 0)
            .ok_or_else(|| Refusal::invalid("map_id", "map_id is required for this map_type_id"))
    };
    let mut filter = UserFilter::default();
    match code(
        status_field,
        status_id,
        |c| [0, 1, 99].contains(&c).then_some(c),
        "0 (disabled), 1 (active), 99 (both)",
    )? {
        Some(0) => filter.status = Some(UserStatus::Archived),
        Some(99) => filter.include_archived = true,
        _ => {}
    }
    let mut group = None;
    match map_type {
        1 => {
            let id = map_id()?;
            filter.department_id = Some(id);
            group = Some(Group::Department(id));
        }
        2 => {
            let id = map_id()?;
            filter.tag_id = Some(id);
            group = Some(Group::Tag(id));
        }
        3 => filter.user_id = Some(service::get(db, actor, map_id()?).await?.id),
        4 => {
            if !rota_core::policy::may(
                actor,
                Action::ListMyStaff,
                rota_core::policy::Target::Company(actor.company_id),
            ) {
                return Err(Refusal::forbidden("only approvers have staff"));
            }
            filter.approved_by = Some(actor.user_id);
        }
        5 => filter.approved_by = Some(service::get(db, actor, map_id()?).await?.id),
        _ => {}
    }
    Ok(UserMap { filter, group })
}

/// The people a `retrieve` body asks for, with the names and balances its lines show.
async fn entries(db: &Db, actor: &Actor, body: RetrieveBody) -> Result<Vec<Entry>, Refusal> {
    let map = user_map(
        db,
        actor,
        Some(body.map_type_id),
        body.map_id,
        ("status_id", body.status_id),
    )
    .await?;
    let filter = UserFilter {
        last_name: body.last_name.filter(|name| !name.is_empty()),
        ..map.filter.clone()
    };
    map.found(db, actor, directory::list(db, actor, filter).await?)
        .await
}

/// The users the caller may see, by company, department, tag, person, their own staff or
/// an approver's, with a last name and a status. User level STAFF.
#[utoipa::path(post, path = "/v4/user/retrieve", tag = "user", request_body = RetrieveBody,
    responses((status = 200, body = Envelope<Vec<UserLine>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<UserLine>> {
    let body: RetrieveBody = body.parse()?;
    let entries = entries(&state.db, &caller.actor, body).await?;
    Envelope::ok(entries.iter().map(line).collect())
}

/// v4.1's `retrieve`: v4's lines with the approver and notifier roles and names and the
/// images. User level STAFF.
#[utoipa::path(post, path = "/v4.1/user/retrieve", tag = "user", request_body = RetrieveBody,
    responses((status = 200, body = Envelope<Vec<UserLine41>>)))]
async fn retrieve_v41(
    State(state): State<AppState>,
    caller: Caller,
    body: Body,
) -> Answer<Vec<UserLine41>> {
    let body: RetrieveBody = body.parse()?;
    let entries = entries(&state.db, &caller.actor, body).await?;
    Envelope::ok(
        entries
            .iter()
            .map(|entry| {
                let user = &entry.user;
                let (notifier_2_first_name, notifier_2_last_name) = names(&entry.notifier_2);
                let (notifier_3_first_name, notifier_3_last_name) = names(&entry.notifier_3);
                UserLine41 {
                    line: line(entry),
                    approver_role_id: user.approver_role.code(),
                    notifier_2_role_id: user.notifier_2_role.code(),
                    notifier_2_first_name,
                    notifier_2_last_name,
                    notifier_3_role_id: user.notifier_3_role.code(),
                    notifier_3_first_name,
                    notifier_3_last_name,
                    image_url_small: user.image_url_small.clone(),
                    image_url_large: user.image_url_large.clone(),
                }
            })
            .collect(),
    )
}

/// An RFC 3339 instant from the core as the company's wall-clock time.
fn wall_clock(instant: &str, zone: &TimeZone) -> Option<String> {
    instant
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|at| format_whosoff_datetime(at, zone))
}

async fn details(db: &Db, actor: &Actor, id: i64) -> Result<UserDetails, Refusal> {
    let user = service::get(db, actor, id).await?;
    let company = company::get(db, actor).await?;
    let zone = TimeZone::get(&company.time_zone).unwrap_or(TimeZone::UTC);
    let role = |role: ApproverRole| role.code();
    Ok(UserDetails {
        user_id: user.id,
        status_id: status_code(user.status),
        staff_code: user.staff_code,
        title: user.title,
        first_name: user.first_name,
        middle_name: user.middle_name,
        last_name: user.last_name,
        user_type_id: user.user_type_id.code(),
        default_view_type_id: user.default_view_type_id,
        default_view_id: user.default_view_id,
        default_sorting_id: user.default_sorting_id,
        department_id: user.department_id,
        region_id: user.region_id,
        approver_id: user.approver_id,
        approver_role_id: role(user.approver_role),
        email_contact: user.email,
        notifier_2_id: user.notifier_2_id,
        notifier_2_role_id: role(user.notifier_2_role),
        notifier_3_id: user.notifier_3_id,
        notifier_3_role_id: role(user.notifier_3_role),
        email_type_id: user.email_type.code(),
        allowance_type_id: user.allowance_unit.code(),
        active_directory_username: user.active_directory_username,
        employment_started_date: user.employment_start_date,
        employment_ended_date: user.employment_end_date,
        work_telephone: user.work_phone,
        mobile_telephone: user.mobile_phone,
        last_logins: user
            .last_logins
            .unwrap_or_default()
            .into_iter()
            .filter_map(|login| {
                Some(LastLoginLine {
                    login_date: wall_clock(&login.login_date, &zone)?,
                    device: login.device,
                })
            })
            .collect(),
        image_url_small: user.image_url_small,
        image_url_large: user.image_url_large,
        google_unique_id: String::new(),
        mfa_method_id: None,
        password_policy: true,
        lockout_date: user
            .lockout_date
            .and_then(|instant| wall_clock(&instant, &zone)),
    })
}

/// One user the caller may see. User level STAFF.
#[utoipa::path(get, path = "/v4/user/get-by-id/{user_id}", tag = "user",
    params(("user_id" = i64, Path)), responses((status = 200, body = Envelope<UserDetails>)))]
async fn get_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Segments(user_id): Segments<Int>,
) -> Answer<UserDetails> {
    Envelope::ok(details(&state.db, &caller.actor, user_id.get()).await?)
}

/// The caller. User level STAFF.
#[utoipa::path(get, path = "/v4/user/get-my-details", tag = "user",
    responses((status = 200, body = Envelope<UserDetails>)))]
async fn get_my_details(State(state): State<AppState>, caller: Caller) -> Answer<UserDetails> {
    let me = caller.actor.user_id;
    Envelope::ok(details(&state.db, &caller.actor, me).await?)
}

/// The active users who may approve: approvers of any kind and super users. User level
/// SUPER USER.
#[utoipa::path(get, path = "/v4/user/get-approvers", tag = "user",
    responses((status = 200, body = Envelope<Vec<ApproverLine>>)))]
async fn get_approvers(State(state): State<AppState>, caller: Caller) -> Answer<Vec<ApproverLine>> {
    let (db, actor) = (&state.db, &caller.actor);
    let approvers: Vec<ApproverSummary> = all_pages(|limit, cursor: Option<String>| async move {
        service::approvers(db, actor, Some(limit), cursor.as_deref()).await
    })
    .await?;
    Envelope::ok(
        approvers
            .into_iter()
            .map(|a| ApproverLine {
                user_id: a.id,
                first_name: a.first_name,
                last_name: a.last_name,
                user_type_id: a.user_type_id,
                email_contact: a.email,
            })
            .collect(),
    )
}
