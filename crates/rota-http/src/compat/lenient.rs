//! Numbers and flags as vendors' clients send them: WhosOff's published samples send
//! `"user_type_id": "100"` and `"force_removal": "true"` where the types say INT32 and
//! BOOLEAN, so a face reads either the JSON value or a string holding it. Anything else
//! (a fraction, `"ten"`, `"yes"`) is refused with the field named, never guessed at.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};

/// A whole number sent as a JSON number or as a string holding one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Int(pub i64);

/// A flag sent as `true`/`false`, as `1`/`0`, or as a string holding either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl Int {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl Flag {
    pub fn get(self) -> bool {
        self.0
    }
}

/// Reads a whole number from text: optional sign, digits, surrounding spaces allowed.
pub fn parse_int(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// Reads a flag from text: `true`, `false`, `1` or `0`, in any case.
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = Int;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
        Ok(Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
        i64::try_from(v)
            .map(Int)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
        Err(E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
        parse_int(v)
            .map(Int)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntVisitor)
    }
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("true or false (or 1 or 0), as a JSON value or a string")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
        Ok(Flag(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        parse_flag(v)
            .map(Flag)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

/// `oneOf` the JSON type and a string in the given pattern.
fn either(kind: Type, format: Option<KnownFormat>, pattern: &str) -> RefOr<Schema> {
    let mut value = ObjectBuilder::new().schema_type(kind);
    if let Some(format) = format {
        value = value.format(Some(SchemaFormat::KnownFormat(format)));
    }
    OneOfBuilder::new()
        .item(value)
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(pattern)),
        )
        .into()
}

impl utoipa::PartialSchema for Int {
    fn schema() -> RefOr<Schema> {
        either(Type::Integer, Some(KnownFormat::Int64), r"^\s*[+-]?\d+\s*$")
    }
}

impl utoipa::ToSchema for Int {}

impl utoipa::PartialSchema for Flag {
    fn schema() -> RefOr<Schema> {
        either(Type::Boolean, None, r"^(?i)\s*(true|false|1|0)\s*$")
    }
}

impl utoipa::ToSchema for Flag {}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn int(value: serde_json::Value) -> Option<i64> {
        serde_json::from_value::<Int>(value).ok().map(Int::get)
    }

    fn flag(value: serde_json::Value) -> Option<bool> {
        serde_json::from_value::<Flag>(value).ok().map(Flag::get)
    }

    #[test]
    fn whole_numbers_come_as_numbers_or_strings() {
        assert_eq!(int(json!(100)), Some(100));
        assert_eq!(int(json!("100")), Some(100));
        assert_eq!(int(json!(" -7 ")), Some(-7));
        assert_eq!(int(json!("+3")), Some(3));
    }

    #[test]
    fn what_is_not_a_whole_number_is_refused() {
        assert_eq!(int(json!(1.5)), None);
        assert_eq!(int(json!("1.5")), None);
        assert_eq!(int(json!("ten")), None);
        assert_eq!(int(json!("")), None);
        assert_eq!(int(json!(true)), None);
        assert_eq!(int(json!(null)), None);
        assert_eq!(int(json!(u64::MAX)), None);
    }

    #[test]
    fn flags_come_as_booleans_digits_or_strings() {
        assert_eq!(flag(json!(true)), Some(true));
        assert_eq!(flag(json!("false")), Some(false));
        assert_eq!(flag(json!("TRUE")), Some(true));
        assert_eq!(flag(json!(1)), Some(true));
        assert_eq!(flag(json!("0")), Some(false));
    }

    #[test]
    fn what_is_not_a_flag_is_refused() {
        assert_eq!(flag(json!("yes")), None);
        assert_eq!(flag(json!(2)), None);
        assert_eq!(flag(json!(null)), None);
    }

    #[test]
    fn optional_values_may_be_absent_or_null() {
        #[derive(Deserialize)]
        struct Body {
            id: Option<Int>,
        }
        let absent: Body = serde_json::from_value(json!({})).expect("absent");
        assert_eq!(absent.id, None);
        let null: Body = serde_json::from_value(json!({"id": null})).expect("null");
        assert_eq!(null.id, None);
        let given: Body = serde_json::from_value(json!({"id": "12"})).expect("given");
        assert_eq!(given.id, Some(Int(12)));
    }
}
