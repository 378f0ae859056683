//! Making and changing repeating shifts: create (every occurrence checked against its
//! user's calendar), edit or delete "this and following" (a chain ended the day before
//! and, for an edit, a new one from that day) or the whole chain, and edit or delete
//! "this one" (the day becomes an exception; an edited one a stored, detached shift).
//! The user a chain goes to is locked before their calendar is checked.

use std::collections::HashSet;

use jiff::civil::Date;

use super::super::conflicts::{self, Window};
use super::super::create::scheduling;
use super::super::daily_breaks::clock;
use super::super::draft::ShiftPatch;
use super::super::holders::Holders;
use super::super::repeat::local_date;
use super::super::row::{Shift, Zones};
use super::super::rules::{self, Warning};
use super::super::settings;
use super::super::tail::{self as shift_tail, Change};
use super::input::{ChainDraft, ChainInput, ChainPatch};
use super::row::{self, ChainBreak, ChainRow, RETURNING, ShiftChain};
use super::tail::{self, ChainChange};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, on_unique};
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor};
use crate::validate;

/// A chain the actor may manage, read in `tx`: absent if they may not see it, 403 if they
/// see it but may not change it.
async fn managed(tx: &mut Tx, actor: &Actor, id: i64) -> Result<ChainRow> {
    let row = row::load(tx, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("shift_chain"))?;
    let holders = Holders::load(tx, actor.company_id, row.user_id).await?;
    if !holders.may(actor, Action::ViewShift, row.user_id, row.published) {
        return Err(Error::not_found("shift_chain"));
    }
    if !holders.may(actor, Action::ManageShift, row.user_id, row.published) {
        return Err(Error::forbidden("you may not change this repeating shift"));
    }
    Ok(row)
}

/// Locks the user `draft` goes to and checks what it refers to and that the actor may
/// schedule them.
async fn admit(tx: &mut Tx, actor: &Actor, draft: &ChainDraft) -> Result<()> {
    let user_id = draft.shift.user_id;
    locks::lock(tx, actor.company_id, user_id.map(Owner::User)).await?;
    draft.shift.check_references(tx, actor.company_id).await?;
    let holders = Holders::load(tx, actor.company_id, user_id).await?;
    if !holders.may(actor, Action::ManageShift, user_id, draft.shift.published) {
        return Err(Error::forbidden(
            "you may not schedule shifts for this user",
        ));
    }
    Ok(())
}

/// Refuses `draft` with the first conflict of any of its occurrences (but those on
/// `skipped` days) with its user's calendar, other than chain `chain_id`'s own, that the
/// company's schedule settings do not let through; else the warnings of those they do,
/// each kind once, naming the first day it falls on. A chain spans at most a year, so
/// this is one calendar read and at most 367 pure checks.
async fn check_conflicts(
    tx: &mut Tx,
    company_id: i64,
    draft: &ChainDraft,
    skipped: &HashSet<Date>,
    chain_id: Option<i64>,
) -> Result<Vec<Warning>> {
    let Some(user_id) = draft.shift.user_id else {
        return Ok(Vec::new());
    };
    let (zone, pattern) = (&draft.zone, &draft.pattern);
    let midnight = |day: Date| {
        day.to_zoned(zone.clone())
            .map(|at| at.timestamp().as_second())
            .map_err(|e| Error::Internal(e.to_string().into()))
    };
    let after_until = pattern.until.tomorrow().and_then(|d| d.tomorrow());
    let after_until = after_until.map_err(|e| Error::Internal(e.to_string().into()))?;
    let occurrences: Vec<_> = pattern
        .occurrences(zone, midnight(pattern.first)?, midnight(after_until)?)
        .into_iter()
        .filter(|o| !skipped.contains(&o.date))
        .collect();
    let (Some(first), Some(last)) = (occurrences.first(), occurrences.last()) else {
        return Ok(Vec::new());
    };
    let window = Window {
        user_id,
        location_id: draft.shift.location_id,
        from: first.starts_at,
        to: last.ends_at,
        first: first.date,
        last: local_date(last.ends_at - 1, zone).unwrap_or(last.date),
    };
    let calendar = conflicts::calendar(tx, company_id, &window, None, chain_id).await?;
    let settings = settings::load(&mut **tx, company_id).await?;
    let found: Vec<(Date, Vec<rules::Conflict>)> = occurrences
        .iter()
        .map(|o| {
            let days = rules::days(o.starts_at, o.ends_at, zone);
            let conflicts = rules::conflicts(o.starts_at, o.ends_at, &days, &calendar);
            (o.date, conflicts)
        })
        .collect();
    rules::judge_days(&found, &settings.conflict_warnings)
}

