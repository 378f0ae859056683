//! People from and to CSV: upload a file (`/people/import`), see the core's preview
//! (who would be created, which fields of whom would change, which lines are refused and
//! why), confirm. Without JavaScript the confirmation applies the whole file in one post;
//! with it, the script posts the confirmed file in parts of [`PART`] rows to
//! `/people/import/apply` with `from`/`to`, each answered with its counts as JSON, and
//! moves a `<progress>` bar. The export is the core's sheet, as the API's.

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::header;
use axum::response::{IntoResponse, Json, Redirect, Response};
use rota_core::people::import::{self, ImportOutcome};
use rota_core::people::sheet::{MAX_BYTES, MAX_ROWS};
use serde::{Deserialize, Serialize};

use super::ensure_may_manage;
use crate::AppState;
use crate::web::page::{Frame, PageError, Problem, render};
use crate::web::session::{self, Posted, Refused, Signed};

/// How many rows the script applies per post.
pub const PART: usize = 100;

#[derive(Template)]
#[template(path = "people_import.html")]
struct UploadPage {
    frame: Frame,
    problem: Problem,
    max_rows: usize,
    max_mib: usize,
}

#[derive(Template)]
#[template(path = "people_preview.html")]
struct PreviewPage {
    frame: Frame,
    outcome: ImportOutcome,
    csv: String,
    rows: usize,
    part: usize,
}

fn ensure_may_import(signed: &Signed) -> Result<(), PageError> {
    ensure_may_manage(signed)?;
    import::may_import(&signed.actor).map_err(PageError::from)
}

async fn upload_page(
    state: &AppState,
    signed: &Signed,
    problem: Problem,
) -> Result<UploadPage, PageError> {
    Ok(UploadPage {
        frame: Frame::load(state, signed, "/people", "Import people").await?,
        problem,
        max_rows: MAX_ROWS,
        max_mib: MAX_BYTES / 1024 / 1024,
    })
}

pub async fn form(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    ensure_may_import(&signed)?;
    render(&upload_page(&state, &signed, Problem::default()).await?)
}

/// The uploaded form: its CSRF token and the file.
async fn read_upload(multipart: &mut Multipart) -> Result<(Option<String>, Vec<u8>), PageError> {
    let unreadable = |_| PageError::bad_form("the upload could not be read");
    let (mut csrf, mut file) = (None, Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some(session::CSRF_FIELD) => csrf = Some(field.text().await.map_err(unreadable)?),
            Some("file") => file = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    Ok((csrf, file))
}

/// Reads the uploaded file and shows the core's preview of it; a file refused whole
/// goes back to the form with the reason next to the file.
pub async fn preview(
    State(state): State<AppState>,
    signed: Signed,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Refused> {
    let mut multipart =
        multipart.map_err(|_| PageError::bad_form("send the file as a form upload"))?;
    let (csrf, file) = read_upload(&mut multipart).await?;
    if !session::csrf_matches(csrf.as_deref(), &signed.csrf) {
        return Err(PageError::csrf().into());
    }
    ensure_may_import(&signed)?;
    let outcome = match String::from_utf8(file) {
        Ok(csv) => match import::preview(&state.db, &signed.actor, &csv).await {
            Ok(outcome) => Ok((csv, outcome)),
            Err(error) => Err(PageError::from(error)),
        },
        Err(_) => Err(PageError::from(rota_core::Error::invalid(
            "csv",
            "the file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8",
        ))),
    };
    match outcome {
        Ok((csv, outcome)) => {
            let rows = outcome.rows();
            let frame = Frame::load(&state, &signed, "/people", "Import people").await?;
            Ok(render(&PreviewPage {
                frame,
                outcome,
                csv,
                rows,
                part: PART,
            })?)
        }
        Err(error) => {
            let status = error.status;
            let page = upload_page(&state, &signed, Problem::of(&error, &["csv"])).await?;
            let mut response = render(&page)?;
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct ApplyForm {
    csv: String,
    /// With `to`: only the rows from `from` up to `to` (the script's parts).
    from: Option<usize>,
    to: Option<usize>,
}

/// What one part did, for the script's progress.
#[derive(Serialize)]
struct PartDone {
    created: usize,
    updated: usize,
    unchanged: usize,
    refused: usize,
}

pub async fn apply(
    State(state): State<AppState>,
    posted: Posted<ApplyForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_may_import(&signed)?;
    let rows = match (form.from, form.to) {
        (Some(from), Some(to)) => Some(from..to),
        _ => None,
    };
    let part = rows.is_some();
    let outcome = import::apply(&state.db, &signed.actor, &form.csv, rows)
        .await
        .map_err(PageError::from)?;
    let done = PartDone {
        created: outcome.created.len(),
        updated: outcome.updated.len(),
        unchanged: outcome.unchanged,
        refused: outcome.refused.len(),
    };
    if part {
        return Ok(Json(done).into_response());
    }
    Ok(Redirect::to(&format!(
        "/people?done=imported&created={}&updated={}&refused={}",
        done.created, done.updated, done.refused
    ))
    .into_response())
}

pub async fn export(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    ensure_may_import(&signed)?;
    let csv = import::export(&state.db, &signed.actor).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"people.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
