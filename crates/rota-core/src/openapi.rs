//! What the OpenAPI document states about input values: one named schema per kind of
//! value [`crate::validate`] checks, so that the document says exactly what the server
//! enforces and each statement is written once. Input types use them as
//! `#[schema(value_type = Option<openapi::Text100>)]` (`#[param(...)]` in query strings);
//! they are never built, only described.
//!
//! The patterns are written for both regex dialects that read them: ECMA-262 (JSON Schema)
//! and Python's `re` (schemathesis), so they spell character classes out instead of using
//! `\s`, `\d` or `\p{…}`, whose meaning differs between the two and from Rust's.

use std::borrow::Cow;

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// Whitespace as Rust's `str::trim` removes it (Unicode `White_Space`).
const SPACE: &str = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// A character that is neither a control character (`char::is_control`) nor whitespace.
const VISIBLE: &str = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// A character that is not a control character.
const TEXT: &str = r"[^\x00-\x1f\x7f-\x9f]";

/// [`crate::validate::required_text`]: something visible once trimmed, at most `max`
/// characters from its first visible character to its last, and no control characters
/// inside (around it, whitespace such as a tab or a newline is trimmed away). The length
/// is in the pattern rather than in `maxLength`, which would count the whitespace that the
/// server trims and so refuse in the document what the server accepts.
pub fn required_text_pattern(max: usize) -> String {
    format!("^{SPACE}*{}{SPACE}*$", trimmed(max))
}

/// [`crate::validate::optional_text`]: as [`required_text_pattern`], or blank.
pub fn optional_text_pattern(max: usize) -> String {
    format!("^{SPACE}*(?:{})?{SPACE}*$", trimmed(max))
}

/// One to `max` characters that start and end visible and hold no control character.
fn trimmed(max: usize) -> String {
    format!(
        "{VISIBLE}(?:{TEXT}{{0,{}}}{VISIBLE})?",
        max.saturating_sub(2)
    )
}

