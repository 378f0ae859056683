//! Rounding clock times, a pure rule: a company rounds clock-ins and clock-outs each to
//! its own increment (1, 5, 6, 10, 15 or 30 minutes) and in its own way (to the nearest
//! step, in the employee's favour or in the company's). Steps are counted on the local
//! clock of the entry's time zone, so that 15 minutes means :00, :15, :30 and :45 there
//! even where the offset from UTC is not a whole number of steps (Nepal's +05:45 with
//! 6-minute steps).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, Result};

/// The step a clock time is rounded to, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Increment(i64);

impl Increment {
    /// The increments a company may choose.
    pub const ALLOWED: [i64; 6] = [1, 5, 6, 10, 15, 30];
    /// No rounding: every clock time is already a whole number of seconds.
    pub const ONE_MINUTE: Increment = Increment(1);

    pub fn parse(field: &'static str, minutes: i64) -> Result<Self> {
        Self::try_from(minutes).map_err(|message| Error::invalid(field, message))
    }

    pub fn minutes(self) -> i64 {
        self.0
    }

    fn seconds(self) -> i64 {
        self.0 * 60
    }
}

impl TryFrom<i64> for Increment {
    type Error = String;

    fn try_from(minutes: i64) -> std::result::Result<Self, String> {
        if Self::ALLOWED.contains(&minutes) {
            Ok(Self(minutes))
        } else {
            Err(format!(
                "the rounding increment must be one of {:?} minutes",
                Self::ALLOWED
            ))
        }
    }
}

impl From<Increment> for i64 {
    fn from(increment: Increment) -> i64 {
        increment.0
    }
}

/// Which way a clock time goes to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// To the nearest step; half way goes to the later one.
    Nearest,
    /// In the employee's favour: a clock-in earlier, a clock-out later.
    EmployeeFavour,
    /// In the company's favour: a clock-in later, a clock-out earlier.
    CompanyFavour,
}

impl Rounding {
    pub const ALL: [Rounding; 3] = [Self::Nearest, Self::EmployeeFavour, Self::CompanyFavour];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nearest => "nearest",
            Self::EmployeeFavour => "employee_favour",
            Self::CompanyFavour => "company_favour",
        }
    }
}

impl TryFrom<String> for Rounding {
    type Error = String;

    fn try_from(stored: String) -> std::result::Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == stored)
            .ok_or_else(|| format!("{stored:?} is not a rounding"))
    }
}

/// Which end of an entry a time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    ClockIn,
    ClockOut,
}

/// How one end of an entry is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub increment: Increment,
    pub rounding: Rounding,
}

impl Rule {
    /// `at` (Unix seconds) rounded as this rule says for `edge`, on a clock `offset`
    /// seconds ahead of UTC.
    pub fn apply(self, at: i64, offset: i64, edge: Edge) -> i64 {
        let step = self.increment.seconds();
        let local = at + offset;
        let below = local.div_euclid(step) * step;
        let past = local - below;
        let up = if past == 0 { below } else { below + step };
        let later = match (self.rounding, edge) {
            (Rounding::Nearest, _) => past * 2 >= step,
            (Rounding::EmployeeFavour, Edge::ClockIn)
            | (Rounding::CompanyFavour, Edge::ClockOut) => false,
            (Rounding::EmployeeFavour, Edge::ClockOut)
            | (Rounding::CompanyFavour, Edge::ClockIn) => true,
        };
        (if later { up } else { below }) - offset
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NINE: i64 = 1_780_304_400; // 2026-06-01T09:00:00Z

    fn rule(minutes: i64, rounding: Rounding) -> Rule {
        Rule {
            increment: Increment::try_from(minutes).unwrap(),
            rounding,
        }
    }

    #[test]
    fn only_the_listed_increments_are_accepted() {
        for minutes in Increment::ALLOWED {
            assert_eq!(Increment::parse("x", minutes).unwrap().minutes(), minutes);
        }
        for minutes in [0, -5, 2, 7, 20, 60] {
            assert!(Increment::parse("x", minutes).is_err(), "{minutes}");
        }
    }

    #[test]
    fn nearest_goes_to_the_closer_step_and_half_way_up() {
        let r = rule(15, Rounding::Nearest);
        assert_eq!(r.apply(NINE + 7 * 60 + 29, 0, Edge::ClockIn), NINE);
        assert_eq!(
            r.apply(NINE + 7 * 60 + 30, 0, Edge::ClockIn),
            NINE + 15 * 60
        );
        assert_eq!(r.apply(NINE - 60, 0, Edge::ClockOut), NINE);
    }

    #[test]
    fn the_employees_favour_starts_earlier_and_ends_later() {
        let r = rule(15, Rounding::EmployeeFavour);
        assert_eq!(r.apply(NINE + 14 * 60, 0, Edge::ClockIn), NINE);
        assert_eq!(r.apply(NINE + 60, 0, Edge::ClockOut), NINE + 15 * 60);
        let r = rule(15, Rounding::CompanyFavour);
        assert_eq!(r.apply(NINE + 60, 0, Edge::ClockIn), NINE + 15 * 60);
        assert_eq!(r.apply(NINE + 14 * 60, 0, Edge::ClockOut), NINE);
    }

    #[test]
    fn steps_are_counted_on_the_local_clock() {
        // Kathmandu is UTC+05:45: 09:00 there is 03:15 UTC, a whole 6-minute step locally
        // but not in UTC.
        let offset = 5 * 3600 + 45 * 60;
        let local_nine = NINE - offset;
        let r = rule(6, Rounding::Nearest);
        assert_eq!(r.apply(local_nine + 100, offset, Edge::ClockIn), local_nine);
        assert_eq!(r.apply(local_nine, offset, Edge::ClockIn), local_nine);
    }

    fn any_rule() -> impl Strategy<Value = Rule> {
        (
            proptest::sample::select(Increment::ALLOWED.to_vec()),
            proptest::sample::select(Rounding::ALL.to_vec()),
        )
            .prop_map(|(minutes, rounding)| rule(minutes, rounding))
    }

    fn any_edge() -> impl Strategy<Value = Edge> {
        proptest::sample::select(vec![Edge::ClockIn, Edge::ClockOut])
    }

    proptest! {
        #[test]
        fn rounding_stays_within_one_step_never_works_against_the_favoured_and_is_idempotent(
            rule in any_rule(),
            edge in any_edge(),
            at in 0i64..4_000_000_000,
            offset in (-12 * 4i64..=14 * 4).prop_map(|quarters| quarters * 900),
        ) {
            let rounded = rule.apply(at, offset, edge);
            let step = rule.increment.minutes() * 60;
            prop_assert!((rounded - at).abs() < step);
            prop_assert_eq!((rounded + offset).rem_euclid(step), 0);
            prop_assert_eq!(rule.apply(rounded, offset, edge), rounded);
            let earlier = rounded <= at;
            let later = rounded >= at;
            match (rule.rounding, edge) {
                (Rounding::EmployeeFavour, Edge::ClockIn) | (Rounding::CompanyFavour, Edge::ClockOut) => prop_assert!(earlier),
                (Rounding::EmployeeFavour, Edge::ClockOut) | (Rounding::CompanyFavour, Edge::ClockIn) => prop_assert!(later),
                (Rounding::Nearest, _) => prop_assert!((rounded - at).abs() * 2 <= step),
            }
        }
    }
}
