//! The e-mails a change to a leave request causes, queued inside the transaction that makes
//! the change: the request is read as that transaction now sees it, the people in the
//! requester's slots (and, when nobody there approves, the company's super users) are
//! loaded, [`audience`] decides who is told and [`compose`] what.

use crate::company::Company;
use crate::db::Tx;
use crate::error::Result;
use crate::leave::request::{RequestRow, SELECT, part};
use crate::leave::types::LeaveType;
use crate::mail::audience::{self, LeaveEvent, Slot};
use crate::mail::compose::{self, RequestFacts};
use crate::people::record::{self, UserRecord};
use crate::people::service;
use crate::people::types::{AllowanceUnit, ApproverRole, UserType};
use crate::validate;

/// Queues the messages about `event` on request `request_id` of `requester` into `tx`.
pub(crate) async fn queue(
    tx: &mut Tx,
    company: &Company,
    leave_type: &LeaveType,
    requester: &UserRecord,
    request_id: i64,
    event: LeaveEvent,
) -> Result<()> {
    let row: RequestRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company.id)
    .bind(request_id)
    .fetch_one(&mut **tx)
    .await?;
    let slot_ids = [
        (requester.approver_id, &requester.approver_role),
        (requester.notifier_2_id, &requester.notifier_2_role),
        (requester.notifier_3_id, &requester.notifier_3_role),
    ];
    let mut slot_users = Vec::new();
    for (id, role) in slot_ids {
        let role = ApproverRole::from_stored(role)?;
        if let Some(id) = id.filter(|_| role != ApproverRole::None)
            && let Some(user) = service::load(tx, company.id, id).await?
        {
            slot_users.push((role, user));
        }
    }
    let slots: Vec<Slot<'_>> = slot_users
        .iter()
        .map(|(role, user)| Slot { role: *role, user })
        .collect();
    let super_users: Vec<UserRecord> = if event == LeaveEvent::Submitted
        && !audience::has_approver(leave_type.kind, &slots)
    {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{} WHERE company_id = $1 AND user_type_id IN ($2, $3) AND status = 'active' ORDER BY id",
                record::SELECT
            )))
            .bind(company.id)
            .bind(UserType::SuperUser.code())
            .bind(UserType::SuperUserWithStaffHub.code())
            .fetch_all(&mut **tx)
            .await?
    } else {
        Vec::new()
    };
    let recipients = audience::audience(event, leave_type, requester, &slots, &super_users);
    if recipients.is_empty() {
        return Ok(());
    }
    let facts = RequestFacts {
        company_name: &company.name,
        leave_type,
        requester,
        period: compose::period(
            validate::stored_date("start_date", &row.start_date)?,
            validate::stored_date("end_date", &row.end_date)?,
            part(&row.start_part),
            part(&row.end_part),
            row.start_minute.zip(row.end_minute),
        ),
        amount: compose::amount(row.amount, AllowanceUnit::from_stored(&row.unit)?),
        note: row.note.as_deref(),
        reason: row.decision_reason.as_deref(),
    };
    let messages = compose::messages(event, &facts, &recipients);
    super::enqueue(tx, company.id, &messages).await?;
    tracing::debug!(
        company.id = company.id,
        request.id = request_id,
        queued = messages.len(),
        "leave e-mail queued"
    );
    Ok(())
}
