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
    /// The company's settings that decisions depend on, loaded with the session or
    /// credential.
    pub policy: PolicySettings,
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
    /// Make the changes to people that only super users make, asked before knowing whom
    /// they touch: a vendor call of user level SUPER USER about a person (disabling,
    /// unlocking, their notes and restrictions) asks this first, so staff are refused
    /// whatever they send, and the core then checks the person itself.
    ManagePeople,
    ListMyStaff,
    ViewOrganisation,
    ManageOrganisation,
    /// See all of a user's record: contact details even when private, employment, pay.
    ViewDetails,
    /// See a user's leave, balances and requests in detail.
    ViewLeave,
    /// See a user's allowances and balances.
    ViewBalances,
    /// Read (and, with [`Action::EditUser`] of privileged fields, write) the notes kept
    /// about a user; never the user's own.
    ReadNotes,
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
    /// Book or cancel for the target without the limits staff meet when they book for
    /// themselves: the notice period, the types offered to their role, the cancellation
    /// window.
    SkipSelfServiceLimits,
    /// Book leave over the company's no-time-off days.
    BookOverNoTimeOff,
    /// Approve leave that leaves a department below its minimum staff.
    OverrideStaffing,
    /// Read the company's audit log.
    ViewAudit,
    /// Enable or revoke API access; create, change, regenerate and revoke API clients and keys.
    ManageApiAccess,
}

impl Action {
    /// Every action, each parameterised one with each of its values.
    pub const ALL: [Action; 32] = [
        Action::ViewCompany,
        Action::UpdateCompany,
        Action::ListUsers,
        Action::ViewUser,
        Action::CreateUser,
        Action::EditUser(FieldClass::SelfService),
        Action::EditUser(FieldClass::Managed),
        Action::EditUser(FieldClass::Privileged),
        Action::ArchiveUser,
        Action::RestoreUser,
        Action::UnlockUser,
        Action::ResetMfa,
        Action::ListApprovers,
        Action::ManagePeople,
        Action::ListMyStaff,
        Action::ViewOrganisation,
        Action::ManageOrganisation,
        Action::ViewDetails,
        Action::ViewLeave,
        Action::ViewBalances,
        Action::ReadNotes,
        Action::RequestLeave { overtime: false },
        Action::RequestLeave { overtime: true },
        Action::DecideLeave { overtime: false },
        Action::DecideLeave { overtime: true },
        Action::ChangeLeave { overtime: false },
        Action::ChangeLeave { overtime: true },
        Action::SkipSelfServiceLimits,
        Action::BookOverNoTimeOff,
        Action::OverrideStaffing,
        Action::ViewAudit,
        Action::ManageApiAccess,
    ];
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicySettings {
    pub colleague_visibility: ColleagueVisibility,
}

/// The one permission decision. Nobody acts across companies.
pub fn may(actor: &Actor, action: Action, target: Target<'_>) -> bool {
    if actor.company_id != target.company_id() {
        return false;
    }
    let is_super = actor.role.is_super_user();
    match (action, target) {
        (Action::ViewCompany | Action::ListUsers | Action::ViewOrganisation, _) => true,
        (Action::UpdateCompany | Action::CreateUser | Action::ManageOrganisation, _) => is_super,
        (Action::ListApprovers | Action::ManagePeople, _) => is_super,
        (Action::ViewAudit | Action::ManageApiAccess, _) => is_super,
        (Action::BookOverNoTimeOff | Action::OverrideStaffing, _) => is_super,
        (Action::ListMyStaff, _) => actor.role.is_approver(),
        (Action::ViewUser, Target::User(user)) => can_see(actor, user),
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
        (Action::ViewDetails | Action::ViewLeave, Target::User(user)) => {
            actor.user_id == user.id || is_super || user.watched_by(actor.user_id)
        }
        (Action::ViewBalances, Target::User(user)) => {
            actor.user_id == user.id || is_super || user.approved_by(actor.user_id)
        }
        (Action::ReadNotes, Target::User(user)) => {
            is_super || (actor.user_id != user.id && user.approved_by(actor.user_id))
        }
        // Staff booking for themselves meet the limits; approvers and anyone booking for
        // someone else (which RequestLeave and ChangeLeave already allowed) do not.
        (Action::SkipSelfServiceLimits, Target::User(user)) => {
            actor.user_id != user.id || actor.role.is_approver()
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
            | Action::ViewDetails
            | Action::ViewLeave
            | Action::ViewBalances
            | Action::ReadNotes
            | Action::SkipSelfServiceLimits
            | Action::RequestLeave { .. }
            | Action::DecideLeave { .. }
            | Action::ChangeLeave { .. },
            Target::Company(_),
        ) => false,
    }
}

/// What `actor` may do to `target`, every action asked of [`may`] once: the web app
/// renders its buttons from this, so no page compares roles itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities(Vec<Action>);

impl Capabilities {
    pub fn allows(&self, action: Action) -> bool {
        self.0.contains(&action)
    }

