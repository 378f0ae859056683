//! Pay periods, a pure rule: a company's pay-period rule (a [`Frequency`] and a first
//! day) cuts the calendar into consecutive periods that tile it, with no gap and no
//! overlap. Weekly and fortnightly periods run 7 and 14 days on from the first day (and
//! back before it); semi-monthly periods run from the 1st to the 15th and from the 16th to
//! the month's last day; monthly periods start on the first day's day of the month, or on
//! the month's last day where the month is shorter (a rule starting on the 31st starts on
//! 28 or 29 February and 30 April).
//!
//! Dates stay far from the calendar type's limits (clients' dates are bounded by
//! [`crate::validate::date`]), so the arithmetic here saturates rather than fails.

use jiff::Span;
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, Result};
use crate::people::types::text_enum;

text_enum! {
    /// How often a company pays: every week, every other week, twice a month (1st–15th
    /// and 16th–month end) or once a month.
    Frequency {
        Weekly = "weekly",
        Fortnightly = "fortnightly",
        SemiMonthly = "semi_monthly",
        Monthly = "monthly",
    }
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Self::Weekly,
        Self::Fortnightly,
        Self::SemiMonthly,
        Self::Monthly,
    ];
}

/// One pay period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

/// A company's pay-period rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRule {
    frequency: Frequency,
    first_day: Date,
}

impl PeriodRule {
    /// The rule, when `first_day` may start a period of `frequency`: semi-monthly periods
    /// start only on the 1st or the 16th.
    pub fn parse(frequency: Frequency, first_day: Date) -> Result<Self> {
        if frequency == Frequency::SemiMonthly && !matches!(first_day.day(), 1 | 16) {
            return Err(Error::invalid(
                "first_day",
                "a semi-monthly rule's first_day must be the 1st or the 16th of a month",
            ));
        }
        Ok(Self {
            frequency,
            first_day,
        })
    }

    pub fn frequency(self) -> Frequency {
        self.frequency
    }

    pub fn first_day(self) -> Date {
        self.first_day
    }

    /// The period `day` falls in.
    pub fn containing(self, day: Date) -> Period {
        match self.frequency {
            Frequency::Weekly => self.every_days(day, 7),
            Frequency::Fortnightly => self.every_days(day, 14),
            Frequency::SemiMonthly if day.day() <= 15 => Period {
                start: day.first_of_month(),
                end: date(day.year(), day.month(), 15),
            },
            Frequency::SemiMonthly => Period {
                start: date(day.year(), day.month(), 16),
                end: day.last_of_month(),
            },
            Frequency::Monthly => {
                let this_month = self.monthly_start(day.first_of_month());
                let start = if this_month <= day {
                    this_month
                } else {
                    self.monthly_start(add(day.first_of_month(), Span::new().months(-1)))
                };
                let next = self.monthly_start(add(start.first_of_month(), Span::new().months(1)));
                Period {
                    start,
                    end: add(next, Span::new().days(-1)),
                }
            }
        }
    }

    /// The period right after `period`.
    pub fn after(self, period: Period) -> Period {
        self.containing(add(period.end, Span::new().days(1)))
    }

    /// Periods of `length` days, counted on from (and back before) the first day.
    fn every_days(self, day: Date, length: i64) -> Period {
        let since = i64::from((day - self.first_day).get_days());
        let start = add(
            self.first_day,
            Span::new().days(since.div_euclid(length) * length),
        );
        Period {
            start,
            end: add(start, Span::new().days(length - 1)),
        }
    }

    /// The day a monthly period starts in the month of `first_of_month`.
    fn monthly_start(self, first_of_month: Date) -> Date {
        let day = self.first_day.day().min(first_of_month.days_in_month());
        date(first_of_month.year(), first_of_month.month(), day)
    }
}

