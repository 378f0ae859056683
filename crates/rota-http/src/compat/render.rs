//! JSON, CSV or XML, as the caller asks: `?format=` first, then `Accept` (with its
//! q-values), else the first format the route offers. A face builds its reply as JSON
//! and [`render`]s it: CSV for lists (one row per object, one column per key), XML where a
//! vendor or a report wants it (Workhub's per-call output setting).
//!
//! Written by hand, as each is a few lines: CSV after RFC 4180 (fields quoted when they
//! hold a comma, a quote or a line break; CRLF between rows), with a quote put before text
//! that a spreadsheet would run as a formula; XML 1.0 with its five entities escaped and
//! the characters it cannot hold replaced by U+FFFD.

use std::fmt;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// A format a reply can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xml,
}

/// A format that cannot be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// `?format=` names no format.
    UnknownFormat(String),
    /// Neither `?format=` nor `Accept` names a format this route offers (406).
    NotAcceptable,
    /// CSV of something that is not a list of objects.
    NotTabular,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownFormat(name) => write!(f, "format {name:?} is none of json, csv, xml"),
            Self::NotAcceptable => f.write_str("this route offers none of the formats asked for"),
            Self::NotTabular => f.write_str("only lists of objects are given as CSV"),
        }
    }
}

impl std::error::Error for RenderError {}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xml => "application/xml; charset=utf-8",
        }
    }

    fn by_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "xml" => Some(Self::Xml),
            _ => None,
        }
    }

    /// Whether a media range (`application/json`, `text/*`, `*/*`) admits this format.
    fn matches(self, range: &str) -> bool {
        let types: &[&str] = match self {
            Self::Json => &["application/json"],
            Self::Csv => &["text/csv"],
            Self::Xml => &["application/xml", "text/xml"],
        };
        range == "*/*"
            || types.iter().any(|media| {
                media == &range
                    || range
                        .strip_suffix("/*")
                        .is_some_and(|kind| media.split('/').next() == Some(kind))
            })
    }

    /// The format to answer in, of those `offered` (the first being the default).
    pub fn negotiate(
        format: Option<&str>,
        accept: Option<&str>,
        offered: &[Format],
    ) -> Result<Self, RenderError> {
        let default = offered.first().copied().ok_or(RenderError::NotAcceptable)?;
        if let Some(name) = format {
            let asked =
                Self::by_name(name).ok_or_else(|| RenderError::UnknownFormat(name.into()))?;
            return offered
                .contains(&asked)
                .then_some(asked)
                .ok_or(RenderError::NotAcceptable);
        }
        let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
            return Ok(default);
        };
        let mut ranges: Vec<(String, f32)> = accept
            .split(',')
            .filter_map(|item| {
                let mut pieces = item.split(';');
                let range = pieces.next()?.trim().to_ascii_lowercase();
                let quality = pieces
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!range.is_empty() && quality > 0.0).then_some((range, quality))
            })
            .collect();
        // Stable: among equal qualities the order written wins.
        ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranges
            .iter()
            .find_map(|(range, _)| offered.iter().copied().find(|f| f.matches(range)))
            .ok_or(RenderError::NotAcceptable)
    }
}

/// A reply in its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub format: Format,
    pub body: String,
}

impl IntoResponse for Rendered {
    fn into_response(self) -> Response {
        let mut response = self.body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.format.content_type()),
        );
        response
    }
}

/// `value` in `format`; `root` names XML's outer element.
pub fn render(value: &Value, format: Format, root: &str) -> Result<Rendered, RenderError> {
    let body = match format {
        Format::Json => value.to_string(),
        Format::Csv => csv(value)?,
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            xml_element(&mut out, root, value);
            out
        }
    };
    Ok(Rendered { format, body })
}

/// A list of objects as CSV: the keys in the order first seen make the header.
fn csv(value: &Value) -> Result<String, RenderError> {
    let rows: Vec<&Map<String, Value>> = value
        .as_array()
        .ok_or(RenderError::NotTabular)?
        .iter()
        .map(|row| row.as_object().ok_or(RenderError::NotTabular))
        .collect::<Result<_, _>>()?;
    let mut columns: Vec<&str> = Vec::new();
    for row in &rows {
        for key in row.keys() {
            if !columns.contains(&key.as_str()) {
                columns.push(key);
            }
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut out, columns.iter().map(|c| csv_field(c)).collect());
    for row in rows {
        let cells = columns
            .iter()
            .map(|column| match row.get(*column) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(text)) => csv_field(text),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(nested) => csv_field(&nested.to_string()),
            })
            .collect();
        line(&mut out, cells);
    }
    Ok(out)
}

/// One CSV field: text a spreadsheet would take for a formula gets a leading quote, and a
/// field holding a separator, a quote or a line break is quoted.
fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A JSON key as an XML name: letters, digits, `_`, `-` and `.`, not starting with a digit,
/// `-` or `.`; anything else becomes `_`.
fn xml_name(key: &str) -> String {
    let mut name: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        name.insert(0, '_');
    }
    name
}

