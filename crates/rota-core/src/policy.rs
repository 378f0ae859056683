//! Who may do what: one pure decision, [`may`], asked by every service before it acts.
//! Tests walk its matrix; no handler compares roles itself.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::people::types::{ApproverRole, UserType};

/// The authenticated person a request acts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub company_id: i64,
    pub role: UserType,
    pub is_owner: bool,
    pub department_id: Option<i64>,
    /// Where the request came from and through which API client or key, for the audit log.
    pub origin: crate::access::Origin,
}

/// Which colleagues staff may see, a company setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColleagueVisibility {
    /// Only themselves (and, for approvers, the staff they approve for).
    OnlySelf,
    /// Colleagues in their own department.
    #[default]
    Department,
    /// Everyone in the company.
    Company,
}

/// What the policy needs to know about a user who is the target of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFacts {
    pub id: i64,
    pub company_id: i64,
    pub department_id: Option<i64>,
    pub is_hidden: bool,
    pub is_owner: bool,
    /// The approver and notifier slots: who, and with which scope.
    pub approvers: [(Option<i64>, ApproverRole); 3],
}

impl UserFacts {
    /// True when `user_id` sits in one of the target's slots with an approving scope.
    pub fn approved_by(&self, user_id: i64) -> bool {
        self.approvers
            .iter()
            .any(|(id, role)| *id == Some(user_id) && role.approves_anything())
    }

    /// True when `user_id` approves the target's leave (or, with `overtime`, overtime).
    pub fn approves(&self, user_id: i64, overtime: bool) -> bool {
        self.approvers.iter().any(|(id, role)| {
            *id == Some(user_id)
                && if overtime {
                    role.approves_overtime()
                } else {
                    role.approves_leave()
                }
        })
    }

    /// True when `user_id` sits in any of the target's approver or notifier slots.
    pub fn watched_by(&self, user_id: i64) -> bool {
        self.approvers.iter().any(|(id, _)| *id == Some(user_id))
    }
}

/// How sensitive the fields of a user update are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldClass {
    /// A user may change these on their own record (names, phones, preferences).
    SelfService,
    /// An approver may change these for the staff they approve for (staff code, job title, notes, hours).
    Managed,
    /// Only a super user: role, status, approvers, organisation, employment, pay, flags, e-mail.
    Privileged,
}

/// Everything an actor can ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ViewCompany,
    UpdateCompany,
    /// List the users the actor can see (the list itself is filtered by [`Action::ViewUser`]).
    ListUsers,
    ViewUser,
    CreateUser,
    EditUser(FieldClass),
    ArchiveUser,
    RestoreUser,
    UnlockUser,
    /// Switch off another user's MFA, so that they enrol afresh (a lost phone).
    ResetMfa,
    ListApprovers,
    ListMyStaff,
    ViewOrganisation,
    ManageOrganisation,
    /// See a user's leave, balances and requests in detail.
    ViewLeave,
    /// Ask for leave (or overtime) on the target's behalf, or for oneself.
    RequestLeave {
        overtime: bool,
    },
    /// Approve or decline the target's request.
    DecideLeave {
        overtime: bool,
    },
    /// Edit or cancel the target's request.
    ChangeLeave {
        overtime: bool,
    },
    /// Read the company's audit log.
    ViewAudit,
    /// Enable or revoke API access; create, change, regenerate and revoke API clients and keys.
    ManageApiAccess,
}

/// What an action is aimed at.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The company itself or one of its collections.
    Company(i64),
    User(&'a UserFacts),
}

impl Target<'_> {
    fn company_id(&self) -> i64 {
        match self {
            Target::Company(id) => *id,
            Target::User(user) => user.company_id,
        }
    }
}

/// Company settings the decision depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicySettings {
    pub colleague_visibility: ColleagueVisibility,
}

/// The one permission decision. Nobody acts across companies.
pub fn may(actor: &Actor, action: Action, target: Target<'_>, settings: PolicySettings) -> bool {
    if actor.company_id != target.company_id() {
        return false;
    }
    let is_super = actor.role.is_super_user();
    match (action, target) {
        (Action::ViewCompany | Action::ListUsers | Action::ViewOrganisation, _) => true,
        (Action::UpdateCompany | Action::CreateUser | Action::ManageOrganisation, _) => is_super,
        (Action::ListApprovers | Action::ViewAudit | Action::ManageApiAccess, _) => is_super,
        (Action::ListMyStaff, _) => actor.role.is_approver(),
        (Action::ViewUser, Target::User(user)) => can_see(actor, user, settings),
        (Action::EditUser(class), Target::User(user)) => {
            if user.is_owner && !actor.is_owner && class == FieldClass::Privileged {
                return false;
            }
            match class {
                FieldClass::SelfService => {
                    actor.user_id == user.id
                        || is_super
                        || (actor.role.is_approver() && user.approved_by(actor.user_id))
                }
                FieldClass::Managed => {
                    is_super || (actor.role.is_approver() && user.approved_by(actor.user_id))
                }
                FieldClass::Privileged => is_super,
            }
        }
        (Action::ArchiveUser | Action::RestoreUser, Target::User(user)) => {
            is_super && actor.user_id != user.id && (!user.is_owner || actor.is_owner)
        }
        (Action::UnlockUser | Action::ResetMfa, Target::User(user)) => {
            is_super && (!user.is_owner || actor.is_owner)
        }
        (Action::ViewLeave, Target::User(user)) => {
            actor.user_id == user.id || is_super || user.watched_by(actor.user_id)
        }
        // Staff ask for themselves; approver plus add (210) and plus add/edit/cancel (220)
        // also for the staff they approve for.
        (Action::RequestLeave { overtime }, Target::User(user)) => {
            actor.user_id == user.id
                || is_super
                || (matches!(
                    actor.role,
                    UserType::ApproverPlusAdd | UserType::ApproverPlusAddEditCancel
                ) && user.approves(actor.user_id, overtime))
        }
        // Nobody decides their own request: it goes to their approver or a super user.
        (Action::DecideLeave { overtime }, Target::User(user)) => {
            actor.user_id != user.id && (is_super || user.approves(actor.user_id, overtime))
        }
        (Action::ChangeLeave { overtime }, Target::User(user)) => {
            actor.user_id == user.id
                || is_super
                || (actor.role == UserType::ApproverPlusAddEditCancel
                    && user.approves(actor.user_id, overtime))
        }
        (
            Action::ViewUser
            | Action::EditUser(_)
            | Action::ArchiveUser
            | Action::RestoreUser
            | Action::UnlockUser
            | Action::ResetMfa
            | Action::ViewLeave
            | Action::RequestLeave { .. }
            | Action::DecideLeave { .. }
            | Action::ChangeLeave { .. },
            Target::Company(_),
        ) => false,
    }
}

/// Whether `actor` sees `user` at all: themselves, super users everyone, approvers and
/// notifiers the staff in their slots, and colleagues as the company setting allows,
/// except hidden users.
fn can_see(actor: &Actor, user: &UserFacts, settings: PolicySettings) -> bool {
    if actor.user_id == user.id || actor.role.is_super_user() || user.watched_by(actor.user_id) {
        return true;
    }
    if user.is_hidden {
        return false;
    }
    match settings.colleague_visibility {
        ColleagueVisibility::OnlySelf => false,
        ColleagueVisibility::Department => {
            actor.department_id.is_some() && actor.department_id == user.department_id
        }
        ColleagueVisibility::Company => true,
    }
}
