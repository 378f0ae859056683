//! The organisation a company describes its people with: departments, regions, locations,
//! sites, positions and tags. Each is an [`OrgItem`]; the operations on them are written
//! once here, generically, and each item's module says only what is its own.

mod department;
mod location;
mod position;
mod region;
mod site;
mod tag;

pub use department::{Department, DepartmentInput};
pub use location::{Location, LocationInput};
pub use position::{Position, PositionInput};
pub use region::{Region, RegionInput};
pub use site::{Site, SiteInput};
pub use tag::{Tag, TagInput};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, FromRow, Row};

use crate::access::audit::{AuditAction, ItemChange};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code, on_unique};
use crate::locks;
use crate::paging::Page;
use crate::policy::{Action, Actor, Target, may};

/// The kinds of organisation item, with the table each lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Department,
    Region,
    Location,
    Site,
    Position,
    Tag,
    LeaveType,
    Annotation,
    CompanyHoliday,
}

impl Kind {
    pub fn table(self) -> &'static str {
        match self {
            Kind::Department => "departments",
            Kind::Region => "regions",
            Kind::Location => "locations",
            Kind::Site => "sites",
            Kind::Position => "positions",
            Kind::Tag => "tags",
            Kind::LeaveType => "leave_types",
            Kind::Annotation => "annotations",
            Kind::CompanyHoliday => "company_holidays",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Department => "department",
            Kind::Region => "region",
            Kind::Location => "location",
            Kind::Site => "site",
            Kind::Position => "position",
            Kind::Tag => "tag",
            Kind::LeaveType => "leave type",
            Kind::Annotation => "annotation",
            Kind::CompanyHoliday => "company holiday",
        }
    }

    /// What refers to an item of this kind, and how forced removal clears it. Every table
    /// with a foreign key to the item's table is counted here, so that a delete never
    /// reaches the database's own check (which would be a 500).
    fn references(self) -> Option<References> {
        Some(match self {
            Kind::Department => References {
                count: "SELECT (SELECT COUNT(*) FROM users WHERE company_id = $1 AND department_id = $2) \
                        + (SELECT COUNT(*) FROM annotations WHERE company_id = $1 AND department_id = $2)",
                kept: None,
                detach: &[
                    "UPDATE users SET department_id = NULL WHERE company_id = $1 AND department_id = $2",
                    "DELETE FROM annotations WHERE company_id = $1 AND department_id = $2",
                ],
            },
            Kind::Region => References {
                count: "SELECT COUNT(*) FROM users WHERE company_id = $1 AND region_id = $2",
                kept: None,
                detach: &[
                    "UPDATE users SET region_id = NULL WHERE company_id = $1 AND region_id = $2",
                ],
            },
            // Time entries keep the location, position and site they were worked at: an
            // item they name cannot go even by force.
            Kind::Location => References {
                count: "SELECT (SELECT COUNT(*) FROM user_locations WHERE company_id = $1 AND location_id = $2) \
                        + (SELECT COUNT(*) FROM sites WHERE company_id = $1 AND location_id = $2) \
                        + (SELECT COUNT(*) FROM annotations WHERE company_id = $1 AND location_id = $2) \
                        + (SELECT COUNT(*) FROM time_entries WHERE company_id = $1 AND (location_id = $2 OR site_id IN \
                           (SELECT id FROM sites WHERE company_id = $1 AND location_id = $2)))",
                kept: Some(
                    "SELECT COUNT(*) FROM time_entries WHERE company_id = $1 AND (location_id = $2 OR site_id IN \
                     (SELECT id FROM sites WHERE company_id = $1 AND location_id = $2))",
                ),
                detach: &[
                    "DELETE FROM user_locations WHERE company_id = $1 AND location_id = $2",
                    "DELETE FROM sites WHERE company_id = $1 AND location_id = $2",
                    "DELETE FROM annotations WHERE company_id = $1 AND location_id = $2",
                ],
            },
            Kind::Site => References {
                count: "SELECT COUNT(*) FROM time_entries WHERE company_id = $1 AND site_id = $2",
                kept: Some(
                    "SELECT COUNT(*) FROM time_entries WHERE company_id = $1 AND site_id = $2",
                ),
                detach: &[],
            },
            Kind::Annotation | Kind::CompanyHoliday => return None,
            // Allowances (opened for every deducting type as soon as anyone's balances are
            // read) and their adjustments refer to a type as well as requests do. Requests
            // keep their type for ever: a type with any cannot go even by force, and is
            // switched off (is_active) instead; one with only allowances goes with them.
            Kind::LeaveType => References {
                count: "SELECT (SELECT COUNT(*) FROM leave_requests WHERE company_id = $1 AND leave_type_id = $2) \
                        + (SELECT COUNT(*) FROM allowances WHERE company_id = $1 AND leave_type_id = $2) \
                        + (SELECT COUNT(*) FROM allowance_adjustments WHERE company_id = $1 AND allowance_id IN \
                           (SELECT id FROM allowances WHERE company_id = $1 AND leave_type_id = $2))",
                kept: Some(
                    "SELECT COUNT(*) FROM leave_requests WHERE company_id = $1 AND (leave_type_id = $2 OR allowance_id IN \
                     (SELECT id FROM allowances WHERE company_id = $1 AND leave_type_id = $2))",
                ),
                detach: &[
                    "DELETE FROM allowance_adjustments WHERE company_id = $1 AND allowance_id IN \
                     (SELECT id FROM allowances WHERE company_id = $1 AND leave_type_id = $2)",
                    "DELETE FROM allowances WHERE company_id = $1 AND leave_type_id = $2",
                ],
            },
            Kind::Position => References {
                count: "SELECT (SELECT COUNT(*) FROM user_positions WHERE company_id = $1 AND position_id = $2) \
                        + (SELECT COUNT(*) FROM time_entries WHERE company_id = $1 AND position_id = $2)",
                kept: Some(
                    "SELECT COUNT(*) FROM time_entries WHERE company_id = $1 AND position_id = $2",
                ),
                detach: &["DELETE FROM user_positions WHERE company_id = $1 AND position_id = $2"],
            },
            Kind::Tag => References {
                count: "SELECT COUNT(*) FROM user_tags WHERE company_id = $1 AND tag_id = $2",
                kept: None,
                detach: &["DELETE FROM user_tags WHERE company_id = $1 AND tag_id = $2"],
            },
        })
    }
}

