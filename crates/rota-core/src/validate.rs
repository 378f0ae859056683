//! Small parsers for the values that arrive from outside: each either returns the value
//! in its domain form or an [`Error::Invalid`] naming the field.

use jiff::civil::{Date, Time};

use crate::error::{Error, Result};

/// Reads a field that may be absent (leave as is), `null` (clear) or a value (set); use
/// with `#[serde(default, deserialize_with = "crate::validate::nullable")]`.
pub fn nullable<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A local time of day, `HH:MM`.
pub fn time_of_day(field: &'static str, text: &str) -> Result<Time> {
    Time::strptime("%H:%M", text)
        .ok()
        .filter(|t| t.strftime("%H:%M").to_string() == text)
        .ok_or_else(|| Error::invalid(field, format!("{field} must be a time of day, HH:MM")))
}

/// A trimmed, non-empty text of at most `max` characters.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, format!("{field} must not be empty")));
    }
    bounded_text(field, value, max)
}

/// Optional text: blank becomes absent; otherwise at most `max` characters.
pub fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded_text(field, value, max).map(Some),
    }
}

fn bounded_text(field: &'static str, value: &str, max: usize) -> Result<String> {
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// An e-mail address, lower-cased: one `@`, a local part, a dotted domain, 5–255 characters.
pub fn email(field: &'static str, value: &str) -> Result<String> {
    let value = value.trim().to_lowercase();
    let invalid = || Error::invalid(field, format!("{field} is not a valid e-mail address"));
    if !(5..=255).contains(&value.len())
        || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid());
    }
    let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
    let domain_ok = domain.contains('.')
        && !domain.contains('@')
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local.is_empty() || !domain_ok {
        return Err(invalid());
    }
    Ok(value)
}

/// The first day a date may name: nothing Rota keeps (leave, holidays, employment) lies
/// earlier, and bounding it keeps date arithmetic far from the calendar type's limits.
pub const FIRST_DATE: Date = jiff::civil::date(1900, 1, 1);
/// The last day a date may name; a leave year that starts on it still ends, and the next
/// one starts, well inside what the calendar type can hold.
pub const LAST_DATE: Date = jiff::civil::date(2200, 12, 31);

/// A calendar date in `YYYY-MM-DD` form, from [`FIRST_DATE`] to [`LAST_DATE`].
pub fn date(field: &'static str, value: &str) -> Result<Date> {
    let value = iso_date(value).ok_or_else(|| {
        Error::invalid(field, format!("{field} must be a date in YYYY-MM-DD form"))
    })?;
    if (FIRST_DATE..=LAST_DATE).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!("{field} must be a date from {FIRST_DATE} to {LAST_DATE}"),
        ))
    }
}

/// An optional [`date`]: absent stays absent.
pub fn optional_date(field: &'static str, value: Option<&str>) -> Result<Option<Date>> {
    value.map(|value| date(field, value)).transpose()
}

/// `value` as a date, when written exactly in `YYYY-MM-DD` form. Stored dates are read
/// with this alone (see [`crate::stored`]), without the range of [`date`].
pub(crate) fn iso_date(value: &str) -> Option<Date> {
    value
        .parse::<Date>()
        .ok()
        .filter(|parsed| parsed.to_string() == value)
}

/// An RFC 3339 instant, as Unix seconds.
pub fn instant(field: &'static str, value: &str) -> Result<i64> {
    value
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|_| Error::invalid(field, format!("{field} must be an RFC 3339 instant")))
}

/// An IANA time zone name known to this server.
pub fn time_zone(field: &'static str, value: &str) -> Result<String> {
    jiff::tz::TimeZone::get(value)
        .map(|_| value.to_owned())
        .map_err(|_| {
            Error::invalid(
                field,
                format!("{field} must be an IANA time zone such as Europe/London"),
            )
        })
}

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(field: &'static str, value: &str) -> Result<String> {
    // ASCII only before upper-casing: `to_uppercase` turns "ß" into the two letters "SS".
    let upper = value.trim().to_ascii_uppercase();
    if upper.len() == 2 && upper.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(upper)
    } else {
        Err(Error::invalid(
            field,
            format!("{field} must be a two-letter ISO 3166 country code"),
        ))
    }
}

/// A colour as six hex digits, with or without a leading `#`; stored without it.
pub fn colour(field: &'static str, value: &str) -> Result<String> {
    let hex = value.trim().trim_start_matches('#');
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hex.to_lowercase())
    } else {
        Err(Error::invalid(
            field,
            format!("{field} must be six hex digits, such as 8da6d9"),
        ))
    }
}

/// A whole number within `min..=max`.
pub fn within(field: &'static str, value: i64, min: i64, max: i64) -> Result<i64> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!("{field} must be between {min} and {max}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            email("email", " Ann@Example.COM ").unwrap(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "ann@@example.com",
            "ann@exa_mple.com",
        ] {
            assert!(email("email", bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn dates_must_be_real_and_canonical() {
        assert!(date("d", "2026-02-28").is_ok());
        for bad in [
            "2026-02-30",
            "2026-2-3",
            "26-01-01",
            "yesterday",
            "2026-01-01T00:00:00",
        ] {
            assert!(date("d", bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn dates_lie_between_1900_and_2200() {
        assert_eq!(date("d", "1900-01-01").unwrap(), FIRST_DATE);
        assert_eq!(date("d", "2200-12-31").unwrap(), LAST_DATE);
        for bad in [
            "1899-12-31",
            "2201-01-01",
            "0001-01-01",
            "9999-12-31",
            "-000001-01-01",
        ] {
            let error = date("start_date", bad).unwrap_err();
            assert!(
                matches!(&error, Error::Invalid { field: Some(f), .. } if f == "start_date"),
                "{bad} should be refused naming the field, got {error:?}"
            );
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(required_text("name", "  Ops ", 10).unwrap(), "Ops");
        assert!(required_text("name", "   ", 10).is_err());
        assert!(required_text("name", "x".repeat(11).as_str(), 10).is_err());
        assert_eq!(optional_text("n", Some(""), 5).unwrap(), None);
    }

    #[test]
    fn zones_countries_and_colours() {
        assert!(time_zone("tz", "Europe/London").is_ok());
        assert!(time_zone("tz", "Mars/Olympus").is_err());
        assert_eq!(country("c", "gb").unwrap(), "GB");
        assert!(country("c", "GBR").is_err());
        assert!(country("c", "ß").is_err(), "not the two letters SS");
        assert_eq!(colour("c", "#8DA6D9").unwrap(), "8da6d9");
        assert!(colour("c", "blue").is_err());
    }
}
