//! The schedule of a range in one read, as a week grid shows it: the stored shifts and the
//! occurrences of repeating shifts that overlap it, at a location and/or of a user, that
//! the actor may see (as [`super::list`] and [`super::chains::occurrences`] decide). Not
//! paged: the range, at most [`super::rules::MAX_VIEW_DAYS`], bounds it.

use serde::Serialize;
use utoipa::ToSchema;

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
