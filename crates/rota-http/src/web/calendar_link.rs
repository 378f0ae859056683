//! My calendar link: an iCal address of my approved leave for a calendar program to
//! subscribe to (the core's `leave::ical` feeds, scope `user`, made anew by
//! `ical::renew_own`). The core keeps only a digest of its secret, so the address shows
//! once, when it is made; making a new one stops the old one working.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use rota_core::leave::ical;

use super::page::{Frame, PageError, render};
use super::session::{Posted, Refused};
use super::sign_in::Nothing;
use crate::AppState;

#[derive(Template)]
#[template(path = "calendar_link.html")]
struct CalendarLinkPage {
    frame: Frame,
    address: String,
    /// Whether an earlier address stopped working.
    replaced: bool,
}

/// Makes my calendar address, or a new one in place of the old, and shows it once.
pub async fn make(
    State(state): State<AppState>,
    headers: HeaderMap,
    posted: Posted<Nothing>,
) -> Result<Response, Refused> {
    let secure = posted.secure;
    let (signed, _) = posted.of_signed()?;
    let actor = &signed.actor;
    let (feed, replaced) = ical::renew_own(&state.db, actor)
        .await
        .map_err(PageError::from)?;
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if secure { "https" } else { "http" };
    let frame = Frame::load(&state, &signed, "/leave", "My calendar link").await?;
    Ok(render(&CalendarLinkPage {
        frame,
        address: format!("{scheme}://{host}{}", feed.path),
        replaced,
    })?)
}