    /// The allowed actions, in [`Action::ALL`]'s order.
    pub fn actions(&self) -> &[Action] {
        &self.0
    }
}

/// The [`Capabilities`] of `actor` on `target`.
pub fn capabilities(actor: &Actor, target: Target<'_>) -> Capabilities {
    Capabilities(
        Action::ALL
            .into_iter()
            .filter(|&action| may(actor, action, target))
            .collect(),
    )
}

/// Whether `actor` sees `user` at all: themselves, super users everyone, approvers and
/// notifiers the staff in their slots, and colleagues as the company setting allows,
/// except hidden users.
fn can_see(actor: &Actor, user: &UserFacts) -> bool {
    if actor.user_id == user.id || actor.role.is_super_user() || user.watched_by(actor.user_id) {
        return true;
    }
    if user.is_hidden {
        return false;
    }
    match actor.policy.colleague_visibility {
        ColleagueVisibility::OnlySelf => false,
        ColleagueVisibility::Department => {
            actor.department_id.is_some() && actor.department_id == user.department_id
        }
        ColleagueVisibility::Company => true,
    }
}

#[cfg(test)]
mod tests {
    //! The whole table, role by role: each row names an action, whom it is aimed at, and
    //! for the six roles (100, 200, 210, 220, 300, 310) whether `may` says yes (`Y`).

    use super::*;

    const ACTOR: i64 = 1;
    const COMPANY: i64 = 10;
    const DEPARTMENT: i64 = 20;

    /// How the target relates to the actor.
    #[derive(Debug, Clone, Copy)]
    enum Relation {
        /// The actor themselves.
        Me,
        /// In the actor's department; the actor approves their leave and overtime.
        Mine,
        /// The actor approves only their leave.
        MineForLeave,
        /// The actor is notified of their leave but approves nothing.
        Watched,
        /// In the actor's department, no slot.
        Colleague,
        /// In the actor's department, hidden.
        HiddenColleague,
        /// In another department.
        Stranger,
        /// The company's owner, in another department.
        Owner,
        /// Someone in another company.
        Elsewhere,
    }

    fn actor(role: UserType) -> Actor {
        Actor {
            user_id: ACTOR,
            company_id: COMPANY,
            role,
            is_owner: false,
            department_id: Some(DEPARTMENT),
            origin: crate::access::Origin::default(),
            policy: PolicySettings::default(),
        }
    }

