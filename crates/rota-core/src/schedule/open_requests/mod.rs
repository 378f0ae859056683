//! Open shifts that require approval (When I Work's open-shift approval requests): taking
//! such a shift bids for it instead. Each shift has one request, holding one bid per
//! person; a manager approves one bidder (the shift becomes theirs, checked as any
//! assignment is, and the other bids close with it) or denies them all; a bidder may
//! withdraw. Every write locks the shift first (`Owner::Shift`), so of two managers
//! approving different bidders at once exactly one assigns it.
//!
//! A request's status is stored as pending, approved, cancelled or denied, and read
//! through [`model::status_sql`]: a pending request whose shift was deleted, taken by
//! other means or no longer requires approval reads `cancelled`, and one whose shift has
//! started reads `expired`. No job is needed to move them.
//!
//! - [`model`]: what the API shows, the stored row and its status
//! - [`bid`]: bidding (from [`super::take`]) and withdrawing
//! - [`decide`]: approving a bidder, denying
//! - [`read`]: one request and the list, as the caller may see them
//! - [`tail`]: the audit event, webhook event and e-mails of each change

mod bid;
mod decide;
mod model;
mod read;
mod tail;

pub(crate) use bid::bid;
pub use bid::withdraw;
pub use decide::{ApproveInput, approve, deny};
pub use model::{Bid, OpenShiftRequest, OpenShiftRequestStatus};
pub(crate) use read::people;
pub use read::{RequestFilter, get, list};