/// A statement that writes a chain and hands back its row.
type RowQuery<'q> = sqlx::query::QueryAs<'q, sqlx::Any, ChainRow, sqlx::any::AnyArguments>;

/// Binds, in this order, what a draft decides of the row: `user_id`, `location_id`,
/// `position_id`, `site_id`, `time_zone`, `first_date`, `until_date`, `start_time`,
/// `length_minutes`, `interval_weeks`, `weekdays`, `colour`, `notes` and `published`.
fn bind<'q>(draft: &'q ChainDraft, query: RowQuery<'q>) -> RowQuery<'q> {
    let (shift, pattern) = (&draft.shift, &draft.pattern);
    query
        .bind(shift.user_id)
        .bind(shift.location_id)
        .bind(shift.position_id)
        .bind(shift.site_id)
        .bind(&draft.time_zone)
        .bind(pattern.first.to_string())
        .bind(pattern.until.to_string())
        .bind(clock(pattern.start))
        .bind(pattern.length_minutes)
        .bind(pattern.interval_weeks)
        .bind(pattern.weekdays.bits())
        .bind(&shift.colour)
        .bind(&shift.notes)
        .bind(i64::from(shift.published))
}

/// Writes `draft`'s breaks as chain `row`'s in place of the `stored` ones (none for a new
/// chain), unless they are the same, and returns the row with them.
async fn write_breaks(
    tx: &mut Tx,
    row: ChainRow,
    draft: &ChainDraft,
    stored: &[ChainBreak],
) -> Result<ChainRow> {
    let row = ChainRow {
        breaks: draft.breaks.clone(),
        ..row
    };
    if draft.breaks == stored {
        return Ok(row);
    }
    if !stored.is_empty() {
        sqlx::query("DELETE FROM shift_chain_breaks WHERE company_id = $1 AND chain_id = $2")
            .bind(row.company_id)
            .bind(row.id)
            .execute(&mut **tx)
            .await?;
    }
    for (sort, b) in draft.breaks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO shift_chain_breaks (company_id, chain_id, sort, length_minutes, paid, start_offset_minutes) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.company_id)
        .bind(row.id)
        .bind(sort as i64)
        .bind(b.length_minutes)
        .bind(i64::from(b.paid))
        .bind(b.offset_minutes)
        .execute(&mut **tx)
        .await?;
    }
    Ok(row)
}

async fn insert(tx: &mut Tx, actor: &Actor, draft: &ChainDraft) -> Result<ChainRow> {
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO shift_chains (company_id, user_id, location_id, position_id, site_id, time_zone, first_date, \
         until_date, start_time, length_minutes, interval_weeks, weekdays, colour, notes, published, created_by, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17){RETURNING}"
    )))
    .bind(actor.company_id);
    let row = bind(draft, query)
        .bind(actor.user_id)
        .bind(now())
        .fetch_one(&mut **tx)
        .await?;
    write_breaks(tx, row, draft, &[]).await
}

async fn update(tx: &mut Tx, before: &ChainRow, draft: &ChainDraft) -> Result<ChainRow> {
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE shift_chains SET user_id = $3, location_id = $4, position_id = $5, site_id = $6, time_zone = $7, \
         first_date = $8, until_date = $9, start_time = $10, length_minutes = $11, interval_weeks = $12, \
         weekdays = $13, colour = $14, notes = $15, published = $16, updated_at = $17 \
         WHERE company_id = $1 AND id = $2{RETURNING}"
    )))
    .bind(before.company_id)
    .bind(before.id);
    let row = bind(draft, query).bind(now()).fetch_one(&mut **tx).await?;
    write_breaks(tx, row, draft, &before.breaks).await
}

