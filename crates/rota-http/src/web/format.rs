//! Amounts as people read them: hundredths of a day as days, minutes as hours and minutes.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
