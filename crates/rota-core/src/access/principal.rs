//! An API client or key at work: the user it acts as (with its role capped at the
//! credential's ceiling), what it may touch and where from, the nonces it owes, and
//! acting as another user of the company with `X-Act-As-User`.

use std::net::IpAddr;

use serde_json::json;
use sqlx::FromRow;

use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::access::limits::{Quota, bucket};
use crate::access::{Access, Area, IpAllowList, Origin, ScopeSet};
use crate::db::Db;
use crate::error::{Error, Result, code};
use crate::people::types::{UserStatus, UserType};
use crate::policy::{Action, Actor, CredentialFacts, Target, may};

/// What a stored client or key says about how it acts.
pub(crate) struct Credential {
    pub company_id: i64,
    pub acts_as_user_id: i64,
    pub role_ceiling: i64,
    pub scopes: String,
    pub ip_allow_list: String,
    /// The company-wide allow-list; absent when the company never set one.
    pub company_allow_list: Option<String>,
    pub may_act_as_users: bool,
    /// The credential's own rate limit; absent: the server's.
    pub rate_limit: Option<Quota>,
    /// The client, when the credential is a client's token.
    pub client: Option<ClientIdentity>,
    pub origin: Origin,
}

/// The client behind an access token: its App ID (checked against an `app-id` header)
/// and whether its calls must carry nonces.
#[derive(Debug, Clone)]
pub struct ClientIdentity {
    pub id: i64,
    pub app_id: String,
    pub requires_nonce: bool,
}

/// An API client or key, acting.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    pub actor: Actor,
    pub scopes: ScopeSet,
    pub allow: IpAllowList,
    pub company_allow: IpAllowList,
    pub ceiling: UserType,
    pub may_act_as_users: bool,
    /// The credential's own rate limit; absent: the server's.
    pub rate_limit: Option<Quota>,
    pub client: Option<ClientIdentity>,
}

/// A user a credential acts as, with the company's owner, read in one statement.
#[derive(FromRow)]
struct ActingUser {
    user_type_id: i64,
    status: String,
    department_id: Option<i64>,
    owner_id: Option<i64>,
    settings: String,
}

fn no_such_user() -> Error {
    Error::Forbidden {
        code: code::ACT_AS_NOT_ALLOWED,
        message: "X-Act-As-User must name an active user of the company".into(),
    }
}

/// `user_id` of `company_id` with the company's owner; `None` unless an active user.
async fn acting_user(db: &Db, company_id: i64, user_id: i64) -> Result<Option<ActingUser>> {
    let user: Option<ActingUser> = sqlx::query_as(
        "SELECT u.user_type_id, u.status, u.department_id, c.owner_id, c.settings FROM users u \
         JOIN companies c ON c.id = u.company_id WHERE u.company_id = $1 AND u.id = $2",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(user.filter(|u| u.status == UserStatus::Active.as_str()))
}

impl ActingUser {
    /// The actor this user is through a credential, its role capped at `ceiling`.
    fn actor(
        &self,
        company_id: i64,
        user_id: i64,
        ceiling: UserType,
        origin: Origin,
    ) -> Result<Actor> {
        let user = Actor {
            user_id,
            company_id,
            role: UserType::try_from(self.user_type_id).map_err(|e| Error::Internal(e.into()))?,
            is_owner: self.owner_id == Some(user_id),
            department_id: self.department_id,
            origin,
            policy: crate::company::CompanySettings::stored_policy(&self.settings)?,
        };
        Ok(user.capped(ceiling))
    }
}

impl ApiPrincipal {
    /// The principal of a live credential.
    pub(crate) async fn new(db: &Db, credential: Credential) -> Result<Self> {
        let ceiling =
            UserType::try_from(credential.role_ceiling).map_err(|e| Error::Internal(e.into()))?;
        let actor = acting_user(db, credential.company_id, credential.acts_as_user_id)
            .await?
            .ok_or_else(|| Error::unauthenticated("the API credential acts as no active user"))?
            .actor(
                credential.company_id,
                credential.acts_as_user_id,
                ceiling,
                credential.origin,
            )?;
        Ok(Self {
            actor,
            scopes: ScopeSet::from_stored(&credential.scopes),
            allow: IpAllowList::from_stored(&credential.ip_allow_list),
            company_allow: IpAllowList::from_stored(
                credential.company_allow_list.as_deref().unwrap_or("[]"),
            ),
            ceiling,
            may_act_as_users: credential.may_act_as_users,
            rate_limit: credential.rate_limit,
            client: credential.client,
        })
    }

    /// Whether the call may go ahead: from an admitted address, inside the scopes. `area`
    /// is `None` for routes outside every scope (API administration itself), which no
    /// API credential may call.
    pub fn check(&self, ip: Option<IpAddr>, area: Option<Area>, access: Access) -> Result<()> {
        self.check_address(ip)?;
        match area {
            Some(area) if self.scopes.allows(area, access) => Ok(()),
            Some(area) => Err(Error::forbidden(format!(
                "this API credential lacks the scope {}:{}",
                area.as_str(),
                if access == Access::Write {
                    "write"
                } else {
                    "read"
                }
            ))),
            None => Err(Error::forbidden(
                "API credentials may not call this route; sign in as a user",
            )),
        }
    }

    /// Whether `ip` is admitted by both the company's and the credential's allow-list.
    pub fn check_address(&self, ip: Option<IpAddr>) -> Result<()> {
        if !self.company_allow.admits(ip) || !self.allow.admits(ip) {
            return Err(Error::forbidden(
                "this address may not use this API credential",
            ));
        }
        Ok(())
    }

    /// The rate-limit bucket the credential's calls count against.
    pub fn rate_bucket(&self) -> String {
        match (
            self.actor.origin.api_key_id,
            self.actor.origin.api_client_id,
        ) {
            (Some(key), _) => bucket::api_key(key),
            (None, Some(client)) => bucket::api_client(client),
            (None, None) => bucket::api_client(0),
        }
    }

    /// Acts as `user_id` from now on (`X-Act-As-User`): every permission becomes that
    /// user's, capped at the credential's ceiling. Only a credential allowed to may; the
    /// owner only through a credential that already acts as the owner. Recorded in the
    /// audit log.
    pub async fn act_as(mut self, db: &Db, user_id: i64) -> Result<Self> {
        if !self.may_act_as_users {
            return Err(Error::Forbidden {
                code: code::ACT_AS_NOT_ALLOWED,
                message: "this API credential may not act as other users".into(),
            });
        }
        let user = acting_user(db, self.actor.company_id, user_id)
            .await?
            .ok_or_else(no_such_user)?;
        let credential = CredentialFacts {
            company_id: self.actor.company_id,
            role_ceiling: self.ceiling,
            acts_as_owner: user.owner_id == Some(user_id),
        };
        if !may(&self.actor, Action::ActAs, Target::Credential(&credential)) {
            return Err(Error::Forbidden {
                code: code::ACT_AS_NOT_ALLOWED,
                message: "only a credential acting as the owner may act as the owner".into(),
            });
        }
        let acting = user.actor(
            self.actor.company_id,
            user_id,
            self.ceiling,
            self.actor.origin,
        )?;
        let mut tx = db.begin_write().await?;
        audit::record(
            &mut tx,
            Who {
                user_id: Some(self.actor.user_id),
                origin: self.actor.origin,
            },
            Event {
                company_id: self.actor.company_id,
                action: AuditAction::ApiActedAsUser,
                target: Some(("user", user_id)),
                details: json!({"role": acting.role.code()}),
            },
        )
        .await?;
        tx.commit().await?;
        self.actor = acting;
        Ok(self)
    }
}