fn add(day: Date, span: Span) -> Date {
    day.saturating_add(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule(frequency: Frequency, first_day: Date) -> PeriodRule {
        PeriodRule::parse(frequency, first_day).expect("rule")
    }

    fn period(start: Date, end: Date) -> Period {
        Period { start, end }
    }

    #[test]
    fn weekly_periods_run_seven_days_from_the_first_day_and_before_it() {
        let weekly = rule(Frequency::Weekly, date(2026, 1, 5));
        assert_eq!(
            weekly.containing(date(2026, 1, 5)),
            period(date(2026, 1, 5), date(2026, 1, 11))
        );
        assert_eq!(
            weekly.containing(date(2026, 1, 18)),
            period(date(2026, 1, 12), date(2026, 1, 18))
        );
        assert_eq!(
            weekly.containing(date(2026, 1, 4)),
            period(date(2025, 12, 29), date(2026, 1, 4))
        );
    }

    #[test]
    fn fortnights_cross_the_year_end() {
        let fortnightly = rule(Frequency::Fortnightly, date(2026, 12, 21));
        let period_at_new_year = fortnightly.containing(date(2027, 1, 1));
        assert_eq!(
            period_at_new_year,
            period(date(2026, 12, 21), date(2027, 1, 3))
        );
        assert_eq!(
            fortnightly.after(period_at_new_year),
            period(date(2027, 1, 4), date(2027, 1, 17))
        );
        assert_eq!(
            fortnightly.containing(date(2026, 12, 20)),
            period(date(2026, 12, 7), date(2026, 12, 20))
        );
    }

    #[test]
    fn semi_monthly_halves_end_on_the_15th_and_on_each_month_end() {
        let semi = rule(Frequency::SemiMonthly, date(2026, 1, 1));
        for (year, month, last) in [(2026, 2, 28), (2028, 2, 29), (2026, 4, 30), (2026, 12, 31)] {
            assert_eq!(
                semi.containing(date(year, month, 15)),
                period(date(year, month, 1), date(year, month, 15))
            );
            let second = semi.containing(date(year, month, 16));
            assert_eq!(
                second,
                period(date(year, month, 16), date(year, month, last))
            );
            assert_eq!(semi.after(second).start.day(), 1);
        }
    }

    #[test]
    fn a_semi_monthly_rule_starts_on_the_1st_or_the_16th() {
        assert!(PeriodRule::parse(Frequency::SemiMonthly, date(2026, 1, 16)).is_ok());
        let refused = PeriodRule::parse(Frequency::SemiMonthly, date(2026, 1, 2));
        assert!(
            matches!(refused, Err(Error::Invalid { field: Some(field), .. }) if field == "first_day")
        );
    }

    #[test]
    fn monthly_periods_keep_their_day_and_take_the_last_day_of_shorter_months() {
        let from_31st = rule(Frequency::Monthly, date(2026, 1, 31));
        assert_eq!(
            from_31st.containing(date(2026, 2, 15)),
            period(date(2026, 1, 31), date(2026, 2, 27))
        );
        assert_eq!(
            from_31st.containing(date(2028, 2, 29)),
            period(date(2028, 2, 29), date(2028, 3, 30))
        );
        assert_eq!(
            from_31st.containing(date(2026, 4, 30)),
            period(date(2026, 4, 30), date(2026, 5, 30))
        );
        let from_1st = rule(Frequency::Monthly, date(2024, 1, 1));
        assert_eq!(
            from_1st.containing(date(2024, 2, 29)),
            period(date(2024, 2, 1), date(2024, 2, 29))
        );
        assert_eq!(
            from_1st.containing(date(2025, 12, 31)),
            period(date(2025, 12, 1), date(2025, 12, 31))
        );
    }

    fn any_rule() -> impl Strategy<Value = PeriodRule> {
        (0..4usize, 0..36_500i64).prop_map(|(frequency, offset)| {
            let frequency = Frequency::ALL[frequency];
            let mut first_day = add(date(1950, 1, 1), Span::new().days(offset));
            if frequency == Frequency::SemiMonthly {
                first_day = first_day.first_of_month();
            }
            rule(frequency, first_day)
        })
    }

    proptest! {
        /// Consecutive periods tile the calendar: each starts the day after the last ends,
        /// holds the day it was asked for, and is found again from any of its days.
        #[test]
        fn consecutive_periods_tile_time(rule in any_rule(), offset in 0..36_500i64) {
            let day = add(date(1950, 1, 1), Span::new().days(offset));
            let period = rule.containing(day);
            prop_assert!(period.start <= day && day <= period.end);
            let next = rule.after(period);
            prop_assert_eq!(next.start, add(period.end, Span::new().days(1)));
            prop_assert!(next.start <= next.end);
            prop_assert_eq!(rule.containing(period.start), period);
            prop_assert_eq!(rule.containing(period.end), period);
            let length = i64::from((period.end - period.start).get_days()) + 1;
            let expected = match rule.frequency() {
                Frequency::Weekly => 7..=7,
                Frequency::Fortnightly => 14..=14,
                Frequency::SemiMonthly => 13..=16,
                Frequency::Monthly => 28..=31,
            };
            prop_assert!(expected.contains(&length), "{period:?} lasts {length} days");
        }
    }
}
