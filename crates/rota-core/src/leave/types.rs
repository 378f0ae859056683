//! Leave and overtime types: every setting WhosOff's leave-type call has, kept per company.
//! They are catalogue items like departments ([`OrgItem`]): one set of list, get, create,
//! update and delete serves them.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use crate::db::{Tx, flag};
use crate::error::{Error, Result};
use crate::org::{Kind, OrgItem};
use crate::people::types::{AllowanceUnit, UserType};
use crate::policy::{Action, Actor, LeaveFacts, LeaveTypeFacts, Target, may};
use crate::validate;

/// Whether a type books leave (time off) or overtime (time worked that earns time off in lieu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Leave,
    Overtime,
}

impl TypeKind {
    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Leave => "leave",
            Self::Overtime => "overtime",
        }
    }

    /// Reads the stored text form; anything else is a corrupt row, never a leave type.
    pub fn from_stored(text: &str) -> Result<Self> {
        [Self::Leave, Self::Overtime]
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| {
                Error::Internal(format!("stored type kind {text:?} is not known").into())
            })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveType {
    pub id: i64,
    pub company_id: i64,
    pub kind: TypeKind,
    /// Up to four characters, shown on the calendar.
    pub code: String,
    pub name: String,
    /// Six hex digits.
    pub colour: String,
    /// Booked in days (with half days) or in hours.
    pub unit: AllowanceUnit,
    pub is_paid: bool,
    /// Deducts from the user's allowance of this type.
    pub deducts_allowance: bool,
    /// Without approval a request is approved at once.
    pub requires_approval: bool,
    pub allows_half_days: bool,
    /// Days of notice a staff request needs.
    pub min_notice_days: i64,
    /// Days before the start after which staff may no longer cancel.
    pub cancellation_period_days: i64,
    pub minimum_duration_minutes: i64,
    /// Whether a request may overlap the user's other leave.
    pub allow_concurrent_requests: bool,
    pub note_required: bool,
    /// The lowest role (user_type_id) that sees the notes on requests of this type.
    pub notes_visible_to: UserType,
    /// The lowest role that may book it for themselves.
    pub available_to: UserType,
    /// The lowest role that sees the type on the calendar; others see "away".
    pub seen_by: UserType,
    pub email_on_request: bool,
    pub email_on_decision: bool,
    pub email_on_cancel: bool,
    pub is_active: bool,
    /// Guidance shown to staff when they book.
    pub staff_note: Option<String>,
    pub staff_url: Option<String>,
    /// Guidance shown to approvers when they decide.
    pub approver_note: Option<String>,
    pub approver_url: Option<String>,
}

#[derive(FromRow)]
struct LeaveTypeRow {
    id: i64,
    company_id: i64,
    kind: String,
    code: String,
    name: String,
    colour: String,
    unit: String,
    is_paid: i64,
    deducts_allowance: i64,
    requires_approval: i64,
    allows_half_days: i64,
    min_notice_days: i64,
    cancellation_period_days: i64,
    minimum_duration_minutes: i64,
    allow_concurrent_requests: i64,
    note_required: i64,
    notes_visible_to: i64,
    available_to: i64,
    seen_by: i64,
    email_on_request: i64,
    email_on_decision: i64,
    email_on_cancel: i64,
    is_active: i64,
    staff_note: Option<String>,
    staff_url: Option<String>,
    approver_note: Option<String>,
    approver_url: Option<String>,
}

fn role(code: i64) -> Result<UserType> {
    UserType::try_from(code).map_err(|e| Error::Internal(e.into()))
}

