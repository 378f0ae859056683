//! The user operations: each checks [`may`] and writes in one transaction.

use serde_json::json;
use sqlx::{AssertSqlSafe, FromRow};

use crate::access::audit;
use crate::access::audit::AuditAction;
use crate::auth;
use crate::company::{self, Company};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::leave::allowance::{self, NewUserOpening};
use crate::org;
use crate::paging::Page;
use crate::people::model::{LastLogin, User, UserInput};
use crate::people::password::PasswordChange;
use crate::people::record::{SELECT, UserRecord};
use crate::people::types::{UserStatus, UserType};
use crate::people::view::{self, Detail, facts};
use crate::policy::{
    self, Action, Actor, ColleagueVisibility, FieldClass, Reach, Target, may, reach,
};
use crate::secret::{self, Secret};
use crate::sql::{Binds, like_escape};
use crate::webhooks::events::Event;

/// Filters for listing users.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub department_id: Option<i64>,
    pub region_id: Option<i64>,
    pub location_id: Option<i64>,
    pub tag_id: Option<i64>,
    /// One user, by id.
    pub user_id: Option<i64>,
    /// Absent: active and pending users (and archived ones too with `include_archived`).
    pub status: Option<UserStatus>,
    /// With no `status`, every user whatever their status.
    pub include_archived: bool,
    pub user_type_id: Option<UserType>,
    /// Case-insensitive prefix of the last name.
    pub last_name: Option<String>,
    /// Case-insensitive text found in a name, e-mail or staff code.
    pub q: Option<String>,
    /// One user, by their whole e-mail address (any case).
    pub email: Option<String>,
    /// Only users the actor approves for (my staff).
    pub approved_by: Option<i64>,
}

/// An approver as `GET /users/approvers` lists them (the WhosOff get-approvers fields).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema, FromRow)]
pub struct ApproverSummary {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub user_type_id: i64,
    pub email: String,
}

pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    id: i64,
) -> Result<Option<UserRecord>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Those of `ids` in the company that `actor` may `action` (and see), read in one query
/// per 500; ids of nobody in the company are left out.
pub(crate) async fn records_for(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    company: &Company,
    ids: &[i64],
    action: Action,
) -> Result<Vec<UserRecord>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let query = sqlx::query_as::<_, UserRecord>(AssertSqlSafe(format!(
            "{SELECT} WHERE company_id = $1 AND id IN ({})",
            crate::sql::placeholders(2, chunk.len())
        )))
        .bind(company.id);
        let records: Vec<UserRecord> = chunk
            .iter()
            .fold(query, |query, id| query.bind(*id))
            .fetch_all(&mut *conn)
            .await?;
        found.extend(records.into_iter().filter(|record| {
            let facts = facts(record, company.owner_id);
            may(actor, Action::ViewUser, Target::User(&facts))
                && may(actor, action, Target::User(&facts))
        }));
    }
    Ok(found)
}

/// The first and last names of those of `ids` the actor may see, by id, in one read: for
/// a face that names the approvers and notifiers of a list of people.
pub async fn names(
    db: &Db,
    actor: &Actor,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, (String, String)>> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    Ok(
        records_for(&mut conn, actor, &company, ids, Action::ViewUser)
            .await?
            .into_iter()
            .map(|record| (record.id, (record.first_name, record.last_name)))
            .collect(),
    )
}

/// What the actor may do to each of `ids` they may see ([`policy::capabilities`]), by id,
/// in one read: the web app shows a person's buttons (approve, decline) from this.
pub async fn capabilities(
    db: &Db,
    actor: &Actor,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, policy::Capabilities>> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    Ok(
        records_for(&mut conn, actor, &company, ids, Action::ViewUser)
            .await?
            .into_iter()
            .map(|record| {
                let facts = facts(&record, company.owner_id);
                (record.id, policy::capabilities(actor, Target::User(&facts)))
            })
            .collect(),
    )
}

