//! Amounts as people read them: hundredths of a day as days, minutes as hours and minutes
//! (or as a clock, `7:30`), cents as money; and when a request is.

use jiff::civil::Date;
use rota_core::leave::duration::DayPart;
use rota_core::leave::request::LeaveRequest;
use rota_core::people::types::AllowanceUnit;

/// An amount of `unit` (hundredths of a day, or minutes): `1.5 days`, `1 day`, `7 h 30 min`.
pub fn amount(value: i64, unit: AllowanceUnit) -> String {
    match unit {
        AllowanceUnit::Days => days(value),
        AllowanceUnit::Hours => hours(value),
    }
}

/// Hundredths of a day as days: `2 days`, `0.5 days`, `-1.25 days`.
pub fn days(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let whole = hundredths.abs() / 100;
    let cents = hundredths.abs() % 100;
    let number = match cents {
        0 => format!("{sign}{whole}"),
        c if c % 10 == 0 => format!("{sign}{whole}.{}", c / 10),
        c => format!("{sign}{whole}.{c:02}"),
    };
    if hundredths.abs() == 100 {
        format!("{number} day")
    } else {
        format!("{number} days")
    }
}

/// Minutes as `7 h 30 min`, `45 min`, `8 h`.
pub fn hours(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    match (h, m) {
        (0, m) => format!("{sign}{m} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, m) => format!("{sign}{h} h {m} min"),
    }
}

/// Minutes as hours:minutes, `7:30`, `0:45`, `-1:05`.
pub fn clock(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    format!("{sign}{}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
}

/// Cents as money, `1,234.50`, `-0.05`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let whole = (cents.abs() / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", cents.abs() % 100)
}

/// When a request is: its dates with the half of a first or last day
/// (`2026-12-01 (afternoon) to 2026-12-03`), or with its clock times
/// (`2026-12-01 17:00–19:30`).
pub fn request_dates(request: &LeaveRequest) -> String {
    let times = request
        .start_time
        .as_deref()
        .zip(request.end_time.as_deref());
    let parts = (request.start_part, request.end_part);
    dates(request.start_date, request.end_date, parts, times)
}

fn dates(
    start: Date,
    end: Date,
    (first, last): (DayPart, DayPart),
    times: Option<(&str, &str)>,
) -> String {
    let part = |part| match part {
        DayPart::Full => "",
        DayPart::Morning => " (morning)",
        DayPart::Afternoon => " (afternoon)",
    };
    match times {
        Some((from, to)) if start == end => format!("{start} {from}–{to}"),
        Some((from, to)) => format!("{start} {from} to {end} {to}"),
        None if start == end => format!("{start}{}", part(first)),
        None => format!("{start}{} to {end}{}", part(first), part(last)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_as_a_clock_and_cents_as_money() {
        assert_eq!(clock(450), "7:30");
        assert_eq!(clock(45), "0:45");
        assert_eq!(clock(-65), "-1:05");
        assert_eq!(money(123_450), "1,234.50");
        assert_eq!(money(100_000_000), "1,000,000.00");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(99_900), "999.00");
    }

    #[test]
    fn days_are_written_without_needless_decimals() {
        assert_eq!(days(200), "2 days");
        assert_eq!(days(100), "1 day");
        assert_eq!(days(50), "0.5 days");
        assert_eq!(days(125), "1.25 days");
        assert_eq!(days(-150), "-1.5 days");
        assert_eq!(days(0), "0 days");
    }

    #[test]
    fn hours_are_written_in_hours_and_minutes() {
        assert_eq!(hours(450), "7 h 30 min");
        assert_eq!(hours(45), "45 min");
        assert_eq!(hours(480), "8 h");
        assert_eq!(amount(-60, AllowanceUnit::Hours), "-1 h");
    }

    #[test]
    fn a_request_reads_as_its_dates_with_their_halves_or_its_times() {
        let (monday, wednesday) = (
            jiff::civil::date(2026, 12, 7),
            jiff::civil::date(2026, 12, 9),
        );
        let whole = (DayPart::Full, DayPart::Full);
        assert_eq!(dates(monday, monday, whole, None), "2026-12-07");
        assert_eq!(
            dates(monday, monday, (DayPart::Morning, DayPart::Full), None),
            "2026-12-07 (morning)"
        );
        assert_eq!(
            dates(
                monday,
                wednesday,
                (DayPart::Afternoon, DayPart::Morning),
                None
            ),
            "2026-12-07 (afternoon) to 2026-12-09 (morning)"
        );
        assert_eq!(
            dates(monday, wednesday, whole, None),
            "2026-12-07 to 2026-12-09"
        );
        let evening = Some(("17:00", "19:30"));
        assert_eq!(
            dates(monday, monday, whole, evening),
            "2026-12-07 17:00–19:30"
        );
        assert_eq!(
            dates(monday, wednesday, whole, Some(("22:00", "02:00"))),
            "2026-12-07 22:00 to 2026-12-09 02:00"
        );
    }
}
