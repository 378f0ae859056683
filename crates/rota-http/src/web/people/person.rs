//! One person: the form that creates them (`/people/new`) and the page that edits them
//! (`/people/{id}`), with archive, restore, unlock, demanding two-step sign-in of them
//! (their `force_mfa`) and an allowance adjustment with its reason. The form holds only the fields the actor may change on this person (by the
//! core's field classes and `may()`), so what it posts is what the core would accept
//! from them; every refusal is the core's, next to its field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::leave::allowance::{self, AdjustmentInput, Allowance};
use rota_core::people::model::{User, UserInput};
use rota_core::people::service;
use rota_core::people::sheet::Column;
use rota_core::people::types::{AllowanceUnit, UserStatus, UserType, Weekday};
use rota_core::policy::{Action, Capabilities, FieldClass};
use serde::Deserialize;

use super::{Choice, Organisation, ensure_may_manage, may_create, more, role_choices};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::form::Fields;
use crate::web::my_leave::Balance;
use crate::web::page::{Frame, PageError, PersonNames, Problem, render};
use crate::web::session::{Posted, Refused, Signed};

/// The fields of the form, as the core names them: the columns of the people sheet, then
/// those rarely set by hand, the positions list and the rates per position.
fn fields() -> Vec<&'static str> {
    (Column::ALL.map(Column::name).into_iter())
        .chain(more::FIELDS)
        .chain(["positions", "position_rates"])
        .collect()
}

/// Which classes of field the actor may change here.
pub struct Editable {
    pub own: bool,
    pub managed: bool,
    pub privileged: bool,
}

impl Editable {
    fn of(capabilities: &Capabilities) -> Self {
        Self {
            own: capabilities.allows(Action::EditUser(FieldClass::SelfService)),
            managed: capabilities.allows(Action::EditUser(FieldClass::Managed)),
            privileged: capabilities.allows(Action::EditUser(FieldClass::Privileged)),
        }
    }

    pub fn any(&self) -> bool {
        self.own || self.managed || self.privileged
    }
}

/// The form's values, as typed (after a refusal) or as stored.
#[derive(Default)]
pub struct Values {
    pub text: std::collections::HashMap<&'static str, String>,
}

impl Values {
    pub fn get(&self, field: &str) -> &str {
        self.text.get(field).map_or("", String::as_str)
    }

    /// Each field of `user` in the text form the people sheet writes it.
    fn of_user(user: &User) -> Self {
        Self {
            text: (Column::ALL.into_iter())
                .map(|column| (column.name(), column.cell(user)))
                .chain(more::cells(user))
                .collect(),
        }
    }

    fn of_form(form: &Fields) -> Self {
        Self {
            text: (fields().into_iter())
                .filter_map(|field| Some((field, form.get(field)?.to_owned())))
                .collect(),
        }
    }
}

/// The lists of the form, chosen as typed or as stored.
pub struct Lists {
    pub working_days: Vec<i64>,
    pub locations: Vec<i64>,
    pub positions: Vec<i64>,
    pub tags: Vec<i64>,
    /// The rate typed for a position, by its id.
    pub rates: Vec<(i64, String)>,
}

impl Lists {
    fn of_user(user: &User) -> Self {
        Self {
            working_days: user.working_days.iter().map(|d| d.number()).collect(),
            locations: user.locations.clone(),
            positions: user.positions.clone(),
            tags: user.tags.clone(),
            rates: more::rates_of_user(user),
        }
    }

    fn of_form(form: &Fields) -> Self {
        let ids = |name: &str| -> Vec<i64> {
            (form.all(name).iter())
                .filter_map(|value| value.parse().ok())
                .collect()
        };
        Self {
            working_days: ids("working_days"),
            locations: ids("locations"),
            positions: ids("positions"),
            tags: ids("tags"),
            rates: more::rates_of_form(form),
        }
    }
}

