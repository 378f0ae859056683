//! What the Leave Type and Overtime Type controllers share. Rota keeps leave and overtime
//! types in one catalogue (`rota_core::leave::types`), told apart by their kind; each
//! controller reaches the types of its kind only, and a type of the other kind is absent
//! to it. The calls' logic is here, once: a controller declares its body with
//! [`type_body!`] (its id field and its own fields beside the settings every type has),
//! implements [`TypeBody`] for it, and its handlers only name their routes.
//!
//! Code lists WhosOff leaves unnamed, as Rota names them for both kinds:
//! - `email_request_id`, `email_approve_id`, `email_cancel_id`: 0 no e-mail, 1 e-mail
//!   to Rota's recipients (approver and notifiers for a request, the requester for a
//!   decision or cancellation); 2–4 (other recipient sets) are refused.
//! - `status_id`: disabled 0, active 1.
//! - `min_notice_period` and `cancellation_period` are days.

use rota_core::leave::types::{self, LeaveType, LeaveTypeInput, TypeKind};
use rota_core::org;
use rota_core::people::types::UserType;
use rota_core::policy::Action;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::envelope::{RecordId, WhosOff};
use super::extract::{Body, Caller};
use super::leave::colour;
use crate::AppState;
use crate::compat::errors::Vendored;
use crate::compat::lenient::Int;

pub(super) type Refusal = Vendored<WhosOff>;

