//! The rules of a time entry, pure: an entry never ends before it starts and lasts at most
//! a day; its breaks lie inside it, one after another, and only the last of a running
//! entry may still run; its rounded times and its lengths follow from its times, its
//! breaks and the company's rounding rules.

use super::rounding::{Edge, Rule};
use super::settings::TimeClockSettings;
use crate::error::{Error, Result, code};

/// The longest an entry may last: a day.
pub const MAX_ENTRY_SECONDS: i64 = 24 * 60 * 60;

/// A stretch of time in Unix seconds; no end while it still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    pub start: i64,
    pub end: Option<i64>,
}

fn invalid(code: &'static str, field: &'static str, message: &'static str) -> Error {
    Error::Invalid {
        code,
        message: message.into(),
        field: Some(field.into()),
    }
}

/// Refuses an entry that ends before it starts (`end_before_start`) or lasts longer than
/// a day (`time_entry_too_long`), naming `end_field`.
pub fn check_entry(entry: Stretch, end_field: &'static str) -> Result<()> {
    let Some(end) = entry.end else { return Ok(()) };
    if end < entry.start {
        return Err(invalid(
            code::END_BEFORE_START,
            end_field,
            "a time entry cannot end before it starts",
        ));
    }
    if end - entry.start > MAX_ENTRY_SECONDS {
        return Err(invalid(
            code::TIME_ENTRY_TOO_LONG,
            end_field,
            "a time entry lasts at most 24 hours",
        ));
    }
    Ok(())
}

/// Refuses breaks that end before they start, lie outside the entry, overlap one
/// another, or still run when the entry has ended or another break follows. `breaks`
/// are in order of start.
pub fn check_breaks(entry: Stretch, breaks: &[Stretch]) -> Result<()> {
    let field = "breaks";
    let mut previous_end = entry.start;
    for (i, b) in breaks.iter().enumerate() {
        let last = i + 1 == breaks.len();
        if b.end.is_some_and(|end| end < b.start) {
            return Err(invalid(
                code::END_BEFORE_START,
                field,
                "a break cannot end before it starts",
            ));
        }
        if b.start < entry.start {
            return Err(invalid(
                code::BREAK_OUTSIDE_ENTRY,
                field,
                "a break cannot start before its time entry",
            ));
        }
        match (b.end, entry.end) {
            (Some(end), Some(entry_end)) if end > entry_end => {
                return Err(invalid(
                    code::BREAK_OUTSIDE_ENTRY,
                    field,
                    "a break cannot end after its time entry",
                ));
            }
            (None, Some(_)) => {
                return Err(invalid(
                    code::BREAK_OUTSIDE_ENTRY,
                    field,
                    "every break of a finished time entry has an end",
                ));
            }
            (None, None) if !last => {
                return Err(invalid(
                    code::BREAK_OVERLAP,
                    field,
                    "only the last break may still run",
                ));
            }
            _ => {}
        }
        if b.start < previous_end {
            return Err(invalid(code::BREAK_OVERLAP, field, "breaks cannot overlap"));
        }
        previous_end = b.end.unwrap_or(b.start);
    }
    Ok(())
}

/// An entry's start and end rounded by the company's rules, on a clock `offset(at)`
/// seconds ahead of UTC. A rounded end never comes before the rounded start.
pub fn round(settings: &TimeClockSettings, entry: Stretch, offset: impl Fn(i64) -> i64) -> Stretch {
    let apply = |rule: Rule, at: i64, edge: Edge| rule.apply(at, offset(at), edge);
    let start = apply(settings.clock_in(), entry.start, Edge::ClockIn);
    let end = entry
        .end
        .map(|end| apply(settings.clock_out(), end, Edge::ClockOut).max(start));
    Stretch { start, end }
}

/// How long an entry lasted, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lengths {
    /// From start to end, less the breaks.
    pub worked_minutes: i64,
    pub break_minutes: i64,
    /// From the rounded start to the rounded end, less the breaks.
    pub rounded_worked_minutes: i64,
}