    fn target(relation: Relation) -> UserFacts {
        let slot = |role| {
            [
                (Some(ACTOR), role),
                (None, ApproverRole::None),
                (None, ApproverRole::None),
            ]
        };
        let mut facts = UserFacts {
            id: 2,
            company_id: COMPANY,
            department_id: Some(DEPARTMENT),
            is_hidden: false,
            is_owner: false,
            approvers: [(None, ApproverRole::None); 3],
        };
        match relation {
            Relation::Me => facts.id = ACTOR,
            Relation::Mine => facts.approvers = slot(ApproverRole::ApproverBoth),
            Relation::MineForLeave => facts.approvers = slot(ApproverRole::ApproverLeave),
            Relation::Watched => {
                facts.department_id = Some(DEPARTMENT + 1);
                facts.approvers = slot(ApproverRole::NotifierBoth);
            }
            Relation::Colleague => {}
            Relation::HiddenColleague => facts.is_hidden = true,
            Relation::Stranger => facts.department_id = Some(DEPARTMENT + 1),
            Relation::Owner => {
                facts.department_id = Some(DEPARTMENT + 1);
                facts.is_owner = true;
            }
            Relation::Elsewhere => facts.company_id = COMPANY + 1,
        }
        facts
    }

    /// `may` for each role in `UserType::ALL` order, as a string of `Y` and `-`.
    fn row(policy: PolicySettings, decide: impl Fn(&Actor) -> bool) -> String {
        UserType::ALL
            .into_iter()
            .map(|role| Actor {
                policy,
                ..actor(role)
            })
            .map(|actor| if decide(&actor) { 'Y' } else { '-' })
            .collect()
    }

    fn on_user(action: Action, relation: Relation, policy: PolicySettings) -> String {
        let facts = target(relation);
        row(policy, |actor| may(actor, action, Target::User(&facts)))
    }

    fn check(table: &[(Action, Relation, &str)]) {
        for &(action, relation, expected) in table {
            let got = on_user(action, relation, PolicySettings::default());
            assert_eq!(got, expected, "{action:?} on {relation:?}");
        }
    }

    #[test]
    fn company_actions() {
        let table = [
            (Action::ViewCompany, "YYYYYY"),
            (Action::ListUsers, "YYYYYY"),
            (Action::ViewOrganisation, "YYYYYY"),
            (Action::UpdateCompany, "----YY"),
            (Action::CreateUser, "----YY"),
            (Action::ManageOrganisation, "----YY"),
            (Action::ListApprovers, "----YY"),
            (Action::ManagePeople, "----YY"),
            (Action::ViewAudit, "----YY"),
            (Action::ManageApiAccess, "----YY"),
            (Action::BookOverNoTimeOff, "----YY"),
            (Action::OverrideStaffing, "----YY"),
            (Action::ListMyStaff, "-YYYYY"),
        ];
        for (action, expected) in table {
            let ours = row(PolicySettings::default(), |a| {
                may(a, action, Target::Company(COMPANY))
            });
            assert_eq!(ours, expected, "{action:?}");
            let theirs = row(PolicySettings::default(), |a| {
                may(a, action, Target::Company(COMPANY + 1))
            });
            assert_eq!(theirs, "------", "{action:?} in another company");
        }
    }

    #[test]
    fn user_actions_need_a_user() {
        let actions = [
            Action::ViewUser,
            Action::EditUser(FieldClass::SelfService),
            Action::ArchiveUser,
            Action::RestoreUser,
            Action::UnlockUser,
            Action::ResetMfa,
            Action::ViewDetails,
            Action::ViewLeave,
            Action::ViewBalances,
            Action::ReadNotes,
            Action::SkipSelfServiceLimits,
            Action::RequestLeave { overtime: false },
            Action::DecideLeave { overtime: false },
            Action::ChangeLeave { overtime: false },
        ];
        for action in actions {
            let got = row(PolicySettings::default(), |a| {
                may(a, action, Target::Company(COMPANY))
            });
            assert_eq!(got, "------", "{action:?} on the company");
        }
    }

    #[test]
    fn seeing_people_in_a_department_company() {
        use Relation::*;
        check(&[
            (Action::ViewUser, Me, "YYYYYY"),
            (Action::ViewUser, Mine, "YYYYYY"),
            (Action::ViewUser, Watched, "YYYYYY"),
            (Action::ViewUser, Colleague, "YYYYYY"),
            (Action::ViewUser, HiddenColleague, "----YY"),
            (Action::ViewUser, Stranger, "----YY"),
            (Action::ViewUser, Owner, "----YY"),
            (Action::ViewUser, Elsewhere, "------"),
        ]);
    }