/// Text as XML character data.
fn xml_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// `value` as the element `name`: an object's keys as child elements, a list's items as
/// `item` elements, null as an empty element.
fn xml_element(out: &mut String, name: &str, value: &Value) {
    let name = xml_name(name);
    if value.is_null() {
        out.push_str(&format!("<{name}/>"));
        return;
    }
    out.push_str(&format!("<{name}>"));
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                xml_element(out, key, field);
            }
        }
        Value::Array(items) => {
            for item in items {
                xml_element(out, "item", item);
            }
        }
        Value::String(text) => xml_text(out, text),
        scalar => out.push_str(&scalar.to_string()),
    }
    out.push_str(&format!("</{name}>"));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ALL: [Format; 3] = [Format::Json, Format::Csv, Format::Xml];

    #[test]
    fn the_format_parameter_wins_over_accept() {
        assert_eq!(
            Format::negotiate(Some("CSV"), Some("application/json"), &ALL),
            Ok(Format::Csv)
        );
        assert_eq!(Format::negotiate(Some("xml"), None, &ALL), Ok(Format::Xml));
        assert_eq!(
            Format::negotiate(Some("yaml"), None, &ALL),
            Err(RenderError::UnknownFormat("yaml".into()))
        );
        assert_eq!(
            Format::negotiate(Some("csv"), None, &[Format::Json]),
            Err(RenderError::NotAcceptable)
        );
    }

    #[test]
    fn accept_is_read_by_quality_then_order() {
        let json_first = [Format::Json, Format::Xml];
        assert_eq!(Format::negotiate(None, None, &ALL), Ok(Format::Json));
        assert_eq!(Format::negotiate(None, Some(""), &ALL), Ok(Format::Json));
        assert_eq!(
            Format::negotiate(None, Some("*/*"), &json_first),
            Ok(Format::Json)
        );
        assert_eq!(
            Format::negotiate(None, Some("text/csv"), &ALL),
            Ok(Format::Csv)
        );
        assert_eq!(
            Format::negotiate(None, Some("application/json;q=0.5, text/xml"), &ALL),
            Ok(Format::Xml)
        );
        assert_eq!(
            Format::negotiate(None, Some("text/*, application/json"), &ALL),
            Ok(Format::Csv)
        );
        assert_eq!(
            Format::negotiate(None, Some("Application/XML; charset=utf-8"), &ALL),
            Ok(Format::Xml)
        );
        // q=0 refuses; nothing else offered is asked for.
        assert_eq!(
            Format::negotiate(None, Some("application/json;q=0, text/html"), &ALL),
            Err(RenderError::NotAcceptable)
        );
        assert_eq!(
            Format::negotiate(None, Some("text/csv"), &json_first),
            Err(RenderError::NotAcceptable)
        );
        assert_eq!(
            Format::negotiate(None, None, &[]),
            Err(RenderError::NotAcceptable)
        );
    }

    #[test]
    fn json_is_the_value_as_it_is() {
        let value = json!({"a": [1, "b"]});
        let rendered = render(&value, Format::Json, "reply").expect("json");
        assert_eq!(rendered.body, r#"{"a":[1,"b"]}"#);
        assert_eq!(rendered.format.content_type(), "application/json");
    }

    #[test]
    fn a_list_of_objects_becomes_csv_with_every_key_a_column() {
        // Keys in alphabetical order: serde_json may keep them so whatever their order.
        let rows = json!([
            {"a_id": 1, "b_name": "Ann, the \"first\"", "c_days": 2.5},
            {"a_id": 2, "b_name": null, "d_note": "line\nbreak", "e_away": true},
            {"a_id": 3, "f_tags": ["a", "b"]}
        ]);
        let rendered = render(&rows, Format::Csv, "rows").expect("csv");
        assert_eq!(
            rendered.body,
            "a_id,b_name,c_days,d_note,e_away,f_tags\r\n\
             1,\"Ann, the \"\"first\"\"\",2.5,,,\r\n\
             2,,,\"line\nbreak\",true,\r\n\
             3,,,,,\"[\"\"a\"\",\"\"b\"\"]\"\r\n"
        );
        assert_eq!(
            render(&json!([]), Format::Csv, "rows").expect("csv").body,
            "\r\n"
        );
    }

    #[test]
    fn csv_text_that_a_spreadsheet_would_run_is_defused_and_numbers_are_not() {
        let rows =
            json!([{"a": "=HYPERLINK(\"x\")", "b": "-2", "c": -2, "d": "@me", "e": "2024-01-01"}]);
        let body = render(&rows, Format::Csv, "rows").expect("csv").body;
        assert_eq!(
            body.lines().nth(1),
            Some("\"'=HYPERLINK(\"\"x\"\")\",'-2,-2,'@me,2024-01-01")
        );
    }

    #[test]
    fn only_lists_of_objects_become_csv() {
        for value in [json!({"a": 1}), json!([1, 2]), json!("text")] {
            assert_eq!(
                render(&value, Format::Csv, "rows"),
                Err(RenderError::NotTabular)
            );
        }
    }

    #[test]
    fn xml_nests_objects_and_lists_and_escapes_text() {
        let value = json!({
            "2fa key": "bell\u{7}",
            "certificates": ["First aid", "Forklift"],
            "worker": {"active": true, "id": 7, "middle_name": null, "name": "Tom & \"Jerry\" <ops>"}
        });
        let body = render(&value, Format::Xml, "reply").expect("xml").body;
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><reply>\
             <_2fa_key>bell\u{FFFD}</_2fa_key>\
             <certificates><item>First aid</item><item>Forklift</item></certificates>\
             <worker><active>true</active><id>7</id><middle_name/><name>Tom &amp; &quot;Jerry&quot; &lt;ops&gt;</name></worker>\
             </reply>"
        );
        assert_eq!(Format::Xml.content_type(), "application/xml; charset=utf-8");
    }

    #[test]
    fn xml_names_are_made_valid() {
        assert_eq!(xml_name("user_id"), "user_id");
        assert_eq!(xml_name(""), "_");
        assert_eq!(xml_name("-x"), "_-x");
        assert_eq!(xml_name("a b<c"), "a_b_c");
        assert_eq!(xml_name("é"), "_");
    }
}
