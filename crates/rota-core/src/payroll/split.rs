//! Splitting a person's worked time into regular and overtime minutes and pricing them, a
//! pure rule.
//!
//! The order: **daily first, then weekly.** On each day, the minutes past the daily
//! threshold are overtime. Of what stays regular, the minutes past the weekly threshold in
//! a week (weeks start on the company's day) are overtime too, counted in the order the
//! time was worked; daily overtime does not count towards the weekly threshold, so no
//! minute is overtime twice. A threshold of 0 is off. Time worked in the same week before
//! the period starts counts towards the weekly threshold but is not paid in this period.
//!
//! Costs: each minute is priced at its entry's hourly rate, overtime at the company's
//! multiplier (a percentage). The sums are rounded once per person and type, to the
//! nearest cent, half a cent up: regular = Σ minutes × rate / 60, overtime =
//! Σ minutes × rate × multiplier / 100 / 60. The rate shown beside them is the hourly
//! rate that paid each type (overtime with its multiplier): the minute-weighted average
//! where several rates paid it, to the nearest cent, so the cost is the sum above and not
//! always exactly minutes × that rate.

use std::collections::HashMap;

use jiff::Span;
use jiff::civil::Date;

use crate::people::types::Weekday;

/// Time worked on one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// The day the entry is counted on.
    pub day: Date,
    /// Minutes worked (rounded, breaks taken off).
    pub minutes: i64,
    /// Cents per hour.
    pub rate_cents: i64,
    /// Whether the day is inside the period (else it only counts towards the week).
    pub in_period: bool,
}

/// When time becomes overtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Minutes on one day; 0: off.
    pub daily_minutes: i64,
    /// Minutes in one week; 0: off.
    pub weekly_minutes: i64,
    pub week_starts_on: Weekday,
    /// Overtime pay as a percentage of the rate.
    pub multiplier: i64,
}

/// One person's time in a period, by type, with its cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Split {
    pub regular_minutes: i64,
    pub overtime_minutes: i64,
    pub regular_cost_cents: i64,
    pub overtime_cost_cents: i64,
    /// Cents per hour: the minute-weighted average of the rates that paid each type.
    pub regular_rate_cents: i64,
    pub overtime_rate_cents: i64,
}

/// The first day of the week `day` falls in.
pub fn week_of(day: Date, week_starts_on: Weekday) -> Date {
    let back =
        (i64::from(day.weekday().to_monday_one_offset()) - week_starts_on.number()).rem_euclid(7);
    day.saturating_sub(Span::new().days(back))
}

/// `value / divisor` to the nearest whole, half up (for values of 0 and more); 0 when
/// `divisor` is 0.
fn rounded(value: i64, divisor: i64) -> i64 {
    if divisor == 0 {
        0
    } else {
        (value + divisor / 2) / divisor
    }
}

/// What `minutes` at `rate_cents` an hour cost, to the nearest cent, half up.
pub fn cost(minutes: i64, rate_cents: i64) -> i64 {
    rounded(minutes * rate_cents, 60)
}

