//! Who may do what: one pure decision, [`may`], asked by every service before it acts.
//! Tests walk its matrix; no handler compares roles itself.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::leave::ical::FeedScope;
use crate::people::types::{ApproverRole, UserStatus, UserType};

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

impl Actor {
    /// This actor through an API client or key whose role ceiling is `ceiling`: the lower
    /// of the two roles, and the owner's protections only with the owner's full role.
    pub fn capped(self, ceiling: UserType) -> Actor {
        let role = self.role.min(ceiling);
        Actor {
            role,
            is_owner: self.is_owner && role.is_super_user(),
            ..self
        }
    }
}

/// Which colleagues staff may see, a company setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
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

/// What the policy needs to know about a leave type: the lowest role each use of it is
/// open to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaveTypeFacts {
    pub company_id: i64,
    /// The lowest role that may book it for themselves.
    pub available_to: UserType,
    /// The lowest role that sees its name on other people's absences.
    pub seen_by: UserType,
    /// The lowest role that reads the notes on other people's requests of it.
    pub notes_visible_to: UserType,
}

/// One user's leave of one type: a request, or an absence on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaveFacts {
    /// Whose leave it is.
    pub user_id: i64,
    /// Who sits in that user's approver and notifier slots, whatever their scope. Empty
    /// where the caller does not know them: only [`Action::ViewLeave`] and
    /// [`Action::SeeLeaveType`] read them, never [`Action::ReadLeaveNote`].
    pub watchers: [Option<i64>; 3],
    pub leave_type: LeaveTypeFacts,
}

impl LeaveFacts {
    fn watched_by(&self, user_id: i64) -> bool {
        self.watchers.contains(&Some(user_id))
    }
}

/// An iCal feed someone made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedFacts {
    pub company_id: i64,
    pub created_by: i64,
}

/// An API client or key, by how it acts: as whom and how high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialFacts {
    pub company_id: i64,
    /// The highest role it acts with.
    pub role_ceiling: UserType,
    /// Whether the user it acts as is the company's owner.
    pub acts_as_owner: bool,
}

/// A shift, by whose it is and whether staff see it yet.
#[derive(Debug, Clone, Copy)]
pub struct ShiftFacts<'a> {
    pub company_id: i64,
    /// The user who holds it; `None` for an open shift.
    pub user: Option<&'a UserFacts>,
    pub published: bool,
}

