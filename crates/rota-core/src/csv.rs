//! CSV as Rota writes it for people to open in a spreadsheet: RFC 4180 (comma-separated,
//! CRLF line ends, a field quoted, its quotes doubled, when it holds a comma, a quote or a
//! line break) and safe from formulas: a text field starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is prefixed with `'`, so a spreadsheet never reads it as one.

use std::borrow::Cow;

/// One field as RFC 4180 writes it, made safe from formulas first.
pub fn field(value: &str) -> Cow<'_, str> {
    let value: Cow<'_, str> = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    };
    if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        value
    }
}

/// Hundredths as a decimal with two places: 1250 is `12.50`, -5 is `-0.05`.
pub fn decimal(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Minutes as decimal hours with two places, to the nearest hundredth, half away from
/// zero: 90 is `1.50`, 20 is `0.33`, -20 is `-0.33`.
pub fn decimal_hours(minutes: i64) -> String {
    let hundredths = (minutes.unsigned_abs() * 100 + 30) / 60;
    let hundredths = i64::try_from(hundredths).unwrap_or(i64::MAX);
    decimal(if minutes < 0 { -hundredths } else { hundredths })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says_and_formulas_are_defused() {
        assert_eq!(field("Ada"), "Ada");
        assert_eq!(field("Lovelace, Ada"), "\"Lovelace, Ada\"");
        assert_eq!(field("the \"boss\""), "\"the \"\"boss\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("=1,2"), "\"'=1,2\"");
        assert_eq!(field("a=b"), "a=b", "only a leading sign is a formula");
        assert_eq!(field(""), "");
    }

    #[test]
    fn hours_are_decimal_with_two_places_half_up() {
        assert_eq!(decimal_hours(0), "0.00");
        assert_eq!(decimal_hours(90), "1.50");
        assert_eq!(decimal_hours(20), "0.33");
        assert_eq!(decimal_hours(1), "0.02");
        assert_eq!(decimal_hours(600), "10.00");
    }

    #[test]
    fn hundredths_are_a_signed_decimal() {
        assert_eq!(decimal(1250), "12.50");
        assert_eq!(decimal(5), "0.05");
        assert_eq!(decimal(-5), "-0.05");
        assert_eq!(decimal(-250), "-2.50");
        assert_eq!(decimal_hours(-20), "-0.33");
    }
}