/// Loads a user the actor may see, or 404 as if absent; then checks `action` (403).
pub(crate) async fn load_for(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    company: &Company,
    id: i64,
    action: Action,
) -> Result<UserRecord> {
    let record = load(tx, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("user"))?;
    let facts = facts(&record, company.owner_id);
    if !may(actor, Action::ViewUser, Target::User(&facts)) {
        return Err(Error::not_found("user"));
    }
    if !may(actor, action, Target::User(&facts)) {
        return Err(Error::forbidden("you may not do this to this user"));
    }
    Ok(record)
}

async fn render_one(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    company: &Company,
    record: UserRecord,
) -> Result<User> {
    let facts = facts(&record, company.owner_id);
    let detail = view::detail_for(actor, &facts);
    let mut memberships = view::memberships(conn, record.company_id, &[record.id]).await?;
    let logins = if detail == Detail::Full {
        Some(last_logins(conn, record.company_id, record.id).await?)
    } else {
        None
    };
    let membership = memberships.remove(&record.id).unwrap_or_default();
    view::render(record, membership, detail, company.owner_id, logins)
}

#[derive(FromRow)]
struct LoginRow {
    at: i64,
    device: Option<String>,
}

async fn last_logins(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    user_id: i64,
) -> Result<Vec<LastLogin>> {
    let rows: Vec<LoginRow> = sqlx::query_as(
        "SELECT at, device FROM login_attempts WHERE company_id = $1 AND user_id = $2 AND succeeded = 1 ORDER BY at DESC, id DESC LIMIT 5",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LastLogin {
            login_date: crate::time::rfc3339(r.at),
            device: r.device,
        })
        .collect())
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<User> {
    let mut conn = db.pool().acquire().await?;
    let company = company::load(&mut *conn, actor.company_id).await?;
    let record = load(&mut conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("user"))?;
    if !may(
        actor,
        Action::ViewUser,
        Target::User(&facts(&record, company.owner_id)),
    ) {
        return Err(Error::not_found("user"));
    }
    render_one(&mut conn, actor, &company, record).await
}

pub async fn create(db: &Db, actor: &Actor, input: UserInput) -> Result<User> {
    create_with_allowances(db, actor, input, &[]).await
}

/// Creates a user with the opening entitlement of their Holiday allowance in the given
/// leave years (WhosOff's `user/create` with `allowances`), in one transaction.
pub async fn create_with_allowances(
    db: &Db,
    actor: &Actor,
    input: UserInput,
    openings: &[NewUserOpening],
) -> Result<User> {
    let company = company::load(db.pool(), actor.company_id).await?;
    if !may(actor, Action::CreateUser, Target::Company(actor.company_id)) {
        return Err(Error::forbidden("only a super user may create users"));
    }
    if input.current_password.is_some() {
        return Err(Error::invalid(
            "current_password",
            "current_password goes only with password, when changing your own",
        ));
    }
    let email = input
        .email
        .clone()
        .ok_or_else(|| Error::invalid("email", "email is required"))?;
    let first = input
        .first_name
        .clone()
        .ok_or_else(|| Error::invalid("first_name", "first_name is required"))?;
    let last = input
        .last_name
        .clone()
        .ok_or_else(|| Error::invalid("last_name", "last_name is required"))?;
    let mut record = UserRecord::new(company.id, email, first, last, now());
    record.holiday_country = company.holiday_country.clone();
    if input.password.is_none() {
        // Without a password nobody can sign in yet: the user waits to be invited.
        record.status = UserStatus::Pending.as_str().to_owned();
    }
    input.apply_to(&mut record)?;
    let password_hash =
        hash_new_password(&company, input.password.as_ref().map(Secret::expose)).await?;
    if password_hash.is_some() {
        record.password_hash = password_hash;
    }
    let mut tx = db.begin_write().await?;
    check_references(&mut tx, &company, &record, &input).await?;
    record.id = record.insert(&mut tx).await?;
    write_memberships(&mut tx, &record, &input).await?;
    allowance::open_for_new_user(&mut tx, actor, &company, &record, openings).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserCreated,
        Some(("user", record.id)),
        json!({"email": record.email, "user_type_id": record.user_type_id, "fields": changed_fields(&input)}),
    )
    .await?;
    if record.password_hash.is_none() {
        // Created without a password: mailed a link to set their own.
        auth::link::invite_new(&mut tx, actor, &company, &record).await?;
    }
    announce(&mut tx, &record, Event::UserCreated).await?;
    tx.commit().await?;
    tracing::info!(
        company.id = company.id,
        user.id = record.id,
        actor.id = actor.user_id,
        "user created"
    );
    let mut conn = db.pool().acquire().await?;
    render_one(&mut conn, actor, &company, record).await
}

