//! The authorisation matrix: every route × every role × own company / other company,
//! against the expected answer, from one table. The same table proves the OpenAPI
//! document lists every route (see `openapi.rs`).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Cast, Member, TestApp, TestCompany};

/// The roles a matrix row is tried with, in the order of [`Row::own`].
pub const ROLES: [&str; 7] = [
    "staff",
    "approver",
    "approver_add",
    "approver_edit",
    "super_user",
    "super_hub",
    "owner",
];

/// What a route is aimed at; resolved to an id (made fresh where the call consumes it).
#[derive(Debug, Clone, Copy)]
pub enum Target {
    None,
    /// The staff member who reports to the approver, in the shared department.
    Staff,
    /// A fresh user in the shared department (for archive).
    FreshColleague,
    /// A fresh, archived user in the shared department (for restore).
    FreshArchivedColleague,
    /// An existing organisation item of this collection.
    Item(&'static str),
    /// A fresh organisation item of this collection (for delete).
    FreshItem(&'static str),
    /// A fresh pending request of the staff member (working from home, on a new day).
    StaffRequest,
    /// A fresh iCal feed of the staff member's own leave.
    StaffFeed,
    /// A fresh restriction of the staff member against the approver (`{restriction_id}`;
    /// `{id}` is the staff member).
    StaffRestriction,
    /// The company's API access switched off first (for enable); no id.
    ApiAccessOff,
    /// The company's API access switched on first (for creating clients and keys); no id.
    ApiAccessOn,
    /// A fresh API client of the company.
    FreshApiClient,
    /// A fresh API key of the company.
    FreshApiKey,
    /// A fresh webhook subscription of the company.
    FreshWebhook,
    /// A fresh published shift of the staff member, on a day of its own.
    StaffShift,
    /// A fresh published open shift, on a day of its own.
    OpenShift,
    /// A fresh drop of a fresh shift of the staff member's, offered by them to the
    /// approver-plus-add (who manages nobody), waiting for acceptance.
    StaffSwap,
    /// The same, accepted by the approver-plus-add and waiting for approval.
    AcceptedSwap,
    /// A fresh shift template.
    FreshTemplate,
    /// The request of a fresh published open shift that requires approval, which the
    /// staff member bid for.
    StaffBid,
    /// A fresh, finished time entry of the staff member, on a day of its own.
    StaffTimeEntry,
    /// A fresh published repeating shift of the staff member, a week falling on
    /// [`CHAIN_DAY`] (made with `override`, as every fixture chain shares that week).
    StaffChain,
    /// A fresh availability event of the staff member's, made by them.
    StaffAvailability,
    /// The company's current payroll period (cut by listing them).
    PayrollPeriod,
    /// A fresh open payroll period of the company, a day long, on a day of its own long
    /// past (for close).
    FreshPayrollPeriod,
    /// A fresh closed payroll period of the company, likewise (for reopen and finalise).
    FreshClosedPayrollPeriod,
}

/// A day every fixture chain falls on: the `{date}` of an occurrence's path.
const CHAIN_DAY: &str = "2033-01-05";

/// Expected outcome: `A` allowed (any 2xx), `F` 403, `N` 404, `V` let through and then
/// refused on its input or the actor's own state (409 or 422: a wrong MFA code, MFA not
/// switched on), for routes whose success needs a secret the matrix cannot know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum E {
    A,
    F,
    N,
    V,
}
use E::{A, F, N, V};

pub struct Row {
    pub method: Method,
    pub path: &'static str,
    pub target: Target,
    pub body: fn() -> Option<Value>,
    /// Expected in the actor's own company, per [`ROLES`].
    pub own: [E; 7],
    /// Whether the row is also tried against another company's target, which must be
    /// refused exactly as an absent id is.
    pub cross_company: bool,
}

fn no_body() -> Option<Value> {
    None
}

/// Routes that need no session, tested in their own files.
pub const PUBLIC: [(&str, &str); 12] = [
    ("POST", "/api/v1/oauth/token"),
    ("POST", "/api/v1/auth/mfa/verify"),
    ("GET", "/ical/{token}"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/companies"),
    ("GET", "/health"),
    ("GET", "/ready"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/openapi.json"),
    ("POST", "/api/v1/auth/invitation/accept"),
    ("POST", "/api/v1/auth/password/forgot"),
    ("POST", "/api/v1/auth/password/reset"),
];

const EVERYONE: [E; 7] = [A, A, A, A, A, A, A];
const SUPER_ONLY: [E; 7] = [F, F, F, F, A, A, A];
const APPROVERS: [E; 7] = [F, A, A, A, A, A, A];
const EVERYONE_REFUSED_ON_INPUT: [E; 7] = [V, V, V, V, V, V, V];

fn org_rows(
    collection: &'static str,
    member: &'static str,
    create: fn() -> Option<Value>,
    update: fn() -> Option<Value>,
) -> Vec<Row> {
    vec![
        Row {
            method: Method::GET,
            path: collection,
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: collection,
            target: Target::None,
            body: create,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: member,
            target: Target::Item(collection),
            body: no_body,
            own: EVERYONE,
            cross_company: true,
        },
        Row {
            method: Method::PATCH,
            path: member,
            target: Target::Item(collection),
            body: update,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::DELETE,
            path: member,
            target: Target::FreshItem(collection),
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
    ]
}

/// A unique name, so that creates never clash with each other.
fn fresh_name() -> String {
    format!("Item {:x}", rand::random::<u64>())
}

pub fn table() -> Vec<Row> {
    let mut rows = vec![
        Row {
            method: Method::GET,
            path: "/api/v1/auth/me",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/company",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::PATCH,
            path: "/api/v1/company",
            target: Target::None,
            body: || Some(json!({"week_start": "monday"})),
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/users",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/users",
            target: Target::None,
            body: || {
                Some(
                    json!({"email": format!("{:x}@new.test", rand::random::<u64>()), "first_name": "New", "last_name": "Person"}),
                )
            },
            own: SUPER_ONLY,
            cross_company: false,
        },
        // People as CSV: super users, who alone create people (the import sends CSV,
        // see `import_csv`).
        Row {
            method: Method::POST,
            path: "/api/v1/users/import",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/users/export.csv",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/users/me",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/users/approvers",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/users/my-staff",
            target: Target::None,
            body: no_body,
            own: APPROVERS,
            cross_company: false,
        },
        // The staff member: seen by themselves, their approver, a colleague in the same
        // department and super users; not by an approver elsewhere.
        Row {
            method: Method::GET,
            path: "/api/v1/users/{id}",
            target: Target::Staff,
            body: no_body,
            own: [A, A, A, N, A, A, A],
            cross_company: true,
        },
        // A managed field: the approver and super users, not the staff member themselves.
        Row {
            method: Method::PATCH,
            path: "/api/v1/users/{id}",
            target: Target::Staff,
            body: || Some(json!({"job_title": "Analyst"})),
            own: [F, A, F, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::DELETE,
            path: "/api/v1/users/{id}",
            target: Target::FreshColleague,
            body: no_body,
            own: [F, F, F, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/users/{id}/restore",
            target: Target::FreshArchivedColleague,
            body: no_body,
            own: [F, F, F, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/users/{id}/unlock",
            target: Target::Staff,
            body: no_body,
            own: [F, F, F, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/users/{id}/mfa/reset",
            target: Target::Staff,
            body: no_body,
            own: [F, F, F, N, A, A, A],
            cross_company: true,
        },
        // Super users invite; the staff member has a password already, so the invitation
        // gets past the role check and is refused (409 `already_has_password`).
        Row {
            method: Method::POST,
            path: "/api/v1/users/{id}/invitation",
            target: Target::Staff,
            body: no_body,
            own: [F, F, F, N, V, V, V],
            cross_company: true,
        },
        // Everyone manages their own MFA. Enrolment succeeds; confirming or regenerating
        // with a malformed code, and switching off without MFA on, get past the role check
        // and no further (a well-formed guess could, once in a million, be right).
        Row {
            method: Method::GET,
            path: "/api/v1/auth/mfa",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/mfa/enrol",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/mfa/confirm",
            target: Target::None,
            body: || Some(json!({"code": "00000x"})),
            own: EVERYONE_REFUSED_ON_INPUT,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/mfa/disable",
            target: Target::None,
            body: || Some(json!({"password": crate::common::PASSWORD})),
            own: EVERYONE_REFUSED_ON_INPUT,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/mfa/recovery-codes",
            target: Target::None,
            body: || Some(json!({"code": "00000x"})),
            own: EVERYONE_REFUSED_ON_INPUT,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/tags/{id}/users",
            target: Target::Item("/api/v1/tags"),
            body: no_body,
            own: EVERYONE,
            cross_company: true,
        },
    ];
    rows.extend(org_rows(
        "/api/v1/departments",
        "/api/v1/departments/{id}",
        || Some(json!({"name": fresh_name(), "min_user": 1})),
        || Some(json!({"min_user": 2})),
    ));
    rows.extend(org_rows(
        "/api/v1/regions",
        "/api/v1/regions/{id}",
        || Some(json!({"name": fresh_name()})),
        || Some(json!({"name": fresh_name()})),
    ));
    rows.extend(org_rows(
        "/api/v1/locations",
        "/api/v1/locations/{id}",
        || Some(json!({"name": fresh_name(), "time_zone": "Europe/Dublin"})),
        || Some(json!({"address": "1 High Street"})),
    ));
    rows.extend(org_rows(
        "/api/v1/positions",
        "/api/v1/positions/{id}",
        || Some(json!({"name": fresh_name(), "color": "cc0000"})),
        || Some(json!({"sort": 3})),
    ));
    rows.extend(org_rows(
        "/api/v1/tags",
        "/api/v1/tags/{id}",
        || Some(json!({"name": fresh_name()})),
        || Some(json!({"name": fresh_name()})),
    ));
    rows.extend(org_rows(
        "/api/v1/sites",
        "/api/v1/sites/{id}",
        || None,
        || Some(json!({"description": "Meeting room"})),
    ));
    rows.extend(org_rows(
        "/api/v1/annotations",
        "/api/v1/annotations/{id}",
        || Some(json!({"kind": "announcement", "title": fresh_name(), "start_date": "2027-02-01", "end_date": "2027-02-01"})),
        || Some(json!({"message": "Bring cake"})),
    ));
    rows.extend(org_rows(
        "/api/v1/company-holidays",
        "/api/v1/company-holidays/{id}",
        || Some(json!({"date": "2027-06-07", "name": fresh_name()})),
        || Some(json!({"working_day": false})),
    ));
    rows.extend(org_rows(
        "/api/v1/leave-types",
        "/api/v1/leave-types/{id}",
        || Some(json!({"code": fresh_code(), "name": fresh_name()})),
        || Some(json!({"min_notice_days": 2})),
    ));
    // Leave. The staff member's requests and balances: themselves, their approver and super
    // users; a colleague approver elsewhere sees none of it.
    const OWN_AND_APPROVER: [E; 7] = [A, A, N, N, A, A, A];
    let own_leave =
        || Some(json!({"leave_type_id": "WFH", "start_date": next_weekday(), "end_date": "same"}));
    rows.extend([
        Row { method: Method::GET, path: "/api/v1/leave-requests", target: Target::None, body: no_body, own: EVERYONE, cross_company: false },
        Row { method: Method::POST, path: "/api/v1/leave-requests", target: Target::None, body: own_leave, own: EVERYONE, cross_company: false },
        Row { method: Method::POST, path: "/api/v1/leave-requests/quote", target: Target::None, body: own_leave, own: EVERYONE, cross_company: false },
        Row { method: Method::GET, path: "/api/v1/leave-requests/{id}", target: Target::StaffRequest, body: no_body, own: OWN_AND_APPROVER, cross_company: true },
        Row { method: Method::PATCH, path: "/api/v1/leave-requests/{id}", target: Target::StaffRequest, body: || Some(json!({"note": "Updated"})), own: [A, F, N, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/leave-requests/{id}/approve", target: Target::StaffRequest, body: || Some(json!({})), own: [F, A, N, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/leave-requests/{id}/decline", target: Target::StaffRequest, body: || Some(json!({"reason": "Busy week"})), own: [F, A, N, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/leave-requests/{id}/cancel", target: Target::StaffRequest, body: || Some(json!({})), own: [A, F, N, N, A, A, A], cross_company: true },
        Row { method: Method::GET, path: "/api/v1/leave-requests/{id}/comments", target: Target::StaffRequest, body: no_body, own: OWN_AND_APPROVER, cross_company: true },
        Row { method: Method::GET, path: "/api/v1/leave-requests/{id}/shifts", target: Target::StaffRequest, body: no_body, own: OWN_AND_APPROVER, cross_company: true },
        Row { method: Method::POST, path: "/api/v1/leave-requests/{id}/comments", target: Target::StaffRequest, body: || Some(json!({"content": "Fine by me"})), own: OWN_AND_APPROVER, cross_company: true },
        Row { method: Method::GET, path: "/api/v1/users/{id}/allowances", target: Target::Staff, body: no_body, own: OWN_AND_APPROVER, cross_company: true },
        Row { method: Method::POST, path: "/api/v1/users/{id}/allowances/adjustments", target: Target::Staff, body: || Some(json!({"leave_type_id": "HOLIDAY", "amount": 50, "reason": "Long service"})), own: [F, F, N, N, A, A, A], cross_company: true },
        Row { method: Method::PUT, path: "/api/v1/users/{id}/allowances/opening", target: Target::Staff, body: || Some(json!({"leave_type_id": "HOLIDAY", "opening": 2500})), own: [F, F, N, N, A, A, A], cross_company: true },
        Row { method: Method::GET, path: "/api/v1/users/{id}/work-patterns", target: Target::Staff, body: no_body, own: [A, A, A, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/users/{id}/work-patterns", target: Target::Staff, body: || Some(json!({"start_date": "2026-01-05", "monday": 450, "tuesday": 450, "wednesday": 450, "thursday": 450, "friday": 240, "saturday": 0, "sunday": 0})), own: [F, A, F, N, A, A, A], cross_company: true },
        Row { method: Method::GET, path: "/api/v1/company/work-patterns", target: Target::None, body: no_body, own: EVERYONE, cross_company: false },
        Row { method: Method::POST, path: "/api/v1/company/work-patterns", target: Target::None, body: || Some(json!({"start_date": "2026-01-05", "monday": 480, "tuesday": 480, "wednesday": 480, "thursday": 480, "friday": 480, "saturday": 0, "sunday": 0})), own: SUPER_ONLY, cross_company: false },
        Row { method: Method::POST, path: "/api/v1/leave-years/roll", target: Target::None, body: || Some(json!({"date": "2026-06-01"})), own: SUPER_ONLY, cross_company: false },
        Row { method: Method::GET, path: "/api/v1/calendar?from=2027-01-01&to=2027-01-31", target: Target::None, body: no_body, own: EVERYONE, cross_company: false },
        Row { method: Method::GET, path: "/api/v1/reports/my-staff?from=2027-01-01&to=2027-12-31", target: Target::None, body: no_body, own: APPROVERS, cross_company: false },
        Row { method: Method::GET, path: "/api/v1/users/{id}/notes", target: Target::Staff, body: no_body, own: [F, A, F, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/users/{id}/notes", target: Target::Staff, body: || Some(json!({"note": "Prefers mornings"})), own: [F, F, F, N, A, A, A], cross_company: true },
        Row { method: Method::GET, path: "/api/v1/users/{id}/restrictions", target: Target::Staff, body: no_body, own: [F, A, F, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/users/{id}/restrictions", target: Target::Staff, body: || Some(json!({"restricted_user_id": "APPROVER"})), own: [F, F, F, N, A, A, A], cross_company: true },
        Row { method: Method::DELETE, path: "/api/v1/users/{id}/restrictions/{restriction_id}", target: Target::StaffRestriction, body: no_body, own: [F, F, F, N, A, A, A], cross_company: true },
        Row { method: Method::GET, path: "/api/v1/public-holidays/countries", target: Target::None, body: no_body, own: EVERYONE, cross_company: false },
        Row { method: Method::GET, path: "/api/v1/public-holidays?country=GB&from=2026-01-01&to=2026-12-31", target: Target::None, body: no_body, own: EVERYONE, cross_company: false },
        Row { method: Method::GET, path: "/api/v1/ical-feeds", target: Target::None, body: no_body, own: EVERYONE, cross_company: false },
        Row { method: Method::POST, path: "/api/v1/ical-feeds", target: Target::None, body: || Some(json!({"scope": "user"})), own: EVERYONE, cross_company: false },
        Row { method: Method::DELETE, path: "/api/v1/ical-feeds/{id}", target: Target::StaffFeed, body: no_body, own: [A, N, N, N, A, A, A], cross_company: true },
        Row { method: Method::POST, path: "/api/v1/ical-feeds/{id}/regenerate", target: Target::StaffFeed, body: no_body, own: [A, N, N, N, A, A, A], cross_company: true },
    ]);
    // The time clock. Everyone clocks themselves in, takes a break and clocks out, in this
    // order; the staff member's entries are theirs to read and their approver's (and super
    // users') to manage and approve.
    let time_rules = || {
        Some(
            json!({"clock_in_increment": 5, "clock_in_rounding": "employee_favour",
                    "clock_out_increment": 5, "clock_out_rounding": "employee_favour"}),
        )
    };
    // The payroll rule: everyone reads it, super users set it.
    let payroll_rule = || {
        Some(
            json!({"frequency": "monthly", "first_day": "2026-01-01", "daily_overtime_minutes": 480,
                   "weekly_overtime_minutes": 0, "week_starts_on": "monday", "overtime_multiplier": 150}),
        )
    };
    rows.extend([
        Row {
            method: Method::GET,
            path: "/api/v1/company/time-clock",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::PUT,
            path: "/api/v1/company/time-clock",
            target: Target::None,
            body: time_rules,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/company/schedule",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::PUT,
            path: "/api/v1/company/schedule",
            target: Target::None,
            body: || Some(json!({"open_shifts_require_approval": false, "conflict_warnings": []})),
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/company/payroll",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::PUT,
            path: "/api/v1/company/payroll",
            target: Target::None,
            body: payroll_rule,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/payroll-periods",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/payroll-periods/{id}",
            target: Target::PayrollPeriod,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/payroll-periods/{id}/close",
            target: Target::FreshPayrollPeriod,
            body: || Some(json!({"include_unapproved": true})),
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/payroll-periods/{id}/reopen",
            target: Target::FreshClosedPayrollPeriod,
            body: || Some(json!({"reason": "A late correction"})),
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/payroll-periods/{id}/finalise",
            target: Target::FreshClosedPayrollPeriod,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/payroll-periods/{id}/export.csv",
            target: Target::PayrollPeriod,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times/clock-in",
            target: Target::None,
            body: || Some(json!({"notes": "On"})),
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/times/current",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times/breaks/start",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times/breaks/end",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times/clock-out",
            target: Target::None,
            body: || Some(json!({})),
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/times",
            target: Target::None,
            body: no_body,
            own: EVERYONE,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times",
            target: Target::None,
            body: staff_entry,
            own: [F, A, F, N, A, A, A],
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/times/{id}",
            target: Target::StaffTimeEntry,
            body: no_body,
            own: OWN_AND_APPROVER,
            cross_company: true,
        },
        Row {
            method: Method::PATCH,
            path: "/api/v1/times/{id}",
            target: Target::StaffTimeEntry,
            body: || Some(json!({"notes": "Checked"})),
            own: [F, A, N, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times/{id}/approve",
            target: Target::StaffTimeEntry,
            body: no_body,
            own: [F, A, N, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/times/{id}/unapprove",
            target: Target::StaffTimeEntry,
            body: no_body,
            own: [F, A, N, N, A, A, A],
            cross_company: true,
        },
        Row {
            method: Method::DELETE,
            path: "/api/v1/times/{id}",
            target: Target::StaffTimeEntry,
            body: no_body,
            own: [F, A, N, N, A, A, A],
            cross_company: true,
        },
    ]);
    // API access administration and the audit log: super users only.
    let new_client = || {
        Some(
            json!({"name": fresh_name(), "scopes": ["people:read"], "ip_allow_list": ["10.0.0.0/8"]}),
        )
    };
    rows.extend([
        Row {
            method: Method::GET,
            path: "/api/v1/api-access",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-access/enable",
            target: Target::ApiAccessOff,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-access/revoke",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::PUT,
            path: "/api/v1/api-access/ip-allow-list",
            target: Target::None,
            body: || Some(json!({"ip_allow_list": []})),
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/api-clients",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-clients",
            target: Target::ApiAccessOn,
            body: new_client,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/api-clients/{id}",
            target: Target::FreshApiClient,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::PATCH,
            path: "/api/v1/api-clients/{id}",
            target: Target::FreshApiClient,
            body: || Some(json!({"notes": "Payroll bureau"})),
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::DELETE,
            path: "/api/v1/api-clients/{id}",
            target: Target::FreshApiClient,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-clients/{id}/regenerate-secret",
            target: Target::FreshApiClient,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-clients/{id}/revoke",
            target: Target::FreshApiClient,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/api-keys",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-keys",
            target: Target::ApiAccessOn,
            body: || Some(json!({"name": fresh_name(), "scopes": ["leave:read"]})),
            own: SUPER_ONLY,
            cross_company: false,
        },
        Row {
            method: Method::POST,
            path: "/api/v1/api-keys/{id}/revoke",
            target: Target::FreshApiKey,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: true,
        },
        Row {
            method: Method::GET,
            path: "/api/v1/audit",
            target: Target::None,
            body: no_body,
            own: SUPER_ONLY,
            cross_company: false,
        },
    ]);
    // Webhooks: super users only, like the rest of API administration.
    let webhook_rows = [
        (Method::GET, "/api/v1/webhooks", Target::None),
        (Method::POST, "/api/v1/webhooks", Target::None),
        (Method::GET, "/api/v1/webhooks/{id}", Target::FreshWebhook),
        (Method::PATCH, "/api/v1/webhooks/{id}", Target::FreshWebhook),
        (
            Method::DELETE,
            "/api/v1/webhooks/{id}",
            Target::FreshWebhook,
        ),
        (
            Method::POST,
            "/api/v1/webhooks/{id}/rotate-secret",
            Target::FreshWebhook,
        ),
        (
            Method::POST,
            "/api/v1/webhooks/{id}/test",
            Target::FreshWebhook,
        ),
        (
            Method::GET,
            "/api/v1/webhooks/{id}/deliveries",
            Target::FreshWebhook,
        ),
    ];
    rows.extend(shift_rows());
    rows.extend(swap_rows());
    rows.extend(chain_rows());
    rows.extend(availability_rows());
    rows.extend(webhook_rows.map(|(method, path, target)| {
        let body: fn() -> Option<Value> = match (&method, path) {
            (&Method::POST, "/api/v1/webhooks") => new_webhook,
            (&Method::PATCH, _) => || Some(json!({"description": "Payroll bureau"})),
            _ => no_body,
        };
        Row {
            method,
            path,
            target,
            body,
            own: SUPER_ONLY,
            cross_company: !matches!(target, Target::None),
        }
    }));
    rows
}

/// A row of the schedule's routes: one aimed at a fixture is also tried across companies.
fn row(
    method: Method,
    path: &'static str,
    target: Target,
    body: fn() -> Option<Value>,
    own: [E; 7],
) -> Row {
    Row {
        method,
        path,
        target,
        body,
        own,
        cross_company: !matches!(target, Target::None),
    }
}

/// The staff member's approver and super users manage their shifts; other approvers do not.
const STAFF_MANAGERS: [E; 7] = [F, A, F, F, A, A, A];

fn shift_rows() -> Vec<Row> {
    vec![
        row(
            Method::GET,
            "/api/v1/shifts",
            Target::None,
            no_body,
            EVERYONE,
        ),
        row(
            Method::POST,
            "/api/v1/shifts",
            Target::None,
            || Some(new_shift(json!("STAFF"))),
            STAFF_MANAGERS,
        ),
        // Open shifts: every approver manages those.
        row(
            Method::POST,
            "/api/v1/shifts/bulk",
            Target::None,
            || Some(json!([new_shift(Value::Null)])),
            APPROVERS,
        ),
        row(
            Method::POST,
            "/api/v1/shifts/bulk-delete",
            Target::None,
            a_day_at_the_location,
            APPROVERS,
        ),
        row(
            Method::POST,
            "/api/v1/shifts/publish",
            Target::None,
            a_day_at_the_location,
            APPROVERS,
        ),
        row(
            Method::POST,
            "/api/v1/shifts/unpublish",
            Target::None,
            a_day_at_the_location,
            APPROVERS,
        ),
        row(
            Method::GET,
            "/api/v1/shifts/{id}",
            Target::StaffShift,
            no_body,
            EVERYONE,
        ),
        row(
            Method::PATCH,
            "/api/v1/shifts/{id}",
            Target::StaffShift,
            || Some(json!({"notes": "Till"})),
            STAFF_MANAGERS,
        ),
        row(
            Method::DELETE,
            "/api/v1/shifts/{id}",
            Target::StaffShift,
            no_body,
            STAFF_MANAGERS,
        ),
        // Only its user acknowledges a shift.
        row(
            Method::POST,
            "/api/v1/shifts/{id}/acknowledge",
            Target::StaffShift,
            no_body,
            [A, F, F, F, F, F, F],
        ),
        // Anyone takes a published open shift that fits them.
        row(
            Method::POST,
            "/api/v1/shifts/{id}/take",
            Target::OpenShift,
            no_body,
            EVERYONE,
        ),
        // Everyone reads the templates; who builds the schedule keeps them and copies weeks.
        row(
            Method::GET,
            "/api/v1/shift-templates",
            Target::None,
            no_body,
            EVERYONE,
        ),
        row(
            Method::POST,
            "/api/v1/shift-templates",
            Target::None,
            new_template,
            APPROVERS,
        ),
        row(
            Method::GET,
            "/api/v1/shift-templates/{id}",
            Target::FreshTemplate,
            no_body,
            EVERYONE,
        ),
        row(
            Method::PUT,
            "/api/v1/shift-templates/{id}",
            Target::FreshTemplate,
            new_template,
            APPROVERS,
        ),
        row(
            Method::DELETE,
            "/api/v1/shift-templates/{id}",
            Target::FreshTemplate,
            no_body,
            APPROVERS,
        ),
        Row {
            method: Method::POST,
            path: "/api/v1/shifts/copy",
            target: Target::None,
            body: || {
                Some(json!({"location_id": "LOCATION", "from": "2030-01-07", "to": "2040-01-07"}))
            },
            own: APPROVERS,
            cross_company: false,
        },
        // Bids: a bidder sees their request, who manages the open shift every one; who
        // manages the bidder too approves them; who manages open shifts denies; only the
        // bidder withdraws (nobody else has a bid to withdraw).
        row(
            Method::GET,
            "/api/v1/open-shift-requests",
            Target::None,
            no_body,
            EVERYONE,
        ),
        row(
            Method::GET,
            "/api/v1/open-shift-requests/{id}",
            Target::StaffBid,
            no_body,
            EVERYONE,
        ),
        row(
            Method::POST,
            "/api/v1/open-shift-requests/{id}/approve",
            Target::StaffBid,
            || Some(json!({"user_id": "STAFF"})),
            STAFF_MANAGERS,
        ),
        row(
            Method::POST,
            "/api/v1/open-shift-requests/{id}/deny",
            Target::StaffBid,
            no_body,
            APPROVERS,
        ),
        row(
            Method::DELETE,
            "/api/v1/open-shift-requests/{id}/bid",
            Target::StaffBid,
            no_body,
            [A, N, N, N, N, N, N],
        ),
        // A request's thread is for whoever sees the request.
        row(
            Method::GET,
            "/api/v1/open-shift-requests/{id}/messages",
            Target::StaffBid,
            no_body,
            EVERYONE,
        ),
        row(
            Method::POST,
            "/api/v1/open-shift-requests/{id}/messages",
            Target::StaffBid,
            || Some(json!({"content": "Still free?"})),
            EVERYONE,
        ),
        // Its holder, and who manages it, see who could take a shift over.
        row(
            Method::GET,
            "/api/v1/shifts/{id}/swap-candidates",
            Target::StaffShift,
            no_body,
            [A, A, F, F, A, A, A],
        ),
        row(
            Method::GET,
            "/api/v1/shifts/{id}/history",
            Target::StaffShift,
            no_body,
            EVERYONE,
        ),
    ]
}

/// Swaps: staff their own and those offered to them; managers their people's.
fn swap_rows() -> Vec<Row> {
    const SEEN: [E; 7] = [A, A, A, N, A, A, A];
    const ANSWERED: [E; 7] = [F, F, A, N, F, F, F];
    const DECIDED: [E; 7] = [F, A, F, N, A, A, A];
    let message = || Some(json!({"content": "Can anyone cover?"}));
    vec![
        row(
            Method::GET,
            "/api/v1/swaps",
            Target::None,
            no_body,
            EVERYONE,
        ),
        // Its holder, and who manages it, offer a shift (the body is the matrix's own).
        row(
            Method::POST,
            "/api/v1/swaps",
            Target::None,
            || Some(json!({"kind": "drop"})),
            [A, A, F, F, A, A, A],
        ),
        row(
            Method::GET,
            "/api/v1/swaps/{id}",
            Target::StaffSwap,
            no_body,
            SEEN,
        ),
        row(
            Method::POST,
            "/api/v1/swaps/{id}/accept",
            Target::StaffSwap,
            no_body,
            ANSWERED,
        ),
        row(
            Method::POST,
            "/api/v1/swaps/{id}/decline",
            Target::StaffSwap,
            no_body,
            ANSWERED,
        ),
        row(
            Method::POST,
            "/api/v1/swaps/{id}/approve",
            Target::AcceptedSwap,
            no_body,
            DECIDED,
        ),
        row(
            Method::POST,
            "/api/v1/swaps/{id}/deny",
            Target::AcceptedSwap,
            no_body,
            DECIDED,
        ),
        row(
            Method::POST,
            "/api/v1/swaps/{id}/cancel",
            Target::StaffSwap,
            no_body,
            [A, A, F, N, A, A, A],
        ),
        row(
            Method::GET,
            "/api/v1/swaps/{id}/messages",
            Target::StaffSwap,
            no_body,
            SEEN,
        ),
        row(
            Method::POST,
            "/api/v1/swaps/{id}/messages",
            Target::StaffSwap,
            message,
            SEEN,
        ),
        // A shift's thread is for whoever sees the shift.
        row(
            Method::GET,
            "/api/v1/shifts/{id}/messages",
            Target::StaffShift,
            no_body,
            EVERYONE,
        ),
        row(
            Method::POST,
            "/api/v1/shifts/{id}/messages",
            Target::StaffShift,
            message,
            EVERYONE,
        ),
    ]
}

/// Repeating shifts are shifts to the policy: the same rows as a shift's.
fn chain_rows() -> Vec<Row> {
    vec![
        row(
            Method::POST,
            "/api/v1/shift-chains",
            Target::None,
            || Some(new_chain(json!("STAFF"))),
            STAFF_MANAGERS,
        ),
        row(
            Method::GET,
            "/api/v1/shift-chains/occurrences?from=2033-01-03T00:00:00Z&to=2033-01-10T00:00:00Z",
            Target::None,
            no_body,
            EVERYONE,
        ),
        row(
            Method::GET,
            "/api/v1/schedule?from=2033-01-03T00:00:00Z&to=2033-01-10T00:00:00Z",
            Target::None,
            no_body,
            EVERYONE,
        ),
        row(
            Method::GET,
            "/api/v1/shift-chains/{id}",
            Target::StaffChain,
            no_body,
            EVERYONE,
        ),
        row(
            Method::PATCH,
            "/api/v1/shift-chains/{id}",
            Target::StaffChain,
            || Some(json!({"notes": "Till"})),
            STAFF_MANAGERS,
        ),
        row(
            Method::DELETE,
            "/api/v1/shift-chains/{id}",
            Target::StaffChain,
            no_body,
            STAFF_MANAGERS,
        ),
        row(
            Method::PATCH,
            "/api/v1/shift-chains/{id}/occurrences/{date}",
            Target::StaffChain,
            || Some(json!({"notes": "Till"})),
            STAFF_MANAGERS,
        ),
        row(
            Method::DELETE,
            "/api/v1/shift-chains/{id}/occurrences/{date}",
            Target::StaffChain,
            no_body,
            STAFF_MANAGERS,
        ),
    ]
}

/// Everyone keeps their own availability; who manages their time reads it.
fn availability_rows() -> Vec<Row> {
    vec![
        row(
            Method::GET,
            "/api/v1/availability-events",
            Target::None,
            no_body,
            EVERYONE,
        ),
        row(
            Method::POST,
            "/api/v1/availability-events",
            Target::None,
            new_unavailability,
            EVERYONE,
        ),
        row(
            Method::GET,
            "/api/v1/availability-events/{id}",
            Target::StaffAvailability,
            no_body,
            [A, A, N, N, A, A, A],
        ),
        row(
            Method::DELETE,
            "/api/v1/availability-events/{id}",
            Target::StaffAvailability,
            no_body,
            [A, F, N, N, F, F, F],
        ),
    ]
}

/// An hour the caller is unavailable, in 2035, away from every fixture shift.
fn new_unavailability() -> Option<Value> {
    Some(
        json!({"kind": "unavailable", "starts_at": "2035-01-01T09:00:00Z", "ends_at": "2035-01-01T10:00:00Z"}),
    )
}

/// A repeating shift for `user_id` (`"STAFF"`, or null) at the company's location, one
/// day long, on a day of its own in 2034.
fn new_chain(user_id: Value) -> Value {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let day = jiff::civil::date(2034, 1, 1)
        .checked_add(jiff::Span::new().days(n))
        .expect("a date");
    json!({"user_id": user_id, "location_id": "LOCATION", "weekdays": 127, "until": day.to_string(),
           "starts_at": format!("{day}T09:00:00Z"), "ends_at": format!("{day}T17:00:00Z")})
}

/// A range at the company's location, for publishing and deleting by filter.
fn a_day_at_the_location() -> Option<Value> {
    Some(
        json!({"from": "2031-01-01T00:00:00Z", "to": "2031-01-02T00:00:00Z", "location_id": "LOCATION"}),
    )
}

/// A shift for `user_id` (`"STAFF"`, or null for an open shift) at the company's
/// location, on a day of its own in 2030, so that no two ever overlap.
fn new_template() -> Option<Value> {
    Some(json!({"name": "Early", "start_time": "06:00", "end_time": "14:00"}))
}

fn new_shift(user_id: Value) -> Value {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let day = jiff::civil::date(2030, 1, 1)
        .checked_add(jiff::Span::new().days(n))
        .expect("a date");
    json!({"user_id": user_id, "location_id": "LOCATION",
           "starts_at": format!("{day}T09:00:00Z"), "ends_at": format!("{day}T17:00:00Z")})
}

/// A subscription body every company may create: a public (documentation) address, so
/// it passes the address check without DNS.
fn new_webhook() -> Option<Value> {
    Some(json!({"url": "https://203.0.113.10/rota", "events": ["leave.approved"]}))
}

/// A finished entry of the staff member on a day of its own, long past, so that fixture
/// entries never overlap each other nor anyone's running entry.
fn staff_entry() -> Option<Value> {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let day = jiff::civil::date(2020, 1, 1)
        .checked_add(
            jiff::Span::new().days(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
        )
        .expect("a date");
    Some(
        json!({"user_id": "STAFF", "start_time": format!("{day}T09:00:00Z"),
                "end_time": format!("{day}T17:00:00Z")}),
    )
}

fn fresh_code() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    format!(
        "X{:03}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// A new working day each call (no weekend, no English public holiday), so that fixture
/// requests never overlap.
fn next_weekday() -> String {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let day = jiff::civil::date(2027, 1, 4)
            .checked_add(jiff::Span::new().days((n / 5) * 7 + n % 5))
            .expect("a date");
        if !rota_core::holidays::is_holiday("GB", None, day) {
            return day.to_string();
        }
    }
}

struct World {
    company: TestCompany,
    cast: Cast,
    super_hub: Member,
    location_id: i64,
    work_from_home: i64,
    holiday: i64,
}

impl World {
    async fn build(app: &TestApp, name: &str) -> Self {
        let company = app.company(name).await;
        let cast = app.cast(&company).await;
        let super_hub = app
            .member(&company, "super-hub", json!({"user_type_id": 310}))
            .await;
        let location = app
            .post(
                "/api/v1/locations",
                &company.owner.token,
                json!({"name": "Head office"}),
            )
            .await;
        let types = app.leave_types(&company.owner.token).await;
        Self {
            work_from_home: types.id("W"),
            holiday: types.id("H"),
            location_id: location.body["id"].as_i64().expect("location"),
            company,
            cast,
            super_hub,
        }
    }

    /// `path` with its `{id}` (and `{restriction_id}`, of the staff member's restriction)
    /// filled in for `target`.
    async fn path_for(&self, app: &TestApp, path: &str, target: Target) -> String {
        match (
            self.resolve(app, target).await,
            path.contains("{restriction_id}"),
        ) {
            (Some(id), true) => path
                .replace("{id}", &self.cast.staff.id.to_string())
                .replace("{restriction_id}", &id.to_string()),
            (Some(id), false) => path
                .replace("{id}", &id.to_string())
                .replace("{date}", CHAIN_DAY),
            (None, _) => path.to_owned(),
        }
    }

    fn actor(&self, role: &str) -> &Member {
        match role {
            "staff" => &self.cast.staff,
            "approver" => &self.cast.approver,
            "approver_add" => &self.cast.approver_add,
            "approver_edit" => &self.cast.approver_edit,
            "super_user" => &self.cast.super_user,
            "super_hub" => &self.super_hub,
            _ => &self.company.owner,
        }
    }

    async fn create_item(&self, app: &TestApp, collection: &str) -> i64 {
        let body = if collection.ends_with("/sites") {
            json!({"name": fresh_name(), "location_id": self.location_id})
        } else if collection.ends_with("/leave-types") {
            json!({"name": fresh_name(), "code": fresh_code()})
        } else if collection.ends_with("/annotations") {
            json!({"kind": "announcement", "title": fresh_name(), "start_date": "2027-02-01", "end_date": "2027-02-01"})
        } else if collection.ends_with("/company-holidays") {
            json!({"date": "2027-06-07", "name": fresh_name()})
        } else {
            json!({"name": fresh_name()})
        };
        let reply = app.post(collection, &self.company.owner.token, body).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{collection}: {:?}",
            reply.body
        );
        reply.body["id"].as_i64().expect("id")
    }

    async fn resolve(&self, app: &TestApp, target: Target) -> Option<i64> {
        let owner = &self.company.owner.token;
        Some(match target {
            Target::None => return None,
            Target::Staff => self.cast.staff.id,
            Target::FreshColleague | Target::FreshArchivedColleague => {
                let body = json!({"email": format!("{:x}@colleague.test", rand::random::<u64>()), "first_name": "Col",
                                  "last_name": "League", "department_id": self.cast.department_id});
                let id = app.post("/api/v1/users", owner, body).await.body["id"]
                    .as_i64()
                    .expect("colleague");
                if matches!(target, Target::FreshArchivedColleague) {
                    assert_eq!(
                        app.delete(&format!("/api/v1/users/{id}"), owner)
                            .await
                            .status,
                        StatusCode::OK
                    );
                }
                id
            }
            Target::Item(collection) | Target::FreshItem(collection) => {
                self.create_item(app, collection).await
            }
            Target::StaffRestriction => {
                let path = format!("/api/v1/users/{}/restrictions", self.cast.staff.id);
                let reply = app
                    .post(
                        &path,
                        owner,
                        json!({"restricted_user_id": self.cast.approver.id}),
                    )
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture restriction: {:?}",
                    reply.body
                );
                reply.body[0]["id"].as_i64().expect("restriction id")
            }
            Target::ApiAccessOff => {
                let reply = app
                    .post("/api/v1/api-access/revoke", owner, json!({}))
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::OK,
                    "fixture revoke: {:?}",
                    reply.body
                );
                return None;
            }
            Target::ApiAccessOn => {
                self.ensure_api_access(app).await;
                return None;
            }
            Target::FreshApiClient | Target::FreshApiKey => {
                self.ensure_api_access(app).await;
                let collection = if matches!(target, Target::FreshApiClient) {
                    "/api/v1/api-clients"
                } else {
                    "/api/v1/api-keys"
                };
                // Acting as a super user other than the owner, so that every super user
                // holds what it grants and may change or regenerate it.
                let body = json!({"name": fresh_name(), "scopes": ["people:read"],
                                  "acts_as_user_id": self.cast.super_user.id, "role_ceiling": 300});
                let reply = app.post(collection, owner, body).await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture {collection}: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("id")
            }
            Target::FreshWebhook => {
                let reply = app
                    .post("/api/v1/webhooks", owner, new_webhook().unwrap_or_default())
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture webhook: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("webhook id")
            }
            Target::StaffFeed => {
                let reply = app
                    .post(
                        "/api/v1/ical-feeds",
                        &self.cast.staff.token,
                        json!({"scope": "user"}),
                    )
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture feed: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("feed id")
            }
            Target::StaffShift | Target::OpenShift => {
                let holder = match target {
                    Target::StaffShift => json!("STAFF"),
                    _ => Value::Null,
                };
                let mut body = self.fill(new_shift(holder));
                body["published"] = json!(true);
                let reply = app.post("/api/v1/shifts", owner, body).await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture shift: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("shift id")
            }
            Target::StaffSwap | Target::AcceptedSwap => {
                let shift = Box::pin(self.resolve(app, Target::StaffShift))
                    .await
                    .expect("a shift");
                let body = json!({"shift_id": shift, "kind": "drop",
                                  "user_ids": [self.cast.approver_add.id]});
                let reply = app
                    .post("/api/v1/swaps", &self.cast.staff.token, body)
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture swap: {:?}",
                    reply.body
                );
                let id = reply.body["id"].as_i64().expect("swap id");
                if matches!(target, Target::AcceptedSwap) {
                    let path = format!("/api/v1/swaps/{id}/accept");
                    let accepted = app
                        .post(&path, &self.cast.approver_add.token, json!({}))
                        .await;
                    assert_eq!(
                        accepted.status,
                        StatusCode::OK,
                        "fixture acceptance: {:?}",
                        accepted.body
                    );
                }
                id
            }
            Target::FreshTemplate => {
                let reply = app
                    .post(
                        "/api/v1/shift-templates",
                        owner,
                        new_template().unwrap_or_default(),
                    )
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture template: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("template id")
            }
            Target::StaffBid => {
                let mut body = self.fill(new_shift(Value::Null));
                body["published"] = json!(true);
                body["requires_approval"] = json!(true);
                let made = app.post("/api/v1/shifts", owner, body).await;
                assert_eq!(
                    made.status,
                    StatusCode::CREATED,
                    "fixture shift: {:?}",
                    made.body
                );
                let bid = app
                    .post(
                        &format!("/api/v1/shifts/{}/take", made.body["id"]),
                        &self.cast.staff.token,
                        json!({}),
                    )
                    .await;
                assert_eq!(
                    bid.status,
                    StatusCode::ACCEPTED,
                    "fixture bid: {:?}",
                    bid.body
                );
                bid.body["id"].as_i64().expect("request id")
            }
            Target::StaffChain => {
                let body = json!({"user_id": self.cast.staff.id, "location_id": self.location_id,
                    "starts_at": "2033-01-03T09:00:00Z", "ends_at": "2033-01-03T17:00:00Z",
                    "weekdays": 127, "until": "2033-01-09", "published": true, "override": true});
                let reply = app.post("/api/v1/shift-chains", owner, body).await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture chain: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("chain id")
            }
            Target::StaffAvailability => {
                let body = new_unavailability().unwrap_or_default();
                let reply = app
                    .post("/api/v1/availability-events", &self.cast.staff.token, body)
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture availability: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("availability id")
            }
            Target::StaffTimeEntry => {
                let body = self.fill(staff_entry().unwrap_or_default());
                let reply = app.post("/api/v1/times", owner, body).await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture time entry: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("time entry id")
            }
            Target::PayrollPeriod => {
                let reply = app.get("/api/v1/payroll-periods", owner).await;
                assert_eq!(
                    reply.status,
                    StatusCode::OK,
                    "fixture payroll periods: {:?}",
                    reply.body
                );
                reply.body["data"][0]["id"].as_i64().expect("period id")
            }
            Target::FreshPayrollPeriod | Target::FreshClosedPayrollPeriod => {
                // A day of its own from 1990 on, long before any period cut.
                static DAYS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
                let next = DAYS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let day = jiff::civil::date(1990, 1, 1)
                    .saturating_add(jiff::Span::new().days(next))
                    .to_string();
                let status = match target {
                    Target::FreshClosedPayrollPeriod => "closed",
                    _ => "open",
                };
                sqlx::query_scalar(
                    "INSERT INTO payroll_periods (company_id, start_date, end_date, created_at, status) \
                     VALUES ($1, $2, $2, 0, $3) RETURNING id",
                )
                .bind(self.company.id)
                .bind(day)
                .bind(status)
                .fetch_one(app.db.pool())
                .await
                .expect("fixture payroll period")
            }
            Target::StaffRequest => {
                let body = self.fill(json!({"leave_type_id": "WFH", "start_date": next_weekday(), "end_date": "same"}));
                let reply = app
                    .post("/api/v1/leave-requests", &self.cast.staff.token, body)
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "fixture request: {:?}",
                    reply.body
                );
                reply.body["id"].as_i64().expect("request id")
            }
        })
    }

    async fn ensure_api_access(&self, app: &TestApp) {
        let owner = &self.company.owner.token;
        let reply = app
            .post("/api/v1/api-access/enable", owner, json!({}))
            .await;
        assert!(
            reply.status == StatusCode::CREATED || reply.status == StatusCode::CONFLICT,
            "fixture enable: {:?}",
            reply.body
        );
    }
    /// Puts this company's ids into a body (or each item of an array): `"WFH"` and
    /// `"HOLIDAY"` name its leave types, `"LOCATION"` its location, `"same"` an end date
    /// equal to the start.
    fn fill(&self, mut body: Value) -> Value {
        if let Some(items) = body.as_array_mut() {
            for item in items {
                *item = self.fill(item.take());
            }
        }
        if let Some(object) = body.as_object_mut() {
            let start = object.get("start_date").cloned();
            for value in object.values_mut() {
                match value.as_str() {
                    Some("WFH") => *value = json!(self.work_from_home),
                    Some("HOLIDAY") => *value = json!(self.holiday),
                    Some("APPROVER") => *value = json!(self.cast.approver.id),
                    Some("STAFF") => *value = json!(self.cast.staff.id),
                    Some("LOCATION") => *value = json!(self.location_id),
                    Some("same") => *value = start.clone().unwrap_or(Value::Null),
                    _ => {}
                }
            }
        }
        body
    }
}

/// Undoes [`World::fill`] for `home`'s ids, so a body can be filled for another company.
fn unfill(mut body: Value, home: &World) -> Value {
    if let Some(object) = body.as_object_mut() {
        for value in object.values_mut() {
            if value.as_i64() == Some(home.work_from_home) {
                *value = json!("WFH");
            } else if value.as_i64() == Some(home.holiday) {
                *value = json!("HOLIDAY");
            } else if value.as_i64() == Some(home.cast.approver.id) {
                *value = json!("APPROVER");
            } else if value.as_i64() == Some(home.location_id) {
                *value = json!("LOCATION");
            }
        }
    }
    body
}

/// Imports one fresh person as CSV: what the matrix sends to `POST /users/import`.
async fn import_csv(app: &TestApp, token: &str) -> crate::common::Reply {
    let csv = format!(
        "email,first_name,last_name\n{:x}@import.test,New,Person\n",
        rand::random::<u64>()
    );
    let response = app
        .client
        .post(format!("{}/api/v1/users/import", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("send");
    crate::common::Reply::read(response).await
}

fn check(expected: E, status: StatusCode) -> bool {
    match expected {
        A => status.is_success(),
        F => status == StatusCode::FORBIDDEN,
        N => status == StatusCode::NOT_FOUND,
        V => status == StatusCode::CONFLICT || status == StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = TestApp::spawn().await;
    let home = World::build(&app, "Home Co").await;
    let away = World::build(&app, "Away Co").await;
    let mut failures = Vec::new();
    for row in table() {
        for (r, role) in ROLES.iter().enumerate() {
            let mut body = (row.body)().map(|b| home.fill(b));
            if row.path == "/api/v1/sites" && row.method == Method::POST {
                body = Some(json!({"name": fresh_name(), "location_id": home.location_id}));
            }
            if row.path == "/api/v1/swaps" && row.method == Method::POST {
                // A fresh shift of the staff member's each time: one is offered once.
                let shift = home.resolve(&app, Target::StaffShift).await;
                body = Some(json!({"shift_id": shift, "kind": "drop"}));
            }
            let path = home.path_for(&app, row.path, row.target).await;
            let actor = home.actor(role);
            let reply = if row.path == "/api/v1/users/import" {
                import_csv(&app, &actor.token).await
            } else {
                app.call(row.method.clone(), &path, Some(&actor.token), body.clone())
                    .await
            };
            if !check(row.own[r], reply.status) {
                failures.push(format!(
                    "{} {} as {role} (own company): expected {:?}, got {} {:?}",
                    row.method, row.path, row.own[r], reply.status, reply.body
                ));
            }
            if row.cross_company {
                // Another company's id must get exactly the answer an absent id gets:
                // never a success, and nothing that tells the two apart.
                let outsider = away.actor(role);
                let body = body.map(|b| away.fill(unfill(b, &home)));
                let reply = app
                    .call(
                        row.method.clone(),
                        &path,
                        Some(&outsider.token),
                        body.clone(),
                    )
                    .await;
                let absent_path = row
                    .path
                    .replace("{id}", "999999999")
                    .replace("{restriction_id}", "999999999")
                    .replace("{date}", CHAIN_DAY);
                let absent = app
                    .call(
                        row.method.clone(),
                        &absent_path,
                        Some(&outsider.token),
                        body,
                    )
                    .await;
                let refused = matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN);
                if !refused || reply.status != absent.status {
                    failures.push(format!(
                        "{} {} as {role} of another company: got {} where an absent id gets {}",
                        row.method, row.path, reply.status, absent.status
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} matrix cells disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn lists_never_show_another_companys_rows() {
    let app = TestApp::spawn().await;
    // Home's rows exist, so a leak would show in Away's lists.
    let _home = World::build(&app, "Home Co").await;
    let away = World::build(&app, "Away Co").await;
    let collections = [
        "/api/v1/users",
        "/api/v1/departments",
        "/api/v1/regions",
        "/api/v1/locations",
        "/api/v1/sites",
        "/api/v1/positions",
        "/api/v1/tags",
        "/api/v1/shifts",
    ];
    for collection in collections {
        let reply = app
            .get(
                &format!("{collection}?limit=200"),
                &away.company.owner.token,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let rows = reply.body["data"].as_array().expect("data");
        for row in rows {
            assert_eq!(
                row["company_id"].as_i64(),
                Some(away.company.id),
                "{collection} leaked {row}"
            );
        }
    }
}

#[tokio::test]
async fn requests_without_a_valid_session_are_refused() {
    let app = TestApp::spawn().await;
    for row in table() {
        let path = row
            .path
            .replace("{id}", "1")
            .replace("{restriction_id}", "1");
        let reply = app
            .call(row.method.clone(), &path, None, (row.body)())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{} {path}",
            row.method
        );
        assert_eq!(reply.code(), "unauthenticated");
        let reply = app
            .call(
                row.method.clone(),
                &path,
                Some("rota_s_forged"),
                (row.body)(),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{} {path} with a forged token",
            row.method
        );
    }
}

/// A query and body for an admin-only write that are well-formed but break a rule (a
/// blank name, a value out of range, a date in the year 9999): what an allowed caller
/// would get 422 for. `None` for a write that takes no input.
fn invalid_input(method: &Method, path: &str) -> Option<(&'static str, Value)> {
    let bad_week = json!({"start_date": "9999-12-31", "monday": 5000, "tuesday": 0, "wednesday": 0,
                          "thursday": 0, "friday": 0, "saturday": 0, "sunday": 0});
    let blank = json!({"name": ""});
    Some(match (method.as_str(), path) {
        ("PATCH", "/api/v1/company") => ("", json!({"leave_year_start_month": 13})),
        ("POST", "/api/v1/users") => (
            "",
            json!({"email": "not-an-address", "first_name": "", "last_name": ""}),
        ),
        ("PATCH", "/api/v1/users/{id}") => ("", json!({"job_title": "x".repeat(5000)})),
        (
            "POST" | "PATCH",
            "/api/v1/departments"
            | "/api/v1/regions"
            | "/api/v1/locations"
            | "/api/v1/positions"
            | "/api/v1/tags"
            | "/api/v1/departments/{id}"
            | "/api/v1/regions/{id}"
            | "/api/v1/locations/{id}"
            | "/api/v1/positions/{id}"
            | "/api/v1/tags/{id}"
            | "/api/v1/sites/{id}",
        ) => ("", blank),
        ("POST", "/api/v1/sites") => ("", json!({"name": "", "location_id": 1})),
        ("POST" | "PATCH", "/api/v1/annotations" | "/api/v1/annotations/{id}") => (
            "",
            json!({"kind": "announcement", "title": "", "start_date": "9999-12-31", "end_date": "0001-01-01"}),
        ),
        ("POST" | "PATCH", "/api/v1/company-holidays" | "/api/v1/company-holidays/{id}") => {
            ("", json!({"date": "9999-12-31", "name": ""}))
        }
        ("POST" | "PATCH", "/api/v1/leave-types" | "/api/v1/leave-types/{id}") => {
            ("", json!({"code": "", "name": "", "min_notice_days": -5}))
        }
        ("POST", "/api/v1/leave-requests/{id}/approve") => {
            ("", json!({"reason": "x".repeat(5000)}))
        }
        ("POST", "/api/v1/leave-requests/{id}/decline") => ("", json!({"reason": ""})),
        ("POST", "/api/v1/users/{id}/allowances/adjustments") => (
            "",
            json!({"leave_type_id": "HOLIDAY", "amount": 100_000_000, "reason": ""}),
        ),
        ("PUT", "/api/v1/users/{id}/allowances/opening") => (
            "",
            json!({"leave_type_id": "HOLIDAY", "opening": -1, "carryover_expiry_date": "9999-12-31"}),
        ),
        ("POST", "/api/v1/users/{id}/work-patterns" | "/api/v1/company/work-patterns") => {
            ("", bad_week)
        }
        ("POST", "/api/v1/leave-years/roll") => ("", json!({"date": "9999-12-31"})),
        ("POST", "/api/v1/users/{id}/notes") => ("", json!({"note": ""})),
        ("POST", "/api/v1/users/{id}/restrictions") => ("", json!({"restricted_user_id": "STAFF"})),
        ("PUT", "/api/v1/api-access/ip-allow-list") => {
            ("", json!({"ip_allow_list": ["not an address"]}))
        }
        ("POST", "/api/v1/api-clients") => ("", json!({"name": "", "scopes": ["nothing:read"]})),
        ("PATCH", "/api/v1/api-clients/{id}") => ("", json!({"name": "", "scopes": ["x"]})),
        ("POST", "/api/v1/api-clients/{id}/regenerate-secret") => {
            ("?overlap_seconds=-1", json!({}))
        }
        ("POST", "/api/v1/api-keys") => (
            "",
            json!({"name": "", "scopes": ["nothing:read"], "expires_at": "yesterday"}),
        ),
        ("POST", "/api/v1/webhooks") => ("", json!({"url": "not a url", "events": ["nothing"]})),
        ("PUT", "/api/v1/company/time-clock") => (
            "",
            json!({"clock_in_increment": 7, "clock_in_rounding": "nearest",
                   "clock_out_increment": 45, "clock_out_rounding": "nearest"}),
        ),
        ("PUT", "/api/v1/company/schedule") => (
            "",
            json!({"open_shifts_require_approval": true, "conflict_warnings":
                   ["shift_overlap", "shift_overlap", "business_closed", "shift_over_leave", "outside_availability"]}),
        ),
        ("POST" | "PUT", "/api/v1/shift-templates" | "/api/v1/shift-templates/{id}") => (
            "",
            json!({"name": "", "start_time": "25:00", "end_time": "14:00"}),
        ),
        ("POST", "/api/v1/shifts/copy") => (
            "",
            json!({"location_id": "LOCATION", "from": "2030-01-07", "to": "2030-01-07"}),
        ),
        ("POST", "/api/v1/open-shift-requests/{id}/approve") => {
            ("", json!({"user_id": "APPROVER"}))
        }
        ("POST", "/api/v1/payroll-periods/{id}/close") => ("", json!({"note": "x".repeat(501)})),
        ("POST", "/api/v1/payroll-periods/{id}/reopen") => ("", json!({"reason": ""})),
        ("PUT", "/api/v1/company/payroll") => (
            "",
            json!({"frequency": "monthly", "first_day": "2026-01-01", "daily_overtime_minutes": -1,
                   "weekly_overtime_minutes": 0, "week_starts_on": "monday", "overtime_multiplier": 150}),
        ),
        ("POST", "/api/v1/times") => (
            "",
            json!({"user_id": "STAFF", "start_time": "2019-06-01T17:00:00Z",
                   "end_time": "2019-06-01T09:00:00Z", "cash_tips": -1}),
        ),
        ("PATCH", "/api/v1/times/{id}") => ("", json!({"end_time": "2000-01-01T00:00:00Z"})),
        ("PATCH", "/api/v1/webhooks/{id}") => ("", json!({"url": "not a url", "events": []})),
        ("POST", "/api/v1/shifts") => (
            "",
            json!({"user_id": "STAFF", "location_id": "LOCATION", "starts_at": "2030-01-01T10:00:00Z",
                   "ends_at": "2030-01-01T09:00:00Z"}),
        ),
        ("PATCH", "/api/v1/shifts/{id}") => ("", json!({"colour": "red"})),
        ("POST", "/api/v1/shift-chains") => (
            "",
            json!({"user_id": "STAFF", "location_id": "LOCATION", "starts_at": "2034-01-01T10:00:00Z",
                   "ends_at": "2034-01-01T18:00:00Z", "weekdays": 128, "until": "2034-01-01"}),
        ),
        ("PATCH", "/api/v1/shift-chains/{id}") => ("", json!({"weekdays": 0})),
        ("PATCH", "/api/v1/shift-chains/{id}/occurrences/{date}") => ("", json!({"colour": "red"})),
        ("POST", "/api/v1/shifts/bulk") => ("", json!([])),
        (
            "POST",
            "/api/v1/shifts/bulk-delete" | "/api/v1/shifts/publish" | "/api/v1/shifts/unpublish",
        ) => (
            "",
            json!({"from": "2031-01-02T00:00:00Z", "to": "2031-01-01T00:00:00Z", "location_id": "LOCATION"}),
        ),
        _ => return None,
    })
}

/// Permission comes before validation: a caller who may not make a change learns
/// nothing about the values it would accept. Every write the matrix refuses staff is
/// sent by the staff member with input that would be refused on its own.
#[tokio::test]
async fn staff_get_403_not_422_for_invalid_input_to_admin_only_writes() {
    let app = TestApp::spawn().await;
    let home = World::build(&app, "Home Co").await;
    let staff = &home.cast.staff;
    let mut failures = Vec::new();
    for row in table() {
        if row.method == Method::GET || row.own[0] != F {
            continue;
        }
        let (query, body) = match invalid_input(&row.method, row.path) {
            Some((query, body)) => (query, Some(home.fill(body))),
            None if (row.body)().is_some() => {
                failures.push(format!(
                    "{} {}: takes input, but has no invalid example in invalid_input()",
                    row.method, row.path
                ));
                continue;
            }
            None => ("", None),
        };
        let path = home.path_for(&app, row.path, row.target).await;
        let reply = app
            .call(
                row.method.clone(),
                &format!("{path}{query}"),
                Some(&staff.token),
                body.clone(),
            )
            .await;
        if reply.status != StatusCode::FORBIDDEN {
            failures.push(format!(
                "{} {path}{query} {body:?} as staff: expected 403, got {} {:?}",
                row.method, reply.status, reply.body
            ));
        }
        // The same input from a super user is refused on its own (or, for the few
        // fields a type cannot reject, at least not allowed), so it is truly invalid.
        if body.is_some() || !query.is_empty() {
            let path = home.path_for(&app, row.path, row.target).await;
            let reply = app
                .call(
                    row.method.clone(),
                    &format!("{path}{query}"),
                    Some(&home.company.owner.token),
                    body.clone(),
                )
                .await;
            if !matches!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST
            ) {
                failures.push(format!(
                    "{} {path}{query} {body:?} as the owner: expected 422 or 400, got {} {:?}",
                    row.method, reply.status, reply.body
                ));
            }
        }
    }
    // Setting a colleague's password is a super user's business: a weak one from staff is
    // refused for who sends it, not for its length.
    let colleague = format!("/api/v1/users/{}", home.cast.approver.id);
    let reply = app
        .patch(&colleague, &staff.token, json!({"password": "short"}))
        .await;
    if reply.status != StatusCode::FORBIDDEN {
        failures.push(format!(
            "PATCH {colleague} with a weak password as staff: expected 403, got {} {:?}",
            reply.status, reply.body
        ));
    }
    assert!(
        failures.is_empty(),
        "{} writes disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
