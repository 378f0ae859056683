//! A stored leave request: its status, its row and the one column list every statement
//! reads it by, and how the API shows it.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::leave::duration::{DayPart, Span, clock};
use crate::leave::types::TypeKind;
use crate::people::types::AllowanceUnit;

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
}

/// Decodes a stored row's column (`#[sqlx(try_from = "String")]`, see [`crate::stored`]).
impl TryFrom<String> for RequestStatus {
    type Error = Error;

    fn try_from(text: String) -> Result<Self> {
        match text.as_str() {
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
    #[schema(value_type = String)]
    pub start_date: Date,
    #[schema(value_type = String)]
    pub end_date: Date,
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

/// A stored request, every column decoded once as it is read (see [`crate::stored`]).
#[derive(Debug, Clone, FromRow)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub user_id: i64,
    pub leave_type_id: i64,
    pub allowance_id: Option<i64>,
    #[sqlx(try_from = "crate::stored::Day")]
    pub start_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    pub end_date: Date,
    #[sqlx(try_from = "String")]
    pub start_part: DayPart,
    #[sqlx(try_from = "String")]
    pub end_part: DayPart,
    pub start_minute: Option<i64>,
    pub end_minute: Option<i64>,
    pub amount: i64,
    #[sqlx(try_from = "String")]
    pub unit: AllowanceUnit,
    pub minutes: i64,
    pub day_hundredths: i64,
    pub spent_carryover: i64,
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
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

/// A stretch of someone's approved leave, as the staffing rules read it.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct Away {
    pub user_id: i64,
    #[sqlx(try_from = "crate::stored::Day")]
    pub start_date: Date,
    #[sqlx(try_from = "crate::stored::Day")]
    pub end_date: Date,
}

impl Away {
    /// `(user, first, last)`, for [`super::rules::away_on`].
    pub(crate) fn stretch(&self) -> (i64, Date, Date) {
        (self.user_id, self.start_date, self.end_date)
    }
}

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
    /// The dates, parts and times the request covers.
    pub(crate) fn span(&self) -> Span {
        Span {
            start: self.start_date,
            end: self.end_date,
            start_part: self.start_part,
            end_part: self.end_part,
            minutes: self.start_minute.zip(self.end_minute),
        }
    }

    pub(crate) fn render(self, kind: TypeKind, show_note: bool) -> LeaveRequest {
        LeaveRequest {
            status: self.status,
            unit: self.unit,
            id: self.id,
            user_id: self.user_id,
            leave_type_id: self.leave_type_id,
            kind,
            start_part: self.start_part,
            end_part: self.end_part,
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// A request whose stored date or day part is not one Rota writes fails to read, with
    /// the column named, rather than reading as a default or blaming the client.
    #[tokio::test]
    async fn a_corrupt_stored_request_is_a_server_error_naming_the_column() {
        let scratch = testing::scratch_database().await.unwrap();
        let db = &scratch.db;
        let company_id = crate::demo::ensure(db).await.unwrap();
        let (id,): (i64,) =
            sqlx::query_as("SELECT MIN(id) FROM leave_requests WHERE company_id = $1")
                .bind(company_id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let row = load(&mut conn, company_id, id).await.unwrap().unwrap();
        assert_eq!(row.span().start, row.start_date);

        sqlx::query("UPDATE leave_requests SET end_date = $1 WHERE id = $2")
            .bind("2026-3-2")
            .bind(id)
            .execute(db.pool())
            .await
            .unwrap();
        let error = load(&mut conn, company_id, id).await.unwrap_err();
        assert!(matches!(error, Error::Database(_)), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains("end_date")
                && message.contains("\"2026-3-2\" is not a YYYY-MM-DD date"),
            "{message}"
        );
    }
}
