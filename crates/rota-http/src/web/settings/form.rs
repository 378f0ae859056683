//! The settings pages' forms, described once per section as a list of [`Field`]s: how a
//! field is drawn, how its current value reads from the core's item (as JSON, the shape
//! the native API gives), and how a posted form becomes the core's input (as JSON, the
//! shape the native API takes), so the core validates a page's input exactly as it
//! validates the API's. Pure: unit-tested here.

use serde_json::{Map, Value};

use super::super::page::Problem;

/// How a field is drawn and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Several lines.
    LongText,
    Integer,
    /// A decimal number, such as a latitude.
    Decimal,
    /// Hundredths of a day, shown and typed as days (`25`, `2.5`).
    Days,
    /// Six hexadecimal digits, picked with a colour input (`#rrggbb`).
    Colour,
    Date,
    /// A checkbox: ticked is `true`, unticked `false`.
    Flag,
    /// One of these `(value, label)`s, sent as text.
    Choice(&'static [(&'static str, &'static str)]),
    /// The id of an item of another section (its slug), picked from a list.
    Reference(&'static str),
}

/// One field of a section's form.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The input's name: the core's field, `settings.x` for a field inside `settings`.
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    /// Required when creating; it cannot be emptied later.
    pub required: bool,
    /// Shown as a column of the list.
    pub listed: bool,
    /// What a new item's form starts with.
    pub default: &'static str,
    pub hint: Option<&'static str>,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str, kind: FieldKind) -> Self {
        Self {
            name,
            label,
            kind,
            required: false,
            listed: false,
            default: "",
            hint: None,
        }
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn listed(mut self) -> Self {
        self.listed = true;
        self
    }

    pub const fn default(mut self, value: &'static str) -> Self {
        self.default = value;
        self
    }

    pub const fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The element id of the field's control (a dot would need escaping in selectors).
    pub fn id(&self) -> String {
        self.name.replace('.', "-")
    }
}

/// The value at `name` (`a.b` reaches inside `a`) of an item as JSON.
fn at<'v>(item: &'v Value, name: &str) -> Option<&'v Value> {
    name.split('.').try_fold(item, |value, key| value.get(key))
}

/// A field's current value as its control shows it: text for inputs, `true`/`false` for a
/// checkbox, `#rrggbb` for a colour, days for hundredths of a day.
pub fn shown(field: &Field, item: &Value) -> String {
    let value = at(item, field.name).unwrap_or(&Value::Null);
    match (field.kind, value) {
        (_, Value::Null) => String::new(),
        (FieldKind::Colour, Value::String(hex)) => format!("#{hex}"),
        (FieldKind::Days, Value::Number(n)) => n.as_i64().map(days).unwrap_or_default(),
        (_, Value::String(text)) => text.clone(),
        (_, other) => other.to_string(),
    }
}

/// Hundredths of a day as days without needless decimals: 2500 is `25`, 250 is `2.5`.
fn days(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let (whole, cents) = (hundredths.abs() / 100, hundredths.abs() % 100);
    match cents {
        0 => format!("{sign}{whole}"),
        c if c % 10 == 0 => format!("{sign}{whole}.{}", c / 10),
        c => format!("{sign}{whole}.{c:02}"),
    }
}

/// Days typed as `25`, `2.5` or `0.25` as hundredths; `None` for anything else.
fn hundredths(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    let value = whole.checked_mul(100)?.checked_add(fraction)?;
    Some(if negative { -value } else { value })
}