/// Declares a type controller's body: `create` and `update` take it. The first field
/// names the type (`update` only); the fields listed after it are the controller's own;
/// the settings every type has are added, with what takes them out of the body
/// (`shared_input`), the first one `create` needs that is missing (`shared_missing`)
/// and the id (`take_id`).
macro_rules! type_body {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(#[$id_meta:meta])*
            $id:ident,
            $($(#[$own_meta:meta])* $own:ident: $own_ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(#[$id_meta])*
            #[schema(value_type = Option<i64>)]
            $id: Option<$crate::compat::lenient::Int>,
            /// 1 to 50 characters.
            name: Option<String>,
            /// 1 or 2 characters.
            code: Option<String>,
            /// `#rrggbb` or `rrggbb`.
            colour: Option<String>,
            #[schema(value_type = Option<bool>)]
            requires_approval: Option<$crate::compat::lenient::Flag>,
            /// Minutes; `consecutive_duration` is the older name.
            #[serde(alias = "consecutive_duration")]
            #[schema(value_type = Option<i64>)]
            minimum_duration: Option<$crate::compat::lenient::Int>,
            #[schema(value_type = Option<bool>)]
            allow_concurrent_requests: Option<$crate::compat::lenient::Flag>,
            /// A user_type_id (100–310): the lowest user level that sees notes on requests.
            #[schema(value_type = Option<i64>)]
            notes_visible_to_id: Option<$crate::compat::lenient::Int>,
            /// The lowest user level that may book the type for themselves.
            #[schema(value_type = Option<i64>)]
            available_to_id: Option<$crate::compat::lenient::Int>,
            /// The lowest user level that sees the type on the calendar.
            #[schema(value_type = Option<i64>)]
            seen_by_id: Option<$crate::compat::lenient::Int>,
            /// Days of notice staff give.
            #[schema(value_type = Option<i64>)]
            min_notice_period: Option<$crate::compat::lenient::Int>,
            /// Days before the start after which staff may no longer cancel.
            #[schema(value_type = Option<i64>)]
            cancellation_period: Option<$crate::compat::lenient::Int>,
            #[schema(value_type = Option<bool>)]
            note_required: Option<$crate::compat::lenient::Flag>,
            /// 0 no e-mail, 1 e-mail.
            #[schema(value_type = Option<i64>)]
            email_request_id: Option<$crate::compat::lenient::Int>,
            #[schema(value_type = Option<i64>)]
            email_approve_id: Option<$crate::compat::lenient::Int>,
            #[schema(value_type = Option<i64>)]
            email_cancel_id: Option<$crate::compat::lenient::Int>,
            /// Disabled 0, active 1.
            #[schema(value_type = Option<i64>)]
            status_id: Option<$crate::compat::lenient::Int>,
            staff_url: Option<String>,
            staff_note: Option<String>,
            approver_url: Option<String>,
            approver_note: Option<String>,
            $($(#[$own_meta])* $own: $own_ty,)*
        }

        impl $name {
            /// The settings every type has, taken out of the body and checked against
            /// WhosOff's code lists; the kind is left to the call (a create sets it, an
            /// update never changes it).
            fn shared_input(
                &mut self,
            ) -> Result<rota_core::leave::types::LeaveTypeInput, super::types::Refusal> {
                use super::types::{EMAIL, invalid, role, switch};
                use $crate::compat::lenient::{Flag, Int};
                if self.code.as_deref().is_some_and(|c| c.trim().chars().count() > 2) {
                    return Err(invalid("code", "code is 1 or 2 characters"));
                }
                Ok(rota_core::leave::types::LeaveTypeInput {
                    code: self.code.take(),
                    name: self.name.take(),
                    colour: self.colour.take(),
                    requires_approval: self.requires_approval.take().map(Flag::get),
                    minimum_duration_minutes: self.minimum_duration.take().map(Int::get),
                    allow_concurrent_requests: self.allow_concurrent_requests.take().map(Flag::get),
                    notes_visible_to: role("notes_visible_to_id", self.notes_visible_to_id.take())?,
                    available_to: role("available_to_id", self.available_to_id.take())?,
                    seen_by: role("seen_by_id", self.seen_by_id.take())?,
                    min_notice_days: self.min_notice_period.take().map(Int::get),
                    cancellation_period_days: self.cancellation_period.take().map(Int::get),
                    note_required: self.note_required.take().map(Flag::get),
                    email_on_request: switch("email_request_id", self.email_request_id.take(), EMAIL)?,
                    email_on_decision: switch("email_approve_id", self.email_approve_id.take(), EMAIL)?,
                    email_on_cancel: switch("email_cancel_id", self.email_cancel_id.take(), EMAIL)?,
                    is_active: switch("status_id", self.status_id.take(), "status_id is 0 or 1")?,
                    staff_url: self.staff_url.take(),
                    staff_note: self.staff_note.take(),
                    approver_url: self.approver_url.take(),
                    approver_note: self.approver_note.take(),
                    ..rota_core::leave::types::LeaveTypeInput::default()
                })
            }

            /// The first of the settings `create` needs that the body lacks.
            fn shared_missing(&self) -> Option<&'static str> {
                [
                    ("name", self.name.is_some()),
                    ("code", self.code.is_some()),
                    ("colour", self.colour.is_some()),
                    ("requires_approval", self.requires_approval.is_some()),
                    ("status_id", self.status_id.is_some()),
                ]
                .into_iter()
                .find_map(|(field, present)| (!present).then_some(field))
            }

            /// The id the body names, taken out of it.
            fn take_id(&mut self) -> Option<$crate::compat::lenient::Int> {
                self.$id.take()
            }
        }
    };
}

pub(super) use type_body;

/// A controller's body, as [`type_body!`] declares it.
pub(super) trait TypeBody: DeserializeOwned {
    /// The kind of type the controller reaches.
    const KIND: TypeKind;
    /// The field naming a type: `leave_type_id`, `overtime_type_id`.
    const ID: &'static str;
    /// The id `update` names, taken out of the body.
    fn id(&mut self) -> Option<Int>;
    /// The first field `create` needs that the body lacks.
    fn missing(&self) -> Option<&'static str>;
    /// The body as the core's input, every field checked.
    fn into_input(self) -> Result<LeaveTypeInput, Refusal>;
}

pub(super) fn invalid(field: &'static str, message: &'static str) -> Refusal {
    rota_core::Error::invalid(field, message).into()
}

/// What an e-mail code other than 0 or 1 is told.
pub(super) const EMAIL: &str = "0 (no e-mail) or 1 (e-mail); Rota has no other recipient sets";

/// A WhosOff yes / no code (0 or 1) of `field`.
pub(super) fn switch(
    field: &'static str,
    code: Option<Int>,
    other: &'static str,
) -> Result<Option<bool>, Refusal> {
    match code.map(Int::get) {
        None => Ok(None),
        Some(0) => Ok(Some(false)),
        Some(1) => Ok(Some(true)),
        Some(_) => Err(invalid(field, other)),
    }
}

pub(super) fn role(field: &'static str, code: Option<Int>) -> Result<Option<UserType>, Refusal> {
    code.map(|c| {
        UserType::try_from(c.get())
            .map_err(|_| invalid(field, "a user_type_id: 100, 200, 210, 220, 300 or 310"))
    })
    .transpose()
}

/// The settings every type has, as a record shows them beside the controller's own.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedRecord {
    name: String,
    code: String,
    /// `#rrggbb`.
    colour: String,
    requires_approval: bool,
    /// Minutes.
    minimum_duration: i64,
    allow_concurrent_requests: bool,
    notes_visible_to_id: i64,
    available_to_id: i64,
    seen_by_id: i64,
    /// Days.
    min_notice_period: i64,
    /// Days.
    cancellation_period: i64,
    note_required: bool,
    email_request_id: i64,
    email_approve_id: i64,
    email_cancel_id: i64,
    status_id: i64,
    staff_url: Option<String>,
    staff_note: Option<String>,
    approver_url: Option<String>,
    approver_note: Option<String>,
}

impl From<LeaveType> for SharedRecord {
    fn from(t: LeaveType) -> Self {
        Self {
            name: t.name,
            code: t.code,
            colour: colour(&t.colour),
            requires_approval: t.requires_approval,
            minimum_duration: t.minimum_duration_minutes,
            allow_concurrent_requests: t.allow_concurrent_requests,
            notes_visible_to_id: t.notes_visible_to.code(),
            available_to_id: t.available_to.code(),
            seen_by_id: t.seen_by.code(),
            min_notice_period: t.min_notice_days,
            cancellation_period: t.cancellation_period_days,
            note_required: t.note_required,
            email_request_id: i64::from(t.email_on_request),
            email_approve_id: i64::from(t.email_on_decision),
            email_cancel_id: i64::from(t.email_on_cancel),
            status_id: i64::from(t.is_active),
            staff_url: t.staff_url,
            staff_note: t.staff_note,
            approver_url: t.approver_url,
            approver_note: t.approver_note,
        }
    }
}

/// `retrieve`'s body, for either kind.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrieveTypes {
    /// Disabled 0, active 1, both 99; both when left out.
    #[schema(value_type = Option<i64>)]
    status_id: Option<Int>,
}

