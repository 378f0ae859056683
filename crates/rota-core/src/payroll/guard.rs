//! Closed means closed: a time entry counts on the day it starts (in the company's time
//! zone), and no entry may be made, changed, deleted, approved or clocked on a day of a
//! closed or finalised payroll period, nor moved into one. Every time-entry write calls
//! [`ensure_open`] after taking [`crate::locks::Owner::PayrollPeriods`] with its user, so a
//! period cannot close between the check and the write's commit.

use jiff::civil::Date;

use sqlx::AssertSqlSafe;

use super::period::{PERIOD_COLUMNS, PeriodRow, zone_of};
use crate::company;
use crate::db::Tx;
use crate::error::{Error, Result, code};
use crate::time::day_at;

/// Refuses with `payroll_period_closed` (409, naming `start_time`) when the day any of
/// `starts` (instants: the entry's start as it was and as it will be) falls on is in a
/// payroll period that is not open.
pub(crate) async fn ensure_open(tx: &mut Tx, company_id: i64, starts: &[i64]) -> Result<()> {
    let company = company::load(&mut **tx, company_id).await?;
    let zone = zone_of(&company)?;
    let days = starts
        .iter()
        .map(|start| day_at(*start, &zone))
        .collect::<Result<Vec<Date>>>()?;
    let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
        return Ok(());
    };
    let closed: Vec<PeriodRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PERIOD_COLUMNS} FROM payroll_periods WHERE company_id = $1 \
         AND status <> 'open' AND start_date <= $3 AND end_date >= $2"
    )))
    .bind(company_id)
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for period in closed {
        let (start, end) = (period.start_date, period.end_date);
        if let Some(day) = days.iter().find(|day| (start..=end).contains(*day)) {
            return Err(Error::conflict(
                code::PAYROLL_PERIOD_CLOSED,
                Some("start_time"),
                format!(
                    "{day} is in the payroll period from {start} to {end}, which is {}: \
                     its time entries can no longer change",
                    period.status.as_str()
                ),
            ));
        }
    }
    Ok(())
}