#[derive(Template)]
#[template(path = "people_person.html")]
struct PersonPage {
    frame: Frame,
    notice: Option<&'static str>,
    problem: Problem,
    /// `None` on the form that creates a person.
    person: Option<User>,
    editable: Editable,
    values: Values,
    roles: Vec<Choice>,
    departments: Vec<Choice>,
    regions: Vec<Choice>,
    locations: Vec<Choice>,
    tags: Vec<Choice>,
    positions: Vec<Choice>,
    /// Each position's rate for them: its id, name and the amount as typed or stored.
    position_rates: Vec<(i64, String, String)>,
    approvers: Vec<Choice>,
    /// Whom notifiers 2 and 3 and the manager may be.
    notifier_2: Vec<Choice>,
    notifier_3: Vec<Choice>,
    managers: Vec<Choice>,
    /// What each slot does: the approver's, notifier 2's, notifier 3's.
    slot_roles: [Vec<Choice>; 3],
    units: Vec<Choice>,
    emails: Vec<Choice>,
    /// The department or tag they see first, and how people are sorted.
    views: Vec<Choice>,
    sortings: Vec<Choice>,
    /// The privacy flags: field, label, ticked.
    flags: Vec<(&'static str, &'static str, bool)>,
    days: Vec<Choice>,
    may_archive: bool,
    may_restore: bool,
    may_unlock: bool,
    /// Whether I may demand two-step sign-in of them (or stop demanding it).
    may_demand_mfa: bool,
    balances: Vec<(String, Balance)>,
    may_adjust: bool,
}

impl PersonPage {
    fn action(&self) -> String {
        match &self.person {
            Some(person) => format!("/people/{}", person.id),
            None => "/people/new".to_owned(),
        }
    }
}

/// What the page is drawn from: the person (none when creating), with the form as typed.
struct Draw<'a> {
    person: Option<User>,
    typed: Option<&'a Fields>,
    notice: Option<&'static str>,
    problem: Problem,
}

async fn person_page(
    state: &AppState,
    signed: &Signed,
    draw: Draw<'_>,
) -> Result<PersonPage, PageError> {
    let actor = &signed.actor;
    let (title, capabilities) = match &draw.person {
        Some(person) => {
            let mut all = service::capabilities(&state.db, actor, &[person.id]).await?;
            let capabilities = all.remove(&person.id).ok_or_else(PageError::not_found)?;
            ("Person", Some(capabilities))
        }
        None => ("Add a person", None),
    };
    let frame = Frame::load(state, signed, "/people", title).await?;
    let editable = match &capabilities {
        Some(capabilities) => Editable::of(capabilities),
        None => Editable {
            own: true,
            managed: true,
            privileged: true,
        },
    };
    let allows = |action| capabilities.as_ref().is_some_and(|c| c.allows(action));
    let (values, lists) = match (draw.typed, &draw.person) {
        (Some(form), _) => (Values::of_form(form), Lists::of_form(form)),
        (None, Some(person)) => (Values::of_user(person), Lists::of_user(person)),
        (None, None) => (
            Values::default(),
            Lists {
                working_days: Weekday::WORKING_WEEK.map(Weekday::number).to_vec(),
                locations: vec![],
                positions: vec![],
                tags: vec![],
                rates: vec![],
            },
        ),
    };
    let organisation = Organisation::load(state, actor).await?;
    let chosen = |field: &str| {
        values
            .get(field)
            .parse::<i64>()
            .ok()
            .into_iter()
            .collect::<Vec<_>>()
    };
    let approvers: Vec<(i64, String)> = if editable.privileged {
        service::approvers(&state.db, actor, Some(rota_core::paging::MAX_LIMIT), None)
            .await?
            .data
            .into_iter()
            .map(|a| (a.id, format!("{} {}", a.first_name, a.last_name)))
            .collect()
    } else {
        Vec::new()
    };
    let slot = |field: &str| values.get(field).parse::<i64>().ok();
    // Whoever is chosen but not an approver is named too, all in one read.
    let others = (PEOPLE_SLOTS.into_iter())
        .filter_map(slot)
        .filter(|id| !approvers.iter().any(|(a, _)| a == id));
    let names = PersonNames::load(state, signed, others).await?;
    let people = |field| person_choices(&approvers, slot(field), &names);
    let status = draw.person.as_ref().map(|p| p.status);
    let balances = match &draw.person {
        Some(person) if allows(Action::ViewBalances) => {
            allowance::for_user(&state.db, actor, person.id, None)
                .await?
                .iter()
                .map(|a| (adjustment_key(a), Balance::of(a)))
                .collect()
        }
        _ => Vec::new(),
    };
    let role = values
        .get("user_type_id")
        .parse::<i64>()
        .ok()
        .and_then(|code| UserType::try_from(code).ok())
        .or(Some(UserType::Staff));
    Ok(PersonPage {
        frame,
        notice: draw.notice,
        problem: draw.problem,
        editable,
        roles: role_choices(role, None),
        departments: Organisation::choices(
            &organisation.departments,
            &chosen("department_id"),
            "None",
        ),
        regions: Organisation::choices(&organisation.regions, &chosen("region_id"), "None"),
        locations: Organisation::choices(&organisation.locations, &lists.locations, ""),
        tags: Organisation::choices(&organisation.tags, &lists.tags, ""),
        positions: Organisation::choices(&organisation.positions, &lists.positions, ""),
        position_rates: (organisation.positions.iter())
            .map(|(id, name)| {
                let typed = lists.rates.iter().find(|(position, _)| position == id);
                (
                    *id,
                    name.clone(),
                    typed.map(|(_, text)| text.clone()).unwrap_or_default(),
                )
            })
            .collect(),
        notifier_2: people("notifier_2_id"),
        notifier_3: people("notifier_3_id"),
        managers: people("manager_id"),
        approvers: people("approver_id"),
        slot_roles: ["approver_role", "notifier_2_role", "notifier_3_role"]
            .map(|field| more::role_choices(values.get(field))),
        units: more::unit_choices(values.get("allowance_unit")),
        emails: more::email_choices(values.get("email_type")),
        views: more::view_choices(
            &organisation.departments,
            &organisation.tags,
            values.get("default_view"),
        ),
        sortings: more::sorting_choices(values.get("default_sorting_id")),
        flags: (more::FLAGS.iter())
            .map(|&(name, label)| (name, label, values.get(name) == "on"))
            .collect(),
        days: Weekday::ALL
            .into_iter()
            .map(|day| Choice {
                value: day.number().to_string(),
                label: day_name(day).to_owned(),
                chosen: lists.working_days.contains(&day.number()),
            })
            .collect(),
        may_archive: allows(Action::ArchiveUser) && status != Some(UserStatus::Archived),
        may_restore: allows(Action::RestoreUser) && status == Some(UserStatus::Archived),
        may_unlock: allows(Action::UnlockUser)
            && draw
                .person
                .as_ref()
                .is_some_and(|p| p.lockout_date.is_some()),
        may_demand_mfa: allows(Action::EditUser(FieldClass::Privileged)),
        may_adjust: allows(Action::EditUser(FieldClass::Privileged)) && !balances.is_empty(),
        balances,
        values,
        person: draw.person,
    })
}