async fn hash_new_password(company: &Company, password: Option<&str>) -> Result<Option<String>> {
    match password {
        Some(password) => {
            company.settings.check_password("password", password)?;
            Ok(Some(secret::hash_password(password).await?))
        }
        None => Ok(None),
    }
}

/// Loads a user the actor may see (404 otherwise) and may change as `class` says (403
/// naming the first field of that class otherwise).
pub(super) async fn may_edit(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    company: &Company,
    id: i64,
    class: FieldClass,
    input: &UserInput,
) -> Result<(UserRecord, crate::policy::UserFacts)> {
    let record = load_for(conn, actor, company, id, Action::ViewUser).await?;
    let facts = facts(&record, company.owner_id);
    if !may(actor, Action::EditUser(class), Target::User(&facts)) {
        let field = input
            .present_fields()
            .into_iter()
            .find(|(_, c)| *c == class)
            .map(|(name, _)| name)
            .unwrap_or("user");
        return Err(Error::Forbidden {
            code: crate::error::code::FORBIDDEN,
            message: format!("you may not change {field} of this user").into(),
        });
    }
    Ok((record, facts))
}

pub async fn update(db: &Db, actor: &Actor, id: i64, input: UserInput) -> Result<User> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let class = input
        .present_fields()
        .into_iter()
        .map(|(name, class)| {
            // Setting someone else's password is a reset: a super user's business.
            if name == "password" && id != actor.user_id {
                FieldClass::Privileged
            } else {
                class
            }
        })
        .max()
        .unwrap_or(FieldClass::SelfService);
    let change = input.password_change(actor.user_id, id)?;
    // Permission before the password policy: who may not set this password learns nothing
    // of the rules it would have to meet. Checked on a plain read here, as argon2 runs
    // before the transaction (tens of milliseconds, and it holds no lock), and again in it.
    // So is the current password, which a user changing their own must give.
    if change != PasswordChange::None {
        let mut conn = db.pool().acquire().await?;
        let (record, _) = may_edit(&mut conn, actor, &company, id, class, &input).await?;
        if let PasswordChange::Own { current, .. } = change {
            auth::check_current_password(db, &record, &company.settings, actor.origin, current)
                .await?;
        }
    }
    let password_hash =
        hash_new_password(&company, input.password.as_ref().map(Secret::expose)).await?;
    let mut tx = db.begin_write().await?;
    let (mut record, facts) = may_edit(&mut tx, actor, &company, id, class, &input).await?;
    input.apply_to(&mut record)?;
    if facts.is_owner && !policy::owner_may_be(record.user_type()?, record.status()?) {
        return Err(Error::conflict(
            crate::error::code::CONFLICT,
            Some("user_type_id"),
            "the company owner stays an active super user",
        ));
    }
    if let Some(hash) = password_hash {
        record.password_hash = Some(hash);
        // Whoever the old password let in is out: all of the user's sessions end, but
        // the one through which they changed their own.
        let keep = match change {
            PasswordChange::Own { .. } => actor.origin.session_id,
            _ => None,
        };
        auth::end_sessions(&mut tx, company.id, id, keep).await?;
    }
    record.updated_at = now();
    check_references(&mut tx, &company, &record, &input).await?;
    record.update(&mut tx).await?;
    write_memberships(&mut tx, &record, &input).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserUpdated,
        Some(("user", record.id)),
        json!({"fields": changed_fields(&input)}),
    )
    .await?;
    announce(&mut tx, &record, Event::UserUpdated).await?;
    tx.commit().await?;
    let mut conn = db.pool().acquire().await?;
    render_one(&mut conn, actor, &company, record).await
}