    #[test]
    fn colleague_visibility_decides_who_staff_see() {
        use Relation::*;
        let only_self = PolicySettings {
            colleague_visibility: ColleagueVisibility::OnlySelf,
        };
        let company = PolicySettings {
            colleague_visibility: ColleagueVisibility::Company,
        };
        let table = [
            (only_self, Me, "YYYYYY"),
            (only_self, Mine, "YYYYYY"),
            (only_self, Colleague, "----YY"),
            (only_self, Stranger, "----YY"),
            (company, Colleague, "YYYYYY"),
            (company, Stranger, "YYYYYY"),
            (company, HiddenColleague, "----YY"),
            (company, Elsewhere, "------"),
        ];
        for (settings, relation, expected) in table {
            let got = on_user(Action::ViewUser, relation, settings);
            assert_eq!(
                got, expected,
                "{:?} on {relation:?}",
                settings.colleague_visibility
            );
        }
    }

    #[test]
    fn editing_people() {
        use Relation::*;
        let own = Action::EditUser(FieldClass::SelfService);
        let managed = Action::EditUser(FieldClass::Managed);
        let privileged = Action::EditUser(FieldClass::Privileged);
        check(&[
            (own, Me, "YYYYYY"),
            (own, Mine, "-YYYYY"),
            (own, MineForLeave, "-YYYYY"),
            (own, Watched, "----YY"),
            (own, Colleague, "----YY"),
            (own, Owner, "----YY"),
            (own, Elsewhere, "------"),
            (managed, Me, "----YY"),
            (managed, Mine, "-YYYYY"),
            (managed, Watched, "----YY"),
            (managed, Colleague, "----YY"),
            (managed, Elsewhere, "------"),
            (privileged, Me, "----YY"),
            (privileged, Mine, "----YY"),
            (privileged, Colleague, "----YY"),
            (privileged, Owner, "------"),
            (privileged, Elsewhere, "------"),
        ]);
    }

    #[test]
    fn archiving_unlocking_and_resetting_mfa() {
        use Relation::*;
        for action in [Action::ArchiveUser, Action::RestoreUser] {
            check(&[
                (action, Me, "------"),
                (action, Mine, "----YY"),
                (action, Colleague, "----YY"),
                (action, Owner, "------"),
                (action, Elsewhere, "------"),
            ]);
        }
        for action in [Action::UnlockUser, Action::ResetMfa] {
            check(&[
                (action, Me, "----YY"),
                (action, Mine, "----YY"),
                (action, Colleague, "----YY"),
                (action, Owner, "------"),
                (action, Elsewhere, "------"),
            ]);
        }
    }

    #[test]
    fn details_balances_and_notes() {
        use Relation::*;
        check(&[
            (Action::ViewDetails, Me, "YYYYYY"),
            (Action::ViewDetails, Mine, "YYYYYY"),
            (Action::ViewDetails, Watched, "YYYYYY"),
            (Action::ViewDetails, Colleague, "----YY"),
            (Action::ViewDetails, Elsewhere, "------"),
            (Action::ViewBalances, Me, "YYYYYY"),
            (Action::ViewBalances, Mine, "YYYYYY"),
            (Action::ViewBalances, Watched, "----YY"),
            (Action::ViewBalances, Colleague, "----YY"),
            (Action::ViewBalances, Elsewhere, "------"),
            (Action::ReadNotes, Me, "----YY"),
            (Action::ReadNotes, Mine, "YYYYYY"),
            (Action::ReadNotes, Watched, "----YY"),
            (Action::ReadNotes, Colleague, "----YY"),
            (Action::ReadNotes, Elsewhere, "------"),
        ]);
    }

