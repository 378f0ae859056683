//! The people who hold shifts, as the policy sees them: loaded once for the shifts a
//! decision is about, so that [`crate::policy::may`] decides for each shift.

use std::collections::HashMap;

use super::row::ShiftRow;
use crate::error::Result;
use crate::people::record::{self, UserRecord};
use crate::people::view::facts;
use crate::policy::{Action, Actor, ShiftFacts, SwapFacts, Target, UserFacts, may};
use crate::sql::placeholders;

/// The holders of some shifts, by id.
pub(crate) struct Holders {
    pub records: HashMap<i64, UserRecord>,
    facts: HashMap<i64, UserFacts>,
    company_id: i64,
}

impl Holders {
    /// The company's users among `ids` (with the company's owner marked as such).
    pub async fn load(
        conn: &mut sqlx::AnyConnection,
        company_id: i64,
        ids: impl IntoIterator<Item = i64>,
    ) -> Result<Self> {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut holders = Self {
            records: HashMap::new(),
            facts: HashMap::new(),
            company_id,
        };
        if ids.is_empty() {
            return Ok(holders);
        }
        let owner_id: Option<i64> =
            sqlx::query_scalar("SELECT owner_id FROM companies WHERE id = $1")
                .bind(company_id)
                .fetch_one(&mut *conn)
                .await?;
        let sql = format!(
            "{} WHERE company_id = $1 AND id IN ({})",
            record::SELECT,
            placeholders(2, ids.len())
        );
        let mut query = sqlx::query_as::<_, UserRecord>(sqlx::AssertSqlSafe(sql)).bind(company_id);
        for id in &ids {
            query = query.bind(*id);
        }
        for user in query.fetch_all(&mut *conn).await? {
            holders.facts.insert(user.id, facts(&user, owner_id));
            holders.records.insert(user.id, user);
        }
        Ok(holders)
    }

    /// Whether `actor` may `action` a shift held by `user_id` (none: open), published or not.
    pub fn may(
        &self,
        actor: &Actor,
        action: Action,
        user_id: Option<i64>,
        published: bool,
    ) -> bool {
        let user = user_id.and_then(|id| self.facts.get(&id));
        if user_id.is_some() && user.is_none() {
            // A holder outside the company, or gone: nobody acts on it through here.
            return false;
        }
        let shift = ShiftFacts {
            company_id: self.company_id,
            user,
            published,
        };
        may(actor, action, Target::Shift(&shift))
    }

    /// Whether `actor` sees `user_id`, one of these.
    pub fn sees(&self, actor: &Actor, user_id: i64) -> bool {
        self.may_on_user(actor, Action::ViewUser, user_id)
    }

    /// Whether `actor` may `action` the user `user_id` themselves (one of these holders).
    pub fn may_on_user(&self, actor: &Actor, action: Action, user_id: i64) -> bool {
        self.facts
            .get(&user_id)
            .is_some_and(|user| may(actor, action, Target::User(user)))
    }

    /// [`Holders::may`] on a stored shift.
    pub fn may_on(&self, actor: &Actor, action: Action, row: &ShiftRow) -> bool {
        self.may(actor, action, row.user_id, row.published)
    }

    /// Whether `actor` may `action` a swap of a shift held by `holder_id` (one of these),
    /// offered to `recipients` (none: to anyone it fits).
    pub fn may_on_swap(
        &self,
        actor: &Actor,
        action: Action,
        holder_id: i64,
        recipients: &[i64],
    ) -> bool {
        self.facts.get(&holder_id).is_some_and(|holder| {
            let swap = SwapFacts {
                company_id: self.company_id,
                holder,
                recipients,
            };
            may(actor, action, Target::Swap(&swap))
        })
    }
}