/// Splits `work`, in the order it was worked, by `thresholds`.
pub fn split(work: &[Work], thresholds: Thresholds) -> Split {
    let mut by_day: HashMap<Date, i64> = HashMap::new();
    let mut by_week: HashMap<Date, i64> = HashMap::new();
    let (mut regular, mut overtime, mut regular_value, mut overtime_value) = (0, 0, 0, 0);
    for item in work {
        let day_so_far = by_day.entry(item.day).or_insert(0);
        let within_day = if thresholds.daily_minutes > 0 {
            item.minutes
                .min((thresholds.daily_minutes - *day_so_far).max(0))
        } else {
            item.minutes
        };
        *day_so_far += item.minutes;
        let week_so_far = by_week
            .entry(week_of(item.day, thresholds.week_starts_on))
            .or_insert(0);
        let within_week = if thresholds.weekly_minutes > 0 {
            within_day.min((thresholds.weekly_minutes - *week_so_far).max(0))
        } else {
            within_day
        };
        *week_so_far += within_week;
        if item.in_period {
            regular += within_week;
            overtime += item.minutes - within_week;
            regular_value += within_week * item.rate_cents;
            overtime_value += (item.minutes - within_week) * item.rate_cents;
        }
    }
    Split {
        regular_minutes: regular,
        overtime_minutes: overtime,
        regular_cost_cents: rounded(regular_value, 60),
        overtime_cost_cents: rounded(overtime_value * thresholds.multiplier, 6_000),
        regular_rate_cents: rounded(regular_value, regular),
        overtime_rate_cents: rounded(overtime_value * thresholds.multiplier, overtime * 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const OFF: Thresholds = Thresholds {
        daily_minutes: 0,
        weekly_minutes: 0,
        week_starts_on: Weekday::Monday,
        multiplier: 150,
    };

    fn work(day: Date, minutes: i64) -> Work {
        Work {
            day,
            minutes,
            rate_cents: 1_200,
            in_period: true,
        }
    }

    #[test]
    fn without_thresholds_everything_is_regular() {
        let split = split(&[work(date(2026, 6, 1), 600)], OFF);
        assert_eq!(split.regular_minutes, 600);
        assert_eq!(split.overtime_minutes, 0);
        assert_eq!(split.regular_cost_cents, 12_000);
    }

    #[test]
    fn past_the_daily_threshold_is_overtime_at_the_multiplier() {
        let daily = Thresholds {
            daily_minutes: 480,
            ..OFF
        };
        let day = date(2026, 6, 1);
        let split = split(&[work(day, 300), work(day, 270)], daily);
        assert_eq!((split.regular_minutes, split.overtime_minutes), (480, 90));
        assert_eq!(split.regular_cost_cents, 9_600);
        // 90 minutes at 12.00 an hour, times 1.5: 27.00, at 18.00 an hour.
        assert_eq!(split.overtime_cost_cents, 2_700);
        assert_eq!(
            (split.regular_rate_cents, split.overtime_rate_cents),
            (1_200, 1_800)
        );
    }

    #[test]
    fn past_the_weekly_threshold_is_overtime_and_daily_overtime_is_not_counted_twice() {
        let both = Thresholds {
            daily_minutes: 480,
            weekly_minutes: 2_400,
            ..OFF
        };
        // Monday to Friday 9 hours each: 60 minutes of daily overtime a day, 480 regular a
        // day reach the week's 2,400 on Friday exactly.
        let week: Vec<Work> = (1..=5).map(|d| work(date(2026, 6, d), 540)).collect();
        let split = split(&week, both);
        assert_eq!(
            (split.regular_minutes, split.overtime_minutes),
            (2_400, 300)
        );
        // A Saturday on top is all weekly overtime.
        let mut six = week.clone();
        six.push(work(date(2026, 6, 6), 240));
        let split = super::split(&six, both);
        assert_eq!(
            (split.regular_minutes, split.overtime_minutes),
            (2_400, 540)
        );
    }

    #[test]
    fn the_week_before_the_period_counts_towards_the_threshold_but_is_not_paid() {
        let weekly = Thresholds {
            weekly_minutes: 600,
            ..OFF
        };
        let before = Work {
            in_period: false,
            ..work(date(2026, 5, 31), 480)
        };
        // Weeks start on Sunday: Sunday 31 May and Monday 1 June are one week.
        let sunday_weeks = Thresholds {
            week_starts_on: Weekday::Sunday,
            ..weekly
        };
        let split = split(&[before, work(date(2026, 6, 1), 480)], sunday_weeks);
        assert_eq!((split.regular_minutes, split.overtime_minutes), (120, 360));
        // With Monday weeks they are not.
        let split = super::split(&[before, work(date(2026, 6, 1), 480)], weekly);
        assert_eq!((split.regular_minutes, split.overtime_minutes), (480, 0));
    }

    #[test]
    fn weeks_start_on_the_companys_day() {
        let wednesday = date(2026, 6, 3);
        assert_eq!(week_of(wednesday, Weekday::Monday), date(2026, 6, 1));
        assert_eq!(week_of(wednesday, Weekday::Sunday), date(2026, 5, 31));
        assert_eq!(week_of(wednesday, Weekday::Wednesday), wednesday);
        assert_eq!(week_of(wednesday, Weekday::Thursday), date(2026, 5, 28));
    }

    #[test]
    fn the_rate_shown_is_the_minute_weighted_average_of_the_rates_that_paid() {
        let day = date(2026, 6, 1);
        let cheap = Work {
            rate_cents: 1_000,
            ..work(day, 60)
        };
        let dear = Work {
            rate_cents: 2_000,
            ..work(day, 180)
        };
        let split = split(&[cheap, dear], OFF);
        // (60 × 10.00 + 180 × 20.00) / 240 minutes: 17.50 an hour, costing 70.00.
        assert_eq!(split.regular_rate_cents, 1_750);
        assert_eq!(split.regular_cost_cents, 7_000);
        assert_eq!(split.overtime_rate_cents, 0, "no overtime, no rate");
    }

    #[test]
    fn costs_round_to_the_nearest_cent_half_up() {
        // One minute at 0.30 an hour is half a cent: rounded up to 1.
        let one = Work {
            rate_cents: 30,
            ..work(date(2026, 6, 1), 1)
        };
        assert_eq!(split(&[one], OFF).regular_cost_cents, 1);
        let less = Work {
            rate_cents: 29,
            ..one
        };
        assert_eq!(split(&[less], OFF).regular_cost_cents, 0);
    }

    proptest! {
        /// Regular and overtime always add up to the minutes worked in the period, and
        /// overtime is never more than the time past each threshold could make it.
        #[test]
        fn regular_and_overtime_add_up_to_the_time_worked(
            items in prop::collection::vec((0..21i64, 0..900i64, 0..5_000i64, any::<bool>()), 0..30),
            daily in prop::sample::select(vec![0i64, 240, 480, 600]),
            weekly in prop::sample::select(vec![0i64, 1_200, 2_400]),
            start in 0..7usize,
        ) {
            let thresholds = Thresholds {
                daily_minutes: daily,
                weekly_minutes: weekly,
                week_starts_on: Weekday::ALL[start],
                multiplier: 150,
            };
            let mut work: Vec<Work> = items
                .iter()
                .map(|&(day, minutes, rate_cents, in_period)| Work {
                    day: date(2026, 6, 1).saturating_add(Span::new().days(day)),
                    minutes,
                    rate_cents,
                    in_period,
                })
                .collect();
            work.sort_by_key(|w| w.day);
            let split = split(&work, thresholds);
            let paid: i64 = work.iter().filter(|w| w.in_period).map(|w| w.minutes).sum();
            prop_assert_eq!(split.regular_minutes + split.overtime_minutes, paid);
            prop_assert!(split.regular_minutes >= 0 && split.overtime_minutes >= 0);
            if daily == 0 && weekly == 0 {
                prop_assert_eq!(split.overtime_minutes, 0);
            }
            prop_assert!(split.overtime_cost_cents >= 0 && split.regular_cost_cents >= 0);
        }
    }
}