/// The lengths of a finished entry (`None` while it, or one of its breaks, runs).
pub fn lengths(entry: Stretch, rounded: Stretch, breaks: &[Stretch]) -> Option<Lengths> {
    let worked = entry.end? - entry.start;
    let rounded_worked = rounded.end? - rounded.start;
    let mut on_break = 0;
    for b in breaks {
        on_break += b.end? - b.start;
    }
    Some(Lengths {
        worked_minutes: (worked - on_break).max(0) / 60,
        break_minutes: on_break / 60,
        rounded_worked_minutes: (rounded_worked - on_break).max(0) / 60,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_clock::rounding::{Increment, Rounding};

    const NINE: i64 = 1_780_304_400; // 2026-06-01T09:00:00Z
    const HOUR: i64 = 3600;

    fn span(start: i64, end: Option<i64>) -> Stretch {
        Stretch { start, end }
    }

    fn code_of(result: Result<()>) -> &'static str {
        result.map(|()| "ok").unwrap_or_else(|e| e.code())
    }

    #[test]
    fn an_entry_runs_forward_for_at_most_a_day() {
        assert_eq!(code_of(check_entry(span(NINE, None), "end_time")), "ok");
        assert_eq!(
            code_of(check_entry(span(NINE, Some(NINE)), "end_time")),
            "ok"
        );
        assert_eq!(
            code_of(check_entry(span(NINE, Some(NINE + 24 * HOUR)), "end_time")),
            "ok"
        );
        assert_eq!(
            code_of(check_entry(span(NINE, Some(NINE - 1)), "end_time")),
            code::END_BEFORE_START
        );
        assert_eq!(
            code_of(check_entry(
                span(NINE, Some(NINE + 24 * HOUR + 1)),
                "end_time"
            )),
            code::TIME_ENTRY_TOO_LONG
        );
    }

    #[test]
    fn breaks_lie_inside_the_entry_one_after_another() {
        let day = span(NINE, Some(NINE + 8 * HOUR));
        let running = span(NINE, None);
        let lunch = span(NINE + 3 * HOUR, Some(NINE + 4 * HOUR));
        let tea = span(NINE + 6 * HOUR, Some(NINE + 6 * HOUR + 900));
        assert_eq!(code_of(check_breaks(day, &[lunch, tea])), "ok");
        assert_eq!(
            code_of(check_breaks(running, &[lunch, span(NINE + 5 * HOUR, None)])),
            "ok"
        );
        let cases = [
            (
                day,
                vec![span(NINE + HOUR, Some(NINE))],
                code::END_BEFORE_START,
            ),
            (
                day,
                vec![span(NINE - 60, Some(NINE + 60))],
                code::BREAK_OUTSIDE_ENTRY,
            ),
            (
                day,
                vec![span(NINE + 7 * HOUR, Some(NINE + 9 * HOUR))],
                code::BREAK_OUTSIDE_ENTRY,
            ),
            (
                day,
                vec![span(NINE + 7 * HOUR, None)],
                code::BREAK_OUTSIDE_ENTRY,
            ),
            (
                day,
                vec![lunch, span(NINE + 3 * HOUR + 1800, Some(NINE + 5 * HOUR))],
                code::BREAK_OVERLAP,
            ),
            (
                running,
                vec![span(NINE + HOUR, None), lunch],
                code::BREAK_OVERLAP,
            ),
        ];
        for (entry, breaks, expected) in cases {
            assert_eq!(
                code_of(check_breaks(entry, &breaks)),
                expected,
                "{breaks:?}"
            );
        }
    }

    #[test]
    fn rounded_times_follow_the_rules_for_each_end() {
        let settings = TimeClockSettings {
            clock_in_increment: Increment::try_from(15).unwrap(),
            clock_in_rounding: Rounding::EmployeeFavour,
            clock_out_increment: Increment::try_from(5).unwrap(),
            clock_out_rounding: Rounding::Nearest,
        };
        let entry = span(NINE + 7 * 60, Some(NINE + 8 * HOUR + 2 * 60));
        let rounded = round(&settings, entry, |_| 0);
        assert_eq!(rounded, span(NINE, Some(NINE + 8 * HOUR)));
        // Running entries keep no end.
        assert_eq!(
            round(&settings, span(NINE + 60, None), |_| 0),
            span(NINE, None)
        );
    }

    #[test]
    fn a_rounded_end_never_precedes_the_rounded_start() {
        let settings = TimeClockSettings {
            clock_in_increment: Increment::try_from(15).unwrap(),
            clock_in_rounding: Rounding::CompanyFavour,
            clock_out_increment: Increment::try_from(15).unwrap(),
            clock_out_rounding: Rounding::CompanyFavour,
        };
        let rounded = round(&settings, span(NINE + 60, Some(NINE + 600)), |_| 0);
        assert_eq!(rounded, span(NINE + 900, Some(NINE + 900)));
    }

    #[test]
    fn lengths_take_the_breaks_off_both_the_actual_and_the_rounded_time() {
        let entry = span(NINE + 7 * 60, Some(NINE + 8 * HOUR + 2 * 60 + 59));
        let rounded = span(NINE, Some(NINE + 8 * HOUR));
        let breaks = [span(NINE + 3 * HOUR, Some(NINE + 3 * HOUR + 1830))];
        assert_eq!(
            lengths(entry, rounded, &breaks),
            Some(Lengths {
                worked_minutes: 8 * 60 - 5 - 31 + 1,
                break_minutes: 30,
                rounded_worked_minutes: 8 * 60 - 31,
            })
        );
        assert_eq!(lengths(span(NINE, None), span(NINE, None), &[]), None);
        let running_break = [span(NINE + HOUR, None)];
        assert_eq!(lengths(entry, rounded, &running_break), None);
        // A break as long as the rounded entry leaves nothing, never less.
        let short = span(NINE, Some(NINE + 600));
        let whole = [span(NINE, Some(NINE + 600))];
        assert_eq!(
            lengths(short, span(NINE, Some(NINE)), &whole)
                .unwrap()
                .rounded_worked_minutes,
            0
        );
    }
}