/// Sets `name` (`a.b` inside `a`) of `target` to `value`.
fn set(target: &mut Map<String, Value>, name: &str, value: Value) {
    match name.split_once('.') {
        Some((outer, inner)) => {
            let entry = target
                .entry(outer.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(map) = entry {
                set(map, inner, value);
            }
        }
        None => {
            target.insert(name.to_owned(), value);
        }
    }
}

/// The core's input from a posted form, laid over `base` (nothing when creating or
/// updating an item, whose absent fields are left as they are; the current values where
/// the core replaces a whole object). An empty field is left out: the core keeps what is
/// there, or refuses a required one. A value of the wrong form is refused next to its field.
pub fn input(
    fields: &[Field],
    form: &[(String, String)],
    mut base: Map<String, Value>,
) -> Result<Value, Problem> {
    let posted = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
    };
    for field in fields {
        let text = posted(field.name).unwrap_or("");
        if field.kind == FieldKind::Flag {
            set(&mut base, field.name, Value::Bool(!text.is_empty()));
            continue;
        }
        if text.is_empty() {
            if field.required {
                return Err(Problem::on_field(
                    field.name,
                    &format!("{} is required", field.label),
                ));
            }
            continue;
        }
        let wrong =
            |what: &str| Problem::on_field(field.name, &format!("{} is {what}", field.label));
        let value = match field.kind {
            FieldKind::Integer | FieldKind::Reference(_) => text
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| wrong("a whole number"))?,
            FieldKind::Decimal => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::from)
                .ok_or_else(|| wrong("a number"))?,
            FieldKind::Days => hundredths(text)
                .map(Value::from)
                .ok_or_else(|| wrong("a number of days, to two decimal places"))?,
            FieldKind::Colour => Value::from(text.trim_start_matches('#')),
            FieldKind::Choice(choices) => {
                if !choices.iter().any(|(value, _)| *value == text) {
                    return Err(wrong("not one of the choices"));
                }
                Value::from(text)
            }
            FieldKind::Text | FieldKind::LongText | FieldKind::Date => Value::from(text),
            FieldKind::Flag => Value::Bool(true),
        };
        set(&mut base, field.name, value);
    }
    Ok(Value::Object(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIELDS: [Field; 7] = [
        Field::new("name", "Name", FieldKind::Text).required(),
        Field::new("min_user", "Fewest in", FieldKind::Integer),
        Field::new("settings.carryover_cap", "Carry-over cap", FieldKind::Days),
        Field::new("colour", "Colour", FieldKind::Colour),
        Field::new("is_active", "Active", FieldKind::Flag),
        Field::new(
            "kind",
            "Kind",
            FieldKind::Choice(&[("leave", "Leave"), ("overtime", "Overtime")]),
        ),
        Field::new("location_id", "Location", FieldKind::Reference("locations")),
    ];

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_form_becomes_the_input_the_api_takes() {
        let posted = form(&[
            ("name", " Sales "),
            ("min_user", "2"),
            ("settings.carryover_cap", "5.5"),
            ("colour", "#4a90d9"),
            ("kind", "overtime"),
            ("location_id", ""),
        ]);
        let base = json!({"settings": {"pro_rata": true}});
        let Value::Object(base) = base else {
            unreachable!()
        };
        assert_eq!(
            input(&FIELDS, &posted, base).unwrap(),
            json!({
                "name": "Sales",
                "min_user": 2,
                "settings": {"pro_rata": true, "carryover_cap": 550},
                "colour": "4a90d9",
                "is_active": false,
                "kind": "overtime",
            })
        );
    }

    #[test]
    fn a_value_of_the_wrong_form_is_refused_next_to_its_field() {
        let refused =
            |pairs: &[(&str, &str)]| input(&FIELDS, &form(pairs), Map::new()).unwrap_err();
        let missing = refused(&[("min_user", "2")]);
        assert_eq!(missing.on("name"), Some("Name is required"));
        let not_whole = refused(&[("name", "A"), ("min_user", "2.5")]);
        assert_eq!(
            not_whole.on("min_user"),
            Some("Fewest in is a whole number")
        );
        let days = refused(&[("name", "A"), ("settings.carryover_cap", "1.255")]);
        assert!(days.on("settings.carryover_cap").is_some());
        let choice = refused(&[("name", "A"), ("kind", "holiday")]);
        assert_eq!(choice.on("kind"), Some("Kind is not one of the choices"));
    }

    #[test]
    fn current_values_show_as_their_controls_want_them() {
        let item = json!({"name": "Sales", "min_user": 2, "colour": "4a90d9", "is_active": true,
            "settings": {"carryover_cap": 250}, "location_id": null});
        let shown_of = |i: usize| shown(&FIELDS[i], &item);
        assert_eq!(shown_of(0), "Sales");
        assert_eq!(shown_of(1), "2");
        assert_eq!(shown_of(2), "2.5");
        assert_eq!(shown_of(3), "#4a90d9");
        assert_eq!(shown_of(4), "true");
        assert_eq!(shown_of(6), "");
        assert_eq!(FIELDS[2].id(), "settings-carryover_cap");
    }

    #[test]
    fn days_are_read_to_two_places_and_written_without_needless_ones() {
        assert_eq!(hundredths("25"), Some(2500));
        assert_eq!(hundredths("2.5"), Some(250));
        assert_eq!(hundredths(".25"), Some(25));
        assert_eq!(hundredths("-1.05"), Some(-105));
        for bad in ["", ".", "1.234", "1,5", "x", "1e3", "--1"] {
            assert_eq!(hundredths(bad), None, "{bad}");
        }
        assert_eq!(days(2500), "25");
        assert_eq!(days(250), "2.5");
        assert_eq!(days(-105), "-1.05");
    }
}
