//! Shift templates kept: everyone in the company reads them; who builds the schedule
//! (approvers, super users) makes, replaces and deletes them. Each change is audited
//! and announced (`shift_template.*`).

use serde_json::json;

use super::super::daily_breaks::clock;
use super::{Checked, SELECT, ShiftTemplate, ShiftTemplateInput, TemplateRow, with_breaks};
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::org::{Kind, ensure_exists};
use crate::paging::Page;
use crate::policy::{Action, Actor, Target, may};
use crate::schedule::create::scheduling;
use crate::webhooks::events::Event;

fn reading(actor: &Actor) -> Result<()> {
    if may(
        actor,
        Action::ViewCompany,
        Target::Company(actor.company_id),
    ) {
        Ok(())
    } else {
        Err(Error::forbidden("you may not view this company"))
    }
}

/// Template `id` of the company, with its breaks.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<TemplateRow> {
    let row: TemplateRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::not_found("shift template"))?;
    with_breaks(conn, company_id, vec![row])
        .await?
        .pop()
        .ok_or(Error::not_found("shift template"))
}

pub async fn list(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<ShiftTemplate>> {
    reading(actor)?;
    let page = db.page("shift-templates", limit, cursor).await?;
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<TemplateRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )))
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let rows = page.finish(rows, |r| r.id);
    let data = with_breaks(&mut conn, actor.company_id, rows.data).await?;
    Ok(Page {
        data: data
            .iter()
            .map(TemplateRow::render)
            .collect::<Result<_>>()?,
        next_cursor: rows.next_cursor,
    })
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<ShiftTemplate> {
    reading(actor)?;
    let mut conn = db.pool().acquire().await?;
    load(&mut conn, actor.company_id, id).await?.render()
}

pub async fn create(db: &Db, actor: &Actor, input: ShiftTemplateInput) -> Result<ShiftTemplate> {
    scheduling(actor)?;
    let checked = input.check()?;
    let mut tx = db.begin_write().await?;
    references(&mut tx, actor.company_id, &checked).await?;
    let stamp = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO shift_templates (company_id, name, start_time, end_time, location_id, position_id, site_id, \
         colour, notes, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(actor.company_id)
    .bind(&checked.name)
    .bind(clock(checked.start))
    .bind(clock(checked.end))
    .bind(checked.location_id)
    .bind(checked.position_id)
    .bind(checked.site_id)
    .bind(&checked.colour)
    .bind(&checked.notes)
    .bind(actor.user_id)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    write_breaks(&mut tx, actor.company_id, id, &checked).await?;
    let shown = finish(&mut tx, actor, id, Change::Created).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Replaces every field of template `id`; shifts made from it before keep theirs.
pub async fn replace(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: ShiftTemplateInput,
) -> Result<ShiftTemplate> {
    scheduling(actor)?;
    let checked = input.check()?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    load(&mut tx, company_id, id).await?;
    references(&mut tx, company_id, &checked).await?;
    sqlx::query(
        "UPDATE shift_templates SET name = $3, start_time = $4, end_time = $5, location_id = $6, position_id = $7, \
         site_id = $8, colour = $9, notes = $10, updated_at = $11 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(&checked.name)
    .bind(clock(checked.start))
    .bind(clock(checked.end))
    .bind(checked.location_id)
    .bind(checked.position_id)
    .bind(checked.site_id)
    .bind(&checked.colour)
    .bind(&checked.notes)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    delete_breaks(&mut tx, company_id, id).await?;
    write_breaks(&mut tx, company_id, id, &checked).await?;
    let shown = finish(&mut tx, actor, id, Change::Updated).await?;
    tx.commit().await?;
    Ok(shown)
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    scheduling(actor)?;
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    let shown = load(&mut tx, company_id, id).await?.render()?;
    delete_breaks(&mut tx, company_id, id).await?;
    sqlx::query("DELETE FROM shift_templates WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, actor, &shown, Change::Deleted).await?;
    tx.commit().await?;
    Ok(())
}

/// Fails with 404 on the field unless each reference names one of the company's own.
async fn references(tx: &mut Tx, company_id: i64, checked: &Checked) -> Result<()> {
    for (kind, id, field) in [
        (Kind::Location, checked.location_id, "location_id"),
        (Kind::Position, checked.position_id, "position_id"),
        (Kind::Site, checked.site_id, "site_id"),
    ] {
        ensure_exists(tx, kind, company_id, id, field).await?;
    }
    Ok(())
}

async fn delete_breaks(tx: &mut Tx, company_id: i64, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM shift_template_breaks WHERE company_id = $1 AND template_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn write_breaks(tx: &mut Tx, company_id: i64, id: i64, checked: &Checked) -> Result<()> {
    for (sort, b) in checked.breaks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO shift_template_breaks (company_id, template_id, sort, length_minutes, paid, start_time) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(company_id)
        .bind(id)
        .bind(sort as i64)
        .bind(b.length_minutes)
        .bind(i64::from(b.paid))
        .bind(b.at.map(clock))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Created,
    Updated,
    Deleted,
}

async fn finish(tx: &mut Tx, actor: &Actor, id: i64, change: Change) -> Result<ShiftTemplate> {
    let shown = load(tx, actor.company_id, id).await?.render()?;
    record(tx, actor, &shown, change).await?;
    Ok(shown)
}

/// The audit entry and webhook event of `change` to `template`.
async fn record(
    tx: &mut Tx,
    actor: &Actor,
    template: &ShiftTemplate,
    change: Change,
) -> Result<()> {
    let (action, event) = match change {
        Change::Created => (
            AuditAction::ShiftTemplateCreated,
            Event::ShiftTemplateCreated,
        ),
        Change::Updated => (
            AuditAction::ShiftTemplateUpdated,
            Event::ShiftTemplateUpdated,
        ),
        Change::Deleted => (
            AuditAction::ShiftTemplateDeleted,
            Event::ShiftTemplateDeleted,
        ),
    };
    audit::record_by(
        tx,
        actor,
        action,
        Some(("shift_template", template.id)),
        json!({"name": template.name}),
    )
    .await?;
    let data = serde_json::to_value(template).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(tx, actor.company_id, event, data).await
}
