//! Company settings, for super users: the company's details and leave-year rules
//! ([`company`]), and one section per kind of organisation item ([`sections`]) — leave
//! types, departments, regions, locations, sites, positions, tags, the company's own days,
//! closures and announcements — each a list with a form to add one and a page to edit or
//! delete each. The handlers are written once, over the core's generic organisation
//! operations (`rota_core::org`), as the native API's are; the forms ([`form`]) become the
//! same JSON input the API takes, so the core validates both alike.

mod company;
mod form;
mod sections;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::leave::annotations::{Annotation, CompanyHoliday};
use rota_core::leave::types::LeaveType;
use rota_core::org::{self, Department, Location, Position, Region, Site, Tag};
use rota_core::policy::{Action, Target, may};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::approvals::path_id;
use super::page::{Frame, PageError, Problem, render};
use super::session::{Posted, Refused, Signed};
use crate::AppState;
use form::{Field, FieldKind};
use sections::{Section, Settable};

pub use company::{page as company_page, update as company_update};

/// Runs `$call::<T>(args…)` for the item type of section `$slug`; no such section is no
/// page.
macro_rules! for_section {
    ($slug:expr, $call:ident ( $($arg:expr),* )) => {
        match $slug {
            "leave-types" => $call::<LeaveType>($($arg),*).await,
            "departments" => $call::<Department>($($arg),*).await,
            "regions" => $call::<Region>($($arg),*).await,
            "locations" => $call::<Location>($($arg),*).await,
            "sites" => $call::<Site>($($arg),*).await,
            "positions" => $call::<Position>($($arg),*).await,
            "tags" => $call::<Tag>($($arg),*).await,
            "company-days" => $call::<CompanyHoliday>($($arg),*).await,
            "closures" => $call::<Annotation>($($arg),*).await,
            _ => Err(PageError::not_found().into()),
        }
    };
}

/// The settings are for those who may change the company (super users).
fn ensure_may_configure(signed: &Signed) -> Result<(), PageError> {
    let actor = &signed.actor;
    if may(
        actor,
        Action::UpdateCompany,
        Target::Company(actor.company_id),
    ) {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
}

/// A link of the settings' own navigation.
pub(in crate::web) struct SectionLink {
    pub href: String,
    pub title: &'static str,
    pub current: bool,
}

/// The settings' own navigation with `current` (a section's slug, `""` for the company
/// page, `security` for the security page) marked.
pub(in crate::web) fn section_links(current: &str) -> Vec<SectionLink> {
    let company = SectionLink {
        href: "/settings".to_owned(),
        title: "Company",
        current: current.is_empty(),
    };
    std::iter::once(company)
        .chain(sections::ALL.iter().map(|section| SectionLink {
            href: format!("/settings/{}", section.slug),
            title: section.title,
            current: section.slug == current,
        }))
        .chain(std::iter::once(SectionLink {
            href: "/company/security".to_owned(),
            title: "Security",
            current: current == "security",
        }))
        .collect()
}

/// A field of a form as the template draws it.
pub struct Control {
    pub field: Field,
    pub id: String,
    pub value: String,
    /// For a choice or a reference: what to pick from, as `(value, label)`.
    pub options: Vec<(String, String)>,
}

impl Control {
    pub fn is(&self, kind: &str) -> bool {
        matches!(
            (kind, self.field.kind),
            ("text", FieldKind::Text)
                | ("long", FieldKind::LongText)
                | ("integer", FieldKind::Integer)
                | ("decimal", FieldKind::Decimal | FieldKind::Days)
                | ("colour", FieldKind::Colour)
                | ("date", FieldKind::Date)
                | ("flag", FieldKind::Flag)
                | ("choice", FieldKind::Choice(_) | FieldKind::Reference(_))
        )
    }

    /// The ids of what describes the control: its hint, and its error when it has one.
    pub fn described_by(&self, has_error: bool) -> Option<String> {
        let hint = self.field.hint.map(|_| format!("{}-hint", self.id));
        let error = has_error.then(|| format!("{}-error", self.id));
        match (hint, error) {
            (Some(hint), Some(error)) => Some(format!("{hint} {error}")),
            (hint, error) => hint.or(error),
        }
    }
}

/// The controls of `fields` showing `values` (a posted form, or an item's current values).
async fn controls(
    state: &AppState,
    signed: &Signed,
    fields: &[Field],
    value_of: impl Fn(&Field) -> String,
) -> Result<Vec<Control>, PageError> {
    let mut out = Vec::with_capacity(fields.len());
    for field in fields {
        let options = match field.kind {
            FieldKind::Reference(slug) => for_section!(slug, names(state, signed))?,
            FieldKind::Choice(choices) => choices
                .iter()
                .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
                .collect(),
            _ => Vec::new(),
        };
        out.push(Control {
            field: *field,
            id: field.id(),
            value: value_of(field),
            options,
        });
    }
    Ok(out)
}

/// The items of a section as `(id, name)`, for a reference to pick from.
async fn names<T: Settable>(
    state: &AppState,
    signed: &Signed,
) -> Result<Vec<(String, String)>, PageError> {
    let page = org::list::<T>(
        &state.db,
        &signed.actor,
        Some(rota_core::paging::MAX_LIMIT),
        None,
    )
    .await?;
    let name = T::SECTION.fields.iter().find(|f| f.listed).copied();
    Ok(page
        .data
        .iter()
        .map(|item| {
            let json = serde_json::to_value(item).unwrap_or(Value::Null);
            let label = name.map(|f| form::shown(&f, &json)).unwrap_or_default();
            (item.id().to_string(), label)
        })
        .collect())
}

/// A posted form's fields, in order.
type Fields = Vec<(String, String)>;

fn posted_value(form: &Fields, field: &Field) -> String {
    form.iter()
        .find(|(key, _)| key == field.name)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "settings_list.html")]