/// Ends `row` on `until`, or (none) deletes it.
async fn end(tx: &mut Tx, row: &ChainRow, until: Option<Date>) -> Result<ChainRow> {
    let query = match until {
        Some(until) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE shift_chains SET until_date = $3, updated_at = $4 WHERE company_id = $1 AND id = $2{RETURNING}"
        )))
        .bind(row.company_id)
        .bind(row.id)
        .bind(until.to_string()),
        None => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE shift_chains SET deleted_at = $3, updated_at = $3 WHERE company_id = $1 AND id = $2{RETURNING}"
        )))
        .bind(row.company_id)
        .bind(row.id),
    };
    let ended: ChainRow = query.bind(now()).fetch_one(&mut **tx).await?;
    Ok(ChainRow {
        exceptions: row.exceptions.clone(),
        breaks: row.breaks.clone(),
        ..ended
    })
}

/// Takes `day` out of chain `row`, naming the shift it became, if any.
async fn except(tx: &mut Tx, row: &ChainRow, day: Date, shift_id: Option<i64>) -> Result<()> {
    sqlx::query(
        "INSERT INTO shift_chain_exceptions (company_id, chain_id, day, shift_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(row.company_id)
    .bind(row.id)
    .bind(day.to_string())
    .bind(shift_id)
    .execute(&mut **tx)
    .await
    .map_err(on_unique("date", "an exception"))?;
    Ok(())
}

/// Reads `id` again in `tx`, exceptions included.
async fn reload(tx: &mut Tx, company_id: i64, id: i64) -> Result<ChainRow> {
    row::load(tx, company_id, id)
        .await?
        .ok_or_else(|| Error::Internal("a chain just written is gone".into()))
}

/// Makes a repeating shift.
pub async fn create(db: &Db, actor: &Actor, input: ChainInput) -> Result<ShiftChain> {
    scheduling(actor)?;
    let mut tx = db.begin_write().await?;
    let zones = Zones::load(&mut tx, actor.company_id).await?;
    let draft = ChainDraft::new(&input, &zones)?;
    admit(&mut tx, actor, &draft).await?;
    let warnings = if input.override_conflicts {
        Vec::new()
    } else {
        check_conflicts(&mut tx, actor.company_id, &draft, &HashSet::new(), None).await?
    };
    let row = insert(&mut tx, actor, &draft).await?;
    let shown = tail::record(&mut tx, actor, ChainChange::Created, &row).await?;
    tx.commit().await?;
    Ok(ShiftChain { warnings, ..shown })
}

/// Changes chain `id` from `from` on ("this and following": it ends the day before and
/// a new chain, returned, starts on `from`, which must be one of its days), or whole.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    id: i64,
    from: Option<&str>,
    patch: ChainPatch,
) -> Result<ShiftChain> {
    scheduling(actor)?;
    let from = validate::optional_date("from", from)?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let row = managed(&mut tx, actor, id).await?;
    let split = from.filter(|&day| day > row.first_date);
    if let Some(day) = split
        && !row.pattern()?.falls_on(day)
    {
        return Err(Error::not_found("occurrence"));
    }
    let before = ChainDraft::of(&row, split.unwrap_or(row.first_date))?;
    let after = before.clone().patched(&patch)?;
    admit(&mut tx, actor, &after).await?;
    let check = after.moves(&before) && !patch.override_conflicts;
    let Some(day) = split else {
        let skipped = row.exceptions.iter().map(|e| e.day).collect();
        let warnings = if check {
            check_conflicts(&mut tx, company_id, &after, &skipped, Some(row.id)).await?
        } else {
            Vec::new()
        };
        let updated = ChainRow {
            exceptions: row.exceptions.clone(),
            ..update(&mut tx, &row, &after).await?
        };
        let shown = tail::record(&mut tx, actor, ChainChange::Updated, &updated).await?;
        tx.commit().await?;
        return Ok(ShiftChain { warnings, ..shown });
    };
    let ended = end(&mut tx, &row, day.yesterday().ok()).await?;
    let made = insert(&mut tx, actor, &after).await?;
    sqlx::query(
        "UPDATE shift_chain_exceptions SET chain_id = $3 WHERE company_id = $1 AND chain_id = $2 AND day >= $4",
    )
    .bind(company_id)
    .bind(row.id)
    .bind(made.id)
    .bind(day.to_string())
    .execute(&mut *tx)
    .await?;
    let ended = reload(&mut tx, company_id, ended.id).await?;
    let made = reload(&mut tx, company_id, made.id).await?;
    let warnings = if check {
        let skipped = made.exceptions.iter().map(|e| e.day).collect();
        check_conflicts(&mut tx, company_id, &after, &skipped, Some(made.id)).await?
    } else {
        Vec::new()
    };
    tail::record(&mut tx, actor, ChainChange::Updated, &ended).await?;
    let shown = tail::record(&mut tx, actor, ChainChange::Created, &made).await?;
    tx.commit().await?;
    Ok(ShiftChain { warnings, ..shown })
}