/// [`crate::validate::date`]'s form, `YYYY-MM-DD`; `format: date` adds that it must be a
/// real day. `[0-9]`, not `\d`, which in Python also matches other scripts' digits. The
/// supported years (1900–2200) are in the description, not here: with both `format` and
/// a year range, schemathesis draws dates of any year and throws most away (its
/// `filter_too_much` health check fails).
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// Declares a described-only value: its name in the document and its schema.
macro_rules! value_schema {
    ($(#[$meta:meta])* $name:ident, $schema:expr) => {
        $(#[$meta])*
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

/// Declares required and optional text of one maximum length.
macro_rules! text_schemas {
    ($($required:ident, $optional:ident, $max:literal;)*) => {
        $(
            value_schema!(
                #[doc = concat!("Text of 1 to ", $max, " characters.")]
                $required,
                string()
                    .description(Some(concat!(
                        "Text of 1 to ", $max, " characters once trimmed; no control characters."
                    )))
                    // No `minLength`: the pattern already needs a visible character, and
                    // schemathesis 4.32 sends a bare `0` as the body when both are stated.
                    .pattern(Some(required_text_pattern($max)))
                    .into()
            );
            value_schema!(
                #[doc = concat!("Text of at most ", $max, " characters; blank clears it.")]
                $optional,
                string()
                    .description(Some(concat!(
                        "Text of at most ", $max,
                        " characters; no control characters; blank means none."
                    )))
                    .pattern(Some(optional_text_pattern($max)))
                    .into()
            );
        )*
    };
}

text_schemas! {
    Text4, OptionalText4, 4;
    Text10, OptionalText10, 10;
    Text30, OptionalText30, 30;
    Text40, OptionalText40, 40;
    Text50, OptionalText50, 50;
    Text60, OptionalText60, 60;
    Text100, OptionalText100, 100;
    Text255, OptionalText255, 255;
    Text500, OptionalText500, 500;
    Text2000, OptionalText2000, 2000;
    Text4000, OptionalText4000, 4000;
}

value_schema!(
    /// A calendar date.
    Date,
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(DATE_PATTERN))
        .description(Some(
            "A calendar date, YYYY-MM-DD; the days this server supports run from 1900-01-01 \
             to 2200-12-31.",
        ))
        .into()
);

value_schema!(
    /// A time of day in quarter hours.
    Clock,
    string()
        .pattern(Some("^(?:(?:[01][0-9]|2[0-3]):(?:00|15|30|45)|24:00)$"))
        .description(Some("A time of day, HH:MM, in whole quarter hours (00:00 to 24:00)."))
        .into()
);

value_schema!(
    /// A local time of day to the minute.
    LocalTime,
    string()
        .pattern(Some("^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"))
        .description(Some("A local time of day, HH:MM (00:00 to 23:59)."))
        .into()
);

value_schema!(
    /// An http or https address, or blank.
    Url,
    string()
        .pattern(Some(format!(
            "^{SPACE}*(?:https?://(?:{TEXT}{{0,1991}}{VISIBLE})?)?{SPACE}*$"
        )))
        .description(Some(
            "An http:// or https:// address of at most 2000 characters; blank means none.",
        ))
        .into()
);

value_schema!(
    /// A webhook receiver's address.
    WebhookUrl,
    string()
        .format(Some(SchemaFormat::Custom("uri".into())))
        .max_length(Some(crate::webhooks::address::MAX_URL_LENGTH))
        .pattern(Some(
            "^https?://[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?:[/?][!-\"$-~]*)?$",
        ))
        .description(Some(
            "An absolute http:// or https:// URL to a host name, without credentials, port or \
             #fragment. It must lead to public addresses unless the server allows private ones (otherwise 422 \
             webhook_url_not_allowed).",
        ))
        .into()
);

value_schema!(
    /// An RFC 3339 instant.
    Instant,
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .description(Some("An RFC 3339 instant with its offset."))
        .into()
);

value_schema!(
    /// A colour as six hex digits.
    Colour,
    string()
        .pattern(Some(format!("^{SPACE}*#*[0-9A-Fa-f]{{6}}{SPACE}*$")))
        .description(Some(
            "Six hex digits, such as 8da6d9 (a leading # is dropped); stored lower-case.",
        ))
        .into()
);

value_schema!(
    /// An ISO 3166-1 alpha-2 country code.
    Country,
    string()
        .pattern(Some(format!("^{SPACE}*[A-Za-z]{{2}}{SPACE}*$")))
        .description(Some(
            "An ISO 3166-1 alpha-2 country code such as GB; stored upper-case.",
        ))
        .into()
);

value_schema!(
    /// An IANA time zone known to this server.
    TimeZone,
    string()
        .enum_values(Some(time_zone_names()))
        .description(Some(
            "An IANA time zone such as Europe/London, from this server's time-zone database.",
        ))
        .into()
);

/// The zone names [`crate::validate::time_zone`] accepts: those of the database it reads.
fn time_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        .filter(|name| jiff::tz::TimeZone::get(name).is_ok())
        .collect();
    names.sort();
    names.dedup();
    names
}

value_schema!(
    /// A six-digit MFA code.
    MfaCode,
    string()
        .pattern(Some("^[0-9]{6}$"))
        .description(Some("The six digits the authenticator app shows."))
        .into()
);

value_schema!(
    /// An e-mail address.
    Email,
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .min_length(Some(5))
        .max_length(Some(255))
        .description(Some(
            "An e-mail address (one @, a dotted domain), 5 to 255 characters; stored lower-case.",
        ))
        .into()
);

/// An IPv4 address or CIDR range, as `ipnet` and `std::net` parse them (no leading zeros).
fn ipv4_pattern() -> String {
    let octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    format!("^{octet}(?:\\.{octet}){{3}}(?:/(?:3[0-2]|[12]?[0-9]))?$")
}

value_schema!(
    /// An IP address or CIDR range.
    IpRange,
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(string().pattern(Some(ipv4_pattern())))
        .item(string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Ipv6))))
        .description(Some(
            "An IPv4 or IPv6 address, or a CIDR range such as 10.0.0.0/8 or 2001:db8::/32 \
             (IPv6 ranges are accepted though only IPv6 addresses are stated here).",
        ))
        .into()
);

