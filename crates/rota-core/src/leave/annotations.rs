//! Annotations on the calendar (When I Work's annotation object): business closed (a
//! non-working day, not deducted), no time off (requests across it are refused for staff)
//! and announcements; for the whole company, a location or a department. And the company's
//! own holidays, which add days off or turn a public holiday back into a working day.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use crate::db::{Db, flag};
use crate::error::{Error, Result};
use crate::org::{self, Department, Kind, OrgItem};
use crate::policy::Actor;
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationKind {
    BusinessClosed,
    NoTimeOff,
    Announcement,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BusinessClosed => "business_closed",
            Self::NoTimeOff => "no_time_off",
            Self::Announcement => "announcement",
        }
    }
}

/// Decodes a stored row's column (`#[sqlx(try_from = "String")]`, see [`crate::stored`]):
/// an unknown kind is a corrupt row, never an announcement.
impl TryFrom<String> for AnnotationKind {
    type Error = Error;

    fn try_from(text: String) -> Result<Self> {
        match text.as_str() {
            "business_closed" => Ok(Self::BusinessClosed),
            "no_time_off" => Ok(Self::NoTimeOff),
            "announcement" => Ok(Self::Announcement),
            other => Err(Error::Internal(
                format!("stored annotation kind {other:?} is not known").into(),
            )),
        }
    }
}

// Read straight from its row: kind and dates decode as it is read (see `crate::stored`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Annotation {
    pub id: i64,
    pub company_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: AnnotationKind,
    pub title: String,
    pub message: Option<String>,
    pub colour: String,
    /// `YYYY-MM-DD`, inclusive.
    #[schema(value_type = String)]
    #[sqlx(try_from = "crate::stored::Day")]
    pub start_date: Date,
    #[schema(value_type = String)]
    #[sqlx(try_from = "crate::stored::Day")]
    pub end_date: Date,
    /// Only this location's people; absent with `department_id` absent: everyone.
    pub location_id: Option<i64>,
    /// Only this department's people.
    pub department_id: Option<i64>,
}

/// Create or update an annotation; `kind`, `title`, `start_date` and `end_date` are
/// required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnotationInput {
    pub kind: Option<AnnotationKind>,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub title: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub message: Option<String>,
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub start_date: Option<String>,
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub end_date: Option<String>,
    pub location_id: Option<i64>,
    pub department_id: Option<i64>,
}

impl crate::openapi::RequiredOnCreate for AnnotationInput {
    const REQUIRED: &'static [&'static str] = &["kind", "title", "start_date", "end_date"];
}

fn required<'a>(value: &'a Option<String>, field: &'static str) -> Result<&'a str> {
    value
        .as_deref()
        .ok_or_else(|| Error::invalid(field, format!("{field} is required")))
}

impl OrgItem for Annotation {
    const KIND: Kind = Kind::Annotation;
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "title",
        "message",
        "colour",
        "start_date",
        "end_date",
        "location_id",
        "department_id",
    ];
    type Input = AnnotationInput;

    fn create(company_id: i64, input: &AnnotationInput) -> Result<Self> {
        let mut item = Self {
            id: 0,
            company_id,
            kind: input
                .kind
                .ok_or_else(|| Error::invalid("kind", "kind is required"))?,
            title: required(&input.title, "title")?.to_owned(),
            message: None,
            colour: "cccccc".into(),
            // Both are required here and read from the input, in order, by `apply`.
            start_date: required(&input.start_date, "start_date").map(|_| validate::FIRST_DATE)?,
            end_date: required(&input.end_date, "end_date").map(|_| validate::FIRST_DATE)?,
            location_id: None,
            department_id: None,
        };
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &AnnotationInput) -> Result<()> {
        if let Some(kind) = input.kind {
            self.kind = kind;
        }
        if let Some(title) = &input.title {
            self.title = title.clone();
        }
        self.title = validate::required_text("title", &self.title, 100)?;
        if let Some(message) = &input.message {
            self.message = validate::optional_text("message", Some(message), 2000)?;
        }
        if let Some(colour) = &input.colour {
            self.colour = validate::colour("colour", colour)?;
        }
        if let Some(start) = &input.start_date {
            self.start_date = validate::date("start_date", start)?;
        }
        if let Some(end) = &input.end_date {
            self.end_date = validate::date("end_date", end)?;
        }
        if self.end_date < self.start_date {
            return Err(Error::invalid(
                "end_date",
                "end_date must not be before start_date",
            ));
        }
        if input.location_id.is_some() {
            self.location_id = input.location_id;
        }
        if input.department_id.is_some() {
            self.department_id = input.department_id;
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(self.kind.as_str())
            .bind(&self.title)
            .bind(&self.message)
            .bind(&self.colour)
            .bind(self.start_date.to_string())
            .bind(self.end_date.to_string())
            .bind(self.location_id)
            .bind(self.department_id)
    }

    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn touch(&mut self, _now: i64) {}

    fn references(&self) -> Vec<(Kind, Option<i64>, &'static str)> {
        vec![
            (Kind::Location, self.location_id, "location_id"),
            (Kind::Department, self.department_id, "department_id"),
        ]
    }
}

