//! A stored swap and its recipients, how the API shows them (the shift's instants in its
//! location's zone), and the writes every step shares.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::rules::{self, ShiftState};
use crate::db::{Tx, now};
use crate::error::{Error, Result};
use crate::people::types::text_enum;
use crate::policy::{Action, Actor};
use crate::schedule::holders::Holders;
use crate::schedule::row::Zones;
use crate::sql::children;
use crate::time::{rfc3339, rfc3339_in};

text_enum! {
    /// A swap (shifts exchanged) or a drop (a shift given away). When I Work's types 1
    /// and 2.
    SwapKind { Swap = "swap", Drop = "drop" }
}

text_enum! {
    /// Where a swap stands, When I Work's list: `approved` by a manager, or `completed`
    /// at once where no approval is required (the shifts changed hands in both);
    /// `declined` by a manager, or by every colleague it named.
    SwapStatus {
        Pending = "pending",
        Approved = "approved",
        Declined = "declined",
        Completed = "completed",
        Canceled = "canceled",
        Expired = "expired",
    }
}

text_enum! {
    /// Where a swap stands for one colleague, When I Work's `user_status` list.
    RecipientStatus {
        PendingApproval = "pending_approval",
        PendingAcceptance = "pending_acceptance",
        Declined = "declined",
        Accepted = "accepted",
        Canceled = "canceled",
        Expired = "expired",
        Denied = "denied",
    }
}

/// A colleague a swap is offered to (or, for a drop open to anyone, who accepted it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SwapRecipient {
    pub user_id: i64,
    /// The shift of theirs they would give in exchange (a swap); absent for a drop.
    pub shift_id: Option<i64>,
    pub status: RecipientStatus,
}

/// A shift offered to colleagues.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Swap {
    pub id: i64,
    pub company_id: i64,
    pub kind: SwapKind,
    /// The shift offered.
    pub shift_id: i64,
    /// Its holder, who offers it.
    pub user_id: i64,
    pub location_id: i64,
    /// The shift's times as offered, RFC 3339 in its location's zone.
    pub starts_at: String,
    pub ends_at: String,
    pub status: SwapStatus,
    /// Whether a manager approves it once a colleague accepts (the company's setting when
    /// it was offered).
    pub requires_approval: bool,
    /// A drop offered to anyone it fits (it names nobody).
    pub open_to_all: bool,
    /// The colleague who accepted it.
    pub accepted_user_id: Option<i64>,
    /// The colleagues it is offered to; for a drop open to all, who picked it up.
    pub recipients: Vec<SwapRecipient>,
    /// Who approved, denied or cancelled it.
    pub decided_by: Option<i64>,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// When its shifts changed hands.
    pub completed_at: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct SwapRow {
    pub id: i64,
    pub company_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: SwapKind,
    pub shift_id: i64,
    pub user_id: i64,
    pub location_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    #[sqlx(try_from = "String")]
    pub status: SwapStatus,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub requires_approval: bool,
    #[sqlx(try_from = "crate::stored::Flag")]
    pub open_to_all: bool,
    pub accepted_user_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
    #[sqlx(skip)]
    pub recipients: Vec<RecipientRow>,
}

#[derive(Debug, Clone, FromRow)]
pub(crate) struct RecipientRow {
    pub swap_id: i64,
    pub user_id: i64,
    pub shift_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub status: RecipientStatus,
}

pub(crate) const SELECT: &str = "SELECT id, company_id, kind, shift_id, user_id, location_id, starts_at, ends_at, \
     status, requires_approval, open_to_all, accepted_user_id, decided_by, created_by, created_at, updated_at, completed_at FROM swaps";

impl SwapRow {
    /// The recipients' ids.
    pub fn recipient_ids(&self) -> Vec<i64> {
        self.recipients.iter().map(|r| r.user_id).collect()
    }

    /// Whom it is offered to, as the policy sees them: nobody in particular (anyone) for
    /// a drop open to all, even once picked up.
    fn offered_to(&self) -> Vec<i64> {
        if self.open_to_all {
            Vec::new()
        } else {
            self.recipient_ids()
        }
    }

    pub fn recipient(&self, user_id: i64) -> Option<&RecipientRow> {
        self.recipients.iter().find(|r| r.user_id == user_id)
    }

    /// The shift as it was offered.
    pub fn offered(&self) -> ShiftState {
        ShiftState {
            user_id: Some(self.user_id),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            published: true,
            deleted: false,
        }
    }

    /// Whether `actor` may `action` this swap; `people` holds its holder.
    pub fn may(&self, people: &Holders, actor: &Actor, action: Action) -> bool {
        people.may_on_swap(actor, action, self.user_id, &self.offered_to())
    }