value_schema!(
    /// A list of IP addresses and CIDR ranges.
    IpAllowList,
    ArrayBuilder::new()
        .items(IpRange::schema())
        .description(Some(
            "IPv4 or IPv6 addresses and CIDR ranges (such as 10.0.0.0/8 or 2001:db8::/32); \
             empty admits any address.",
        ))
        .into()
);

value_schema!(
    /// An API scope.
    Scope,
    string()
        .enum_values(Some(scope_names()))
        .description(Some("`<area>:read` or `<area>:write`; write implies read."))
        .into()
);

fn scope_names() -> Vec<String> {
    crate::access::rules::Area::ALL
        .into_iter()
        .flat_map(|area| ["read", "write"].map(|access| format!("{}:{access}", area.as_str())))
        .collect()
}

value_schema!(
    /// A webhook event name, or `*`.
    EventName,
    string()
        .enum_values(Some(
            std::iter::once(crate::webhooks::events::EVERY_EVENT.to_owned())
                .chain(
                    crate::webhooks::events::Event::SUBSCRIBABLE
                        .iter()
                        .map(|e| e.as_str().to_owned()),
                )
                .collect::<Vec<_>>(),
        ))
        .description(Some("An event name, or * for every event, including ones added later."))
        .into()
);

value_schema!(
    /// The size of a page.
    Limit,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .maximum(Some(crate::paging::MAX_LIMIT))
        .default(Some(crate::paging::DEFAULT_LIMIT.into()))
        .description(Some("How many items a page holds: 1 to 200, default 50."))
        .into()
);

value_schema!(
    /// A time-clock rounding increment.
    RoundingIncrement,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .enum_values(Some(crate::time_clock::rounding::Increment::ALLOWED))
        .description(Some("Minutes a clock time is rounded to: 1, 5, 6, 10, 15 or 30."))
        .into()
);

value_schema!(
    /// Cash tips in cents.
    CashTips,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(0))
        .maximum(Some(crate::time_clock::MAX_CASH_TIPS))
        .description(Some("Cash tips declared for the entry, in cents."))
        .into()
);

/// An input type that serves both create and update: every field is optional on update,
/// and these are required (and not `null`) on create.
pub trait RequiredOnCreate: ToSchema {
    const REQUIRED: &'static [&'static str];
}

/// The create body of a [`RequiredOnCreate`] input: its schema with the fields a create
/// needs marked required and stripped of `null`, so the document states the refusal
/// (`422 validation_failed`, "… is required") rather than leaving it to be found.
pub struct ForCreate<T>(std::marker::PhantomData<T>);

impl<T: RequiredOnCreate> PartialSchema for ForCreate<T> {
    fn schema() -> RefOr<Schema> {
        let RefOr::T(Schema::Object(mut object)) = T::schema() else {
            return T::schema();
        };
        for field in T::REQUIRED {
            if let Some(property) = object.properties.get_mut(*field) {
                *property = without_null(property.clone());
            }
            if !object.required.iter().any(|r| r == field) {
                object.required.push((*field).to_owned());
            }
        }
        RefOr::T(Schema::Object(object))
    }
}

impl<T: RequiredOnCreate> ToSchema for ForCreate<T> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}ForCreate", T::name()))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

