//! Scheduled breaks at a time of day, as shift templates and repeating shifts take them
//! (a shift's own breaks are instants): what the API shows and takes, checked into
//! [`TimedBreak`]s, and the arithmetic of a time of day against a shift's start.

use jiff::civil::Time;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::MAX_BREAKS;
use crate::error::{Error, Result};
use crate::validate;

const DAY_MINUTES: i64 = 24 * 60;

/// A scheduled break at a time of day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyBreak {
    #[schema(minimum = 1, maximum = 1440)]
    pub length_minutes: i64,
    /// Paid rest (true) or an unpaid meal break (false, when absent).
    #[serde(default)]
    pub paid: bool,
    /// Local time of day, `HH:MM`, inside the shift's times (a time before the start is
    /// on the next day, as a night shift's end is); absent when not planned.
    #[schema(value_type = Option<crate::openapi::LocalTime>)]
    pub start_time: Option<String>,
}

/// A break as checked: its length, whether it is paid, and its planned time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimedBreak {
    pub length_minutes: i64,
    pub paid: bool,
    pub at: Option<Time>,
}

/// `breaks` read (at most [`MAX_BREAKS`], each time of day `HH:MM`); that each lies
/// inside its shift is for the caller, who knows the shift.
pub(crate) fn parse(breaks: &[DailyBreak]) -> Result<Vec<TimedBreak>> {
    if breaks.len() > MAX_BREAKS {
        return Err(Error::invalid(
            "breaks",
            format!("a shift has at most {MAX_BREAKS} breaks"),
        ));
    }
    breaks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let at = match &b.start_time {
                Some(text) => Some(validate::time_of_day("start_time", text).map_err(|_| {
                    Error::invalid(
                        format!("breaks[{i}].start_time"),
                        "a break's start_time must be a time of day, HH:MM",
                    )
                })?),
                None => None,
            };
            Ok(TimedBreak {
                length_minutes: b.length_minutes,
                paid: b.paid,
                at,
            })
        })
        .collect()
}

/// A shift's break error (`breaks[0].starts_at`) named by the field these breaks have:
/// `breaks[0].start_time`.
pub(crate) fn as_times(error: Error) -> Error {
    match error {
        Error::Invalid {
            code,
            message,
            field: Some(field),
        } => Error::Invalid {
            code,
            message,
            field: Some(field.replace("starts_at", "start_time").into()),
        },
        other => other,
    }
}

fn minutes(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// The minutes on the clock from a shift's `start` to `at` (0 to 1439): a time before
/// the start is on the next day.
pub(crate) fn minutes_after(start: Time, at: Time) -> i64 {
    (minutes(at) - minutes(start)).rem_euclid(DAY_MINUTES)
}

/// The time of day `offset` minutes on the clock after `start`.
pub(crate) fn time_after(start: Time, offset: i64) -> Result<Time> {
    let total = (minutes(start) + offset).rem_euclid(DAY_MINUTES);
    Time::new((total / 60) as i8, (total % 60) as i8, 0, 0)
        .map_err(|e| Error::Internal(e.to_string().into()))
}

/// `HH:MM`.
pub(crate) fn clock(t: Time) -> String {
    t.strftime("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use jiff::civil::time;

    use super::*;

    #[test]
    fn a_break_time_is_counted_from_the_start_and_wraps_past_midnight() {
        assert_eq!(minutes_after(time(9, 0, 0, 0), time(12, 30, 0, 0)), 210);
        assert_eq!(minutes_after(time(9, 0, 0, 0), time(9, 0, 0, 0)), 0);
        assert_eq!(minutes_after(time(22, 0, 0, 0), time(1, 15, 0, 0)), 195);
        for (start, offset) in [(time(9, 0, 0, 0), 210), (time(22, 0, 0, 0), 195)] {
            let at = time_after(start, offset).expect("a time");
            assert_eq!(minutes_after(start, at), offset);
        }
        assert_eq!(clock(time_after(time(22, 0, 0, 0), 195).unwrap()), "01:15");
    }

    #[test]
    fn breaks_are_read_with_their_fields_named() {
        let lunch = DailyBreak {
            length_minutes: 30,
            paid: false,
            start_time: Some("12:00".into()),
        };
        assert_eq!(
            parse(std::slice::from_ref(&lunch)).expect("read"),
            vec![TimedBreak {
                length_minutes: 30,
                paid: false,
                at: Some(time(12, 0, 0, 0)),
            }]
        );
        let noon = DailyBreak {
            start_time: Some("noon".into()),
            ..lunch.clone()
        };
        let field = |error: Error| match error {
            Error::Invalid { field, .. } => field.map(|f| f.to_string()),
            _ => None,
        };
        assert_eq!(
            field(parse(&[lunch.clone(), noon]).unwrap_err()).as_deref(),
            Some("breaks[1].start_time")
        );
        assert_eq!(
            field(parse(&vec![lunch; MAX_BREAKS + 1]).unwrap_err()).as_deref(),
            Some("breaks")
        );
        assert_eq!(
            field(as_times(Error::invalid("breaks[2].starts_at", "outside"))).as_deref(),
            Some("breaks[2].start_time")
        );
    }
}
