//! Typed values at the storage boundary. Through sqlx's `Any` driver a date comes back as
//! `YYYY-MM-DD` text and a code list as its stored word; a row struct decodes each such
//! column once, where it is read, by naming its decoder on the field:
//!
//! ```ignore
//! #[derive(FromRow)]
//! struct Row {
//!     #[sqlx(try_from = "stored::Day")]
//!     start_date: jiff::civil::Date,
//!     #[sqlx(try_from = "stored::MaybeDay")]
//!     end_date: Option<jiff::civil::Date>,
//!     #[sqlx(try_from = "String")]
//!     status: RequestStatus, // any enum with `TryFrom<String>`
//! }
//! ```
//!
//! A value that does not decode fails the read with sqlx's `ColumnDecode` error, which names
//! the column: a corrupt row is an internal error, never a default and never a 422 that
//! would blame the client. Dates read without the range a client's date must fall in
//! ([`validate::date`]), so that a row written before the range was enforced, or a date
//! derived from one in range (the start of the leave year after the last's), still reads.
//! Dates are written back as `date.to_string()`, which is the same `YYYY-MM-DD` text.

use jiff::civil::Date;
use sqlx::any::AnyTypeInfo;
use sqlx::error::BoxDynError;
use sqlx::{Any, Decode, Type, ValueRef};

use crate::validate;

/// A `YYYY-MM-DD` column, decoded into a [`Date`] (its field's type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day(Date);

/// A nullable `YYYY-MM-DD` column, decoded into an `Option<Date>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MaybeDay(Option<Date>);

impl From<Day> for Date {
    fn from(day: Day) -> Self {
        day.0
    }
}

impl From<MaybeDay> for Option<Date> {
    fn from(day: MaybeDay) -> Self {
        day.0
    }
}

impl Type<Any> for Day {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
}

impl Type<Any> for MaybeDay {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
}

impl<'r> Decode<'r, Any> for Day {
    fn decode(value: <Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Any>>::decode(value)?;
        validate::iso_date(text)
            .map(Day)
            .ok_or_else(|| format!("{text:?} is not a YYYY-MM-DD date").into())
    }
}

impl<'r> Decode<'r, Any> for MaybeDay {
    fn decode(value: <Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.is_null() {
            return Ok(MaybeDay(None));
        }
        Day::decode(value).map(|day| MaybeDay(Some(day.0)))
    }
}

/// A 0/1 flag column, decoded into a `bool`; any other number is a corrupt row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> Self {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: <Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<'r, Any>>::decode(value)? {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            other => Err(format!("{other} is not a 0/1 flag").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use sqlx::FromRow;

    use super::*;
    use crate::testing;

    #[derive(Debug, FromRow)]
    struct Row {
        #[sqlx(try_from = "Day")]
        day: Date,
        #[sqlx(try_from = "MaybeDay")]
        maybe: Option<Date>,
    }

    async fn read(day: &str, maybe: Option<&str>) -> Result<Row, sqlx::Error> {
        let scratch = testing::scratch_sqlite().await.unwrap();
        sqlx::query_as("SELECT $1 AS day, $2 AS maybe")
            .bind(day)
            .bind(maybe)
            .fetch_one(scratch.db.pool())
            .await
    }

    #[tokio::test]
    async fn stored_dates_decode_once_into_dates() {
        let row = read("2026-03-02", Some("2026-12-31")).await.unwrap();
        assert_eq!(row.day, date(2026, 3, 2));
        assert_eq!(row.maybe, Some(date(2026, 12, 31)));
        // Stored rows read without the range, so old data never becomes unreadable.
        assert_eq!(read("1850-01-01", None).await.unwrap().maybe, None);
        assert_eq!(
            read("2201-01-01", None).await.unwrap().day,
            date(2201, 1, 1)
        );
    }

    #[tokio::test]
    async fn a_bad_stored_date_is_an_error_naming_its_column() {
        for (day, maybe, column) in [
            ("2026-3-2", None, "day"),
            ("2201-1-1", None, "day"),
            ("2026-02-30", None, "day"),
            ("2026-03-02", Some("soon"), "maybe"),
        ] {
            let error = read(day, maybe).await.unwrap_err();
            let sqlx::Error::ColumnDecode { index, .. } = &error else {
                panic!("{error:?}");
            };
            assert!(index.contains(column), "{error}");
            assert!(
                error.to_string().contains("is not a YYYY-MM-DD date"),
                "{error}"
            );
        }
    }

    #[derive(Debug, FromRow)]
    struct Flagged {
        #[sqlx(try_from = "Flag")]
        lit: bool,
    }

    #[tokio::test]
    async fn stored_flags_decode_into_booleans_and_nothing_else() {
        let scratch = testing::scratch_sqlite().await.unwrap();
        for (stored, expected) in [(0, Some(false)), (1, Some(true)), (2, None)] {
            let row: Result<Flagged, _> = sqlx::query_as("SELECT $1 AS lit")
                .bind(stored as i64)
                .fetch_one(scratch.db.pool())
                .await;
            assert_eq!(row.ok().map(|r| r.lit), expected, "{stored}");
        }
    }
}