/// A day the company sets itself: an extra day off, or (`working_day`) a public holiday its
/// people work.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyHoliday {
    pub id: i64,
    pub company_id: i64,
    /// `YYYY-MM-DD`
    #[schema(value_type = String)]
    pub date: Date,
    pub name: String,
    /// Only for people whose public-holiday country this is; absent: everyone.
    pub country: Option<String>,
    /// True: the public holiday on this date is a working day here.
    pub working_day: bool,
}

#[derive(FromRow)]
struct CompanyHolidayRow {
    id: i64,
    company_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    date: Date,
    name: String,
    country: Option<String>,
    working_day: i64,
}

impl<'r> FromRow<'r, sqlx::any::AnyRow> for CompanyHoliday {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        let r = CompanyHolidayRow::from_row(row)?;
        Ok(Self {
            id: r.id,
            company_id: r.company_id,
            date: r.date,
            name: r.name,
            country: r.country,
            working_day: flag(r.working_day),
        })
    }
}

/// Create or update a company holiday; `date` and `name` are required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyHolidayInput {
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub date: Option<String>,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::Country>)]
    pub country: Option<String>,
    pub working_day: Option<bool>,
}

impl crate::openapi::RequiredOnCreate for CompanyHolidayInput {
    const REQUIRED: &'static [&'static str] = &["date", "name"];
}

impl OrgItem for CompanyHoliday {
    const KIND: Kind = Kind::CompanyHoliday;
    const COLUMNS: &'static [&'static str] = &["date", "name", "country", "working_day"];
    type Input = CompanyHolidayInput;

    fn create(company_id: i64, input: &CompanyHolidayInput) -> Result<Self> {
        let mut item = Self {
            id: 0,
            company_id,
            // Required here and read from the input by `apply`.
            date: required(&input.date, "date").map(|_| validate::FIRST_DATE)?,
            name: required(&input.name, "name")?.to_owned(),
            country: None,
            working_day: false,
        };
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &CompanyHolidayInput) -> Result<()> {
        if let Some(date) = &input.date {
            self.date = validate::date("date", date)?;
        }
        if let Some(name) = &input.name {
            self.name = name.clone();
        }
        self.name = validate::required_text("name", &self.name, 100)?;
        if let Some(country) = &input.country {
            self.country = Some(validate::country("country", country)?);
        }
        if let Some(working) = input.working_day {
            self.working_day = working;
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(self.date.to_string())
            .bind(&self.name)
            .bind(&self.country)
            .bind(i64::from(self.working_day))
    }

    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn touch(&mut self, _now: i64) {}
}

/// The announcements people are to read (WhosOff's company messages): those that have
/// not ended by today, for the whole company or, given a department, for it as well;
/// newest first. Anyone in the company may read them; another company's department is
/// absent.
pub async fn announcements(
    db: &Db,
    actor: &Actor,
    department_id: Option<i64>,
) -> Result<Vec<Annotation>> {
    let from = jiff::Zoned::now().date();
    if let Some(id) = department_id {
        org::get::<Department>(db, actor, id).await?;
    }
    let rows = sqlx::query_as(
        "SELECT id, company_id, kind, title, message, colour, start_date, end_date, location_id, department_id \
         FROM annotations WHERE company_id = $1 AND kind = 'announcement' AND end_date >= $2 \
         AND location_id IS NULL AND (department_id IS NULL OR department_id = $3) \
         ORDER BY start_date DESC, id DESC",
    )
    .bind(actor.company_id)
    .bind(from.to_string())
    .bind(department_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

/// One announcement, by id; any other annotation, or another company's, is absent.
pub async fn announcement(db: &Db, actor: &Actor, id: i64) -> Result<Annotation> {
    let annotation: Annotation = org::get(db, actor, id).await?;
    if annotation.kind == AnnotationKind::Announcement {
        Ok(annotation)
    } else {
        Err(Error::not_found("announcement"))
    }
}
