//! The NUL character (U+0000) in client input. PostgreSQL's text cannot hold it and fails
//! the whole statement, which would surface as a 500, and on sign-in before anyone is
//! authenticated; no text in Rota has a use for it. So it is refused at the edge, once per
//! kind of input, before anything reaches the core:
//!
//! - path segments and query strings by [`refuse_in_uri`], a layer over every route
//!   (400 `invalid_path_parameter` / `invalid_query`, naming the parameter);
//! - JSON bodies in [`crate::extract::parse_json`] through [`in_json`] (422
//!   `validation_failed`, naming the field's path);
//! - form bodies and HTTP Basic credentials at the token endpoint, the one route that
//!   reads them, through [`in_form`] and [`in_text`].
//!
//! The OpenAPI document says so too: [`state_in_document`] gives every string schema that
//! states no pattern or enum of its own the pattern [`NO_NUL_PATTERN`] (the patterns and
//! enums the document already states admit no NUL).
//!
//! Headers need nothing: the `http` crate refuses a raw NUL (and every control character
//! but tab) in a header value, and no header Rota reads is percent-decoded except the
//! Basic credentials above. Other control characters are no danger to either engine;
//! where they would be stored as a name or a note, the core's text validators refuse them.

use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::error::ApiError;

/// The one way the character can arrive in a URI: percent-encoded (a raw one is not a
/// valid URI, and the server refuses it before routing).
const ENCODED: &str = "%00";

fn refused(status: StatusCode, code: &str, what: &str, field: String) -> ApiError {
    ApiError::new(
        status,
        code,
        format!("{what} {field} must not contain the NUL character (U+0000)"),
        Some(field),
    )
}

/// Any text without the NUL character, in the regex dialects of JSON Schema and Python.
pub const NO_NUL_PATTERN: &str = r"^[^\x00]*$";

/// The document with [`NO_NUL_PATTERN`] on every string schema that states neither a
/// pattern nor an enum: passwords, tokens, cursors, search text and the like, which the
/// server otherwise takes as they come. Done on the document's JSON once, when the
/// document is built, so no input type can forget it.
pub fn state_in_document(
    document: utoipa::openapi::OpenApi,
) -> serde_json::Result<utoipa::openapi::OpenApi> {
    let mut value = serde_json::to_value(document)?;
    add_pattern(&mut value);
    serde_json::from_value(value)
}

fn add_pattern(value: &mut Value) {
    match value {
        Value::Object(object) => {
            let is_string = match object.get("type") {
                Some(Value::String(kind)) => kind == "string",
                Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
                _ => false,
            };
            if is_string && !object.contains_key("pattern") && !object.contains_key("enum") {
                object.insert("pattern".into(), Value::String(NO_NUL_PATTERN.into()));
            }
            object.values_mut().for_each(add_pattern);
        }
        Value::Array(items) => items.iter_mut().for_each(add_pattern),
        _ => {}
    }
}

/// Refuses a path parameter or query parameter (name or value) that decodes to text with
/// a NUL in it. Runs after routing, so the parameters have their names; a request without
/// `%00` in its URI, which is every honest one, costs two substring searches.
pub async fn refuse_in_uri(request: Request, next: Next) -> Response {
    if request.uri().path().contains(ENCODED) {
        let (mut parts, body) = request.into_parts();
        if let Ok(params) = RawPathParams::from_request_parts(&mut parts, &()).await
            && let Some((name, _)) = params.iter().find(|(_, value)| value.contains('\0'))
        {
            return refused(
                StatusCode::BAD_REQUEST,
                "invalid_path_parameter",
                "path parameter",
                name.to_owned(),
            )
            .into_response();
        }
        return check_query(Request::from_parts(parts, body), next).await;
    }
    check_query(request, next).await
}

async fn check_query(request: Request, next: Next) -> Response {
    if let Some(query) = request.uri().query().filter(|q| q.contains(ENCODED))
        && let Some(name) = in_form(query.as_bytes())
    {
        return refused(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "query parameter",
            name,
        )
        .into_response();
    }
    next.run(request).await
}

