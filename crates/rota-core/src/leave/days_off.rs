//! The days that are not ordinary working days for one person over a range: public
//! holidays of their country (with the company's own additions and exceptions), business
//! closures that apply to them, and no-time-off days.

use std::collections::HashSet;

use jiff::civil::Date;

use crate::company::Company;
use crate::error::Result;
use crate::leave::annotations::{Annotation, AnnotationKind, CompanyHoliday};
use crate::people::record::UserRecord;
use crate::validate;

#[derive(Debug, Clone, Default)]
pub struct DaysOff {
    pub holidays: HashSet<Date>,
    pub closures: HashSet<Date>,
    pub no_time_off: HashSet<Date>,
}

impl DaysOff {
    /// Loads what applies to `user` from `from` to `to`.
    pub(crate) async fn load(
        conn: &mut sqlx::AnyConnection,
        company: &Company,
        user: &UserRecord,
        from: Date,
        to: Date,
    ) -> Result<Self> {
        let country = user
            .holiday_country
            .as_deref()
            .or(company.holiday_country.as_deref());
        let mut holidays: HashSet<Date> = match country {
            Some(country) => {
                // A region belongs to the user's own country; the company's country has none.
                let region = user
                    .holiday_country
                    .as_deref()
                    .and(user.holiday_subdivision.as_deref());
                crate::holidays::between(country, region, from, to)
                    .into_iter()
                    .map(|h| h.date)
                    .collect()
            }
            None => HashSet::new(),
        };
        let own: Vec<CompanyHoliday> = sqlx::query_as(
            "SELECT * FROM company_holidays WHERE company_id = $1 AND date >= $2 AND date <= $3",
        )
        .bind(company.id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut *conn)
        .await?;
        for day in own
            .iter()
            .filter(|h| h.country.is_none() || h.country.as_deref() == country)
        {
            let date = validate::stored_date("date", &day.date)?;
            if day.working_day {
                holidays.remove(&date);
            } else {
                holidays.insert(date);
            }
        }
        let locations: Vec<i64> = sqlx::query_scalar(
            "SELECT location_id FROM user_locations WHERE company_id = $1 AND user_id = $2",
        )
        .bind(company.id)
        .bind(user.id)
        .fetch_all(&mut *conn)
        .await?;
        let annotations: Vec<Annotation> = sqlx::query_as(
            "SELECT * FROM annotations WHERE company_id = $1 AND start_date <= $2 AND end_date >= $3 AND kind <> 'announcement'",
        )
        .bind(company.id)
        .bind(to.to_string())
        .bind(from.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let mut days = Self {
            holidays,
            ..Self::default()
        };
        for annotation in annotations {
            let applies = annotation
                .location_id
                .is_none_or(|id| locations.contains(&id))
                && annotation
                    .department_id
                    .is_none_or(|id| user.department_id == Some(id));
            if !applies {
                continue;
            }
            let target = match annotation.kind {
                AnnotationKind::BusinessClosed => &mut days.closures,
                AnnotationKind::NoTimeOff => &mut days.no_time_off,
                AnnotationKind::Announcement => continue,
            };
            let mut date = validate::stored_date("start_date", &annotation.start_date)?.max(from);
            let last = validate::stored_date("end_date", &annotation.end_date)?.min(to);
            while date <= last {
                target.insert(date);
                match date.tomorrow() {
                    Ok(next) => date = next,
                    Err(_) => break,
                }
            }
        }
        Ok(days)
    }

    /// Why `date` counts nothing, if it does not.
    pub fn reason(&self, date: Date) -> Option<crate::leave::duration::DayOff> {
        use crate::leave::duration::DayOff;
        if self.closures.contains(&date) {
            Some(DayOff::Closure)
        } else if self.holidays.contains(&date) {
            Some(DayOff::PublicHoliday)
        } else {
            None
        }
    }
}
