//! Leave years: a company's leave year starts on a fixed month and day.

use jiff::civil::Date;

use crate::company;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::allowance::year_rule;
use crate::policy::Actor;

/// A leave year counted from the one holding today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichYear {
    Last,
    This,
    Next,
}

/// When a company's leave years start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaveYearStart {
    pub month: i8,
    pub day: i8,
}

impl LeaveYearStart {
    pub fn new(month: i64, day: i64) -> Result<Self> {
        let month = i8::try_from(month).ok().filter(|m| (1..=12).contains(m));
        let day = i8::try_from(day).ok().filter(|d| (1..=28).contains(d));
        match (month, day) {
            (Some(month), Some(day)) => Ok(Self { month, day }),
            _ => Err(Error::Internal(
                "stored leave-year start is out of range".into(),
            )),
        }
    }

    fn in_year(self, year: i16) -> Result<Date> {
        Date::new(year, self.month, self.day)
            .map_err(|e| Error::Internal(format!("leave year start: {e}").into()))
    }

    /// The first day of the leave year that contains `date`.
    pub fn year_of(self, date: Date) -> Result<Date> {
        let this = self.in_year(date.year())?;
        if date >= this {
            Ok(this)
        } else {
            self.in_year(date.year() - 1)
        }
    }

    /// The first day of the leave year after the one starting on `start`.
    pub fn next(self, start: Date) -> Result<Date> {
        self.in_year(start.year() + 1)
    }

    /// The first and last day of `which` leave year, counted from the one holding `today`.
    pub fn span(self, today: Date, which: WhichYear) -> Result<(Date, Date)> {
        let this = self.year_of(today)?;
        let start = match which {
            WhichYear::Last => self.in_year(this.year() - 1)?,
            WhichYear::This => this,
            WhichYear::Next => self.next(this)?,
        };
        Ok((start, self.last_day(start)?))
    }

    /// The last day of the leave year starting on `start`.
    pub fn last_day(self, start: Date) -> Result<Date> {
        self.next(start)?
            .yesterday()
            .map_err(|e| Error::Internal(format!("leave year end: {e}").into()))
    }
}

/// The first and last day of `which` leave year of the actor's company.
pub async fn company_year(db: &Db, actor: &Actor, which: WhichYear) -> Result<(Date, Date)> {
    let company = company::load(db.pool(), actor.company_id).await?;
    year_rule(&company)?.span(jiff::Zoned::now().date(), which)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_calendar_leave_year() {
        let start = LeaveYearStart::new(1, 1).unwrap();
        assert_eq!(start.year_of(date(2026, 11, 23)).unwrap(), date(2026, 1, 1));
        assert_eq!(start.year_of(date(2026, 1, 1)).unwrap(), date(2026, 1, 1));
        assert_eq!(
            start.last_day(date(2026, 1, 1)).unwrap(),
            date(2026, 12, 31)
        );
    }

    #[test]
    fn an_april_leave_year() {
        let start = LeaveYearStart::new(4, 6).unwrap();
        assert_eq!(start.year_of(date(2026, 4, 5)).unwrap(), date(2025, 4, 6));
        assert_eq!(start.year_of(date(2026, 4, 6)).unwrap(), date(2026, 4, 6));
        assert_eq!(start.next(date(2025, 4, 6)).unwrap(), date(2026, 4, 6));
        assert_eq!(start.last_day(date(2025, 4, 6)).unwrap(), date(2026, 4, 5));
    }

    #[test]
    fn last_this_and_next_year_count_from_today() {
        let april = LeaveYearStart::new(4, 6).unwrap();
        let today = date(2026, 1, 10);
        assert_eq!(
            april.span(today, WhichYear::This).unwrap(),
            (date(2025, 4, 6), date(2026, 4, 5))
        );
        assert_eq!(
            april.span(today, WhichYear::Last).unwrap(),
            (date(2024, 4, 6), date(2025, 4, 5))
        );
        assert_eq!(
            april.span(today, WhichYear::Next).unwrap(),
            (date(2026, 4, 6), date(2027, 4, 5))
        );
        let calendar = LeaveYearStart::new(1, 1).unwrap();
        assert_eq!(
            calendar.span(date(2024, 2, 29), WhichYear::Next).unwrap(),
            (date(2025, 1, 1), date(2025, 12, 31))
        );
    }

    #[test]
    fn out_of_range_starts_are_refused() {
        assert!(LeaveYearStart::new(13, 1).is_err());
        assert!(LeaveYearStart::new(2, 30).is_err());
    }
}
