//! The stylesheet and script, built into the binary and served with a long cache life
//! under a URL that changes with their content; and the company's leave-type colours as a
//! stylesheet, so that no page needs an inline `style` (which the CSP refuses).

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rota_core::leave::types::TypeKind;

use super::page::PageError;
use super::session::Signed;
use crate::AppState;

pub const CSS_PATH: &str = "/assets/app.css";
pub const JS_PATH: &str = "/assets/app.js";

const CSS: &str = include_str!("assets/app.css");
const JS: &str = include_str!("assets/app.js");

/// `path?v=<digest of content>`: a changed file is a new URL, so either may be cached
/// for a year.
fn versioned(path: &str, content: &str) -> String {
    let digest = rota_core::secret::token_digest(content);
    format!("{path}?v={}", &digest[..12])
}

static CSS_HREF: LazyLock<String> = LazyLock::new(|| versioned(CSS_PATH, CSS));
static JS_HREF: LazyLock<String> = LazyLock::new(|| versioned(JS_PATH, JS));

/// Where the pages link the stylesheet and the script.
pub fn css_href() -> &'static str {
    &CSS_HREF
}

pub fn js_href() -> &'static str {
    &JS_HREF
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

pub async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}

/// `#rgb` or `#rrggbb` from a stored colour (with or without its `#`), or nothing when it
/// is not one.
fn css_colour(stored: &str) -> Option<&str> {
    let hex = stored.trim_start_matches('#');
    (matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex)
}

/// `.lt-<id>{--c:#colour}` for each of the company's leave and overtime types.
pub async fn leave_types(
    state: axum::extract::State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    let mut css = String::new();
    for kind in [TypeKind::Leave, TypeKind::Overtime] {
        for leave_type in
            rota_core::leave::types::of_kind(&state.db, &signed.actor, kind, None).await?
        {
            if let Some(colour) = css_colour(&leave_type.colour) {
                // Writing to a String cannot fail.
                let _ = writeln!(css, ".lt-{}{{--c:#{colour}}}", leave_type.id);
            }
        }
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=60"),
            ),
        ],
        css,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_reach_the_stylesheet() {
        assert_eq!(css_colour("33aa55"), Some("33aa55"));
        assert_eq!(css_colour("#abc"), Some("abc"));
        assert_eq!(css_colour("red;}body{display:none"), None);
        assert_eq!(css_colour("12345"), None);
    }

    #[test]
    fn an_asset_url_changes_with_its_content() {
        assert_ne!(versioned(CSS_PATH, "a"), versioned(CSS_PATH, "b"));
        assert!(css_href().starts_with("/assets/app.css?v="));
    }
}
