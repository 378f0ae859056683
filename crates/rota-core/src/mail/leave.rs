//! The e-mails a change to a leave request causes, queued inside the transaction that makes
//! the change: the request as that change wrote it is handed in, the people in the
//! requester's slots (and, when nobody there approves, the company's super users) are
//! loaded, [`audience`] decides who is told and [`compose`] what.

use crate::company::Company;
use crate::db::Tx;
use crate::error::Result;
use crate::leave::duration::Span;
use crate::leave::request::Change;
use crate::leave::types::{LeaveType, TypeKind};
use crate::mail::audience::{self, Slot};
use crate::mail::compose::{self, RequestFacts};
use crate::people::record::{self, UserRecord};
use crate::people::service;
use crate::people::types::{AllowanceUnit, ApproverRole};
use crate::policy;
use crate::sql::Binds;

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
        let roles = policy::deciders_for_anyone(company.id, leave_type.kind == TypeKind::Overtime);
        let mut binds = Binds::after(1);
        let codes: Vec<String> = roles.iter().map(|role| binds.int(role.code())).collect();
        let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{} WHERE company_id = $1 AND user_type_id IN ({}) AND status = 'active' ORDER BY id",
            record::SELECT,
            codes.join(", ")
        )))
        .bind(company.id);
        binds.bind_all(query).fetch_all(&mut **tx).await?
    } else {
        Vec::new()
    };
    let recipients = audience::audience(change, leave_type, requester, &slots, &super_users);
    if recipients.is_empty() {
        return Ok(());
    }
    let facts = RequestFacts {
        company_name: &company.name,
        owner_id: company.owner_id,
        policy: company.settings.policy(),
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