/// A property's schema without its `null` alternative: `oneOf [null, X]` becomes `X`,
/// `type: [T, null]` becomes `type: T`.
fn without_null(schema: RefOr<Schema>) -> RefOr<Schema> {
    use utoipa::openapi::schema::SchemaType;
    let is_null = |item: &RefOr<Schema>| {
        matches!(item, RefOr::T(Schema::Object(o))
            if o.schema_type == SchemaType::Type(Type::Null))
    };
    match schema {
        RefOr::T(Schema::OneOf(one_of)) => {
            let description = one_of.description.clone();
            let mut rest: Vec<RefOr<Schema>> = one_of
                .items
                .iter()
                .filter(|i| !is_null(i))
                .cloned()
                .collect();
            match (rest.len(), rest.pop()) {
                (1, Some(RefOr::Ref(mut reference))) => {
                    if let Some(description) = description {
                        reference.description = description;
                    }
                    RefOr::Ref(reference)
                }
                (1, Some(only)) => only,
                _ => RefOr::T(Schema::OneOf(one_of)),
            }
        }
        RefOr::T(Schema::Object(mut object)) => {
            if let SchemaType::Array(types) = &object.schema_type {
                let kept: Vec<Type> = types
                    .iter()
                    .filter(|t| **t != Type::Null)
                    .cloned()
                    .collect();
                if let [only] = kept.as_slice() {
                    object.schema_type = SchemaType::Type(only.clone());
                }
            }
            RefOr::T(Schema::Object(object))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(schema: RefOr<Schema>) -> regex::Regex {
        let RefOr::T(Schema::Object(object)) = schema else {
            panic!("an object schema")
        };
        regex::Regex::new(&object.pattern.expect("a pattern")).expect("a valid pattern")
    }

    #[test]
    fn the_text_patterns_say_what_validate_accepts() {
        let required = regex::Regex::new(&required_text_pattern(100)).unwrap();
        let optional = regex::Regex::new(&optional_text_pattern(100)).unwrap();
        for text in ["Ops", " Ops ", "\tOps\n", "a b", "Zoë", "x"] {
            assert!(required.is_match(text), "{text:?}");
            assert!(
                crate::validate::required_text("f", text, 100).is_ok(),
                "{text:?}"
            );
        }
        for text in ["", "   ", "a\u{0}b", "a\tb", "\u{7f}", "a\u{85}b"] {
            assert!(!required.is_match(text), "{text:?}");
            assert!(
                crate::validate::required_text("f", text, 100).is_err(),
                "{text:?}"
            );
        }
        assert!(optional.is_match("") && optional.is_match(" \t") && optional.is_match("a b"));
        assert!(!optional.is_match("a\u{1}"));
        // The length counts what is left once trimmed, as the server counts it.
        let short = regex::Regex::new(&required_text_pattern(3)).unwrap();
        for (text, fits) in [
            ("abc", true),
            ("\u{85} abc \u{85}\t", true),
            ("abcd", false),
            ("a", true),
        ] {
            assert_eq!(short.is_match(text), fits, "{text:?}");
            assert_eq!(
                crate::validate::required_text("f", text, 3).is_ok(),
                fits,
                "{text:?}"
            );
        }
    }

    #[test]
    fn dates_colours_countries_and_addresses() {
        let date = pattern(Date::schema());
        for (text, fits) in [
            ("1900-01-01", true),
            ("2026-02-28", true),
            ("2200-12-31", true),
            ("2026-2-28", false),
        ] {
            assert_eq!(date.is_match(text), fits, "{text}");
        }
        let colour = pattern(Colour::schema());
        assert!(colour.is_match("#8DA6D9") && colour.is_match("8da6d9"));
        assert!(!colour.is_match("blue"));
        let country = pattern(Country::schema());
        assert!(country.is_match("gb") && !country.is_match("GBR"));
        let ipv4 = regex::Regex::new(&ipv4_pattern()).unwrap();
        for good in ["10.0.0.0/8", "203.0.113.7", "255.255.255.255/32"] {
            assert!(ipv4.is_match(good), "{good}");
            assert!(crate::access::rules::IpAllowList::parse("f", &[good.into()]).is_ok());
        }
        for bad in ["10.0.0.0/33", "01.2.3.4", "256.1.1.1"] {
            assert!(!ipv4.is_match(bad), "{bad}");
        }
        assert!(time_zone_names().iter().any(|n| n == "Europe/London"));
        assert_eq!(scope_names().len(), 14);
    }
}
