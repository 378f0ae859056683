//! The schedule of a range in one read, as a week grid shows it: the stored shifts and the
//! occurrences of repeating shifts that overlap it, at a location and/or of a user, that
//! the actor may see (as [`super::list`] and [`super::chains::occurrences`] decide). Not
//! paged: the range, at most [`super::rules::MAX_VIEW_DAYS`], bounds it.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use super::cache::{Reader, ViewKey};
use super::chains::{self, ChainOccurrence, OccurrenceFilter};
use super::read::{ShiftFilter, in_view};
use super::row::Shift;
use super::rules;
use crate::db::Db;
use crate::error::Result;
use crate::policy::Actor;
use crate::validate;

/// Which part of the schedule to read: what overlaps `from..to` (RFC 3339).
#[derive(Debug, Clone, Default)]
pub struct ScheduleFilter {
    pub from: String,
    pub to: String,
    pub location_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Only published shifts and occurrences (true) or only drafts (false).
    pub published: Option<bool>,
}

/// A range of the schedule: stored shifts (detached occurrences among them) and the
/// occurrences of repeating shifts, each sorted by start.
#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    pub shifts: Vec<Shift>,
    pub occurrences: Vec<ChainOccurrence>,
}

pub async fn view(db: &Db, actor: &Actor, filter: &ScheduleFilter) -> Result<Schedule> {
    let from = validate::instant("from", &filter.from)?;
    let to = validate::instant("to", &filter.to)?;
    rules::view_range(from, to)?;
    let shifts = {
        let mut conn = db.pool().acquire().await?;
        let stored = ShiftFilter {
            from: Some(filter.from.clone()),
            to: Some(filter.to.clone()),
            location_id: filter.location_id,
            user_id: filter.user_id,
            published: filter.published,
            ..ShiftFilter::default()
        };
        in_view(&mut conn, actor, &stored).await?
    };
    let repeating = OccurrenceFilter {
        from: filter.from.clone(),
        to: filter.to.clone(),
        location_id: filter.location_id,
        user_id: filter.user_id,
    };
    let occurrences = chains::occurrences(db, actor, &repeating)
        .await?
        .into_iter()
        .filter(|o| {
            filter
                .published
                .is_none_or(|published| o.published == published)
        })
        .collect();
    Ok(Schedule {
        shifts,
        occurrences,
    })
}

/// The schedule `filter` picks, as `render` writes it for the reader (`rendering` names
/// the rendering, say `"api-json"`): served from [`super::cache`] while the company's
/// schedule has not changed since it was rendered for this reader, read and rendered
/// otherwise. Bad input is refused as [`view`] refuses it.
pub async fn view_rendered(
    db: &Db,
    actor: &Actor,
    filter: &ScheduleFilter,
    rendering: &'static str,
    render: impl FnOnce(&Schedule) -> Result<Vec<u8>>,
) -> Result<Arc<[u8]>> {
    let from = validate::instant("from", &filter.from)?;
    let to = validate::instant("to", &filter.to)?;
    rules::view_range(from, to)?;
    let key = ViewKey {
        rendering,
        reader: Reader::from(actor),
        from,
        to,
        location_id: filter.location_id,
        user_id: filter.user_id,
        published: filter.published,
    };
    // Read before the schedule: what is read after it is at least as new, so it is never
    // kept under a version older than what it shows.
    let version: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schedule_versions WHERE company_id = $1")
            .bind(actor.company_id)
            .fetch_optional(db.pool())
            .await?;
    let version = version.unwrap_or(0);
    if let Some(bytes) = db.views().get(&key, version) {
        return Ok(bytes);
    }
    let bytes: Arc<[u8]> = render(&view(db, actor, filter).await?)?.into();
    db.views().put(key, version, bytes.clone());
    Ok(bytes)
}