/// The rows that refer to an item, each statement bound to `$1` company and `$2` item.
struct References {
    /// Counts every reference.
    count: &'static str,
    /// Counts the references forced removal may not clear (a leave type is then switched
    /// off instead; a location, position or site time entries name stays); `None` when
    /// `detach` clears them all.
    kept: Option<&'static str>,
    /// Clears the references, in order, before a forced delete.
    detach: &'static [&'static str],
}

/// One kind of organisation item: how it is read, built from input, and written.
pub trait OrgItem:
    for<'r> FromRow<'r, AnyRow> + Serialize + Send + Unpin + Sized + 'static
{
    const KIND: Kind;
    /// The writable columns, in the order [`OrgItem::bind`] binds them.
    const COLUMNS: &'static [&'static str];
    /// The create and update body; on update absent fields stay as they are.
    type Input: DeserializeOwned + Send;

    /// A new item from a create body (required fields checked here).
    fn create(company_id: i64, input: &Self::Input) -> Result<Self>;
    /// Applies an update body.
    fn apply(&mut self, input: &Self::Input) -> Result<()>;
    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments>;
    fn id(&self) -> i64;
    fn set_id(&mut self, id: i64);
    fn touch(&mut self, now: i64);

    /// Ids of other items this one refers to, checked to belong to the company.
    fn references(&self) -> Vec<(Kind, Option<i64>, &'static str)> {
        Vec::new()
    }
    /// The field whose value must be unique in the company.
    fn unique_field() -> &'static str {
        "name"
    }
    /// Users this item refers to (a department's manager), checked likewise.
    fn user_references(&self) -> Vec<(Option<i64>, &'static str)> {
        Vec::new()
    }
}

fn select<T: OrgItem>() -> String {
    format!(
        "SELECT id, company_id, {}, created_at, updated_at FROM {}",
        T::COLUMNS.join(", "),
        T::KIND.table()
    )
}

