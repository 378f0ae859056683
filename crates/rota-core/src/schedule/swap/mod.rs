//! Swaps and drops (When I Work's shift requests): the holder of a published shift to
//! come, or who manages them, offers it to named colleagues, each offering a shift of
//! theirs in exchange (a swap), or drops it for anyone it fits (or only named colleagues)
//! to pick up. A colleague accepts; where the company requires it
//! (`swaps_require_approval`), the holder's approver or a super user then approves or
//! denies; the holder cancels while it is pending. On completion the shifts change hands
//! in one transaction, each with its history (`swap` or `drop`), after the receiver's
//! calendar is checked as an assignment's is.
//!
//! Every step locks the swap's shifts, and a completing one the people they go to, first
//! (users, then shifts: docs/architecture.md), so that a swap is answered and decided
//! once, and a shift changed meanwhile is seen: the swap then expires (`swap_expired`).
//!
//! - [`rules`]: the pure rules (an offer's shape, the step a swap waits for, whether its
//!   shift is still as offered, what each step leaves each recipient)
//! - [`row`]: the stored swap and how the API shows it
//! - [`create`], [`answer`] (accept, decline), [`decide`] (approve, deny, cancel),
//!   [`hand`] (the shifts changing hands, the fit, expiry), [`read`], [`tail`] (mail,
//!   audit, webhooks)

mod answer;
mod create;
mod decide;
mod hand;
mod read;
mod row;
pub mod rules;
mod tail;

pub use answer::{accept, decline};
pub use create::{SwapInput, create};
pub use decide::{approve, cancel, deny};
pub use read::{SwapFilter, get, list};
pub(crate) use row::load_visible;
pub use row::{RecipientStatus, Swap, SwapKind, SwapRecipient, SwapStatus};
