//! The time clock: time entries (When I Work's "times"), clocked in and out by their
//! users or made by their managers, with breaks, notes, tips and an approval; and the
//! company's rules for rounding clock times. Every change to an entry happens in one
//! transaction with its user locked (see docs/architecture.md) and ends in one [`tail`]:
//! the audit event and the webhook of one [`Change`].
//!
//! - [`rounding`], [`rules`]: the pure rules, tested without a database
//! - [`settings`]: the company's rounding rules
//! - [`row`]: the stored entry and how the API shows it
//! - [`plan`]: whose entry it is, what it refers to, and the overlap check
//! - [`clock`]: clocking in and out, breaks, the running entry
//! - [`create`], [`change`], [`approve`]: what managers do
//! - [`read`]: one entry, and the list

mod approve;
mod change;
mod clock;
mod create;
mod plan;
mod read;
pub mod rounding;
pub(crate) mod row;
pub mod rules;
pub mod settings;
mod tail;

pub use approve::{approve, unapprove};
pub use change::{TimeEntryPatch, delete, edit};
pub use clock::{
    ClockInInput, ClockOutInput, clock_in, clock_out, current, end_break, start_break,
};
pub use create::{BreakInput, TimeEntryInput, create};
pub use plan::MAX_CASH_TIPS;
pub use read::{TimeEntryFilter, get, list};
pub use row::{TimeBreak, TimeEntry};
pub use settings::{TimeClockSettings, TimeClockSettingsInput};
pub use tail::Change;
