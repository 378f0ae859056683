//! Reading repeating shifts: one chain, and the occurrences of a range, expanded as they
//! are read (one query for the chains overlapping the range, one for their exceptions,
//! one for their breaks),
//! seen as shifts are: staff see published ones, drafts only who manages them.

use super::super::change::range;
use super::super::holders::Holders;
use super::row::{
    self, ChainOccurrence, ChainRow, SELECT, ShiftChain, with_breaks, with_exceptions,
};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::policy::{Action, Actor};
use crate::sql::Binds;

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<ShiftChain> {
    let mut conn = db.pool().acquire().await?;
    let row = row::load(&mut conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("shift_chain"))?;
    let holders = Holders::load(&mut conn, actor.company_id, row.user_id).await?;
    if !holders.may(actor, Action::ViewShift, row.user_id, row.published) {
        return Err(Error::not_found("shift_chain"));
    }
    row.render()
}

/// Which occurrences to read: those overlapping `from..to` (RFC 3339, at most 366 days),
/// at a location and/or of a user.
#[derive(Debug, Clone, Default)]
pub struct OccurrenceFilter {
    pub from: String,
    pub to: String,
    pub location_id: Option<i64>,
    pub user_id: Option<i64>,
}

/// The occurrences the actor may see, sorted by start (then chain).
pub async fn occurrences(
    db: &Db,
    actor: &Actor,
    filter: &OccurrenceFilter,
) -> Result<Vec<ChainOccurrence>> {
    let (from, to) = range(&filter.from, &filter.to)?;
    // Wide enough for any zone (±14 hours) and a shift of up to a day before `from`:
    // the expansion keeps only what overlaps the range.
    let day = |seconds: i64| {
        jiff::Timestamp::from_second(seconds)
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
            .map_err(|e| Error::Internal(e.to_string().into()))
    };
    let first = day(from - 2 * 86_400)?;
    let last = day(to + 86_400)?;
    let mut binds = Binds::after(3);
    let mut sql = format!(
        "{SELECT} WHERE company_id = $1 AND deleted_at IS NULL AND first_date <= $2 AND until_date >= $3"
    );
    if let Some(location_id) = filter.location_id {
        sql.push_str(&format!(" AND location_id = {}", binds.int(location_id)));
    }
    if let Some(user_id) = filter.user_id {
        sql.push_str(&format!(" AND user_id = {}", binds.int(user_id)));
    }
    let query = sqlx::query_as::<_, ChainRow>(sqlx::AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(last.to_string())
        .bind(first.to_string());
    let mut conn = db.pool().acquire().await?;
    let rows = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let holders = Holders::load(
        &mut conn,
        actor.company_id,
        rows.iter().filter_map(|r| r.user_id),
    )
    .await?;
    let shown: Vec<ChainRow> = rows
        .into_iter()
        .filter(|r| holders.may(actor, Action::ViewShift, r.user_id, r.published))
        .collect();
    let shown = with_exceptions(&mut conn, actor.company_id, shown).await?;
    let shown = with_breaks(&mut conn, actor.company_id, shown).await?;
    let mut found = Vec::new();
    for row in &shown {
        let zone = row.zone()?;
        for occurrence in row.occurrences(from, to)? {
            found.push((
                occurrence.starts_at,
                row.render_occurrence(&occurrence, &zone),
            ));
        }
    }
    found.sort_by_key(|(starts_at, o)| (*starts_at, o.chain_id));
    Ok(found.into_iter().map(|(_, o)| o).collect())
}