/// Every id the record or input names must belong to this company: otherwise 404 on that
/// field, exactly as if it did not exist.
async fn check_references(
    tx: &mut Tx,
    company: &Company,
    record: &UserRecord,
    input: &UserInput,
) -> Result<()> {
    let company_id = company.id;
    org::ensure_exists(
        tx,
        org::Kind::Department,
        company_id,
        record.department_id,
        "department_id",
    )
    .await?;
    org::ensure_exists(
        tx,
        org::Kind::Region,
        company_id,
        record.region_id,
        "region_id",
    )
    .await?;
    for (field, id) in [
        ("approver_id", record.approver_id),
        ("notifier_2_id", record.notifier_2_id),
        ("notifier_3_id", record.notifier_3_id),
        ("manager_id", record.manager_id),
    ] {
        if let Some(id) = id {
            if id == record.id {
                return Err(Error::invalid(
                    field,
                    format!("{field} cannot be the user themselves"),
                ));
            }
            if load(tx, company_id, id).await?.is_none() {
                return Err(Error::unknown_reference("user", field));
            }
        }
    }
    for id in input.locations.iter().flatten() {
        org::ensure_exists(tx, org::Kind::Location, company_id, Some(*id), "locations").await?;
    }
    for id in input.positions.iter().flatten() {
        org::ensure_exists(tx, org::Kind::Position, company_id, Some(*id), "positions").await?;
    }
    for id in input.tags.iter().flatten() {
        org::ensure_exists(tx, org::Kind::Tag, company_id, Some(*id), "tags").await?;
    }
    for rate in input.position_rates.iter().flatten() {
        org::ensure_exists(
            tx,
            org::Kind::Position,
            company_id,
            Some(rate.position_id),
            "position_rates",
        )
        .await?;
        crate::validate::within(
            "position_rates",
            rate.hourly_rate_cents,
            0,
            crate::payroll::rates::MAX_HOURLY_RATE_CENTS,
        )?;
    }
    Ok(())
}