/// A swap or drop: whose shift it offers, and to whom.
#[derive(Debug, Clone, Copy)]
pub struct SwapFacts<'a> {
    pub company_id: i64,
    /// The holder of the shift offered.
    pub holder: &'a UserFacts,
    /// The colleagues it is offered to; empty for a drop anyone the shift fits may take.
    pub recipients: &'a [i64],
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
    /// Mail a user without a password a link to set their own (an invitation).
    InviteUser,
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
    /// See a user's leave, balances and requests in detail (aimed at the user), or one
    /// of their absences while it is pending (aimed at their leave).
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
    /// Book a leave type (aimed at the type) for oneself within the self-service limits:
    /// the types offered to one's role.
    BookLeaveType,
    /// See which type an absence is of, otherwise shown as "Away": on anyone's leave of a
    /// type (aimed at the type), or on one user's (aimed at their leave).
    SeeLeaveType,
    /// Read the note on a request: anyone's of a type, or one user's.
    ReadLeaveNote,
    /// See every user of the company in the lists of people and leave, not only oneself
    /// and one's staff; see [`reach`].
    ListEveryone,
    /// Read the notes about a user that are marked restricted.
    ReadRestrictedNotes,
    /// Publish an iCal feed of a user's leave (aimed at the user), or of a department's
    /// or the company's (aimed at the company).
    PublishFeed(FeedScope),
    /// Revoke or regenerate an iCal feed.
    ManageFeed,
    /// Give an API client or key its role ceiling.
    GrantRoleCeiling,
    /// Let an API client or key act as its user.
    ActAs,
    /// Read the company's audit log.
    ViewAudit,
    /// Enable or revoke API access; create, change, regenerate and revoke API clients and keys.
    ManageApiAccess,
    /// Build the schedule at all (create, publish, delete by filter), asked before the
    /// input is read; which shifts is then [`Action::ManageShift`]'s to say.
    ScheduleShifts,
    /// See a shift: anyone's once published; a draft (one's own too) only where one
    /// manages it.
    ViewShift,
    /// Create, change, delete, publish or unpublish a shift (aimed at the shift as it is,
    /// and at it as it will be when it changes hands).
    ManageShift,
    /// Say one has seen one's own shift.
    AcknowledgeShift,
    /// Take an open shift for oneself: anyone in the company, once it is published. Whether
    /// the taker fits it (position, location, calendar) is the schedule's rule to say.
    TakeShift,
    /// Pick a bidder for an open shift that requires approval, or deny them all, and see
    /// every bid (aimed at the shift as it is, and at it as it will be once assigned):
    /// who manages it.
    DecideOpenShift,
    /// Offer a published shift to colleagues (a swap or a drop) and see who could take it
    /// over: its holder, and who manages it.
    OfferShift,
    /// See a swap or drop, and read and write its messages: its holder, the colleagues it
    /// is offered to (everyone, for an open drop), and who manages its holder.
    ViewSwap,
    /// Accept or decline a swap or drop: the colleagues it is offered to (anyone but its
    /// holder, for an open drop). Whether the shift fits them is the schedule's rule.
    AnswerSwap,
    /// Approve or deny an accepted swap: who manages its holder, never the holder.
    DecideSwap,
    /// Cancel a pending swap: its holder, and who manages them.
    CancelSwap,
    /// Clock in and out and take breaks: only ever oneself.
    ClockTime,
    /// Read a user's time entries.
    ViewTime,
    /// Make, edit and delete a user's time entries, approved ones included.
    ManageTime,
    /// Approve a user's time entries, or take the approval back.
    ApproveTime,
    /// Read a user's availability events.
    ViewAvailability,
    /// Make and delete a user's availability events: only ever one's own.
    ManageAvailability,
    /// Read the company's payroll periods and everyone's hours and pay in them.
    ViewPayroll,
    /// Close a payroll period (freezing its hours) and finalise a closed one.
    ClosePayroll,
    /// Reopen a closed payroll period.
    ReopenPayroll,
}

impl Action {
    /// Every action, each parameterised one with each of its values.
    pub const ALL: [Action; 64] = [
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
        Action::InviteUser,
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
        Action::BookLeaveType,
        Action::SeeLeaveType,
        Action::ReadLeaveNote,
        Action::ListEveryone,
        Action::ReadRestrictedNotes,
        Action::PublishFeed(FeedScope::User),
        Action::PublishFeed(FeedScope::Department),
        Action::PublishFeed(FeedScope::Company),
        Action::ManageFeed,
        Action::GrantRoleCeiling,
        Action::ActAs,
        Action::ViewAudit,
        Action::ManageApiAccess,
        Action::ScheduleShifts,
        Action::ViewShift,
        Action::ManageShift,
        Action::AcknowledgeShift,
        Action::TakeShift,
        Action::DecideOpenShift,
        Action::OfferShift,
        Action::ViewSwap,
        Action::AnswerSwap,
        Action::DecideSwap,
        Action::CancelSwap,
        Action::ClockTime,
        Action::ViewTime,
        Action::ManageTime,
        Action::ApproveTime,
        Action::ViewAvailability,
        Action::ManageAvailability,
        Action::ViewPayroll,
        Action::ClosePayroll,
        Action::ReopenPayroll,
    ];
}

