//! What every compatibility face shares, pure and unit-tested, so that no face copies
//! another: unit conversions ([`units`]), the vendors' date formats ([`dates`]), their
//! code lists ([`codes`]), their paging ([`paging`]), errors in their words ([`errors`]),
//! and JSON / CSV / XML by `Accept` or `?format=` ([`render`]).
//!
//! Each vendor gets a folder beside these (`compat/whosoff/`, …) holding only its wire
//! types and handlers, its router declaring its area (`crate::auth::declare`) and its
//! credential scheme read into a `crate::auth::Presented`. Vendor routes stay out of the
//! native OpenAPI document.

pub mod codes;
pub mod dates;
pub mod errors;
pub mod paging;
pub mod render;
pub mod units;