async fn write_memberships(tx: &mut Tx, record: &UserRecord, input: &UserInput) -> Result<()> {
    let (company_id, user_id) = (record.company_id, record.id);
    if let Some(locations) = &input.locations {
        sqlx::query("DELETE FROM user_locations WHERE company_id = $1 AND user_id = $2")
            .bind(company_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        for id in dedup(locations) {
            sqlx::query(
                "INSERT INTO user_locations (company_id, user_id, location_id) VALUES ($1, $2, $3)",
            )
            .bind(company_id)
            .bind(user_id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
    }
    if let Some(tags) = &input.tags {
        sqlx::query("DELETE FROM user_tags WHERE company_id = $1 AND user_id = $2")
            .bind(company_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        for id in dedup(tags) {
            sqlx::query("INSERT INTO user_tags (company_id, user_id, tag_id) VALUES ($1, $2, $3)")
                .bind(company_id)
                .bind(user_id)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    if input.positions.is_some() || input.position_rates.is_some() {
        let current: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT position_id, hourly_rate_cents FROM user_positions WHERE company_id = $1 AND user_id = $2",
        )
        .bind(company_id)
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await?;
        let mut positions = input
            .positions
            .clone()
            .unwrap_or_else(|| current.iter().map(|(id, _)| *id).collect());
        positions.extend(input.position_rates.iter().flatten().map(|r| r.position_id));
        sqlx::query("DELETE FROM user_positions WHERE company_id = $1 AND user_id = $2")
            .bind(company_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        for id in dedup(&positions) {
            // Rates given replace every rate; without them a kept position keeps its own.
            let rate = match &input.position_rates {
                Some(rates) => rates
                    .iter()
                    .find(|r| r.position_id == id)
                    .map(|r| r.hourly_rate_cents),
                None => current
                    .iter()
                    .find(|(position, _)| *position == id)
                    .and_then(|(_, rate)| *rate),
            };
            sqlx::query("INSERT INTO user_positions (company_id, user_id, position_id, hourly_rate_cents) VALUES ($1, $2, $3, $4)")
                .bind(company_id)
                .bind(user_id)
                .bind(id)
                .bind(rate)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// The names of the fields an input sets, for the audit log: never their values, since
/// one of them may be a password.
fn changed_fields(input: &UserInput) -> Vec<&'static str> {
    input
        .present_fields()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

async fn set_status(
    db: &Db,
    actor: &Actor,
    id: i64,
    action: Action,
    status: UserStatus,
) -> Result<User> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut tx = db.begin_write().await?;
    let mut record = load_for(&mut tx, actor, &company, id, action).await?;
    record.status = status.as_str().to_owned();
    record.updated_at = now();
    record.update(&mut tx).await?;
    if status == UserStatus::Archived {
        // An archived user's sessions end with the archive.
        sqlx::query("DELETE FROM sessions WHERE company_id = $1 AND user_id = $2")
            .bind(record.company_id)
            .bind(record.id)
            .execute(&mut *tx)
            .await?;
    }
    let (event, webhook) = match status {
        UserStatus::Archived => (AuditAction::UserArchived, Some(Event::UserArchived)),
        UserStatus::Active => (AuditAction::UserRestored, Some(Event::UserRestored)),
        UserStatus::Pending => (AuditAction::UserStatusChanged, None),
    };
    audit::record_by(&mut tx, actor, event, Some(("user", record.id)), json!({})).await?;
    if let Some(webhook) = webhook {
        announce(&mut tx, &record, webhook).await?;
    }
    tx.commit().await?;
    let mut conn = db.pool().acquire().await?;
    render_one(&mut conn, actor, &company, record).await
}

/// Owes `event` to the company's webhooks, inside the change's transaction. The data is
/// who the user is and where they stand, never a password hash or private notes.
pub(super) async fn announce(tx: &mut Tx, record: &UserRecord, event: Event) -> Result<()> {
    let data = json!({
        "id": record.id,
        "company_id": record.company_id,
        "email": record.email,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "staff_code": record.staff_code,
        "job_title": record.job_title,
        "user_type_id": record.user_type_id,
        "status": record.status,
        "department_id": record.department_id,
        "region_id": record.region_id,
        "approver_id": record.approver_id,
        "employment_start_date": record.employment_start_date,
        "employment_end_date": record.employment_end_date,
        "created_at": crate::time::rfc3339(record.created_at),
        "updated_at": crate::time::rfc3339(record.updated_at),
    });
    crate::webhooks::emit(tx, record.company_id, event, data).await
}

/// Archives a user: they can no longer sign in; their data stays.
pub async fn archive(db: &Db, actor: &Actor, id: i64) -> Result<User> {
    set_status(db, actor, id, Action::ArchiveUser, UserStatus::Archived).await
}

pub async fn restore(db: &Db, actor: &Actor, id: i64) -> Result<User> {
    set_status(db, actor, id, Action::RestoreUser, UserStatus::Active).await
}

/// Lifts a lock from failed sign-ins.
pub async fn unlock(db: &Db, actor: &Actor, id: i64) -> Result<User> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut tx = db.begin_write().await?;
    let record = load_for(&mut tx, actor, &company, id, Action::UnlockUser).await?;
    crate::auth::clear_lock(&mut tx, record.company_id, record.id).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserUnlocked,
        Some(("user", record.id)),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    let mut conn = db.pool().acquire().await?;
    let record = load(&mut conn, actor.company_id, id)
        .await?
        .ok_or(Error::not_found("user"))?;
    render_one(&mut conn, actor, &company, record).await
}

pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: UserFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<User>> {
    let scope = if filter.approved_by.is_some() {
        "my-staff"
    } else {
        "users"
    };
    let page = db.page(scope, limit, cursor).await?;
    let company = company::load(db.pool(), actor.company_id).await?;
    if !may(actor, Action::ListUsers, Target::Company(actor.company_id)) {
        return Err(Error::forbidden("you may not list users"));
    }
    let mut conn = db.pool().acquire().await?;
    let mut binds = Binds::default();
    let mut sql = format!(
        "{SELECT} WHERE company_id = $1 AND id > $2{}",
        filter_sql(actor, filter, &mut binds)
    );
    sql.push_str(&format!(" ORDER BY id LIMIT {}", binds.int(page.limit + 1)));

    let query = sqlx::query_as::<_, UserRecord>(AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(page.after_id);
    let records = binds.bind_all(query).fetch_all(&mut *conn).await?;
    let page_of_records = page.finish(records, |r| r.id);
    let ids: Vec<i64> = page_of_records.data.iter().map(|r| r.id).collect();
    let mut memberships = view::memberships(&mut conn, actor.company_id, &ids).await?;
    let mut users = Vec::with_capacity(ids.len());
    for record in page_of_records.data {
        let facts = facts(&record, company.owner_id);
        if !may(actor, Action::ViewUser, Target::User(&facts)) {
            continue;
        }
        let detail = view::detail_for(actor, &facts);
        let membership = memberships.remove(&record.id).unwrap_or_default();
        users.push(view::render(
            record,
            membership,
            detail,
            company.owner_id,
            None,
        )?);
    }
    Ok(Page {
        data: users,
        next_cursor: page_of_records.next_cursor,
    })
}

/// `filter` and what `actor` may see as SQL conditions on `users`, each starting with
/// ` AND`, their values added to `binds`: the people list's and the directory's.
pub(crate) fn filter_sql(actor: &Actor, filter: UserFilter, binds: &mut Binds) -> String {
    let mut sql = String::new();
    if let Some(scope) = visible_scope(
        actor,
        actor.policy.colleague_visibility,
        actor.department_id,
        "",
        binds,
    ) {
        sql.push_str(&format!(" AND ({scope})"));
    }
    if let Some(id) = filter.department_id {
        sql.push_str(&format!(" AND department_id = {}", binds.int(id)));
    }
    if let Some(id) = filter.region_id {
        sql.push_str(&format!(" AND region_id = {}", binds.int(id)));
    }
    if let Some(id) = filter.location_id {
        sql.push_str(&format!(
            " AND id IN (SELECT user_id FROM user_locations WHERE company_id = $1 AND location_id = {})",
            binds.int(id)
        ));
    }
    if let Some(id) = filter.tag_id {
        sql.push_str(&format!(
            " AND id IN (SELECT user_id FROM user_tags WHERE company_id = $1 AND tag_id = {})",
            binds.int(id)
        ));
    }
    if let Some(id) = filter.user_id {
        sql.push_str(&format!(" AND id = {}", binds.int(id)));
    }
    match filter.status {
        Some(status) => sql.push_str(&format!(
            " AND status = {}",
            binds.text(status.as_str().to_owned())
        )),
        None if filter.include_archived => {}
        None => sql.push_str(" AND status <> 'archived'"),
    }
    if let Some(role) = filter.user_type_id {
        sql.push_str(&format!(" AND user_type_id = {}", binds.int(role.code())));
    }
    if let Some(name) = filter.last_name {
        sql.push_str(&format!(
            " AND LOWER(last_name) LIKE {}",
            binds.text(format!("{}%", like_escape(&name.to_lowercase())))
        ));
        sql.push_str(" ESCAPE '\\'");
    }
    if let Some(q) = filter.q {
        let pattern = binds.text(format!("%{}%", like_escape(&q.to_lowercase())));
        sql.push_str(&format!(
            " AND (LOWER(first_name) LIKE {pattern} ESCAPE '\\' OR LOWER(last_name) LIKE {pattern} ESCAPE '\\' \
             OR LOWER(email) LIKE {pattern} ESCAPE '\\' OR LOWER(COALESCE(staff_code, '')) LIKE {pattern} ESCAPE '\\')"
        ));
    }
    if let Some(email) = filter.email {
        sql.push_str(&format!(
            " AND LOWER(email) = {}",
            binds.text(email.trim().to_lowercase())
        ));
    }
    if let Some(approver) = filter.approved_by {
        let me = binds.int(approver);
        sql.push_str(&format!(
            " AND ((approver_id = {me} AND approver_role IN ('approver_both', 'approver_leave', 'approver_overtime')) \
             OR (notifier_2_id = {me} AND notifier_2_role IN ('approver_both', 'approver_leave', 'approver_overtime')) \
             OR (notifier_3_id = {me} AND notifier_3_role IN ('approver_both', 'approver_leave', 'approver_overtime')))"
        ));
    }
    sql
}

/// The users `actor` may see, as a SQL condition on the `users` columns (prefixed with
/// `alias`): the policy's `can_see` rule in SQL, so that pages stay full. `None` for super
/// users, who see everyone.
pub(crate) fn visible_scope(
    actor: &Actor,
    visibility: ColleagueVisibility,
    actor_department: Option<i64>,
    alias: &str,
    binds: &mut Binds,
) -> Option<String> {
    let Reach::Related(me) = reach(actor) else {
        return None;
    };
    let me = binds.int(me);
    let mut scope = format!(
        "{alias}id = {me} OR {alias}approver_id = {me} OR {alias}notifier_2_id = {me} OR {alias}notifier_3_id = {me}"
    );
    match visibility {
        ColleagueVisibility::OnlySelf => {}
        ColleagueVisibility::Department => {
            if let Some(department) = actor_department {
                scope.push_str(&format!(
                    " OR ({alias}is_hidden = 0 AND {alias}department_id = {})",
                    binds.int(department)
                ));
            }
        }
        ColleagueVisibility::Company => scope.push_str(&format!(" OR {alias}is_hidden = 0")),
    }
    Some(scope)
}

/// The staff an approver approves for (or, for a super user, everyone).
pub async fn my_staff(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<User>> {
    if !may(
        actor,
        Action::ListMyStaff,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("only approvers have staff"));
    }
    let filter = UserFilter {
        approved_by: match reach(actor) {
            Reach::Everyone => None,
            Reach::Related(me) => Some(me),
        },
        ..UserFilter::default()
    };
    list(db, actor, filter, limit, cursor).await
}

/// Every active user who may approve: approvers of any kind and super users, in pages by id.
pub async fn approvers(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<ApproverSummary>> {
    if !may(
        actor,
        Action::ListApprovers,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("only a super user may list approvers"));
    }
    let page = db.page("approvers", limit, cursor).await?;
    let mut binds = Binds::default();
    let codes: Vec<String> = policy::approver_roles(actor.company_id)
        .iter()
        .map(|role| binds.int(role.code()))
        .collect();
    let limit = binds.int(page.limit + 1);
    let query = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT id, first_name, last_name, user_type_id, email FROM users \
         WHERE company_id = $1 AND user_type_id IN ({}) AND status = 'active' AND id > $2 ORDER BY id LIMIT {limit}",
        codes.join(", ")
    )))
    .bind(actor.company_id)
    .bind(page.after_id);
    let rows: Vec<ApproverSummary> = binds.bind_all(query).fetch_all(db.pool()).await?;
    Ok(page.finish(rows, |a| a.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leave::report;
    use crate::org::{Tag, TagInput};
    use crate::people::types::AllowanceUnit;

    async fn company(db: &Db) -> Actor {
        let created = crate::signup::create_company(
            db,
            crate::signup::CompanyForCreate {
                name: "People Ltd".into(),
                time_zone: None,
                holiday_country: None,
                owner_email: "owner@people.test".into(),
                owner_password: "a long test password".into(),
                owner_first_name: None,
                owner_last_name: None,
            },
        )
        .await
        .expect("company");
        crate::access::settings::operator(db, created.company_id)
            .await
            .expect("owner")
    }

    fn person(email: &str, last_name: &str) -> UserInput {
        UserInput {
            email: Some(email.into()),
            first_name: Some("Pat".into()),
            last_name: Some(last_name.into()),
            ..UserInput::default()
        }
    }

    #[tokio::test]
    async fn a_new_users_allowances_open_with_them_or_not_at_all() {
        let scratch = crate::testing::scratch_database().await.expect("db");
        let db = &scratch.db;
        let owner = company(db).await;
        let today = jiff::Zoned::now().date();
        let opening = |opening, remaining| NewUserOpening {
            on: today,
            opening,
            remaining,
        };
        let user = create_with_allowances(
            db,
            &owner,
            person("a@people.test", "Able"),
            &[opening(2000, 2000)],
        )
        .await
        .expect("created");
        let balances = report::balances(db, &owner, &[user.id, 999_999])
            .await
            .expect("balances");
        assert_eq!(balances.len(), 1, "an id of nobody is left out");
        let mine = &balances[&user.id];
        assert_eq!(mine.unit, AllowanceUnit::Days);
        assert_eq!(mine.day_minutes, 450);
        assert_eq!(
            (mine.this_year.opening, mine.this_year.remaining),
            (2000, 2000)
        );

        for openings in [
            vec![opening(2000, 1000)],
            vec![opening(2000, 2000), opening(1000, 1000)],
            vec![opening(-1, -1)],
        ] {
            let error =
                create_with_allowances(db, &owner, person("b@people.test", "Baker"), &openings)
                    .await
                    .expect_err("refused");
            assert!(matches!(error, Error::Invalid { .. }), "{error:?}");
        }
        let written: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE company_id = $1 AND email = 'b@people.test'",
        )
        .bind(owner.company_id)
        .fetch_one(db.pool())
        .await
        .expect("count");
        assert_eq!(
            written, 0,
            "the user is not written without their allowances"
        );
    }

    #[tokio::test]
    async fn users_filter_by_tag_by_one_user_and_with_the_archived() {
        let scratch = crate::testing::scratch_database().await.expect("db");
        let db = &scratch.db;
        let owner = company(db).await;
        let tag: Tag = crate::org::create(
            db,
            &owner,
            TagInput {
                name: Some("First aid".into()),
            },
        )
        .await
        .expect("tag");
        let tagged = create(
            db,
            &owner,
            UserInput {
                tags: Some(vec![tag.id]),
                ..person("t@people.test", "Tagged")
            },
        )
        .await
        .expect("tagged");
        let gone = create(db, &owner, person("g@people.test", "Gone"))
            .await
            .expect("gone");
        archive(db, &owner, gone.id).await.expect("archived");
        let ids = |filter: UserFilter| async move {
            list(db, &owner, filter, Some(50), None)
                .await
                .expect("list")
                .data
                .iter()
                .map(|u| u.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(UserFilter {
                tag_id: Some(tag.id),
                ..UserFilter::default()
            })
            .await,
            [tagged.id]
        );
        assert_eq!(
            ids(UserFilter {
                user_id: Some(owner.user_id),
                ..UserFilter::default()
            })
            .await,
            [owner.user_id]
        );
        assert!(!ids(UserFilter::default()).await.contains(&gone.id));
        let everyone = ids(UserFilter {
            include_archived: true,
            ..UserFilter::default()
        })
        .await;
        assert_eq!(everyone, [owner.user_id, tagged.id, gone.id]);
    }
}