    pub fn render(&self, zones: &Zones) -> Swap {
        let (_, zone) = zones.of(self.location_id);
        Swap {
            id: self.id,
            company_id: self.company_id,
            kind: self.kind,
            shift_id: self.shift_id,
            user_id: self.user_id,
            location_id: self.location_id,
            starts_at: rfc3339_in(self.starts_at, zone),
            ends_at: rfc3339_in(self.ends_at, zone),
            status: self.status,
            requires_approval: self.requires_approval,
            open_to_all: self.open_to_all,
            accepted_user_id: self.accepted_user_id,
            recipients: self
                .recipients
                .iter()
                .map(|r| SwapRecipient {
                    user_id: r.user_id,
                    shift_id: r.shift_id,
                    status: r.status,
                })
                .collect(),
            decided_by: self.decided_by,
            created_by: self.created_by,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            completed_at: self.completed_at.map(rfc3339),
        }
    }
}

/// `rows` with their recipients, by user id.
pub(crate) async fn with_recipients(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    mut rows: Vec<SwapRow>,
) -> Result<Vec<SwapRow>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_swap = children(
        conn,
        company_id,
        (
            "SELECT swap_id, user_id, shift_id, status FROM swap_recipients WHERE company_id = $1 AND swap_id IN",
            "swap_id, user_id",
        ),
        &ids,
        |r: &RecipientRow| r.swap_id,
    )
    .await?;
    for row in &mut rows {
        row.recipients = by_swap.remove(&row.id).unwrap_or_default();
    }
    Ok(rows)
}

/// One swap with its recipients.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<SwapRow>> {
    let row: Option<SwapRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(with_recipients(conn, company_id, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// A swap the actor may see, with the people it concerns (its holder, its recipients);
/// absent otherwise, as another company's is.
pub(crate) async fn load_visible(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<(SwapRow, Holders)> {
    let row = load(conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("swap"))?;
    let people = Holders::load(
        conn,
        actor.company_id,
        std::iter::once(row.user_id).chain(row.recipient_ids()),
    )
    .await?;
    if !row.may(&people, actor, Action::ViewSwap) {
        return Err(Error::not_found("swap"));
    }
    Ok((row, people))
}

/// Writes the swap's status (and who accepted and decided it, and when it completed), and
/// sets `answered`, a recipient, to its answer and, when the swap ends, every other one
/// still waiting to what that end leaves them.
pub(crate) async fn settle(
    tx: &mut Tx,
    row: &mut SwapRow,
    status: SwapStatus,
    decided_by: Option<i64>,
    answered: Option<(i64, RecipientStatus)>,
) -> Result<()> {
    let stamp = now();
    let completed = matches!(status, SwapStatus::Approved | SwapStatus::Completed);
    row.status = status;
    row.decided_by = decided_by.or(row.decided_by);
    row.updated_at = stamp;
    if completed {
        row.completed_at = Some(stamp);
    }
    sqlx::query(
        "UPDATE swaps SET status = $3, decided_by = $4, accepted_user_id = $5, updated_at = $6, completed_at = $7 \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(row.company_id)
    .bind(row.id)
    .bind(row.status.as_str())
    .bind(row.decided_by)
    .bind(row.accepted_user_id)
    .bind(stamp)
    .bind(row.completed_at)
    .execute(&mut **tx)
    .await?;
    let ended = status != SwapStatus::Pending;
    for recipient in &mut row.recipients {
        let next = match answered {
            Some((user_id, answer)) if user_id == recipient.user_id => answer,
            _ if ended && rules::waiting(recipient.status) => rules::left_waiting(status),
            _ => continue,
        };
        recipient.status = next;
        sqlx::query(
            "UPDATE swap_recipients SET status = $4, updated_at = $5 \
             WHERE company_id = $1 AND swap_id = $2 AND user_id = $3",
        )
        .bind(row.company_id)
        .bind(row.id)
        .bind(recipient.user_id)
        .bind(next.as_str())
        .bind(stamp)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds `user_id` as a recipient of `row` in `status` (who picks up an open drop).
pub(crate) async fn add_recipient(
    tx: &mut Tx,
    row: &mut SwapRow,
    user_id: i64,
    shift_id: Option<i64>,
    status: RecipientStatus,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO swap_recipients (company_id, swap_id, user_id, shift_id, status, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(row.company_id)
    .bind(row.id)
    .bind(user_id)
    .bind(shift_id)
    .bind(status.as_str())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    row.recipients.push(RecipientRow {
        swap_id: row.id,
        user_id,
        shift_id,
        status,
    });
    Ok(())
}