impl<'r> FromRow<'r, sqlx::any::AnyRow> for LeaveType {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        let r = LeaveTypeRow::from_row(row)?;
        let decode = |e: Error| sqlx::Error::Decode(e.to_string().into());
        Ok(Self {
            id: r.id,
            company_id: r.company_id,
            kind: TypeKind::from_stored(&r.kind).map_err(decode)?,
            code: r.code,
            name: r.name,
            colour: r.colour,
            unit: AllowanceUnit::from_stored(&r.unit).map_err(decode)?,
            is_paid: flag(r.is_paid),
            deducts_allowance: flag(r.deducts_allowance),
            requires_approval: flag(r.requires_approval),
            allows_half_days: flag(r.allows_half_days),
            min_notice_days: r.min_notice_days,
            cancellation_period_days: r.cancellation_period_days,
            minimum_duration_minutes: r.minimum_duration_minutes,
            allow_concurrent_requests: flag(r.allow_concurrent_requests),
            note_required: flag(r.note_required),
            notes_visible_to: role(r.notes_visible_to).map_err(decode)?,
            available_to: role(r.available_to).map_err(decode)?,
            seen_by: role(r.seen_by).map_err(decode)?,
            email_on_request: flag(r.email_on_request),
            email_on_decision: flag(r.email_on_decision),
            email_on_cancel: flag(r.email_on_cancel),
            is_active: flag(r.is_active),
            staff_note: r.staff_note,
            staff_url: r.staff_url,
            approver_note: r.approver_note,
            approver_url: r.approver_url,
        })
    }
}

/// Create or update a leave or overtime type; `code` and `name` are required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveTypeInput {
    pub kind: Option<TypeKind>,
    #[schema(value_type = Option<crate::openapi::Text4>)]
    pub code: Option<String>,
    #[schema(value_type = Option<crate::openapi::Text50>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    pub unit: Option<AllowanceUnit>,
    pub is_paid: Option<bool>,
    pub deducts_allowance: Option<bool>,
    pub requires_approval: Option<bool>,
    pub allows_half_days: Option<bool>,
    #[schema(minimum = 0, maximum = 365)]
    pub min_notice_days: Option<i64>,
    #[schema(minimum = 0, maximum = 365)]
    pub cancellation_period_days: Option<i64>,
    #[schema(minimum = 0, maximum = 525600)]
    pub minimum_duration_minutes: Option<i64>,
    pub allow_concurrent_requests: Option<bool>,
    pub note_required: Option<bool>,
    pub notes_visible_to: Option<UserType>,
    pub available_to: Option<UserType>,
    pub seen_by: Option<UserType>,
    pub email_on_request: Option<bool>,
    pub email_on_decision: Option<bool>,
    pub email_on_cancel: Option<bool>,
    pub is_active: Option<bool>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub staff_note: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub staff_url: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub approver_note: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub approver_url: Option<String>,
}

impl crate::openapi::RequiredOnCreate for LeaveTypeInput {
    const REQUIRED: &'static [&'static str] = &["code", "name"];
}

impl LeaveType {
    fn blank(company_id: i64, kind: TypeKind, code: String, name: String) -> Self {
        Self {
            id: 0,
            company_id,
            kind,
            code,
            name,
            colour: "4a90d9".into(),
            unit: AllowanceUnit::Days,
            is_paid: true,
            deducts_allowance: false,
            requires_approval: true,
            allows_half_days: true,
            min_notice_days: 0,
            cancellation_period_days: 0,
            minimum_duration_minutes: 0,
            allow_concurrent_requests: false,
            note_required: false,
            notes_visible_to: UserType::Approver,
            available_to: UserType::Staff,
            seen_by: UserType::Staff,
            email_on_request: true,
            email_on_decision: true,
            email_on_cancel: true,
            is_active: true,
            staff_note: None,
            staff_url: None,
            approver_note: None,
            approver_url: None,
        }
    }

    /// What [`crate::policy::may`] needs to know of this type.
    pub fn facts(&self) -> LeaveTypeFacts {
        LeaveTypeFacts {
            company_id: self.company_id,
            available_to: self.available_to,
            seen_by: self.seen_by,
            notes_visible_to: self.notes_visible_to,
        }
    }

    /// `user_id`'s leave of this type, as [`crate::policy::may`] sees it, its watchers
    /// unknown.
    pub fn leave_of(&self, user_id: i64) -> LeaveFacts {
        LeaveFacts {
            user_id,
            watchers: [None; 3],
            leave_type: self.facts(),
        }
    }
}

