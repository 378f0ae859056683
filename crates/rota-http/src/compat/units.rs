//! Quantities as Rota keeps them — minutes for time, hundredths of a day for days — and
//! as the vendors send them: WhosOff's `MINUTE(INT32)`, When I Work's hours as a float and
//! break lengths in seconds, Offly's days as a number. Every conversion rounds to the
//! nearest unit, halves away from zero, and refuses what it cannot represent.

use std::fmt;

use rota_core::people::types::AllowanceUnit;

/// Minutes of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minutes(pub i64);

/// Hundredths of a day (2500 is 25 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hundredths(pub i64);

/// How many minutes make a day when days and time are converted: the person's working day
/// (450 for 7 h 30), at least a minute and at most 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayLength(i64);

/// A quantity that has no value in the other unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitError {
    /// NaN or an infinity.
    NotFinite,
    /// Beyond what the target unit holds (for WhosOff, a 32-bit integer).
    OutOfRange,
    /// A day of no minutes, or of more than 24 hours.
    DayLength,
    /// Not a whole number of the target unit, where rounding would change what was asked.
    Inexact,
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotFinite => "the number must be finite",
            Self::OutOfRange => "the number is out of range",
            Self::DayLength => "a day lasts between 1 and 1440 minutes",
            Self::Inexact => "the number is not a whole number of the unit it is kept in",
        })
    }
}

impl std::error::Error for UnitError {}

impl DayLength {
    pub fn new(minutes: i64) -> Result<Self, UnitError> {
        if (1..=1440).contains(&minutes) {
            Ok(Self(minutes))
        } else {
            Err(UnitError::DayLength)
        }
    }

    pub fn minutes(self) -> i64 {
        self.0
    }
}

/// `numerator / denominator` rounded to the nearest integer, halves away from zero.
/// `denominator` is positive.
fn divide_rounding(numerator: i128, denominator: i128) -> Result<i64, UnitError> {
    let half = denominator / 2;
    let rounded = if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    };
    i64::try_from(rounded).map_err(|_| UnitError::OutOfRange)
}

/// `value × scale` rounded to the nearest integer, halves away from zero, reading `value`
/// as the decimal it was written as: 0.285 days is 28.5 hundredths, which rounds to 29,
/// although its nearest double times 100 is 28.499999999999996.
fn scale_rounding(value: f64, scale: f64) -> Result<i64, UnitError> {
    if !value.is_finite() {
        return Err(UnitError::NotFinite);
    }
    let scaled = ((value * scale) * 1e6).round() / 1e6;
    let rounded = scaled.round();
    // i64::MAX is not a double; 2^63 is, and is the first value out of range.
    if rounded.abs() >= 9_223_372_036_854_775_808.0 {
        return Err(UnitError::OutOfRange);
    }
    Ok(rounded as i64)
}

impl Hundredths {
    /// The time these days take, at `day` minutes a day.
    pub fn to_minutes(self, day: DayLength) -> Result<Minutes, UnitError> {
        divide_rounding(i128::from(self.0) * i128::from(day.0), 100).map(Minutes)
    }

    /// The days `minutes` take, at `day` minutes a day.
    pub fn from_minutes(minutes: Minutes, day: DayLength) -> Result<Self, UnitError> {
        divide_rounding(i128::from(minutes.0) * 100, i128::from(day.0)).map(Self)
    }

    /// The days `minutes` take, at `day` minutes a day, when they are a whole number of
    /// hundredths; [`UnitError::Inexact`] otherwise. For what a client sets (WhosOff's
    /// allowances), which is refused rather than rounded.
    pub fn from_minutes_exact(minutes: Minutes, day: DayLength) -> Result<Self, UnitError> {
        let scaled = i128::from(minutes.0) * 100;
        if scaled % i128::from(day.0) != 0 {
            return Err(UnitError::Inexact);
        }
        divide_rounding(scaled, i128::from(day.0)).map(Self)
    }

    /// Days as a number (Offly's `total_days`).
    pub fn to_days(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Days given as a number, to the nearest hundredth.
    pub fn from_days(days: f64) -> Result<Self, UnitError> {
        scale_rounding(days, 100.0).map(Self)
    }
}

impl Minutes {
    /// Hours as a number (When I Work's `hours`, `length`, `break_time`).
    pub fn to_hours(self) -> f64 {
        self.0 as f64 / 60.0
    }

    /// Hours given as a number, to the nearest minute.
    pub fn from_hours(hours: f64) -> Result<Self, UnitError> {
        scale_rounding(hours, 60.0).map(Self)
    }