/// `people` as choices after "None", `chosen` chosen; someone chosen who is not among them
/// (no longer an approver, say) is added by name, so that saving the form keeps them.
fn person_choices(
    people: &[(i64, String)],
    chosen: Option<i64>,
    names: &PersonNames,
) -> Vec<Choice> {
    let mut choices = Organisation::choices(people, &Vec::from_iter(chosen), "None");
    if let Some(id) = chosen.filter(|id| !people.iter().any(|(p, _)| p == id)) {
        choices.push(Choice::new(id, names.of(id), true));
    }
    choices
}

/// The form's fields that name a person: approver, notifiers 2 and 3, manager.
const PEOPLE_SLOTS: [&str; 4] = [
    "approver_id",
    "notifier_2_id",
    "notifier_3_id",
    "manager_id",
];

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// The choice of an allowance to adjust: its type and leave year.
fn adjustment_key(allowance: &Allowance) -> String {
    format!("{}:{}", allowance.leave_type_id, allowance.year_start)
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    done: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    ensure_may_create(&signed)?;
    let draw = Draw {
        person: None,
        typed: None,
        notice: None,
        problem: Problem::default(),
    };
    render(&person_page(&state, &signed, draw).await?)
}

fn ensure_may_create(signed: &Signed) -> Result<(), PageError> {
    ensure_may_manage(signed)?;
    if may_create(&signed.actor) {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    ensure_may_manage(&signed)?;
    let person = service::get(&state.db, &signed.actor, path_id(&id)?).await?;
    let notice = match query.done.as_deref() {
        Some("created") => Some("The person is added."),
        Some("saved") => Some("The changes are saved."),
        Some("restored") => Some("The person is restored."),
        Some("unlocked") => Some("The person may sign in again."),
        Some("mfa-demanded") => Some("They will be asked to set up two-step sign-in."),
        Some("mfa-not-demanded") => Some("Two-step sign-in is no longer demanded of them."),
        Some("adjusted") => Some("The allowance is adjusted."),
        _ => None,
    };
    let draw = Draw {
        person: Some(person),
        typed: None,
        notice,
        problem: Problem::default(),
    };
    render(&person_page(&state, &signed, draw).await?)
}

/// The input of a posted form: each field the form holds (and only those), blank text
/// clearing an optional one; a list the form shows arrives with its `has_` marker, so
/// that nothing ticked empties it.
fn input_of(form: &Fields) -> Result<UserInput, PageError> {
    let one = |name: &str| form.trimmed(name).map(str::to_owned);
    let text = |name: &str| form.change(name);
    let id = |name: &str| -> Result<Option<Option<i64>>, PageError> {
        form.trimmed(name)
            .map(|v| match v {
                "" => Ok(None),
                v => v
                    .parse()
                    .map(Some)
                    .map_err(|_| PageError::bad_form(&format!("{name} is not an id"))),
            })
            .transpose()
    };
    let lists = Lists::of_form(form);
    let has = |name: &str| form.ticked(&format!("has_{name}"));
    let mut input = UserInput::default();
    more::put(form, &mut input)?;
    let role = form
        .trimmed("user_type_id")
        .map(|code| {
            code.parse::<i64>()
                .ok()
                .and_then(|code| UserType::try_from(code).ok())
                .ok_or_else(|| PageError::bad_form("user_type_id is not a role"))
        })
        .transpose()?;
    Ok(UserInput {
        email: one("email"),
        first_name: one("first_name"),
        last_name: one("last_name"),
        title: text("title"),
        middle_name: text("middle_name"),
        work_phone: text("work_phone"),
        mobile_phone: text("mobile_phone"),
        staff_code: text("staff_code"),
        job_title: text("job_title"),
        user_type_id: role,
        department_id: id("department_id")?,
        region_id: id("region_id")?,
        approver_id: id("approver_id")?,
        employment_start_date: text("employment_start_date"),
        employment_end_date: text("employment_end_date"),
        holiday_country: text("holiday_country"),
        holiday_subdivision: text("holiday_subdivision"),
        time_zone: text("time_zone"),
        employment_type: text("employment_type"),
        notes: text("notes"),
        working_days: has("working_days").then(|| {
            lists
                .working_days
                .iter()
                .filter_map(|n| Weekday::from_number(*n))
                .collect()
        }),
        locations: has("locations").then_some(lists.locations),
        positions: has("positions").then_some(lists.positions),
        tags: has("tags").then_some(lists.tags),
        ..input
    })
}

pub async fn create(
    State(state): State<AppState>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_create(&signed)?;
    let outcome = match input_of(&form) {
        Ok(input) => service::create(&state.db, &signed.actor, input)
            .await
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(user) => Ok(Redirect::to(&format!("/people/{}?done=created", user.id)).into_response()),
        Err(error) => refused(&state, &signed, None, &form, error).await,
    }
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_manage(&signed)?;
    let id = path_id(&id)?;
    let outcome = match input_of(&form) {
        Ok(input) => service::update(&state.db, &signed.actor, id, input)
            .await
            .map_err(PageError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}?done=saved")).into_response()),
        Err(error) => {
            let person = service::get(&state.db, &signed.actor, id)
                .await
                .map_err(PageError::from)?;
            refused(&state, &signed, Some(person), &form, error).await
        }
    }
}

/// The form again, as typed, with the core's refusal next to its field.
async fn refused(
    state: &AppState,
    signed: &Signed,
    person: Option<User>,
    form: &Fields,
    mut error: PageError,
) -> Result<Response, Refused> {
    let status = error.status;
    error.field = error.field.map(|f| more::form_field(&f).to_owned());
    let draw = Draw {
        person,
        typed: Some(form),
        notice: None,
        problem: Problem::of(&error, &fields()),
    };
    let mut response = render(&person_page(state, signed, draw).await?)?;
    *response.status_mut() = status;
    Ok(response)
}

/// An action on a person that takes no input: archive, restore, unlock.
#[derive(Deserialize)]
pub struct Nothing {}

pub async fn archive(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    act(state, &id, posted, Act::Archive).await
}

pub async fn restore(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    act(state, &id, posted, Act::Restore).await
}

pub async fn unlock(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    act(state, &id, posted, Act::Unlock).await
}

enum Act {
    Archive,
    Restore,
    Unlock,
}

async fn act(
    State(state): State<AppState>,
    id: &str,
    posted: Posted<Nothing>,
    act: Act,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    ensure_may_manage(&signed)?;
    let id = path_id(id)?;
    let (db, actor) = (&state.db, &signed.actor);
    let to = match act {
        Act::Archive => {
            service::archive(db, actor, id)
                .await
                .map_err(PageError::from)?;
            "/people?done=archived".to_owned()
        }
        Act::Restore => {
            service::restore(db, actor, id)
                .await
                .map_err(PageError::from)?;
            format!("/people/{id}?done=restored")
        }
        Act::Unlock => {
            service::unlock(db, actor, id)
                .await
                .map_err(PageError::from)?;
            format!("/people/{id}?done=unlocked")
        }
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
pub struct DemandForm {
    /// `on` to demand two-step sign-in of the person, anything else to stop.
    demand: String,
}

/// Demands two-step sign-in of the person, or stops: the core's `force_mfa`, which only
/// those who may change their privileged fields may set.
pub async fn demand_mfa(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<DemandForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_manage(&signed)?;
    let id = path_id(&id)?;
    let demand = form.demand == "on";
    let input = UserInput {
        force_mfa: Some(demand),
        ..UserInput::default()
    };
    service::update(&state.db, &signed.actor, id, input)
        .await
        .map_err(PageError::from)?;
    let done = if demand {
        "mfa-demanded"
    } else {
        "mfa-not-demanded"
    };
    Ok(Redirect::to(&format!("/people/{id}?done={done}")).into_response())
}

#[derive(Deserialize)]
pub struct AdjustForm {
    allowance: String,
    amount: String,
    reason: String,
}

/// A number of days or hours as the allowance keeps it (hundredths of a day, minutes).
fn amount_in(text: &str, unit: AllowanceUnit) -> Option<i64> {
    let scale = match unit {
        AllowanceUnit::Days => 100.0,
        AllowanceUnit::Hours => 60.0,
    };
    more::scaled(text, scale)
}

pub async fn adjust(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<AdjustForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_manage(&signed)?;
    let id = path_id(&id)?;
    let actor = &signed.actor;
    let allowances = allowance::for_user(&state.db, actor, id, None)
        .await
        .map_err(PageError::from)?;
    let chosen = allowances
        .iter()
        .find(|a| adjustment_key(a) == form.allowance)
        .ok_or_else(|| PageError::bad_form("choose one of the allowances"))?;
    let outcome = match amount_in(&form.amount, chosen.unit) {
        Some(amount) => allowance::adjust(
            &state.db,
            actor,
            id,
            AdjustmentInput {
                leave_type_id: chosen.leave_type_id,
                date: Some(chosen.year_start.to_string()),
                amount,
                reason: form.reason.clone(),
            },
        )
        .await
        .map_err(PageError::from),
        None => Err(PageError::from(rota_core::Error::invalid(
            "amount",
            "amount must be a number of days (or hours), such as 1.5 or -2",
        ))),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}?done=adjusted")).into_response()),
        Err(error) => {
            let status = error.status;
            let person = service::get(&state.db, actor, id)
                .await
                .map_err(PageError::from)?;
            let draw = Draw {
                person: Some(person),
                typed: None,
                notice: None,
                problem: Problem::of(&error, &["amount", "reason"]),
            };
            let mut response = render(&person_page(&state, &signed, draw).await?)?;
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_the_allowances_unit() {
        assert_eq!(amount_in("1.5", AllowanceUnit::Days), Some(150));
        assert_eq!(amount_in("-0.25", AllowanceUnit::Days), Some(-25));
        assert_eq!(amount_in("2", AllowanceUnit::Hours), Some(120));
        assert_eq!(amount_in("lots", AllowanceUnit::Days), None);
        assert_eq!(amount_in("inf", AllowanceUnit::Days), None);
    }

    /// The sections of `people_person.html`, each shown when the actor may change its
    /// class of field.
    const SECTIONS: [(FieldClass, &[&str]); 3] = [
        (
            FieldClass::SelfService,
            &[
                "title",
                "first_name",
                "middle_name",
                "last_name",
                "work_phone",
                "mobile_phone",
                "time_zone",
            ],
        ),
        (
            FieldClass::Privileged,
            &[
                "email",
                "user_type_id",
                "department_id",
                "region_id",
                "approver_id",
                "employment_start_date",
                "employment_end_date",
                "locations",
                "positions",
                "position_rates",
                "tags",
                "holiday_country",
                "holiday_subdivision",
                "employment_type",
            ],
        ),
        (
            FieldClass::Managed,
            &["staff_code", "job_title", "working_days", "notes"],
        ),
    ];

    #[test]
    fn each_section_of_the_form_holds_the_fields_the_core_puts_in_its_class() {
        let mut shown = Vec::new();
        for (class, fields) in SECTIONS {
            for field in fields {
                let value = if *field == "user_type_id" { "100" } else { "1" };
                let form = Fields::from(vec![
                    ((*field).to_owned(), value.to_owned()),
                    (format!("has_{field}"), "1".to_owned()),
                ]);
                let input = input_of(&form).expect("input");
                assert_eq!(input.present_fields(), [(*field, class)], "{field}");
                shown.push(*field);
            }
        }
        for (class, fields) in MORE_SECTIONS {
            for (field, value, core) in fields {
                let mut form = vec![((*field).to_owned(), (*value).to_owned())];
                if field.starts_with("is_") {
                    form.push(("has_flags".to_owned(), "1".to_owned()));
                }
                let input = input_of(&Fields::from(form)).expect("input");
                let present = input.present_fields();
                assert!(present.contains(&(*core, class)), "{field}: {present:?}");
                assert!(present.iter().all(|(_, c)| *c == class), "{field}");
                shown.push(*field);
            }
        }
        shown.sort_unstable();
        let mut all = fields();
        all.sort_unstable();
        assert_eq!(shown, all, "every field of the form is in one section");
    }

    /// A field posted, a value of it, and the core's field it sets.
    type Posted = (&'static str, &'static str, &'static str);

    /// The fields rarely set by hand, by the section of `people_person.html` that holds
    /// them.
    const MORE_SECTIONS: [(FieldClass, &[Posted]); 3] = [
        (
            FieldClass::SelfService,
            &[
                ("email_type", "none", "email_type"),
                (
                    "image_url_small",
                    "https://example.com/s.png",
                    "image_url_small",
                ),
                (
                    "image_url_large",
                    "https://example.com/l.png",
                    "image_url_large",
                ),
                ("default_view", "tag:7", "default_view_id"),
                ("default_sorting_id", "3", "default_sorting_id"),
            ],
        ),
        (
            FieldClass::Privileged,
            &[
                ("approver_role", "approver_leave", "approver_role"),
                ("notifier_2_id", "4", "notifier_2_id"),
                ("notifier_2_role", "notifier_both", "notifier_2_role"),
                ("notifier_3_id", "5", "notifier_3_id"),
                ("notifier_3_role", "none", "notifier_3_role"),
                ("manager_id", "6", "manager_id"),
                ("allowance_unit", "hours", "allowance_unit"),
                ("hourly_rate", "12.50", "hourly_rate_cents"),
                (
                    "active_directory_username",
                    "ann",
                    "active_directory_username",
                ),
                ("is_hidden", "on", "is_hidden"),
                ("is_private", "on", "is_private"),
                ("is_payroll", "on", "is_payroll"),
                ("is_trusted", "on", "is_trusted"),
            ],
        ),
        (
            FieldClass::Managed,
            &[
                ("hours_max", "40", "hours_max_minutes"),
                ("hours_preferred", "30", "hours_preferred_minutes"),
            ],
        ),
    ];

    #[test]
    fn a_form_sends_only_its_fields_and_its_lists_by_their_markers() {
        let input = input_of(&Fields::of(&[
            ("first_name", "Ann"),
            ("title", ""),
            ("has_tags", "1"),
            ("working_days", "1"),
        ]))
        .expect("input");
        assert_eq!(input.first_name.as_deref(), Some("Ann"));
        assert_eq!(input.title, Some(None), "blank clears");
        assert_eq!(input.tags, Some(vec![]), "nothing ticked empties");
        assert!(input.working_days.is_none(), "no marker, not sent");
        assert!(input.email.is_none());
        assert!(input_of(&Fields::of(&[("user_type_id", "150")])).is_err());
    }
}
