//! The User Note controller: `create`, `retrieve` and `update`, over the notes kept about
//! a user (`rota_core::leave::notes`). WhosOff answers one note per user; Rota keeps each
//! note, so `retrieve` answers the newest the caller may read. `type_id` is free 0 (the
//! user's approvers read it too) or restricted 1 (super users only).

use axum::extract::State;
use jiff::tz::TimeZone;
use rota_core::leave::notes::{self, UserNote, UserNoteInput, UserNotePatch};
use rota_core::people::service;
use rota_core::policy::Action;
use rota_core::{company, time};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::envelope::{Answer, Envelope, RecordId};
use super::extract::{Body, Caller, Segments};
use crate::AppState;
use crate::compat::dates::format_whosoff_datetime;
use crate::compat::lenient::Int;
use crate::compat::paging::all_pages;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(retrieve))
        .routes(routes!(update))
}

/// `user-note/create`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNote {
    user_id: Int,
    /// 1 to 2000 characters.
    note: String,
    /// 0 free (the default), 1 restricted.
    type_id: Option<Int>,
}

/// `user-note/update`'s body: what is sent changes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateNote {
    user_note_id: Int,
    note: Option<String>,
    type_id: Option<Int>,
}

/// A note as `retrieve` answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteRecord {
    user_note_id: i64,
    type_id: i64,
    note: String,
    /// The company's wall-clock time.
    changed_date: String,
    changed_id: i64,
    changed_first_name: Option<String>,
    changed_last_name: Option<String>,
}

/// `type_id` as whether the note is restricted.
fn restricted(type_id: Int) -> Result<bool, rota_core::Error> {
    match type_id.get() {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(rota_core::Error::invalid(
            "type_id",
            format!("type_id {other} is not one of 0 (free), 1 (restricted)"),
        )),
    }
}

/// Adds a note about a user. User level SUPER USER.
#[utoipa::path(post, path = "/v4/user-note/create", tag = "user-note", request_body = CreateNote,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn create(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    let body: CreateNote = body.parse()?;
    let input = UserNoteInput {
        note: body.note,
        restricted: body.type_id.map(restricted).transpose()?.unwrap_or(false),
    };
    let note = notes::add_note(&state.db, &caller.actor, body.user_id.get(), input).await?;
    Envelope::ok(RecordId { record_id: note.id })
}

/// The newest note about a user, or null when there is none. User level SUPER USER.
#[utoipa::path(get, path = "/v4/user-note/retrieve/{user_id}", tag = "user-note",
    params(("user_id" = i64, Path)), responses((status = 200, body = Envelope<Option<NoteRecord>>)))]
async fn retrieve(
    State(state): State<AppState>,
    caller: Caller,
    Segments(user_id): Segments<Int>,
) -> Answer<Option<NoteRecord>> {
    caller.may(Action::ManagePeople)?;
    let (db, actor) = (&state.db, &caller.actor);
    let all: Vec<UserNote> = all_pages(|limit, cursor: Option<String>| async move {
        notes::notes(db, actor, user_id.get(), Some(limit), cursor.as_deref()).await
    })
    .await?;
    let Some(note) = all.into_iter().next_back() else {
        return Envelope::ok(None);
    };
    let zone = TimeZone::get(&company::get(db, actor).await?.time_zone).unwrap_or(TimeZone::UTC);
    let changed_date = time::rfc3339(note.changed_at)
        .parse::<jiff::Timestamp>()
        .map(|at| format_whosoff_datetime(at, &zone))
        .map_err(|e| rota_core::Error::Internal(e.to_string().into()))?;
    let author = service::get(db, actor, note.changed_by).await.ok();
    Envelope::ok(Some(NoteRecord {
        user_note_id: note.id,
        type_id: note.restricted,
        note: note.note,
        changed_date,
        changed_id: note.changed_by,
        changed_first_name: author.as_ref().map(|a| a.first_name.clone()),
        changed_last_name: author.map(|a| a.last_name),
    }))
}

/// Changes a note's text or type. User level SUPER USER.
#[utoipa::path(put, path = "/v4/user-note/update", tag = "user-note", request_body = UpdateNote,
    responses((status = 200, body = Envelope<RecordId>)))]
async fn update(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<RecordId> {
    caller.may(Action::ManagePeople)?;
    let body: UpdateNote = body.parse()?;
    let patch = UserNotePatch {
        note: body.note,
        restricted: body.type_id.map(restricted).transpose()?,
    };
    let note = notes::update_note(&state.db, &caller.actor, body.user_note_id.get(), patch).await?;
    Envelope::ok(RecordId { record_id: note.id })
}