/// Deletes chain `id` from `from` on ("this and following": it ends the day before), or
/// whole. Shifts detached from it stay.
pub async fn delete(db: &Db, actor: &Actor, id: i64, from: Option<&str>) -> Result<()> {
    scheduling(actor)?;
    let from = validate::optional_date("from", from)?;
    let mut tx = db.begin_write().await?;
    let row = managed(&mut tx, actor, id).await?;
    match from.filter(|&day| day > row.first_date) {
        Some(day) => {
            let ended = end(&mut tx, &row, day.yesterday().ok()).await?;
            tail::record(&mut tx, actor, ChainChange::Updated, &ended).await?;
        }
        None => {
            let deleted = end(&mut tx, &row, None).await?;
            tail::record(&mut tx, actor, ChainChange::Deleted, &deleted).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the occurrence of chain `id` on `date` alone ("this one").
pub async fn delete_occurrence(db: &Db, actor: &Actor, id: i64, date: &str) -> Result<()> {
    scheduling(actor)?;
    let day = validate::date("date", date)?;
    let mut tx = db.begin_write().await?;
    let row = managed(&mut tx, actor, id).await?;
    row.occurrence_on(day)?;
    except(&mut tx, &row, day, None).await?;
    let row = reload(&mut tx, actor.company_id, id).await?;
    tail::record(&mut tx, actor, ChainChange::Updated, &row).await?;
    tx.commit().await?;
    Ok(())
}

/// Edits the occurrence of chain `id` on `date` alone ("this one"): it becomes a stored
/// shift of its own, detached from the chain (which keeps the day as an exception naming
/// it), checked as any shift edit.
pub async fn edit_occurrence(
    db: &Db,
    actor: &Actor,
    id: i64,
    date: &str,
    patch: ShiftPatch,
) -> Result<Shift> {
    scheduling(actor)?;
    let day = validate::date("date", date)?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let row = managed(&mut tx, actor, id).await?;
    let occurrence = row.occurrence_on(day)?;
    let was = row.shift(&occurrence);
    let draft = was.clone().patched(&patch)?;
    locks::lock(&mut tx, company_id, draft.user_id.map(Owner::User)).await?;
    draft.check_references(&mut tx, company_id).await?;
    let holders = Holders::load(&mut tx, company_id, draft.user_id).await?;
    if !holders.may(actor, Action::ManageShift, draft.user_id, draft.published) {
        return Err(Error::forbidden(
            "you may not schedule shifts for this user",
        ));
    }
    // Out of the chain first, so that the shift it becomes is not checked against itself.
    except(&mut tx, &row, day, None).await?;
    let zones = Zones::load(&mut tx, company_id).await?;
    let settings = settings::load(&mut *tx, company_id).await?;
    let warnings = if draft.moves(&was) && !patch.override_conflicts {
        conflicts::check(&mut tx, company_id, &draft, None, (&zones, &settings)).await?
    } else {
        Vec::new()
    };
    let made = draft.insert(&mut tx, actor).await?;
    sqlx::query(
        "UPDATE shift_chain_exceptions SET shift_id = $4 WHERE company_id = $1 AND chain_id = $2 AND day = $3",
    )
    .bind(company_id)
    .bind(row.id)
    .bind(day.to_string())
    .bind(made.id)
    .execute(&mut *tx)
    .await?;
    let shown = shift_tail::record(&mut tx, actor, Change::Detached, None, &made, &zones).await?;
    let row = reload(&mut tx, company_id, id).await?;
    tail::record(&mut tx, actor, ChainChange::Updated, &row).await?;
    tx.commit().await?;
    Ok(Shift { warnings, ..shown })
}
