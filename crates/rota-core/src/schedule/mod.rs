//! The schedule: shifts (a user's, or open), with their scheduled breaks, published or
//! draft, and each shift's history. Every change happens in one transaction, with the
//! user a shift goes to locked before their calendar is checked (docs/architecture.md),
//! and ends in one [`tail`]: the history row, audit event and webhook event, and for a
//! publish the e-mails.
//!
//! - [`rules`]: the pure rules (length, breaks, days covered, conflicts)
//! - [`draft`]: the inputs, checked into the shift to write
//! - [`row`]: the stored shift and how the API shows it
//! - [`create`], [`change`], [`publish`]: the lifecycle; [`copy`]: a week copied to another; [`take`]: an open shift taken by
//!   whom it fits, one winner; [`candidates`]: who could take a shift over; [`read`]:
//!   reading; [`view`]: a range of the schedule in one read, repeating shifts included,
//!   and [`cache`]: such reads, rendered, kept until the schedule changes
//! - [`over_leave`]: the shifts under a leave request, opened when it is approved so
//! - [`swap`]: swaps and drops, a shift offered to colleagues; [`messages`]: the message
//!   threads of shifts and swaps
//! - [`open_requests`]: the bids for open shifts that require approval, and a manager's
//!   pick among them
//! - [`templates`]: shift templates, and shifts made from them; [`wall_clock`]: local
//!   times in a zone, DST-safe; [`daily_breaks`]: breaks at a time of day, as templates
//!   and repeating shifts plan them
//! - [`settings`]: the company's default for approval, and which conflicts only warn
//! - [`availability`]: a user's available and unavailable times
//! - [`chains`], [`repeat`]: repeating shifts, expanded when read
//! - [`history`]: the reasons and the change log; [`conflicts`], [`holders`]: what the
//!   checks and decisions read

pub mod availability;
pub(crate) mod cache;
mod candidates;
pub mod chains;
mod change;
mod conflicts;
mod copy;
mod create;
pub mod daily_breaks;
mod draft;
pub mod history;
mod holders;
pub mod messages;
pub mod open_requests;
mod over_leave;
mod publish;
mod read;
pub mod repeat;
mod row;
pub mod rules;
pub mod settings;
pub mod swap;
mod tail;
mod take;
pub mod templates;
mod view;
pub mod wall_clock;

pub use candidates::{SwapCandidates, swap_candidates};
pub use change::{DeleteShiftsInput, DeleteSummary, acknowledge, delete, delete_many, edit};
pub use copy::{CopySummary, CopyWeekInput, SkippedShift, copy_week};
pub use create::{MAX_BATCH, create, create_many};
pub use draft::{BreakInput, ShiftInput, ShiftPatch};
pub use history::{HistoryEntry, Reason};
pub(crate) use over_leave::open_under;
pub use over_leave::under_request;
pub use publish::{ReleaseInput, release};
pub use read::{ShiftFilter, get, get_many, history, list};
pub use row::{Shift, ShiftBreak};
pub use rules::{Conflict, Warning};
pub use settings::ScheduleSettings;
pub use tail::{Release, ReleaseSummary};
pub use take::{Taken, take};
pub use view::{Schedule, ScheduleFilter, view, view_rendered};