/// The first parameter of a form-encoded text (a query string, a form body) whose name or
/// value holds a NUL, by its name (with any NUL in the name shown as `\0`).
pub fn in_form(encoded: &[u8]) -> Option<String> {
    form_urlencoded::parse(encoded)
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| name.replace('\0', "\\0"))
}

/// Whether a decoded text holds a NUL.
pub fn in_text(text: &str) -> bool {
    text.contains('\0')
}

/// The path (`settings.name`, `ip_allow_list[1]`) of the first string or object key in a
/// JSON body that holds a NUL. JSON can only carry one escaped, as `\u0000` (a raw one is
/// not valid JSON), so a body without that escape is never walked: the common path costs
/// one substring search.
pub fn in_json(bytes: &[u8]) -> Option<String> {
    const ESCAPED: &[u8] = b"\\u0000";
    if !bytes.windows(ESCAPED.len()).any(|w| w == ESCAPED) {
        return None;
    }
    // A body that does not parse is left to the typed reader, which says why.
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let mut path = Vec::new();
    walk(&value, &mut path).then(|| join(&path))
}

/// Whether `value` holds a NUL; if so `path` leads to it.
fn walk(value: &Value, path: &mut Vec<String>) -> bool {
    match value {
        Value::String(text) => in_text(text),
        Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
            path.push(format!("[{i}]"));
            let found = walk(item, path);
            if !found {
                path.pop();
            }
            found
        }),
        Value::Object(fields) => fields.iter().any(|(key, item)| {
            path.push(key.replace('\0', "\\0"));
            let found = in_text(key) || walk(item, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    }
}

fn join(path: &[String]) -> String {
    let mut out = String::new();
    for step in path {
        if !out.is_empty() && !step.starts_with('[') {
            out.push('.');
        }
        out.push_str(step);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_without_the_escape_is_not_walked() {
        assert_eq!(in_json(br#"{"email": "a@b.test"}"#), None);
        // The escape written out as text (a backslash, then "u0000") is no NUL.
        assert_eq!(in_json(br#"{"note": "\\u0000"}"#), None);
    }

    #[test]
    fn json_nul_is_found_with_its_path() {
        assert_eq!(
            in_json(br#"{"email": "a@b.test\u0000", "password": "x"}"#).as_deref(),
            Some("email")
        );
        assert_eq!(
            in_json(br#"{"settings": {"list": ["ok", "b\u0000d"]}}"#).as_deref(),
            Some("settings.list[1]")
        );
        assert_eq!(in_json(br#"{"a\u0000": 1}"#).as_deref(), Some("a\\0"));
        assert_eq!(in_json(br#"["x", "\u0000"]"#).as_deref(), Some("[1]"));
    }

    #[test]
    fn free_strings_in_the_document_refuse_nul_and_stated_forms_stay() {
        let mut value = serde_json::json!({"properties": {
            "password": {"type": "string"},
            "note": {"type": ["string", "null"]},
            "code": {"type": "string", "pattern": "^[0-9]{6}$"},
            "status": {"type": "string", "enum": ["a", "b"]},
            "count": {"type": "integer"}
        }});
        add_pattern(&mut value);
        let properties = &value["properties"];
        assert_eq!(properties["password"]["pattern"], NO_NUL_PATTERN);
        assert_eq!(properties["note"]["pattern"], NO_NUL_PATTERN);
        assert_eq!(properties["code"]["pattern"], "^[0-9]{6}$");
        assert!(properties["status"].get("pattern").is_none());
        assert!(properties["count"].get("pattern").is_none());
    }

    #[test]
    fn form_nul_is_found_by_parameter_name() {
        assert_eq!(in_form(b"q=smith&limit=5"), None);
        assert_eq!(in_form(b"limit=5&q=%00").as_deref(), Some("q"));
        assert_eq!(in_form(b"client_id=a%00b").as_deref(), Some("client_id"));
        assert_eq!(in_form(b"a%00=1").as_deref(), Some("a\\0"));
    }
}