fn set<T: Copy>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

impl OrgItem for LeaveType {
    const KIND: Kind = Kind::LeaveType;
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "code",
        "name",
        "colour",
        "unit",
        "is_paid",
        "deducts_allowance",
        "requires_approval",
        "allows_half_days",
        "min_notice_days",
        "cancellation_period_days",
        "minimum_duration_minutes",
        "allow_concurrent_requests",
        "note_required",
        "notes_visible_to",
        "available_to",
        "seen_by",
        "email_on_request",
        "email_on_decision",
        "email_on_cancel",
        "is_active",
        "staff_note",
        "staff_url",
        "approver_note",
        "approver_url",
    ];
    type Input = LeaveTypeInput;

    fn create(company_id: i64, input: &LeaveTypeInput) -> Result<Self> {
        let code = input
            .code
            .as_deref()
            .ok_or_else(|| Error::invalid("code", "code is required"))?;
        let name = input
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid("name", "name is required"))?;
        let mut item = Self::blank(
            company_id,
            input.kind.unwrap_or(TypeKind::Leave),
            code.into(),
            name.into(),
        );
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &LeaveTypeInput) -> Result<()> {
        set(&mut self.kind, input.kind);
        if let Some(code) = &input.code {
            self.code = validate::required_text("code", code, 4)?;
        }
        self.code = validate::required_text("code", &self.code, 4)?;
        if let Some(name) = &input.name {
            self.name = validate::required_text("name", name, 50)?;
        }
        self.name = validate::required_text("name", &self.name, 50)?;
        if let Some(colour) = &input.colour {
            self.colour = validate::colour("colour", colour)?;
        }
        set(&mut self.unit, input.unit);
        set(&mut self.is_paid, input.is_paid);
        set(&mut self.deducts_allowance, input.deducts_allowance);
        set(&mut self.requires_approval, input.requires_approval);
        set(&mut self.allows_half_days, input.allows_half_days);
        if let Some(days) = input.min_notice_days {
            self.min_notice_days = validate::within("min_notice_days", days, 0, 365)?;
        }
        if let Some(days) = input.cancellation_period_days {
            self.cancellation_period_days =
                validate::within("cancellation_period_days", days, 0, 365)?;
        }
        if let Some(minutes) = input.minimum_duration_minutes {
            self.minimum_duration_minutes =
                validate::within("minimum_duration_minutes", minutes, 0, 525_600)?;
        }
        set(
            &mut self.allow_concurrent_requests,
            input.allow_concurrent_requests,
        );
        set(&mut self.note_required, input.note_required);
        set(&mut self.notes_visible_to, input.notes_visible_to);
        set(&mut self.available_to, input.available_to);
        set(&mut self.seen_by, input.seen_by);
        set(&mut self.email_on_request, input.email_on_request);
        set(&mut self.email_on_decision, input.email_on_decision);
        set(&mut self.email_on_cancel, input.email_on_cancel);
        set(&mut self.is_active, input.is_active);
        for (slot, value, field) in [
            (&mut self.staff_note, &input.staff_note, "staff_note"),
            (&mut self.staff_url, &input.staff_url, "staff_url"),
            (
                &mut self.approver_note,
                &input.approver_note,
                "approver_note",
            ),
            (&mut self.approver_url, &input.approver_url, "approver_url"),
        ] {
            if let Some(value) = value {
                *slot = validate::optional_text(field, Some(value), 500)?;
            }
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(self.kind.as_str())
            .bind(&self.code)
            .bind(&self.name)
            .bind(&self.colour)
            .bind(self.unit.as_str())
            .bind(i64::from(self.is_paid))
            .bind(i64::from(self.deducts_allowance))
            .bind(i64::from(self.requires_approval))
            .bind(i64::from(self.allows_half_days))
            .bind(self.min_notice_days)
            .bind(self.cancellation_period_days)
            .bind(self.minimum_duration_minutes)
            .bind(i64::from(self.allow_concurrent_requests))
            .bind(i64::from(self.note_required))
            .bind(self.notes_visible_to.code())
            .bind(self.available_to.code())
            .bind(self.seen_by.code())
            .bind(i64::from(self.email_on_request))
            .bind(i64::from(self.email_on_decision))
            .bind(i64::from(self.email_on_cancel))
            .bind(i64::from(self.is_active))
            .bind(&self.staff_note)
            .bind(&self.staff_url)
            .bind(&self.approver_note)
            .bind(&self.approver_url)
    }

    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn touch(&mut self, _now: i64) {}
    fn unique_field() -> &'static str {
        "code"
    }
}

