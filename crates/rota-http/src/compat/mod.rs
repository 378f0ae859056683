//! What every compatibility face shares, pure and unit-tested, so that no face copies
//! another: unit conversions ([`units`]), the vendors' date formats ([`dates`]), their
//! code lists ([`codes`]), what a leave request covers ([`spans`]), their paging ([`paging`]), errors in their words ([`errors`]),
//! JSON / CSV / XML by `Accept` or `?format=` ([`render`]), and numbers and flags sent as
//! strings ([`lenient`]).
//!
//! Each vendor gets a folder beside these (`compat/whosoff/`, …) holding only its wire
//! types and handlers, its router declaring its area (`crate::auth::declare`) and its
//! credential scheme read into a `crate::auth::Presented`. Vendor routes stay out of the
//! native OpenAPI document.

pub mod codes;
pub mod dates;
pub mod errors;
pub mod lenient;
pub mod paging;
pub mod render;
pub mod spans;
pub mod units;
pub mod whosoff;
