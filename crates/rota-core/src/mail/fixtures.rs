//! Fixtures for the mail module's unit tests.

use crate::leave::types::LeaveType;
use crate::people::record::UserRecord;
use crate::people::types::EmailType;

/// A user of company 1 with the e-mail `first@acme.test`.
pub(super) fn user(id: i64, first: &str, email_type: EmailType) -> UserRecord {
    let mut user = UserRecord::new(
        1,
        format!("{}@acme.test", first.to_lowercase()),
        first.into(),
        "Tester".into(),
        0,
    );
    user.id = id;
    user.email_type = email_type.as_str().into();
    user
}

/// The default Holiday type: needs approval, every e-mail on, notes for approvers up.
pub(super) fn holiday() -> LeaveType {
    serde_json::from_value(serde_json::json!({
        "id": 1, "company_id": 1, "kind": "leave", "code": "H", "name": "Holiday",
        "colour": "4a90d9", "unit": "days", "is_paid": true, "deducts_allowance": true,
        "requires_approval": true, "allows_half_days": true, "min_notice_days": 0,
        "cancellation_period_days": 0, "minimum_duration_minutes": 0,
        "allow_concurrent_requests": false, "note_required": false,
        "notes_visible_to": 200, "available_to": 100, "seen_by": 100,
        "email_on_request": true, "email_on_decision": true, "email_on_cancel": true,
        "is_active": true, "staff_note": null, "staff_url": null,
        "approver_note": null, "approver_url": null
    }))
    .expect("a leave type")
}
