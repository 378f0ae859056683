//! Leave and overtime requests: quote, submit, approve, decline, edit, cancel, list, and
//! the comment thread. Every change to a request and its allowance happens in one
//! transaction, with the owners of its rules locked (see docs/architecture.md), and ends
//! in one [`tail`]: the e-mails, the audit event and the webhooks of one [`tail::Change`].
//!
//! - [`row`]: the stored request and how the API shows it
//! - [`rules`]: the pure rules, tested without a database
//! - [`plan`]: input, context and the checks that read the database
//! - [`create`], [`decide`], [`change`]: the lifecycle
//! - [`read`], [`comments`]: reading, and the thread
//! - [`detail`]: requests with the names of the people and types they hold

mod change;
mod comments;
mod create;
mod decide;
mod detail;
mod plan;
mod read;
mod row;
pub mod rules;
mod tail;

pub use change::{LeaveRequestPatch, cancel, cancel_of_kind, edit, edit_of_kind};
pub use comments::{Comment, CommentInput, Said, add_comment, comments, thread};
pub use create::{Quote, create, create_of_kind, quote, quote_of_kind};
pub use decide::{Decision, approve, approve_of_kind, decline, decline_of_kind};
pub use detail::{Person, RequestDetail, describe};
pub use plan::LeaveRequestInput;
pub use read::{Holders, RequestFilter, awaiting_decision, get, get_of_kind, list};
pub(crate) use row::Away;
pub use row::{LeaveRequest, RequestStatus};
pub use tail::Change;