/// Fails with 404 on `field` unless `id` (when given) names an item of `kind` in the company.
pub(crate) async fn ensure_exists(
    tx: &mut Tx,
    kind: Kind,
    company_id: i64,
    id: Option<i64>,
    field: &'static str,
) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT id FROM {} WHERE company_id = $1 AND id = $2{}",
        kind.table(),
        locks::for_reference(tx)
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    found
        .map(|_| ())
        .ok_or(Error::unknown_reference(kind.noun(), field))
}

fn authorize(actor: &Actor, action: Action) -> Result<()> {
    if may(actor, action, Target::Company(actor.company_id)) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only a super user may change the organisation",
        ))
    }
}

pub async fn list<T: OrgItem>(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<T>> {
    authorize(actor, Action::ViewOrganisation)?;
    let scope = T::KIND.table();
    let page = db.page(scope, limit, cursor).await?;
    let rows: Vec<T> = sqlx::query_as(AssertSqlSafe(format!(
        "{} WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        select::<T>()
    )))
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, T::id))
}

async fn load<T: OrgItem>(conn: &mut sqlx::AnyConnection, company_id: i64, id: i64) -> Result<T> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{} WHERE company_id = $1 AND id = $2",
        select::<T>()
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::not_found(T::KIND.noun()))
}

/// The names of the items `wanted` names (of kinds whose table has a `name`), by kind
/// and id, in one statement whatever the kinds: what a list of people shows beside each
/// person. Ids of nothing in the company are left out.
pub(crate) async fn names(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    wanted: &[(Kind, Vec<i64>)],
) -> Result<std::collections::HashMap<(Kind, i64), String>> {
    let mut selects = Vec::new();
    let mut next = 2;
    for (index, (kind, ids)) in wanted.iter().enumerate() {
        if ids.is_empty() {
            continue;
        }
        selects.push(format!(
            "SELECT CAST({index} AS BIGINT) AS kind, id, name FROM {} WHERE company_id = $1 AND id IN ({})",
            kind.table(),
            crate::sql::placeholders(next, ids.len())
        ));
        next += ids.len();
    }
    if selects.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let query = sqlx::query_as::<_, (i64, i64, String)>(AssertSqlSafe(selects.join(" UNION ALL ")))
        .bind(company_id);
    let rows = wanted
        .iter()
        .flat_map(|(_, ids)| ids)
        .fold(query, |query, id| query.bind(*id))
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(index, id, name)| {
            let (kind, _) = wanted.get(usize::try_from(index).ok()?)?;
            Some(((*kind, id), name))
        })
        .collect())
}

pub async fn get<T: OrgItem>(db: &Db, actor: &Actor, id: i64) -> Result<T> {
    authorize(actor, Action::ViewOrganisation)?;
    let mut conn = db.pool().acquire().await?;
    load(&mut conn, actor.company_id, id).await
}

async fn check_references<T: OrgItem>(tx: &mut Tx, company_id: i64, item: &T) -> Result<()> {
    for (kind, id, field) in item.references() {
        ensure_exists(tx, kind, company_id, id, field).await?;
    }
    for (id, field) in item.user_references() {
        if let Some(id) = id {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE company_id = $1 AND id = $2")
                    .bind(company_id)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?;
            found.ok_or(Error::unknown_reference("user", field))?;
        }
    }
    Ok(())
}

