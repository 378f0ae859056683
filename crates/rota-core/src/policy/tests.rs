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
        (Action::ViewPayroll, "----YY"),
        (Action::ClosePayroll, "----YY"),
        (Action::ReopenPayroll, "----YY"),
        (Action::ManageApiAccess, "----YY"),
        (Action::BookOverNoTimeOff, "----YY"),
        (Action::OverrideStaffing, "----YY"),
        (Action::ListMyStaff, "-YYYYY"),
        (Action::ScheduleShifts, "-YYYYY"),
        (Action::ListEveryone, "----YY"),
        (Action::ReadRestrictedNotes, "----YY"),
        (Action::PublishFeed(FeedScope::Department), "-YYYYY"),
        (Action::PublishFeed(FeedScope::Company), "----YY"),
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
fn actions_need_their_kind_of_target() {
    let actions = [
        Action::ViewUser,
        Action::EditUser(FieldClass::SelfService),
        Action::ArchiveUser,
        Action::RestoreUser,
        Action::UnlockUser,
        Action::ResetMfa,
        Action::InviteUser,
        Action::ViewDetails,
        Action::ViewLeave,
        Action::ViewBalances,
        Action::ReadNotes,
        Action::SkipSelfServiceLimits,
        Action::RequestLeave { overtime: false },
        Action::DecideLeave { overtime: false },
        Action::ChangeLeave { overtime: false },
        Action::PublishFeed(FeedScope::User),
        Action::BookLeaveType,
        Action::SeeLeaveType,
        Action::ReadLeaveNote,
        Action::ManageFeed,
        Action::GrantRoleCeiling,
        Action::ActAs,
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
    for action in [Action::UnlockUser, Action::ResetMfa, Action::InviteUser] {
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
fn the_time_clock() {
    use Relation::*;
    check(&[
        (Action::ClockTime, Me, "YYYYYY"),
        (Action::ClockTime, Mine, "------"),
        (Action::ClockTime, Colleague, "------"),
        (Action::ClockTime, Elsewhere, "------"),
        (Action::ViewTime, Me, "YYYYYY"),
        (Action::ViewTime, Mine, "-YYYYY"),
        (Action::ViewTime, MineForLeave, "-YYYYY"),
        (Action::ViewTime, Watched, "----YY"),
        (Action::ViewTime, Colleague, "----YY"),
        (Action::ViewTime, Owner, "----YY"),
        (Action::ViewTime, Elsewhere, "------"),
        (Action::ManageTime, Me, "----YY"),
        (Action::ManageTime, Mine, "-YYYYY"),
        (Action::ManageTime, Watched, "----YY"),
        (Action::ManageTime, Colleague, "----YY"),
        (Action::ManageTime, Owner, "----YY"),
        (Action::ManageTime, Elsewhere, "------"),
        (Action::ApproveTime, Me, "------"),
        (Action::ApproveTime, Mine, "-YYYYY"),
        (Action::ApproveTime, Watched, "----YY"),
        (Action::ApproveTime, Colleague, "----YY"),
        (Action::ApproveTime, Elsewhere, "------"),
        (Action::ViewAvailability, Me, "YYYYYY"),
        (Action::ViewAvailability, Mine, "-YYYYY"),
        (Action::ViewAvailability, Watched, "----YY"),
        (Action::ViewAvailability, Colleague, "----YY"),
        (Action::ViewAvailability, Elsewhere, "------"),
        (Action::ManageAvailability, Me, "YYYYYY"),
        (Action::ManageAvailability, Mine, "------"),
        (Action::ManageAvailability, Colleague, "------"),
        (Action::ManageAvailability, Elsewhere, "------"),
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
            Action::PublishFeed(FeedScope::User),
            Action::ClockTime,
            Action::ViewTime,
            Action::ViewAvailability,
            Action::ManageAvailability,
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
        Action::InviteUser,
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

fn leave_type(threshold: UserType) -> LeaveTypeFacts {
    LeaveTypeFacts {
        company_id: COMPANY,
        available_to: threshold,
        seen_by: threshold,
        notes_visible_to: threshold,
    }
}

#[test]
fn leave_types_are_open_from_a_role_up() {
    let table = [
        (UserType::Staff, "YYYYYY"),
        (UserType::Approver, "-YYYYY"),
        (UserType::ApproverPlusAddEditCancel, "---YYY"),
        (UserType::SuperUser, "----YY"),
        (UserType::SuperUserWithStaffHub, "-----Y"),
    ];
    for action in [
        Action::BookLeaveType,
        Action::SeeLeaveType,
        Action::ReadLeaveNote,
    ] {
        for (threshold, expected) in table {
            let facts = leave_type(threshold);
            let got = row(PolicySettings::default(), |a| {
                may(a, action, Target::LeaveType(&facts))
            });
            assert_eq!(got, expected, "{action:?} from {threshold:?}");
            let theirs = LeaveTypeFacts {
                company_id: COMPANY + 1,
                ..facts
            };
            let got = row(PolicySettings::default(), |a| {
                may(a, action, Target::LeaveType(&theirs))
            });
            assert_eq!(got, "------", "{action:?} in another company");
        }
    }
}

#[test]
fn a_users_leave_shows_its_type_to_those_close_and_its_note_to_its_owner() {
    // Open to the staff hub only, so that what else lets an actor in shows.
    let hub_only = leave_type(UserType::SuperUserWithStaffHub);
    let mine = LeaveFacts {
        user_id: ACTOR,
        watchers: [None; 3],
        leave_type: hub_only,
    };
    let watched = LeaveFacts {
        user_id: 2,
        watchers: [None, Some(ACTOR), None],
        leave_type: hub_only,
    };
    let strangers = LeaveFacts {
        user_id: 2,
        watchers: [Some(3), None, None],
        leave_type: hub_only,
    };
    let approvers_see = LeaveFacts {
        leave_type: leave_type(UserType::Approver),
        ..strangers
    };
    let elsewhere = LeaveFacts {
        leave_type: LeaveTypeFacts {
            company_id: COMPANY + 1,
            ..hub_only
        },
        ..mine
    };
    let table = [
        (Action::ViewLeave, mine, "YYYYYY"),
        (Action::ViewLeave, watched, "YYYYYY"),
        (Action::ViewLeave, strangers, "----YY"),
        (Action::ViewLeave, elsewhere, "------"),
        (Action::SeeLeaveType, mine, "YYYYYY"),
        (Action::SeeLeaveType, watched, "YYYYYY"),
        (Action::SeeLeaveType, strangers, "----YY"),
        (Action::SeeLeaveType, approvers_see, "-YYYYY"),
        (Action::SeeLeaveType, elsewhere, "------"),
        (Action::ReadLeaveNote, mine, "YYYYYY"),
        (Action::ReadLeaveNote, watched, "-----Y"),
        (Action::ReadLeaveNote, strangers, "-----Y"),
        (Action::ReadLeaveNote, approvers_see, "-YYYYY"),
        (Action::ReadLeaveNote, elsewhere, "------"),
        (Action::BookLeaveType, mine, "------"),
    ];
    for (action, leave, expected) in table {
        let got = row(PolicySettings::default(), |a| {
            may(a, action, Target::Leave(&leave))
        });
        assert_eq!(got, expected, "{action:?} on {leave:?}");
    }
}

#[test]
fn feeds() {
    use Relation::*;
    let publish = Action::PublishFeed(FeedScope::User);
    check(&[
        (publish, Me, "YYYYYY"),
        (publish, Mine, "YYYYYY"),
        (publish, Watched, "YYYYYY"),
        (publish, Colleague, "----YY"),
        (publish, Elsewhere, "------"),
    ]);
    let feed = |company_id, created_by| FeedFacts {
        company_id,
        created_by,
    };
    let table = [
        (feed(COMPANY, ACTOR), "YYYYYY"),
        (feed(COMPANY, 2), "----YY"),
        (feed(COMPANY + 1, ACTOR), "------"),
    ];
    for (facts, expected) in table {
        let got = row(PolicySettings::default(), |a| {
            may(a, Action::ManageFeed, Target::Feed(&facts))
        });
        assert_eq!(got, expected, "{facts:?}");
    }
}

#[test]
fn credentials_act_with_no_more_than_their_maker_holds() {
    let credential = |role_ceiling, acts_as_owner| CredentialFacts {
        company_id: COMPANY,
        role_ceiling,
        acts_as_owner,
    };
    let table = [
        (
            Action::GrantRoleCeiling,
            credential(UserType::Staff, false),
            "YYYYYY",
        ),
        (
            Action::GrantRoleCeiling,
            credential(UserType::ApproverPlusAdd, false),
            "--YYYY",
        ),
        (
            Action::GrantRoleCeiling,
            credential(UserType::SuperUser, false),
            "----YY",
        ),
        (
            Action::GrantRoleCeiling,
            credential(UserType::SuperUserWithStaffHub, true),
            "-----Y",
        ),
        (
            Action::ActAs,
            credential(UserType::SuperUser, false),
            "YYYYYY",
        ),
        (Action::ActAs, credential(UserType::Staff, true), "------"),
    ];
    for (action, facts, expected) in table {
        let got = row(PolicySettings::default(), |a| {
            may(a, action, Target::Credential(&facts))
        });
        assert_eq!(got, expected, "{action:?} on {facts:?}");
        let elsewhere = CredentialFacts {
            company_id: COMPANY + 1,
            ..facts
        };
        let got = row(PolicySettings::default(), |a| {
            may(a, action, Target::Credential(&elsewhere))
        });
        assert_eq!(got, "------", "{action:?} in another company");
    }
    let owner = Actor {
        is_owner: true,
        ..actor(UserType::SuperUser)
    };
    assert!(may(
        &owner,
        Action::ActAs,
        Target::Credential(&credential(UserType::SuperUser, true))
    ));
}

#[test]
fn a_ceiling_caps_the_role_and_the_owners_protections_need_the_full_role() {
    let owner = Actor {
        is_owner: true,
        ..actor(UserType::SuperUser)
    };
    let full = owner.capped(UserType::SuperUserWithStaffHub);
    assert_eq!((full.role, full.is_owner), (UserType::SuperUser, true));
    let exact = owner.capped(UserType::SuperUser);
    assert_eq!((exact.role, exact.is_owner), (UserType::SuperUser, true));
    let lowered = owner.capped(UserType::ApproverPlusAdd);
    assert_eq!(
        (lowered.role, lowered.is_owner),
        (UserType::ApproverPlusAdd, false)
    );
    let staff = actor(UserType::Staff).capped(UserType::SuperUser);
    assert_eq!((staff.role, staff.is_owner), (UserType::Staff, false));
}

#[test]
fn queries_look_for_approvers_and_for_the_super_users_who_decide_for_anyone() {
    use UserType::*;
    assert_eq!(
        approver_roles(COMPANY),
        [
            Approver,
            ApproverPlusAdd,
            ApproverPlusAddEditCancel,
            SuperUser,
            SuperUserWithStaffHub
        ]
    );
    for overtime in [false, true] {
        assert_eq!(
            deciders_for_anyone(COMPANY, overtime),
            [SuperUser, SuperUserWithStaffHub]
        );
    }
}

#[test]
fn the_owner_stays_an_active_super_user() {
    for (status, expected) in [
        (UserStatus::Active, "----YY"),
        (UserStatus::Pending, "------"),
        (UserStatus::Archived, "------"),
    ] {
        let got: String = UserType::ALL
            .into_iter()
            .map(|role| if owner_may_be(role, status) { 'Y' } else { '-' })
            .collect();
        assert_eq!(got, expected, "{status:?}");
    }
}

#[test]
fn only_super_users_lists_reach_everyone() {
    for role in UserType::ALL {
        let expected = if role.is_super_user() {
            Reach::Everyone
        } else {
            Reach::Related(ACTOR)
        };
        assert_eq!(reach(&actor(role)), expected, "{role:?}");
    }
}

/// `may` on a shift of someone related to the actor as `relation` (or, with `None`, an
/// open shift), published or a draft.
fn on_shift(action: Action, relation: Option<Relation>, published: bool) -> String {
    let facts = relation.map(target);
    let shift = ShiftFacts {
        company_id: facts.as_ref().map_or(COMPANY, |f| f.company_id),
        user: facts.as_ref(),
        published,
    };
    row(PolicySettings::default(), |actor| {
        may(actor, action, Target::Shift(&shift))
    })
}

#[test]
fn shifts() {
    use Relation::*;
    let table = [
        // Approvers manage their staff's shifts and the open ones; super users all.
        (Action::ManageShift, Some(Me), false, "----YY"),
        (Action::ManageShift, Some(Mine), false, "-YYYYY"),
        (Action::ManageShift, Some(MineForLeave), true, "-YYYYY"),
        (Action::ManageShift, Some(Watched), true, "----YY"),
        (Action::ManageShift, Some(Colleague), true, "----YY"),
        (Action::ManageShift, None, false, "-YYYYY"),
        (Action::ManageShift, Some(Elsewhere), true, "------"),
        // Staff see shifts once published, their own too; drafts are their managers'.
        (Action::ViewShift, Some(Me), false, "----YY"),
        (Action::ViewShift, Some(Me), true, "YYYYYY"),
        (Action::ViewShift, Some(Colleague), true, "YYYYYY"),
        (Action::ViewShift, Some(Stranger), true, "YYYYYY"),
        (Action::ViewShift, Some(Colleague), false, "----YY"),
        (Action::ViewShift, Some(Mine), false, "-YYYYY"),
        (Action::ViewShift, None, false, "-YYYYY"),
        (Action::ViewShift, None, true, "YYYYYY"),
        (Action::ViewShift, Some(Elsewhere), true, "------"),
        // Only its holder acknowledges a shift.
        (Action::AcknowledgeShift, Some(Me), true, "YYYYYY"),
        (Action::AcknowledgeShift, Some(Mine), true, "------"),
        (Action::AcknowledgeShift, None, true, "------"),
        // Anyone takes a published open shift for themselves; nobody a draft or a held one.
        (Action::TakeShift, None, true, "YYYYYY"),
        (Action::TakeShift, None, false, "------"),
        (Action::TakeShift, Some(Me), true, "------"),
        (Action::TakeShift, Some(Colleague), true, "------"),
        // Who manages an open shift picks among its bids, and who manages the bidder's
        // shifts when one is given to them.
        (Action::DecideOpenShift, None, true, "-YYYYY"),
        (Action::DecideOpenShift, Some(Mine), true, "-YYYYY"),
        (Action::DecideOpenShift, Some(Colleague), true, "----YY"),
        (Action::DecideOpenShift, Some(Me), true, "----YY"),
        // Its holder offers a published shift, and who manages it; an open one is not offered.
        (Action::OfferShift, Some(Me), true, "YYYYYY"),
        (Action::OfferShift, Some(Me), false, "------"),
        (Action::OfferShift, Some(Mine), true, "-YYYYY"),
        (Action::OfferShift, Some(Colleague), true, "----YY"),
        (Action::OfferShift, None, true, "------"),
    ];
    for (action, relation, published, expected) in table {
        assert_eq!(
            on_shift(action, relation, published),
            expected,
            "{action:?} on {relation:?}, published {published}"
        );
    }
}

/// `may` on a swap of a shift held by someone related to the actor as `holder`, offered to
/// the actor (`to_me`), to someone else, or (`open`) to anyone it fits.
fn on_swap(action: Action, holder: Relation, to_me: bool, open: bool) -> String {
    let facts = target(holder);
    let recipients: Vec<i64> = match (open, to_me) {
        (true, _) => Vec::new(),
        (false, true) => vec![ACTOR],
        (false, false) => vec![ACTOR + 1000],
    };
    let swap = SwapFacts {
        company_id: facts.company_id,
        holder: &facts,
        recipients: &recipients,
    };
    row(PolicySettings::default(), |actor| {
        may(actor, action, Target::Swap(&swap))
    })
}

#[test]
fn swaps() {
    use Relation::*;
    let table = [
        // Staff see their own swaps and those offered to them; managers their people's.
        (Action::ViewSwap, Me, false, false, "YYYYYY"),
        (Action::ViewSwap, Colleague, true, false, "YYYYYY"),
        (Action::ViewSwap, Colleague, false, true, "YYYYYY"),
        (Action::ViewSwap, Colleague, false, false, "----YY"),
        (Action::ViewSwap, Mine, false, false, "-YYYYY"),
        (Action::ViewSwap, Elsewhere, true, false, "------"),
        // Those it is offered to answer it, never its holder.
        (Action::AnswerSwap, Colleague, true, false, "YYYYYY"),
        (Action::AnswerSwap, Colleague, false, true, "YYYYYY"),
        (Action::AnswerSwap, Colleague, false, false, "------"),
        (Action::AnswerSwap, Me, false, true, "------"),
        // Who manages its holder decides it; nobody their own.
        (Action::DecideSwap, Mine, false, false, "-YYYYY"),
        (Action::DecideSwap, Colleague, true, false, "----YY"),
        (Action::DecideSwap, Me, false, false, "------"),
        // Its holder cancels it, and who manages them.
        (Action::CancelSwap, Me, false, false, "YYYYYY"),
        (Action::CancelSwap, Mine, false, false, "-YYYYY"),
        (Action::CancelSwap, Colleague, true, false, "----YY"),
    ];
    for (action, holder, to_me, open, expected) in table {
        assert_eq!(
            on_swap(action, holder, to_me, open),
            expected,
            "{action:?} on {holder:?}'s swap, to me {to_me}, open {open}"
        );
    }
}