    #[test]
    fn staff_booking_for_themselves_meet_the_limits() {
        use Relation::*;
        check(&[
            (Action::SkipSelfServiceLimits, Me, "-YYYYY"),
            (Action::SkipSelfServiceLimits, Mine, "YYYYYY"),
            (Action::SkipSelfServiceLimits, Colleague, "YYYYYY"),
            (Action::SkipSelfServiceLimits, Elsewhere, "------"),
        ]);
    }

    #[test]
    fn capabilities_are_what_may_allows() {
        let relations = [
            Relation::Me,
            Relation::Mine,
            Relation::Watched,
            Relation::Colleague,
            Relation::Owner,
            Relation::Elsewhere,
        ];
        for role in UserType::ALL {
            let actor = actor(role);
            for relation in relations {
                let facts = target(relation);
                let allowed = capabilities(&actor, Target::User(&facts));
                for action in Action::ALL {
                    assert_eq!(
                        allowed.allows(action),
                        may(&actor, action, Target::User(&facts)),
                        "{role:?} {action:?} on {relation:?}"
                    );
                }
            }
            let on_company = capabilities(&actor, Target::Company(COMPANY));
            assert_eq!(
                on_company.allows(Action::ManageApiAccess),
                role.is_super_user()
            );
            assert!(!on_company.allows(Action::ViewUser));
        }
        let staff = capabilities(&actor(UserType::Staff), Target::User(&target(Relation::Me)));
        assert_eq!(
            staff.actions(),
            [
                Action::ViewCompany,
                Action::ListUsers,
                Action::ViewUser,
                Action::EditUser(FieldClass::SelfService),
                Action::ViewOrganisation,
                Action::ViewDetails,
                Action::ViewLeave,
                Action::ViewBalances,
                Action::RequestLeave { overtime: false },
                Action::RequestLeave { overtime: true },
                Action::ChangeLeave { overtime: false },
                Action::ChangeLeave { overtime: true },
            ]
        );
    }

    #[test]
    fn only_the_owner_touches_the_owner() {
        let owner = Actor {
            is_owner: true,
            ..actor(UserType::SuperUser)
        };
        let facts = target(Relation::Owner);
        for action in [
            Action::EditUser(FieldClass::Privileged),
            Action::ArchiveUser,
            Action::UnlockUser,
            Action::ResetMfa,
        ] {
            assert!(may(&owner, action, Target::User(&facts)), "{action:?}");
        }
    }

    #[test]
    fn leave() {
        use Relation::*;
        let request = Action::RequestLeave { overtime: false };
        let request_overtime = Action::RequestLeave { overtime: true };
        let decide = Action::DecideLeave { overtime: false };
        let decide_overtime = Action::DecideLeave { overtime: true };
        let change = Action::ChangeLeave { overtime: false };
        let change_overtime = Action::ChangeLeave { overtime: true };
        check(&[
            (Action::ViewLeave, Me, "YYYYYY"),
            (Action::ViewLeave, Mine, "YYYYYY"),
            (Action::ViewLeave, Watched, "YYYYYY"),
            (Action::ViewLeave, Colleague, "----YY"),
            (Action::ViewLeave, Owner, "----YY"),
            (Action::ViewLeave, Elsewhere, "------"),
            (request, Me, "YYYYYY"),
            (request, Mine, "--YYYY"),
            (request, MineForLeave, "--YYYY"),
            (request_overtime, MineForLeave, "----YY"),
            (request, Watched, "----YY"),
            (request, Colleague, "----YY"),
            (request, Elsewhere, "------"),
            (decide, Me, "------"),
            (decide, Mine, "YYYYYY"),
            (decide_overtime, MineForLeave, "----YY"),
            (decide, Watched, "----YY"),
            (decide, Colleague, "----YY"),
            (decide, Elsewhere, "------"),
            (change, Me, "YYYYYY"),
            (change, Mine, "---YYY"),
            (change_overtime, MineForLeave, "----YY"),
            (change, Watched, "----YY"),
            (change, Colleague, "----YY"),
            (change, Elsewhere, "------"),
        ]);
    }
}
