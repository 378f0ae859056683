//! The e-mails a change to a leave request causes, queued inside the transaction that makes
//! the change: the request as that change wrote it is handed in, the people in the
//! requester's slots (and, when nobody there approves, the company's super users) are
//! loaded, [`audience`] decides who is told and [`compose`] what.

use crate::company::Company;
use crate::db::Tx;
use crate::error::Result;
use crate::leave::duration::Span;
use crate::leave::request::Change;
use crate::leave::types::LeaveType;
use crate::mail::audience::{self, Slot};
use crate::mail::compose::{self, RequestFacts};
use crate::people::record::{self, UserRecord};
use crate::people::service;
use crate::people::types::{AllowanceUnit, ApproverRole, UserType};

/// What the messages say about the request: when, how much, its note and the reason given.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub id: i64,
    pub span: Span,
    pub amount: i64,
    pub unit: AllowanceUnit,
    pub note: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// Queues the messages about `change` on the request `subject` of `requester` into `tx`.
pub(crate) async fn queue(
    tx: &mut Tx,
    company: &Company,
    leave_type: &LeaveType,
    requester: &UserRecord,
    subject: Subject<'_>,
    change: Change,
) -> Result<()> {
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
    let super_users: Vec<UserRecord> = if change == Change::Requested
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
    let recipients = audience::audience(change, leave_type, requester, &slots, &super_users);
    if recipients.is_empty() {
        return Ok(());
    }
    let facts = RequestFacts {
        company_name: &company.name,
        leave_type,
        requester,
        period: compose::period(
            subject.span.start,
            subject.span.end,
            subject.span.start_part,
            subject.span.end_part,
            subject.span.minutes,
        ),
        amount: compose::amount(subject.amount, subject.unit),
        note: subject.note,
        reason: subject.reason,
    };
    let messages = compose::messages(change, &facts, &recipients);
    super::enqueue(tx, company.id, &messages).await?;
    tracing::debug!(
        company.id = company.id,
        request.id = subject.id,
        queued = messages.len(),
        "leave e-mail queued"
    );
    Ok(())
}