/// The types a new company starts with.
pub fn defaults(company_id: i64) -> Vec<LeaveType> {
    let make = |kind, code: &str, name: &str, colour: &str, paid, deducts, approval| {
        let mut item = LeaveType::blank(company_id, kind, code.into(), name.into());
        item.colour = colour.into();
        item.is_paid = paid;
        item.deducts_allowance = deducts;
        item.requires_approval = approval;
        item
    };
    let mut sickness = make(
        TypeKind::Leave,
        "S",
        "Sickness",
        "d0021b",
        true,
        false,
        false,
    );
    sickness.seen_by = UserType::Approver;
    sickness.notes_visible_to = UserType::SuperUser;
    vec![
        make(TypeKind::Leave, "H", "Holiday", "4a90d9", true, true, true),
        sickness,
        make(
            TypeKind::Leave,
            "U",
            "Unpaid leave",
            "9b9b9b",
            false,
            false,
            true,
        ),
        make(
            TypeKind::Leave,
            "W",
            "Working from home",
            "7ed321",
            true,
            false,
            true,
        ),
        make(
            TypeKind::Leave,
            "T",
            "Time off in lieu",
            "f5a623",
            true,
            true,
            true,
        ),
        make(
            TypeKind::Overtime,
            "O",
            "Overtime",
            "bd10e0",
            true,
            false,
            true,
        ),
    ]
}

/// Stores the default types for a new company.
pub(crate) async fn insert_defaults(tx: &mut Tx, company_id: i64) -> Result<()> {
    for item in defaults(company_id) {
        crate::org::insert(tx, company_id, &item).await?;
    }
    Ok(())
}

/// The company's types of one kind, by id: only active ones (`Some(true)`), only disabled
/// ones (`Some(false)`) or all. For integrations that keep leave and overtime types apart.
pub async fn of_kind(
    db: &crate::db::Db,
    actor: &Actor,
    kind: TypeKind,
    active: Option<bool>,
) -> Result<Vec<LeaveType>> {
    if !may(
        actor,
        Action::ViewOrganisation,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("you may not see the company's types"));
    }
    let mut types: Vec<LeaveType> =
        sqlx::query_as("SELECT * FROM leave_types WHERE company_id = $1 ORDER BY id")
            .bind(actor.company_id)
            .fetch_all(db.pool())
            .await?;
    types.retain(|t| t.kind == kind && active.is_none_or(|active| t.is_active == active));
    Ok(types)
}

/// Type `id` if it is of `kind`; any other is absent.
pub async fn get_of_kind(
    db: &crate::db::Db,
    actor: &Actor,
    id: i64,
    kind: TypeKind,
) -> Result<LeaveType> {
    let found: LeaveType = crate::org::get(db, actor, id).await?;
    if found.kind == kind {
        Ok(found)
    } else {
        Err(Error::not_found("leave type"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_kind_reads_back_and_an_unknown_one_is_an_error() {
        for kind in [TypeKind::Leave, TypeKind::Overtime] {
            assert_eq!(TypeKind::from_stored(kind.as_str()).ok(), Some(kind));
        }
        for corrupt in ["", "Overtime", "toil"] {
            assert!(TypeKind::from_stored(corrupt).is_err(), "{corrupt:?}");
        }
    }
}
