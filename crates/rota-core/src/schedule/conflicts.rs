//! Whether a shift may go to its user: the facts [`rules::conflicts`] needs (their other
//! shifts and repeating shifts, approved leave, business-closed days), read inside the transaction that writes
//! the shift, after their row is locked (docs/architecture.md, "the one way").

use jiff::civil::Date;

use super::availability;
use super::chains::row as chains;
use super::draft::Draft;
use super::row::Zones;
use super::rules::{self, Calendar, Warning};
use super::settings::ScheduleSettings;
use crate::error::Result;
use crate::stored::Day;

/// Refuses `draft` (the shift `shift_id` once written, none for a new one) with the code
/// of its first conflict that `settings` do not let through; else the warnings of those
/// they do. A caller about to write holds the lock on the user.
pub(crate) async fn check(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    draft: &Draft,
    shift_id: Option<i64>,
    (zones, settings): (&Zones, &ScheduleSettings),
) -> Result<Vec<Warning>> {
    let Some(user_id) = draft.user_id else {
        return Ok(Vec::new());
    };
    let (_, zone) = zones.of(draft.location_id);
    let days = rules::days(draft.starts_at, draft.ends_at, zone);
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let window = Window {
        user_id,
        location_id: draft.location_id,
        from: draft.starts_at,
        to: draft.ends_at,
        first,
        last,
    };
    let calendar = calendar(conn, company_id, &window, shift_id, None).await?;
    settings.judge(&rules::conflicts(
        draft.starts_at,
        draft.ends_at,
        &days,
        &calendar,
    ))
}

/// The span an assignment covers: its user and location, its instants and its days.
pub(crate) struct Window {
    pub user_id: i64,
    pub location_id: i64,
    pub from: i64,
    pub to: i64,
    pub first: Date,
    pub last: Date,
}

/// The facts of `window`'s user there: their shifts (but `shift_id`), the occurrences of
/// their repeating shifts (but chain `chain_id`'s), approved leave and the business-closed
/// days of the location, and the times they said they are unavailable.
pub(crate) async fn calendar(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    window: &Window,
    shift_id: Option<i64>,
    chain_id: Option<i64>,
) -> Result<Calendar> {
    let mut shifts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT starts_at, ends_at FROM shifts WHERE company_id = $1 AND user_id = $2 AND deleted_at IS NULL \
         AND id <> $3 AND starts_at < $4 AND ends_at > $5",
    )
    .bind(company_id)
    .bind(window.user_id)
    .bind(shift_id.unwrap_or(0))
    .bind(window.to)
    .bind(window.from)
    .fetch_all(&mut *conn)
    .await?;
    // A chain's occurrence may start the day before the window's first day.
    let before = window.first.yesterday().unwrap_or(window.first);
    for chain in chains::of_user(
        &mut *conn,
        company_id,
        window.user_id,
        before,
        window.last,
        chain_id,
    )
    .await?
    {
        for o in chain.occurrences(window.from, window.to)? {
            shifts.push((o.starts_at, o.ends_at));
        }
    }
    let leave: Vec<(Day, Day)> = sqlx::query_as(
        "SELECT r.start_date, r.end_date FROM leave_requests r \
         JOIN leave_types t ON t.company_id = r.company_id AND t.id = r.leave_type_id \
         WHERE r.company_id = $1 AND r.user_id = $2 AND r.status = 'approved' AND t.kind = 'leave' \
         AND r.start_date <= $3 AND r.end_date >= $4",
    )
    .bind(company_id)
    .bind(window.user_id)
    .bind(window.last.to_string())
    .bind(window.first.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let closed: Vec<(Day, Day)> = sqlx::query_as(
        "SELECT start_date, end_date FROM annotations WHERE company_id = $1 AND kind = 'business_closed' \
         AND start_date <= $2 AND end_date >= $3 AND (location_id IS NULL OR location_id = $4) \
         AND (department_id IS NULL OR department_id = \
              (SELECT department_id FROM users WHERE company_id = $1 AND id = $5))",
    )
    .bind(company_id)
    .bind(window.last.to_string())
    .bind(window.first.to_string())
    .bind(window.location_id)
    .bind(window.user_id)
    .fetch_all(&mut *conn)
    .await?;
    let unavailable = availability::unavailable(
        conn,
        company_id,
        window.user_id,
        (window.from, window.to),
        (window.first, window.last),
    )
    .await?;
    let dates = |ranges: Vec<(Day, Day)>| -> Vec<(Date, Date)> {
        ranges
            .into_iter()
            .map(|(from, to)| (from.into(), to.into()))
            .collect()
    };
    Ok(Calendar {
        shifts,
        leave: dates(leave),
        closed: dates(closed),
        unavailable,
    })
}
