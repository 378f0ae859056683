//! The one list shape: every list answers `{data, next_cursor}` and takes `limit` and
//! `cursor` ([`crate::api::users::PageQuery`]); the core pages it ([`rota_core::paging`]).
//! [`page_schema!`] names the page of one item type for the OpenAPI document.
//!
//! The exceptions answer a bare array, because they are bounded by nature: a user's
//! allowances (this leave year and the next, one per deducting leave type), the countries
//! with public holidays (a table compiled into the server) and a country's public holidays
//! between two dates (a few dozen a year, over a range the request bounds).

/// Declares `$name`, the OpenAPI schema of a page of `$item`.
macro_rules! page_schema {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(utoipa::ToSchema)]
        #[expect(
            dead_code,
            reason = "describes the response for the OpenAPI document only"
        )]
        pub struct $name {
            data: Vec<$item>,
            /// Pass as `cursor` to get the next page; absent on the last page.
            next_cursor: Option<String>,
        }
    };
}

pub(crate) use page_schema;
