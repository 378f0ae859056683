//! The days that are not ordinary working days for one person over a range: public
//! holidays of their country (with the company's own additions and exceptions), business
//! closures that apply to them, and no-time-off days.

use std::collections::HashSet;

use jiff::civil::Date;

use crate::company::Company;
use crate::error::Result;
use crate::leave::annotations::{Annotation, AnnotationKind, CompanyHoliday};
use crate::people::record::UserRecord;

#[derive(Debug, Clone, Default)]
pub struct DaysOff {
    pub holidays: HashSet<Date>,
    pub closures: HashSet<Date>,
    pub no_time_off: HashSet<Date>,
}

/// The holidays of `country` (and its `region`) from `from` to `to`, named, with the
/// company's own days applied (see [`apply_company_days`]).
pub async fn holidays(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    country: Option<&str>,
    region: Option<&str>,
    from: Date,
    to: Date,
) -> Result<Vec<(Date, String)>> {
    let public = match country {
        Some(country) => crate::holidays::between(country, region, from, to)
            .into_iter()
            .map(|h| (h.date, h.name))
            .collect(),
        None => Vec::new(),
    };
    let own: Vec<CompanyHoliday> = sqlx::query_as(
        "SELECT * FROM company_holidays WHERE company_id = $1 AND date >= $2 AND date <= $3",
    )
    .bind(company_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(apply_company_days(public, &own, country))
}

/// The company's own days over the public holidays of `country`: each of its days for that
/// country (or for every country), in order, either makes its date a working day (removing
/// the holidays there) or adds a holiday.
pub fn apply_company_days(
    mut holidays: Vec<(Date, String)>,
    own: &[CompanyHoliday],
    country: Option<&str>,
) -> Vec<(Date, String)> {
    for day in own
        .iter()
        .filter(|h| h.country.is_none() || h.country.as_deref() == country)
    {
        if day.working_day {
            holidays.retain(|(d, _)| *d != day.date);
        } else {
            holidays.push((day.date, day.name.clone()));
        }
    }
    holidays
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
        // A region belongs to the user's own country; the company's country has none.
        let region = user
            .holiday_country
            .as_deref()
            .and(user.holiday_subdivision.as_deref());
        let holidays: HashSet<Date> = holidays(&mut *conn, company.id, country, region, from, to)
            .await?
            .into_iter()
            .map(|(date, _)| date)
            .collect();
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
            let mut date = annotation.start_date.max(from);
            let last = annotation.end_date.min(to);
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

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn own(date: &str, name: &str, country: Option<&str>, working_day: bool) -> CompanyHoliday {
        CompanyHoliday {
            id: 0,
            company_id: 1,
            date: date.parse().unwrap(),
            name: name.to_owned(),
            country: country.map(str::to_owned),
            working_day,
        }
    }

    #[test]
    fn the_companys_days_add_holidays_and_make_others_working_days() {
        let public = vec![
            (date(2026, 5, 4), "Early May".to_owned()),
            (date(2026, 5, 25), "Spring".to_owned()),
        ];
        let own = [
            own("2026-05-04", "open", None, true),
            own("2026-05-05", "Founders' day", None, false),
            own("2026-05-06", "Fête", Some("FR"), false),
            own("2026-05-25", "open in Ireland", Some("IE"), true),
        ];
        let applied = apply_company_days(public, &own, Some("GB"));
        assert_eq!(
            applied,
            vec![
                (date(2026, 5, 25), "Spring".to_owned()),
                (date(2026, 5, 5), "Founders' day".to_owned()),
            ]
        );
    }
}
