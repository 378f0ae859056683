//! The events webhooks announce, and [`emit`], which owes them to every subscription that
//! wants them, inside the transaction of the change they announce.
//!
//! The body of every delivery is the event's envelope:
//! `{"id": "evt_…", "event": "leave.approved", "company_id": 1, "occurred_at": RFC 3339,
//! "data": {…}}`. The `id` is the same in every subscription's copy, so a receiver can
//! drop a copy it has seen (a delivery can arrive twice; see [`super::worker`]).

use rand::RngCore;
use serde_json::{Value, json};

use crate::db::{Tx, now};
use crate::error::{Error, Result};

/// Subscribes to every event, including those added later.
pub const EVERY_EVENT: &str = "*";

/// What happened. The names are the API's: `user.created`, `leave.approved`, …
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    UserCreated,
    UserUpdated,
    UserArchived,
    UserRestored,
    LeaveRequested,
    LeaveApproved,
    LeaveDeclined,
    LeaveCancelled,
    ShiftCreated,
    /// Changed, or acknowledged by its user.
    ShiftUpdated,
    ShiftDeleted,
    /// A location's shifts in a range published at once: one event for them all.
    ShiftPublished,
    ShiftUnpublished,
    /// A repeating shift made, changed (an occurrence taken out, or split) or deleted.
    ShiftChainCreated,
    ShiftChainUpdated,
    ShiftChainDeleted,
    /// A shift offered to colleagues (a swap or a drop).
    SwapCreated,
    /// A swap accepted, declined, approved, denied, cancelled, or expired; its `status`
    /// and its recipients' say which.
    SwapUpdated,
    /// A message posted on a shift's or a swap's thread.
    MessagePosted,
    /// An open shift that requires approval bid for, or a bid withdrawn.
    OpenShiftRequestUpdated,
    /// A bid picked: the shift is its bidder's.
    OpenShiftRequestApproved,
    OpenShiftRequestDenied,
    /// A shift template made, replaced or deleted.
    ShiftTemplateCreated,
    ShiftTemplateUpdated,
    ShiftTemplateDeleted,
    AvailabilityCreated,
    AvailabilityDeleted,
    TimeEntryCreated,
    TimeEntryUpdated,
    TimeEntryDeleted,
    TimeEntryApproved,
    PayrollPeriodClosed,
    PayrollPeriodReopened,
    PayrollPeriodFinalised,
    /// Sent on request to one subscription to try it out; nobody subscribes to it.
    Ping,
}

impl Event {
    /// The events a subscription may name.
    pub const SUBSCRIBABLE: [Event; 34] = [
        Event::UserCreated,
        Event::UserUpdated,
        Event::UserArchived,
        Event::UserRestored,
        Event::LeaveRequested,
        Event::LeaveApproved,
        Event::LeaveDeclined,
        Event::LeaveCancelled,
        Event::ShiftCreated,
        Event::ShiftUpdated,
        Event::ShiftDeleted,
        Event::ShiftPublished,
        Event::ShiftUnpublished,
        Event::ShiftChainCreated,
        Event::ShiftChainUpdated,
        Event::ShiftChainDeleted,
        Event::SwapCreated,
        Event::SwapUpdated,
        Event::MessagePosted,
        Event::OpenShiftRequestUpdated,
        Event::OpenShiftRequestApproved,
        Event::OpenShiftRequestDenied,
        Event::ShiftTemplateCreated,
        Event::ShiftTemplateUpdated,
        Event::ShiftTemplateDeleted,
        Event::AvailabilityCreated,
        Event::AvailabilityDeleted,
        Event::TimeEntryCreated,
        Event::TimeEntryUpdated,
        Event::TimeEntryDeleted,
        Event::TimeEntryApproved,
        Event::PayrollPeriodClosed,
        Event::PayrollPeriodReopened,
        Event::PayrollPeriodFinalised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::UserCreated => "user.created",
            Event::UserUpdated => "user.updated",
            Event::UserArchived => "user.archived",
            Event::UserRestored => "user.restored",
            Event::LeaveRequested => "leave.requested",
            Event::LeaveApproved => "leave.approved",
            Event::LeaveDeclined => "leave.declined",
            Event::LeaveCancelled => "leave.cancelled",
            Event::ShiftCreated => "shift.created",
            Event::ShiftUpdated => "shift.updated",
            Event::ShiftDeleted => "shift.deleted",
            Event::ShiftPublished => "shift.published",
            Event::ShiftUnpublished => "shift.unpublished",
            Event::ShiftChainCreated => "shift_chain.created",
            Event::ShiftChainUpdated => "shift_chain.updated",
            Event::ShiftChainDeleted => "shift_chain.deleted",
            Event::SwapCreated => "swap.created",
            Event::SwapUpdated => "swap.updated",
            Event::MessagePosted => "message.posted",
            Event::OpenShiftRequestUpdated => "open_shift_request.updated",
            Event::OpenShiftRequestApproved => "open_shift_request.approved",
            Event::OpenShiftRequestDenied => "open_shift_request.denied",
            Event::ShiftTemplateCreated => "shift_template.created",
            Event::ShiftTemplateUpdated => "shift_template.updated",
            Event::ShiftTemplateDeleted => "shift_template.deleted",
            Event::AvailabilityCreated => "availability_event.created",
            Event::AvailabilityDeleted => "availability_event.deleted",
            Event::TimeEntryCreated => "time_entry.created",
            Event::TimeEntryUpdated => "time_entry.updated",
            Event::TimeEntryDeleted => "time_entry.deleted",
            Event::TimeEntryApproved => "time_entry.approved",
            Event::PayrollPeriodClosed => "payroll_period.closed",
            Event::PayrollPeriodReopened => "payroll_period.reopened",
            Event::PayrollPeriodFinalised => "payroll_period.finalised",
            Event::Ping => "ping",
        }
    }
}