    /// Seconds (When I Work's break `length`).
    pub fn to_seconds(self) -> Result<i64, UnitError> {
        self.0.checked_mul(60).ok_or(UnitError::OutOfRange)
    }

    /// Seconds, to the nearest minute.
    pub fn from_seconds(seconds: i64) -> Result<Self, UnitError> {
        divide_rounding(i128::from(seconds), 60).map(Self)
    }

    /// WhosOff's `MINUTE(INT32)`.
    pub fn to_int32(self) -> Result<i32, UnitError> {
        i32::try_from(self.0).map_err(|_| UnitError::OutOfRange)
    }
}

/// An allowance amount Rota keeps in `unit` (hundredths of a day, or minutes) as minutes
/// of time, at `day` minutes a day for days: WhosOff's `MINUTE(INT32)` allowances.
pub fn allowance_minutes(amount: i64, unit: AllowanceUnit, day: i64) -> Result<i32, UnitError> {
    match unit {
        AllowanceUnit::Hours => Minutes(amount),
        AllowanceUnit::Days => Hundredths(amount).to_minutes(DayLength::new(day)?)?,
    }
    .to_int32()
}

/// Minutes a client sets as an allowance, in the `unit` Rota keeps it in: exact, or
/// [`UnitError::Inexact`] where the minutes are no whole number of hundredths of a day.
pub fn allowance_amount(minutes: i64, unit: AllowanceUnit, day: i64) -> Result<i64, UnitError> {
    match unit {
        AllowanceUnit::Hours => Ok(minutes),
        AllowanceUnit::Days => {
            Hundredths::from_minutes_exact(Minutes(minutes), DayLength::new(day)?).map(|h| h.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(minutes: i64) -> DayLength {
        DayLength::new(minutes).expect("a day length")
    }

    #[test]
    fn a_day_lasts_between_a_minute_and_twenty_four_hours() {
        assert_eq!(DayLength::new(0), Err(UnitError::DayLength));
        assert_eq!(DayLength::new(-450), Err(UnitError::DayLength));
        assert_eq!(DayLength::new(1441), Err(UnitError::DayLength));
        assert_eq!(day(1440).minutes(), 1440);
    }

    #[test]
    fn hundredths_of_a_day_become_minutes_of_the_working_day() {
        assert_eq!(Hundredths(2500).to_minutes(day(450)), Ok(Minutes(11_250)));
        assert_eq!(Hundredths(50).to_minutes(day(450)), Ok(Minutes(225)));
        // 1/100 of 7 h 30 is 4.5 minutes: the half rounds away from zero, both ways.
        assert_eq!(Hundredths(1).to_minutes(day(450)), Ok(Minutes(5)));
        assert_eq!(Hundredths(-1).to_minutes(day(450)), Ok(Minutes(-5)));
        assert_eq!(Hundredths(0).to_minutes(day(450)), Ok(Minutes(0)));
        assert_eq!(
            Hundredths(i64::MAX).to_minutes(day(1440)),
            Err(UnitError::OutOfRange)
        );
    }

    #[test]
    fn minutes_become_hundredths_of_the_working_day() {
        assert_eq!(
            Hundredths::from_minutes(Minutes(450), day(450)),
            Ok(Hundredths(100))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(225), day(450)),
            Ok(Hundredths(50))
        );
        // 100 minutes of 450 is 22.22… hundredths; 2 minutes is 0.44…; 45 minutes of
        // 1440 is exactly 3.125 and 54 is exactly 3.75.
        assert_eq!(
            Hundredths::from_minutes(Minutes(100), day(450)),
            Ok(Hundredths(22))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(2), day(450)),
            Ok(Hundredths(0))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(45), day(1440)),
            Ok(Hundredths(3))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(54), day(1440)),
            Ok(Hundredths(4))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(-54), day(1440)),
            Ok(Hundredths(-4))
        );
        // Halves: 36 minutes of 480 is 7.5 hundredths, 12 minutes is 2.5.
        assert_eq!(
            Hundredths::from_minutes(Minutes(36), day(480)),
            Ok(Hundredths(8))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(12), day(480)),
            Ok(Hundredths(3))
        );
        assert_eq!(
            Hundredths::from_minutes(Minutes(-12), day(480)),
            Ok(Hundredths(-3))
        );
    }

    #[test]
    fn minutes_set_by_a_client_become_hundredths_only_when_exact() {
        assert_eq!(
            Hundredths::from_minutes_exact(Minutes(450), day(450)),
            Ok(Hundredths(100))
        );
        assert_eq!(
            Hundredths::from_minutes_exact(Minutes(-225), day(450)),
            Ok(Hundredths(-50))
        );
        // 9 minutes of 450 is 2 hundredths; 10 minutes is 2.22…
        assert_eq!(
            Hundredths::from_minutes_exact(Minutes(9), day(450)),
            Ok(Hundredths(2))
        );
        assert_eq!(
            Hundredths::from_minutes_exact(Minutes(10), day(450)),
            Err(UnitError::Inexact)
        );
        assert_eq!(
            Hundredths::from_minutes_exact(Minutes(0), day(7)),
            Ok(Hundredths(0))
        );
    }

    #[test]
    fn allowances_in_days_go_through_the_working_day_and_hours_stay_minutes() {
        use AllowanceUnit::{Days, Hours};
        assert_eq!(allowance_minutes(2500, Days, 450), Ok(11_250));
        assert_eq!(allowance_minutes(1, Days, 450), Ok(5));
        assert_eq!(allowance_minutes(600, Hours, 0), Ok(600));
        assert_eq!(allowance_minutes(100, Days, 0), Err(UnitError::DayLength));
        assert_eq!(
            allowance_minutes(i64::from(i32::MAX) + 1, Hours, 450),
            Err(UnitError::OutOfRange)
        );
        assert_eq!(allowance_amount(11_250, Days, 450), Ok(2500));
        assert_eq!(allowance_amount(100, Days, 450), Err(UnitError::Inexact));
        assert_eq!(allowance_amount(100, Hours, 450), Ok(100));
        assert_eq!(allowance_amount(450, Days, 0), Err(UnitError::DayLength));
    }

    #[test]
    fn days_as_numbers_round_as_the_decimal_they_were_written_as() {
        assert_eq!(Hundredths(2550).to_days(), 25.5);
        assert_eq!(Hundredths(-25).to_days(), -0.25);
        assert_eq!(Hundredths::from_days(25.5), Ok(Hundredths(2550)));
        assert_eq!(Hundredths::from_days(0.285), Ok(Hundredths(29)));
        assert_eq!(Hundredths::from_days(-0.285), Ok(Hundredths(-29)));
        assert_eq!(Hundredths::from_days(0.284), Ok(Hundredths(28)));
        assert_eq!(Hundredths::from_days(1.0 / 3.0), Ok(Hundredths(33)));
        assert_eq!(Hundredths::from_days(f64::NAN), Err(UnitError::NotFinite));
        assert_eq!(
            Hundredths::from_days(f64::INFINITY),
            Err(UnitError::NotFinite)
        );
        assert_eq!(Hundredths::from_days(1e300), Err(UnitError::OutOfRange));
    }

    #[test]
    fn hours_as_numbers_become_minutes_and_back() {
        assert_eq!(Minutes(450).to_hours(), 7.5);
        assert_eq!(Minutes::from_hours(7.5), Ok(Minutes(450)));
        assert_eq!(Minutes::from_hours(0.1), Ok(Minutes(6)));
        // 1/120 of an hour is half a minute.
        assert_eq!(Minutes::from_hours(1.0 / 120.0), Ok(Minutes(1)));
        assert_eq!(Minutes::from_hours(-1.0 / 120.0), Ok(Minutes(-1)));
        assert_eq!(
            Minutes::from_hours(f64::NEG_INFINITY),
            Err(UnitError::NotFinite)
        );
        let third = Minutes(20).to_hours();
        assert_eq!(Minutes::from_hours(third), Ok(Minutes(20)));
    }

    #[test]
    fn seconds_round_to_the_nearest_minute() {
        assert_eq!(Minutes::from_seconds(1800), Ok(Minutes(30)));
        assert_eq!(Minutes::from_seconds(29), Ok(Minutes(0)));
        assert_eq!(Minutes::from_seconds(30), Ok(Minutes(1)));
        assert_eq!(Minutes::from_seconds(-30), Ok(Minutes(-1)));
        assert_eq!(Minutes(30).to_seconds(), Ok(1800));
        assert_eq!(Minutes(i64::MAX).to_seconds(), Err(UnitError::OutOfRange));
    }

    #[test]
    fn whosoff_minutes_fit_a_32_bit_integer_or_are_refused() {
        assert_eq!(Minutes(-2_147_483_648).to_int32(), Ok(i32::MIN));
        assert_eq!(Minutes(2_147_483_647).to_int32(), Ok(i32::MAX));
        assert_eq!(
            Minutes(2_147_483_648).to_int32(),
            Err(UnitError::OutOfRange)
        );
    }
}
