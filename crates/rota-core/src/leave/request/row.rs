//! A stored leave request: its status, its row and the one column list every statement
//! reads it by, and how the API shows it.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::error::{Error, Result};
use crate::leave::duration::{DayPart, Span, clock};
use crate::leave::types::TypeKind;
use crate::people::types::AllowanceUnit;
use crate::validate;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Declined,
    Cancelled,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Cancelled => "cancelled",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        match text {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "declined" => Ok(Self::Declined),
            "cancelled" => Ok(Self::Cancelled),
            other => Err(Error::Internal(
                format!("stored request status {other:?}").into(),
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveRequest {
    pub id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    pub kind: TypeKind,
    pub start_date: String,
    pub end_date: String,
    pub start_part: DayPart,
    pub end_part: DayPart,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub unit: AllowanceUnit,
    pub amount: i64,
    pub minutes: i64,
    /// Working days covered, in hundredths, whatever the unit.
    pub day_hundredths: i64,
    pub status: RequestStatus,
    /// Withheld from readers below the type's `notes_visible_to` role.
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    pub requested_by: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    pub allowance_id: Option<i64>,
    pub start_date: String,
    pub end_date: String,
    pub start_part: String,
    pub end_part: String,
    pub start_minute: Option<i64>,
    pub end_minute: Option<i64>,
    pub amount: i64,
    pub unit: String,
    pub minutes: i64,
    pub day_hundredths: i64,
    pub spent_carryover: i64,
    pub status: String,
    pub note: Option<String>,
    pub decision_reason: Option<String>,
    pub requested_by: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns of [`RequestRow`], as a literal so that statements can be built at compile time.
macro_rules! columns {
    () => {
        "id, user_id, leave_type_id, allowance_id, start_date, end_date, start_part, end_part, start_minute, \
         end_minute, amount, unit, minutes, day_hundredths, spent_carryover, status, note, decision_reason, \
         requested_by, decided_by, decided_at, created_at, updated_at"
    };
}

pub(crate) const SELECT: &str = concat!("SELECT ", columns!(), " FROM leave_requests");

/// Appended to an `INSERT` or `UPDATE` so that it hands back the row it wrote.
pub(crate) const RETURNING: &str = concat!(" RETURNING ", columns!());

/// Reads request `id` of `company_id`, if there is one.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<RequestRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

impl RequestRow {
    pub(crate) fn status(&self) -> Result<RequestStatus> {
        RequestStatus::parse(&self.status)
    }

    pub(crate) fn unit(&self) -> Result<AllowanceUnit> {
        AllowanceUnit::from_stored(&self.unit)
    }

    pub(crate) fn start(&self) -> Result<jiff::civil::Date> {
        validate::stored_date("start_date", &self.start_date)
    }

    /// The dates, parts and times the request covers.
    pub(crate) fn span(&self) -> Result<Span> {
        Ok(Span {
            start: self.start()?,
            end: validate::stored_date("end_date", &self.end_date)?,
            start_part: DayPart::from_stored(&self.start_part)?,
            end_part: DayPart::from_stored(&self.end_part)?,
            minutes: self.start_minute.zip(self.end_minute),
        })
    }

    pub(crate) fn render(self, kind: TypeKind, show_note: bool) -> Result<LeaveRequest> {
        Ok(LeaveRequest {
            status: self.status()?,
            unit: self.unit()?,
            id: self.id,
            user_id: self.user_id,
            leave_type_id: self.leave_type_id,
            kind,
            start_part: DayPart::from_stored(&self.start_part)?,
            end_part: DayPart::from_stored(&self.end_part)?,
            start_time: self.start_minute.map(clock),
            end_time: self.end_minute.map(clock),
            start_date: self.start_date,
            end_date: self.end_date,
            amount: self.amount,
            minutes: self.minutes,
            day_hundredths: self.day_hundredths,
            note: if show_note { self.note } else { None },
            decision_reason: self.decision_reason,
            requested_by: self.requested_by,
            decided_by: self.decided_by,
            decided_at: self.decided_at.map(crate::time::rfc3339),
            created_at: crate::time::rfc3339(self.created_at),
            updated_at: crate::time::rfc3339(self.updated_at),
        })
    }
}
