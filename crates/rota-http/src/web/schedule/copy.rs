//! Copying a location's week from its grid: the core's `copy_week` (drafts unless asked
//! to publish, open shifts with them unless left out), then the week copied to, saying how
//! many shifts were made and how many the core skipped (a conflict, say).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::schedule::{self, CopyWeekInput};
use serde::Deserialize;

use super::{ensure_schedules, optional_id};
use crate::AppState;
use crate::web::page::PageError;
use crate::web::session::{Posted, Refused};

/// Read after `may()`: every field defaults, so that the form's shape refuses nothing first.
#[derive(Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    location_id: String,
    /// The first day of the week copied.
    #[serde(default)]
    week: String,
    /// The first day of the week the copies fall on.
    #[serde(default)]
    to: String,
    /// Checkboxes: present when ticked.
    include_open: Option<String>,
    published: Option<String>,
}

pub async fn copy(
    State(state): State<AppState>,
    posted: Posted<CopyForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let location_id = optional_id("location_id", &form.location_id)?.ok_or_else(|| {
        PageError::from(rota_core::Error::invalid("location_id", "pick a location"))
    })?;
    let input = CopyWeekInput {
        location_id,
        from: form.week.trim().to_owned(),
        to: form.to.trim().to_owned(),
        include_open: Some(form.include_open.is_some()),
        published: form.published.is_some(),
    };
    let summary = schedule::copy_week(&state.db, &signed.actor, input)
        .await
        .map_err(PageError::from)?;
    let (copied, skipped) = (summary.copied.len(), summary.skipped.len());
    Ok(Redirect::to(&format!(
        "/schedule?week={}&location={location_id}&done=copied&copied={copied}&skipped={skipped}",
        form.to.trim()
    ))
    .into_response())
}