/// What an action is aimed at.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The company itself or one of its collections.
    Company(i64),
    User(&'a UserFacts),
    LeaveType(&'a LeaveTypeFacts),
    Leave(&'a LeaveFacts),
    Feed(&'a FeedFacts),
    Credential(&'a CredentialFacts),
    Shift(&'a ShiftFacts<'a>),
    Swap(&'a SwapFacts<'a>),
}

impl Target<'_> {
    fn company_id(&self) -> i64 {
        match self {
            Target::Company(id) => *id,
            Target::User(user) => user.company_id,
            Target::LeaveType(leave_type) => leave_type.company_id,
            Target::Leave(leave) => leave.leave_type.company_id,
            Target::Feed(feed) => feed.company_id,
            Target::Credential(credential) => credential.company_id,
            Target::Shift(shift) => shift.company_id,
            Target::Swap(swap) => swap.company_id,
        }
    }
}

/// Company settings the decision depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
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
        (Action::ViewAudit | Action::ManageApiAccess | Action::ViewPayroll, _) => is_super,
        (Action::ClosePayroll | Action::ReopenPayroll, _) => is_super,
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
        (Action::UnlockUser | Action::ResetMfa | Action::InviteUser, Target::User(user)) => {
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
        (Action::ListEveryone | Action::ReadRestrictedNotes, Target::Company(_)) => is_super,
        (Action::BookLeaveType, Target::LeaveType(leave_type)) => {
            actor.role >= leave_type.available_to
        }
        // On a type: on anyone's leave of it, by role alone.
        (Action::SeeLeaveType, Target::LeaveType(leave_type)) => actor.role >= leave_type.seen_by,
        (Action::ReadLeaveNote, Target::LeaveType(leave_type)) => {
            actor.role >= leave_type.notes_visible_to
        }
        (Action::ViewLeave, Target::Leave(leave)) => close_to(actor, leave),
        (Action::SeeLeaveType, Target::Leave(leave)) => {
            close_to(actor, leave) || may(actor, action, Target::LeaveType(&leave.leave_type))
        }
        (Action::ReadLeaveNote, Target::Leave(leave)) => {
            actor.user_id == leave.user_id
                || may(actor, action, Target::LeaveType(&leave.leave_type))
        }
        // A feed shows a user's leave to whoever subscribes: only who may see that leave
        // publishes it.
        (Action::PublishFeed(FeedScope::User), Target::User(user)) => {
            may(actor, Action::ViewLeave, Target::User(user))
        }
        (Action::PublishFeed(FeedScope::Department), Target::Company(_)) => {
            actor.role.is_approver()
        }
        (Action::PublishFeed(FeedScope::Company), Target::Company(_)) => is_super,
        (Action::ManageFeed, Target::Feed(feed)) => feed.created_by == actor.user_id || is_super,
        // The time clock: everyone clocks themselves; approvers manage and approve the
        // entries of the people whose approving slot names them, super users everyone's.
        // Nobody approves their own.
        (Action::ClockTime, Target::User(user)) => actor.user_id == user.id,
        (Action::ViewTime, Target::User(user)) => {
            actor.user_id == user.id || manages_time_of(actor, user)
        }
        (Action::ManageTime, Target::User(user)) => manages_time_of(actor, user),
        (Action::ApproveTime, Target::User(user)) => {
            actor.user_id != user.id && manages_time_of(actor, user)
        }
        // Availability: everyone keeps their own; who manages their time reads it.
        (Action::ViewAvailability, Target::User(user)) => {
            actor.user_id == user.id || manages_time_of(actor, user)
        }
        (Action::ManageAvailability, Target::User(user)) => actor.user_id == user.id,
        // Nobody hands a credential more than they hold themselves.
        (Action::GrantRoleCeiling, Target::Credential(credential)) => {
            credential.role_ceiling <= actor.role
        }
        (Action::ActAs, Target::Credential(credential)) => {
            !credential.acts_as_owner || actor.is_owner
        }
        // Approvers build the schedule of the staff they approve for, and the open shifts;
        // super users everyone's.
        (Action::ScheduleShifts, Target::Company(_)) => actor.role.is_approver(),
        (Action::ManageShift, Target::Shift(shift)) => {
            is_super
                || (actor.role.is_approver()
                    && shift
                        .user
                        .is_none_or(|user| user.approved_by(actor.user_id)))
        }
        (Action::ViewShift, Target::Shift(shift)) => {
            shift.published || may(actor, Action::ManageShift, target)
        }
        (Action::AcknowledgeShift, Target::Shift(shift)) => {
            shift.user.is_some_and(|user| user.id == actor.user_id)
        }
        (Action::TakeShift, Target::Shift(shift)) => shift.user.is_none() && shift.published,
        (Action::DecideOpenShift, Target::Shift(_)) => may(actor, Action::ManageShift, target),
        (Action::OfferShift, Target::Shift(shift)) => {
            shift.published
                && shift.user.is_some_and(|user| {
                    user.id == actor.user_id || may(actor, Action::ManageShift, target)
                })
        }
        // Swaps: staff their own and those offered to them; managers their people's.
        (Action::ViewSwap, Target::Swap(swap)) => {
            swap.holder.id == actor.user_id
                || swap.recipients.is_empty()
                || swap.recipients.contains(&actor.user_id)
                || manages_time_of(actor, swap.holder)
        }
        (Action::AnswerSwap, Target::Swap(swap)) => {
            swap.holder.id != actor.user_id
                && (swap.recipients.is_empty() || swap.recipients.contains(&actor.user_id))
        }
        (Action::DecideSwap, Target::Swap(swap)) => {
            swap.holder.id != actor.user_id && manages_time_of(actor, swap.holder)
        }
        (Action::CancelSwap, Target::Swap(swap)) => {
            swap.holder.id == actor.user_id || manages_time_of(actor, swap.holder)
        }
        // Every other pairing aims an action at the wrong kind of target.
        _ => false,
    }
}

/// Whether the actor is a super user, or an approver in one of `user`'s approving slots.
fn manages_time_of(actor: &Actor, user: &UserFacts) -> bool {
    actor.role.is_super_user() || (actor.role.is_approver() && user.approved_by(actor.user_id))
}

/// Whether `leave` is the actor's own, or they are a super user or sit in its user's slots.
fn close_to(actor: &Actor, leave: &LeaveFacts) -> bool {
    actor.user_id == leave.user_id || actor.role.is_super_user() || leave.watched_by(actor.user_id)
}

/// The roles whose holders may `action` on `target` whoever they are (someone else, not
/// the owner, in no department): for a query that looks for such people.
fn roles_that_may(action: Action, target: Target<'_>) -> Vec<UserType> {
    UserType::ALL
        .into_iter()
        .filter(|&role| {
            let holder = Actor {
                user_id: 0,
                company_id: target.company_id(),
                role,
                is_owner: false,
                department_id: None,
                origin: crate::access::Origin::default(),
                policy: PolicySettings::default(),
            };
            may(&holder, action, target)
        })
        .collect()
}

/// The roles that approve: whoever holds one may have staff.
pub fn approver_roles(company_id: i64) -> Vec<UserType> {
    roles_that_may(Action::ListMyStaff, Target::Company(company_id))
}

/// The roles that decide anyone's leave (or, with `overtime`, overtime), in no slot of
/// theirs: asked when nobody in a requester's slots approves.
pub fn deciders_for_anyone(company_id: i64, overtime: bool) -> Vec<UserType> {
    let anyone = UserFacts {
        id: -1,
        company_id,
        department_id: None,
        is_hidden: false,
        is_owner: false,
        approvers: [(None, ApproverRole::None); 3],
    };
    roles_that_may(Action::DecideLeave { overtime }, Target::User(&anyone))
}

/// Whether the company's owner may be left with `role` and `status`: whoever edits them,
/// even the owner, the owner stays an active super user.
pub fn owner_may_be(role: UserType, status: UserStatus) -> bool {
    role.is_super_user() && status == UserStatus::Active
}

/// How far the lists of people and their leave reach for an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every user of the company.
    Everyone,
    /// Only the people related to this user: themselves, and those whose approver or
    /// notifier slots name them (each list says which slots count).
    Related(i64),
}

/// The [`Reach`] of `actor`'s lists: everyone for those who [`Action::ListEveryone`].
pub fn reach(actor: &Actor) -> Reach {
    if may(
        actor,
        Action::ListEveryone,
        Target::Company(actor.company_id),
    ) {
        Reach::Everyone
    } else {
        Reach::Related(actor.user_id)
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
mod tests;
