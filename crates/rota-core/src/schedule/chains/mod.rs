//! Repeating shifts (chains): the first shift's fields and a pattern (a week interval,
//! When I Work's weekday mask, an until date at most a year on, a zone whose wall clock
//! the occurrences keep; the rules in [`super::repeat`]). Occurrences are expanded when
//! read, never stored; one edited on its own becomes a stored shift detached from its
//! chain, which remembers the day as an exception. Chains are shifts to the policy: who
//! may see or manage a shift of theirs may see or manage the chain.
//!
//! - [`input`]: what a client sends, checked into a draft
//! - [`row`]: the stored chain and how the API shows it and its occurrences
//! - [`write`]: create, edit and delete, whole, "this and following" or "this one"
//! - [`read`]: one chain, and the occurrences of a range; [`tail`]: audit and webhooks

mod input;
mod read;
pub(crate) mod row;
mod tail;
mod write;

pub use input::{ChainInput, ChainPatch};
pub use read::{OccurrenceFilter, get, occurrences};
pub use row::{ChainException, ChainOccurrence, OccurrenceBreak, ShiftChain};
pub use write::{create, delete, delete_occurrence, edit, edit_occurrence};