/// Creates a type of `B`'s kind; answers its id.
pub(super) async fn create<B: TypeBody>(
    state: &AppState,
    caller: &Caller,
    body: Body,
) -> Result<i64, Refusal> {
    caller.may(Action::ManageOrganisation)?;
    let mut body: B = body.parse()?;
    if let Some(field) = body.missing() {
        return Err(rota_core::Error::invalid(field, format!("{field} is required")).into());
    }
    if body.id().is_some() {
        return Err(rota_core::Error::invalid(
            B::ID,
            format!("create makes a new type: {} is for update", B::ID),
        )
        .into());
    }
    let input = LeaveTypeInput {
        kind: Some(B::KIND),
        ..body.into_input()?
    };
    let created: LeaveType = org::create(&state.db, &caller.actor, input).await?;
    Ok(created.id)
}

/// The company's types of `kind`, by the `status_id` of `retrieve`'s body.
pub(super) async fn retrieve(
    state: &AppState,
    caller: &Caller,
    body: Body,
    kind: TypeKind,
) -> Result<Vec<LeaveType>, Refusal> {
    caller.may(Action::ManageOrganisation)?;
    let body: RetrieveTypes = body.parse()?;
    let active = match body.status_id.map(Int::get) {
        None | Some(99) => None,
        Some(0) => Some(false),
        Some(1) => Some(true),
        Some(_) => return Err(invalid("status_id", "status_id is 0, 1 or 99")),
    };
    Ok(types::of_kind(&state.db, &caller.actor, kind, active).await?)
}

/// Type `id` if it is of `kind`.
pub(super) async fn get(
    state: &AppState,
    caller: &Caller,
    id: Int,
    kind: TypeKind,
) -> Result<LeaveType, Refusal> {
    caller.may(Action::ManageOrganisation)?;
    Ok(types::get_of_kind(&state.db, &caller.actor, id.get(), kind).await?)
}

/// Changes the type of `B`'s kind the body names.
pub(super) async fn update<B: TypeBody>(
    state: &AppState,
    caller: &Caller,
    body: Body,
) -> Result<RecordId, Refusal> {
    caller.may(Action::ManageOrganisation)?;
    let mut body: B = body.parse()?;
    let id = body
        .id()
        .ok_or_else(|| {
            Refusal::from(rota_core::Error::invalid(
                B::ID,
                format!("{} is required", B::ID),
            ))
        })?
        .get();
    let input = body.into_input()?;
    types::get_of_kind(&state.db, &caller.actor, id, B::KIND).await?;
    let updated: LeaveType = org::update(&state.db, &caller.actor, id, input).await?;
    Ok(RecordId {
        record_id: updated.id,
    })
}

/// Deletes type `id` of `kind`, if nothing uses it.
pub(super) async fn del(
    state: &AppState,
    caller: &Caller,
    id: Int,
    kind: TypeKind,
) -> Result<RecordId, Refusal> {
    caller.may(Action::ManageOrganisation)?;
    types::get_of_kind(&state.db, &caller.actor, id.get(), kind).await?;
    org::delete::<LeaveType>(&state.db, &caller.actor, id.get(), false).await?;
    Ok(RecordId {
        record_id: id.get(),
    })
}