/// Checks a subscription's list of events: known names or `*`, at least one; sorted and
/// without repeats.
pub fn parse_subscribed(names: &[String]) -> Result<Vec<String>> {
    let mut parsed = Vec::new();
    for name in names {
        let name = name.trim();
        let known = name == EVERY_EVENT || Event::SUBSCRIBABLE.iter().any(|e| e.as_str() == name);
        if !known {
            let all: Vec<&str> = Event::SUBSCRIBABLE.iter().map(|e| e.as_str()).collect();
            return Err(Error::invalid(
                "events",
                format!(
                    "{name:?} is not an event; use * or any of {}",
                    all.join(", ")
                ),
            ));
        }
        parsed.push(name.to_owned());
    }
    if parsed.is_empty() {
        return Err(Error::invalid(
            "events",
            "events needs at least one event, or *",
        ));
    }
    parsed.sort();
    parsed.dedup();
    Ok(parsed)
}

/// Whether a subscription to `subscribed` (as stored) wants `event`.
fn wants(subscribed: &[String], event: Event) -> bool {
    subscribed
        .iter()
        .any(|name| name == EVERY_EVENT || name == event.as_str())
}

fn new_event_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("evt_{}", crate::secret::hex(&bytes))
}

/// The body every subscription receives for one event.
fn envelope(
    event_id: &str,
    event: Event,
    company_id: i64,
    occurred_at: i64,
    data: Value,
) -> String {
    json!({
        "id": event_id,
        "event": event.as_str(),
        "company_id": company_id,
        "occurred_at": crate::time::rfc3339(occurred_at),
        "data": data,
    })
    .to_string()
}

/// Owes `event`, about `data`, to every enabled subscription of the company that wants
/// it: one row each in the delivery outbox, written in `tx`. Nothing is sent now.
pub async fn emit(tx: &mut Tx, company_id: i64, event: Event, data: Value) -> Result<()> {
    let subscriptions: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, events FROM webhook_subscriptions WHERE company_id = $1 AND enabled = 1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(&mut **tx)
    .await?;
    let wanted: Vec<i64> = subscriptions
        .into_iter()
        .filter(|(_, events)| {
            let events: Vec<String> = serde_json::from_str(events).unwrap_or_default();
            wants(&events, event)
        })
        .map(|(id, _)| id)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let stamp = now();
    let event_id = new_event_id();
    let payload = envelope(&event_id, event, company_id, stamp, data);
    for subscription_id in wanted {
        queue(
            tx,
            company_id,
            subscription_id,
            &event_id,
            event,
            &payload,
            stamp,
        )
        .await?;
    }
    Ok(())
}

/// Owes a `ping` to one subscription, to try its receiver; returns the event id.
pub(crate) async fn ping(tx: &mut Tx, company_id: i64, subscription_id: i64) -> Result<String> {
    let stamp = now();
    let event_id = new_event_id();
    let data = json!({"subscription_id": subscription_id});
    let payload = envelope(&event_id, Event::Ping, company_id, stamp, data);
    queue(
        tx,
        company_id,
        subscription_id,
        &event_id,
        Event::Ping,
        &payload,
        stamp,
    )
    .await?;
    Ok(event_id)
}

async fn queue(
    tx: &mut Tx,
    company_id: i64,
    subscription_id: i64,
    event_id: &str,
    event: Event,
    payload: &str,
    stamp: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (company_id, subscription_id, event_id, event, payload, created_at, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $6)",
    )
    .bind(company_id)
    .bind(subscription_id)
    .bind(event_id)
    .bind(event.as_str())
    .bind(payload)
    .bind(stamp)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscribed_events_are_checked_sorted_and_deduplicated() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_subscribed(&names(&[
                "leave.approved",
                "user.created",
                "leave.approved"
            ]))
            .unwrap(),
            names(&["leave.approved", "user.created"])
        );
        assert_eq!(parse_subscribed(&names(&["*"])).unwrap(), names(&["*"]));
        for bad in [&[][..], &["leave.eaten"][..], &["ping"][..]] {
            let error = parse_subscribed(&names(bad)).expect_err("refused");
            assert!(matches!(&error, Error::Invalid { field: Some(f), .. } if f == "events"));
        }
    }

    #[test]
    fn a_subscription_wants_what_it_names_or_everything() {
        let leave = vec!["leave.approved".to_string()];
        assert!(wants(&leave, Event::LeaveApproved));
        assert!(!wants(&leave, Event::LeaveDeclined));
        assert!(wants(&["*".to_string()], Event::UserArchived));
        assert!(!wants(&leave, Event::Ping));
    }

    #[test]
    fn the_envelope_carries_id_event_company_time_and_data() {
        let body = envelope("evt_1", Event::UserCreated, 7, 0, json!({"id": 3}));
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["id"], "evt_1");
        assert_eq!(value["event"], "user.created");
        assert_eq!(value["company_id"], 7);
        assert_eq!(value["occurred_at"], "1970-01-01T00:00:00Z");
        assert_eq!(value["data"]["id"], 3);
    }
}