struct ListPage {
    frame: Frame,
    sections: Vec<SectionLink>,
    section: &'static Section,
    notice: Option<&'static str>,
    columns: Vec<&'static str>,
    rows: Vec<(i64, Vec<String>)>,
    next: Option<String>,
    controls: Vec<Control>,
    problem: Problem,
}

#[derive(Template)]
#[template(path = "settings_edit.html")]
struct EditPage {
    frame: Frame,
    sections: Vec<SectionLink>,
    section: &'static Section,
    id: i64,
    controls: Vec<Control>,
    problem: Problem,
    /// A refused delete, shown by its button.
    delete_problem: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    done: Option<String>,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    ensure_may_configure(&signed)?;
    let notice = match query.done.as_deref() {
        Some("created") => Some("Added."),
        Some("updated") => Some("Saved."),
        Some("deleted") => Some("Deleted."),
        _ => None,
    };
    let page = for_section!(
        slug.as_str(),
        list_page(&state, &signed, notice, query.cursor, None)
    )?;
    render(&page)
}

/// The list of section `T` with its form to add one, showing `refused` (the posted form and
/// why) when adding was refused.
async fn list_page<T: Settable>(
    state: &AppState,
    signed: &Signed,
    notice: Option<&'static str>,
    cursor: Option<String>,
    refused: Option<(Fields, Problem)>,
) -> Result<ListPage, PageError> {
    let section = &T::SECTION;
    let frame = Frame::load(state, signed, "/settings", section.title).await?;
    let page = org::list::<T>(
        &state.db,
        &signed.actor,
        Some(rota_core::paging::MAX_LIMIT),
        cursor.as_deref(),
    )
    .await?;
    let (posted, problem) = refused.unwrap_or_default();
    // The add form's controls, whose choices and references also name the listed values.
    let controls = controls(state, signed, section.fields, |field| {
        if posted.is_empty() {
            field.default.to_owned()
        } else {
            posted_value(&posted, field)
        }
    })
    .await?;
    let listed: Vec<&Control> = controls.iter().filter(|c| c.field.listed).collect();
    let rows = page
        .data
        .iter()
        .map(|item| {
            let json = serde_json::to_value(item).unwrap_or(Value::Null);
            let cells = listed.iter().map(|control| cell(control, &json)).collect();
            (item.id(), cells)
        })
        .collect();
    let columns = listed.iter().map(|c| c.field.label).collect();
    Ok(ListPage {
        frame,
        sections: section_links(section.slug),
        section,
        notice,
        columns,
        rows,
        next: page
            .next_cursor
            .map(|cursor| format!("/settings/{}?cursor={cursor}", section.slug)),
        controls,
        problem,
    })
}

/// A listed value as a cell shows it: yes or no for a flag, a choice's label, a
/// reference's name.
fn cell(control: &Control, item: &Value) -> String {
    let value = form::shown(&control.field, item);
    match control.field.kind {
        FieldKind::Flag => if value == "true" { "Yes" } else { "No" }.to_owned(),
        FieldKind::Choice(_) | FieldKind::Reference(_) => control
            .options
            .iter()
            .find(|(option, _)| *option == value)
            .map_or(value.clone(), |(_, label)| label.clone()),
        _ => value,
    }
}

pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_configure(&signed)?;
    for_section!(slug.as_str(), create_item(&state, &signed, form))
}

