//! The people directory: everyone a filter of the people list finds, each with the names
//! of their approver, notifiers, department and region and this and next year's Holiday
//! balances, read in a few statements however many people there are. It is what a vendor
//! face's user list shows on each line (WhosOff's `user/retrieve`).

use std::collections::{BTreeSet, HashMap};

use sqlx::AssertSqlSafe;

use crate::company;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::leave::report::{self, UserBalances};
use crate::org::{self, Kind};
use crate::people::model::User;
use crate::people::record::{SELECT, UserRecord};
use crate::people::service::{UserFilter, filter_sql, records_for};
use crate::people::view::{self, Memberships, facts};
use crate::policy::{Action, Actor, Target, may};
use crate::sql::Binds;

/// A person's first and last name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    pub first_name: String,
    pub last_name: String,
}

/// One person of the directory.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The person as the reader may see them, without their locations, positions and
    /// tags (left empty: a directory line does not show them, and reading them would
    /// cost three statements more).
    pub user: User,
    /// Named where the reader may see them.
    pub approver: Option<PersonName>,
    pub notifier_2: Option<PersonName>,
    pub notifier_3: Option<PersonName>,
    pub department_name: Option<String>,
    pub region_name: Option<String>,
    /// `None` where the reader may not see this person's balances.
    pub balances: Option<UserBalances>,
}

/// Everyone `filter` finds that `actor` may see, by id, as directory entries.
pub async fn list(db: &Db, actor: &Actor, filter: UserFilter) -> Result<Vec<Entry>> {
    if !may(actor, Action::ListUsers, Target::Company(actor.company_id)) {
        return Err(Error::forbidden("you may not list users"));
    }
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    let mut binds = Binds::default();
    let sql = format!(
        "{SELECT} WHERE company_id = $1 AND id > $2{} ORDER BY id",
        filter_sql(actor, filter, &mut binds)
    );
    let query = sqlx::query_as::<_, UserRecord>(AssertSqlSafe(sql))
        .bind(actor.company_id)
        .bind(0_i64);
    let records: Vec<UserRecord> = binds
        .bind_all(query)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|record| {
            may(
                actor,
                Action::ViewUser,
                Target::User(&facts(record, company.owner_id)),
            )
        })
        .collect();

    let mut people: HashMap<i64, PersonName> = records.iter().map(|r| (r.id, name_of(r))).collect();
    let unlisted: Vec<i64> = records
        .iter()
        .flat_map(|r| [r.approver_id, r.notifier_2_id, r.notifier_3_id])
        .flatten()
        .filter(|id| !people.contains_key(id))
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    if !unlisted.is_empty() {
        let named = records_for(&mut conn, actor, &company, &unlisted, Action::ViewUser).await?;
        people.extend(named.iter().map(|r| (r.id, name_of(r))));
    }
    let org_names = if may(
        actor,
        Action::ViewOrganisation,
        Target::Company(actor.company_id),
    ) {
        let ids = |id: fn(&UserRecord) -> Option<i64>| -> Vec<i64> {
            let set: BTreeSet<i64> = records.iter().filter_map(id).collect();
            set.into_iter().collect()
        };
        let wanted = [
            (Kind::Department, ids(|r| r.department_id)),
            (Kind::Region, ids(|r| r.region_id)),
        ];
        org::names(&mut conn, company.id, &wanted).await?
    } else {
        HashMap::new()
    };
    drop(conn);

    let with_balances: Vec<&UserRecord> = records
        .iter()
        .filter(|record| {
            may(
                actor,
                Action::ViewBalances,
                Target::User(&facts(record, company.owner_id)),
            )
        })
        .collect();
    let mut balances = report::balances_of(db, &company, &with_balances).await?;

    let named = |id: Option<i64>| id.and_then(|id| people.get(&id).cloned());
    let org_name =
        |kind: Kind, id: Option<i64>| id.and_then(|id| org_names.get(&(kind, id)).cloned());
    records
        .into_iter()
        .map(|record| {
            let detail = view::detail_for(actor, &facts(&record, company.owner_id));
            Ok(Entry {
                approver: named(record.approver_id),
                notifier_2: named(record.notifier_2_id),
                notifier_3: named(record.notifier_3_id),
                department_name: org_name(Kind::Department, record.department_id),
                region_name: org_name(Kind::Region, record.region_id),
                balances: balances.remove(&record.id),
                user: view::render(
                    record,
                    Memberships::default(),
                    detail,
                    company.owner_id,
                    None,
                )?,
            })
        })
        .collect()
}

fn name_of(record: &UserRecord) -> PersonName {
    PersonName {
        first_name: record.first_name.clone(),
        last_name: record.last_name.clone(),
    }
}
