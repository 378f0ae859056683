//! An open-shift request as the API shows it, its stored row, and its status as read.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::error::{Error, Result};
use crate::people::types::text_enum;
use crate::schedule::row::Shift;
use crate::time::rfc3339;

text_enum! {
    /// Where a request stands (When I Work's 0 pending, 1 approved, 4 cancelled,
    /// 5 expired, 6 denied).
    OpenShiftRequestStatus {
        Pending = "pending",
        Approved = "approved",
        Cancelled = "cancelled",
        Expired = "expired",
        Denied = "denied",
    }
}

/// The bids for one open shift that requires approval.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenShiftRequest {
    pub id: i64,
    pub company_id: i64,
    pub shift_id: i64,
    /// `expired` once the shift has started while pending; `cancelled` when its shift was
    /// deleted, taken by other means or no longer requires approval.
    pub status: OpenShiftRequestStatus,
    /// The bidder given the shift, once approved.
    pub approved_user_id: Option<i64>,
    /// Who bid first.
    pub created_by: i64,
    /// Who changed it last: a bidder, or the manager who decided.
    pub updated_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The shift as it is now.
    pub shift: Shift,
    /// Every bid, withdrawn ones too, oldest first; a bidder who does not manage the
    /// shift sees only their own.
    pub bids: Vec<Bid>,
}

/// One person's bid for an open shift.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bid {
    pub id: i64,
    pub user_id: i64,
    /// When they bid (again, after withdrawing), RFC 3339 in UTC.
    pub created_at: String,
    /// When they withdrew it; absent while it stands.
    pub withdrawn_at: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct RequestRow {
    pub id: i64,
    pub company_id: i64,
    pub shift_id: i64,
    #[sqlx(try_from = "String")]
    pub status: OpenShiftRequestStatus,
    pub approved_user_id: Option<i64>,
    pub created_by: i64,
    pub updated_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct BidRow {
    pub id: i64,
    pub request_id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub withdrawn_at: Option<i64>,
}

impl BidRow {
    pub fn stands(&self) -> bool {
        self.withdrawn_at.is_none()
    }

    pub fn render(&self) -> Bid {
        Bid {
            id: self.id,
            user_id: self.user_id,
            created_at: rfc3339(self.created_at),
            withdrawn_at: self.withdrawn_at.map(rfc3339),
        }
    }
}

pub(crate) const BIDS: (&str, &str) = (
    "SELECT id, request_id, user_id, created_at, withdrawn_at FROM open_shift_bids \
     WHERE company_id = $1 AND request_id IN",
    "request_id, id",
);

/// A request's status as read, with `now` the placeholder of the current instant: the
/// stored one, unless a pending request's shift is gone, held, no longer requires
/// approval (`cancelled`) or has started (`expired`). `r` is the request, `s` its shift.
pub(crate) fn status_sql(now: &str) -> String {
    format!(
        "CASE WHEN r.status <> 'pending' THEN r.status \
         WHEN s.deleted_at IS NOT NULL OR s.user_id IS NOT NULL OR s.requires_approval = 0 THEN 'cancelled' \
         WHEN s.starts_at <= {now} THEN 'expired' ELSE 'pending' END"
    )
}

/// The rows' query up to its conditions, with `now` as in [`status_sql`].
pub(crate) fn select(now: &str) -> String {
    format!(
        "SELECT r.id, r.company_id, r.shift_id, {} AS status, r.approved_user_id, r.created_by, \
         r.updated_by, r.created_at, r.updated_at FROM open_shift_requests r \
         JOIN shifts s ON s.company_id = r.company_id AND s.id = r.shift_id WHERE r.company_id = $1",
        status_sql(now)
    )
}

impl RequestRow {
    pub fn render(&self, shift: Shift, bids: Vec<Bid>) -> OpenShiftRequest {
        OpenShiftRequest {
            id: self.id,
            company_id: self.company_id,
            shift_id: self.shift_id,
            status: self.status,
            approved_user_id: self.approved_user_id,
            created_by: self.created_by,
            updated_by: self.updated_by,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            shift,
            bids,
        }
    }

    /// Fails with 409 `already_decided` unless the request is still open for bids and a
    /// decision.
    pub fn pending(&self) -> Result<()> {
        match self.status {
            OpenShiftRequestStatus::Pending => Ok(()),
            status => Err(Error::conflict(
                crate::error::code::ALREADY_DECIDED,
                None,
                format!("the request is {} already", status.as_str()),
            )),
        }
    }
}