async fn create_item<T: Settable>(
    state: &AppState,
    signed: &Signed,
    form: Fields,
) -> Result<Response, Refused> {
    let section = &T::SECTION;
    let created = async {
        let input = input_of(section.fields, &form, Map::new())?;
        org::create::<T>(&state.db, &signed.actor, input)
            .await
            .map_err(|e| problem_of(section.fields, e))
    }
    .await;
    match created {
        Ok(_) => {
            Ok(Redirect::to(&format!("/settings/{}?done=created", section.slug)).into_response())
        }
        Err(problem) => {
            let page = list_page::<T>(state, signed, None, None, Some((form, problem))).await?;
            refused(&page)
        }
    }
}

/// The core's input from a form laid over `base` (see [`form::input`]).
fn input_of<I: serde::de::DeserializeOwned>(
    fields: &[Field],
    form: &Fields,
    base: Map<String, Value>,
) -> Result<I, Problem> {
    let json = form::input(fields, form, base)?;
    serde_json::from_value(json).map_err(|e| Problem::of(&PageError::bad_form(&e.to_string()), &[]))
}

/// A refusal of the core, next to its field when the form has it.
fn problem_of(fields: &[Field], error: rota_core::Error) -> Problem {
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    Problem::of(&PageError::from(error), &names)
}

/// A page showing a refused form.
fn refused(page: &impl Template) -> Result<Response, Refused> {
    let mut response = render(page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

pub async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    ensure_may_configure(&signed)?;
    let id = path_id(&id)?;
    let page = for_section!(slug.as_str(), edit_page(&state, &signed, id, None))?;
    render(&page)
}

/// Why an item's page is shown again after a post.
enum Refusal {
    /// Saving was refused: the form as posted, and why.
    Save(Fields, Problem),
    /// Deleting was refused, with the core's message.
    Delete(String),
}

/// Item `id` of section `T` in its form: as it is, or as posted when saving was refused.
async fn edit_page<T: Settable>(
    state: &AppState,
    signed: &Signed,
    id: i64,
    refusal: Option<Refusal>,
) -> Result<EditPage, PageError> {
    let section = &T::SECTION;
    let item = org::get::<T>(&state.db, &signed.actor, id).await?;
    let json = serde_json::to_value(&item).unwrap_or(Value::Null);
    let frame = Frame::load(state, signed, "/settings", section.title).await?;
    let (posted, problem, delete_problem) = match refusal {
        Some(Refusal::Save(form, problem)) => (Some(form), problem, None),
        Some(Refusal::Delete(message)) => (None, Problem::default(), Some(message)),
        None => (None, Problem::default(), None),
    };
    let controls = controls(state, signed, section.fields, |field| match &posted {
        Some(form) => posted_value(form, field),
        None => form::shown(field, &json),
    })
    .await?;
    Ok(EditPage {
        frame,
        sections: section_links(section.slug),
        section,
        id,
        controls,
        problem,
        delete_problem,
    })
}

pub async fn update(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    posted: Posted<Fields>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_configure(&signed)?;
    let id = path_id(&id)?;
    for_section!(slug.as_str(), update_item(&state, &signed, id, form))
}

async fn update_item<T: Settable>(
    state: &AppState,
    signed: &Signed,
    id: i64,
    form: Fields,
) -> Result<Response, Refused> {
    let section = &T::SECTION;
    let updated = async {
        let input = input_of(section.fields, &form, Map::new())?;
        org::update::<T>(&state.db, &signed.actor, id, input)
            .await
            .map_err(|e| problem_of(section.fields, e))
    }
    .await;
    match updated {
        Ok(_) => {
            Ok(Redirect::to(&format!("/settings/{}?done=updated", section.slug)).into_response())
        }
        Err(problem) => {
            let page =
                edit_page::<T>(state, signed, id, Some(Refusal::Save(form, problem))).await?;
            refused(&page)
        }
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    force: Option<String>,
}

pub async fn delete(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    posted: Posted<DeleteForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_configure(&signed)?;
    let id = path_id(&id)?;
    let force = form.force.is_some();
    for_section!(slug.as_str(), delete_item(&state, &signed, id, force))
}

async fn delete_item<T: Settable>(
    state: &AppState,
    signed: &Signed,
    id: i64,
    force: bool,
) -> Result<Response, Refused> {
    let section = &T::SECTION;
    match org::delete::<T>(&state.db, &signed.actor, id, force).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/settings/{}?done=deleted", section.slug)).into_response())
        }
        Err(error) => {
            let refusal = Refusal::Delete(PageError::from(error).message);
            let page = edit_page::<T>(state, signed, id, Some(refusal)).await?;
            refused(&page)
        }
    }
}