pub async fn create<T: OrgItem>(db: &Db, actor: &Actor, input: T::Input) -> Result<T> {
    authorize(actor, Action::ManageOrganisation)?;
    let mut item = T::create(actor.company_id, &input)?;
    item.touch(now());
    let mut tx = db.begin_write().await?;
    check_references(&mut tx, actor.company_id, &item).await?;
    let id = insert(&mut tx, actor.company_id, &item).await?;
    item.set_id(id);
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::Item(T::KIND, ItemChange::Created),
        Some((T::KIND.table(), id)),
        serde_json::to_value(&item).unwrap_or_default(),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// Inserts an item and returns its id.
pub(crate) async fn insert<T: OrgItem>(tx: &mut Tx, company_id: i64, item: &T) -> Result<i64> {
    let columns = T::COLUMNS;
    let sql = format!(
        "INSERT INTO {} (company_id, {}, created_at, updated_at) VALUES ($1, {}, ${}, ${}) RETURNING id",
        T::KIND.table(),
        columns.join(", "),
        crate::sql::placeholders(2, columns.len()),
        columns.len() + 2,
        columns.len() + 3,
    );
    let stamp = now();
    let row = item
        .bind(sqlx::query(AssertSqlSafe(sql)).bind(company_id))
        .bind(stamp)
        .bind(stamp)
        .fetch_one(&mut **tx)
        .await
        .map_err(on_unique(T::unique_field(), T::KIND.noun()))?;
    Ok(row.try_get(0)?)
}

pub async fn update<T: OrgItem>(db: &Db, actor: &Actor, id: i64, input: T::Input) -> Result<T> {
    authorize(actor, Action::ManageOrganisation)?;
    let mut tx = db.begin_write().await?;
    let mut item: T = load(&mut tx, actor.company_id, id).await?;
    item.apply(&input)?;
    item.touch(now());
    check_references(&mut tx, actor.company_id, &item).await?;
    let columns = T::COLUMNS;
    let assignments: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE {} SET {}, updated_at = ${} WHERE company_id = ${} AND id = ${}",
        T::KIND.table(),
        assignments.join(", "),
        columns.len() + 1,
        columns.len() + 2,
        columns.len() + 3,
    );
    item.bind(sqlx::query(AssertSqlSafe(sql)))
        .bind(now())
        .bind(actor.company_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(on_unique(T::unique_field(), T::KIND.noun()))?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::Item(T::KIND, ItemChange::Updated),
        Some((T::KIND.table(), id)),
        serde_json::to_value(&item).unwrap_or_default(),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// Deletes an item. While anything refers to it the answer is 409 `in_use`, unless
/// `force` is set, which first detaches what refers to it (WhosOff's `force_removal`).
pub async fn delete<T: OrgItem>(db: &Db, actor: &Actor, id: i64, force: bool) -> Result<()> {
    authorize(actor, Action::ManageOrganisation)?;
    let kind = T::KIND;
    let mut tx = db.begin_write().await?;
    // Held until the row is gone: whoever is writing a reference to it is waited for, and
    // whoever comes after finds it gone, so the count below misses no reference.
    let held: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT id FROM {} WHERE company_id = $1 AND id = $2{}",
        kind.table(),
        locks::for_delete(&tx)
    )))
    .bind(actor.company_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if held.is_none() {
        return Err(Error::not_found(kind.noun()));
    }
    if let Some(references) = kind.references() {
        let count = |sql: &'static str| {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(actor.company_id)
                .bind(id)
        };
        let in_use = count(references.count).fetch_one(&mut *tx).await?;
        let kept = match references.kept {
            Some(sql) => count(sql).fetch_one(&mut *tx).await?,
            None => 0,
        };
        if in_use > 0 && (!force || kept > 0) {
            return Err(Error::conflict(
                code::IN_USE,
                None,
                if kind == Kind::LeaveType && kept > 0 {
                    format!(
                        "this {} is in use ({in_use} references, {kept} of them by leave requests, which keep it); switch it off instead",
                        kind.noun()
                    )
                } else if kept > 0 {
                    format!(
                        "this {} is in use ({in_use} references, {kept} of them by time entries, which keep it)",
                        kind.noun()
                    )
                } else {
                    format!(
                        "this {} is in use ({in_use} references); delete with force=true to remove them",
                        kind.noun()
                    )
                },
            ));
        }
        for statement in references.detach {
            sqlx::query(*statement)
                .bind(actor.company_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM {} WHERE company_id = $1 AND id = $2",
        kind.table()
    )))
    .bind(actor.company_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::Item(kind, ItemChange::Deleted),
        Some((kind.table(), id)),
        serde_json::json!({"force": force}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ids of the active users who carry a tag, in pages.
pub async fn tag_users(
    db: &Db,
    actor: &Actor,
    tag_id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<i64>> {
    get::<Tag>(db, actor, tag_id).await?;
    let page = db.page("tag-users", limit, cursor).await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT t.user_id FROM user_tags t JOIN users u ON u.company_id = t.company_id AND u.id = t.user_id \
         WHERE t.company_id = $1 AND t.tag_id = $2 AND u.status <> 'archived' AND t.user_id > $3 ORDER BY t.user_id LIMIT $4",
    )
    .bind(actor.company_id)
    .bind(tag_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(ids, |id| *id))
}
