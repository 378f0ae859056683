//! Paging as the vendors ask for it, over the core's keyset pages (`limit` and an opaque
//! `cursor`, `rota_core::paging`):
//!
//! - numbered pages: When I Work's time-off requests count pages from 0 (`limit` 1–200,
//!   5 by default) and answer `more`, `page` and `total` pages; its swaps count from 1
//!   (10 by default) and answer `total` items. A face reads [`Numbered::parse`], fetches
//!   [`Numbered::wanted`] items by walking the core's cursors, keeps
//!   [`Numbered::window`] of them and answers with [`Numbered::reply`].
//! - cursors: Offly's lists take `limit` (25 by default, at most 100) and `cursor`, and
//!   answer `pagination: {next_cursor, has_more}` ([`CursorPaging`]).
//! - none: WhosOff's `Array()` calls answer every record at once ([`all_pages`]).

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// Every item of a core list, walking its cursors with the largest page, for a vendor
/// call that answers all records at once.
pub async fn all_pages<T, E, F, Fut>(mut fetch: F) -> Result<Vec<T>, E>
where
    F: FnMut(i64, Option<String>) -> Fut,
    Fut: Future<Output = Result<rota_core::paging::Page<T>, E>>,
{
    let mut items = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(rota_core::paging::MAX_LIMIT, cursor).await?;
        items.extend(page.data);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(items),
        }
    }
}

/// A paging parameter out of range, named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagingError {
    pub field: &'static str,
    pub min: i64,
    pub max: i64,
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} must be between {} and {}",
            self.field, self.min, self.max
        )
    }
}

impl std::error::Error for PagingError {}

/// How a vendor numbers its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedPaging {
    /// The number of the first page: 0 or 1.
    pub first_page: i64,
    pub default_limit: i64,
    pub max_limit: i64,
}

/// When I Work's time-off requests: pages from 0, 5 a page by default, at most 200.
pub const WHENIWORK_REQUESTS: NumberedPaging = NumberedPaging {
    first_page: 0,
    default_limit: 5,
    max_limit: 200,
};

/// When I Work's swaps: pages from 1, 10 a page by default.
pub const WHENIWORK_SWAPS: NumberedPaging = NumberedPaging {
    first_page: 1,
    default_limit: 10,
    max_limit: rota_core::paging::MAX_LIMIT,
};

/// The most items a numbered page may lie beyond: deeper pages walk too many cursors.
pub const MAX_DEPTH: i64 = 10_000;

/// A numbered page asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbered {
    rules: NumberedPaging,
    /// The page asked for, as the vendor numbers it.
    pub page: i64,
    pub limit: i64,
}

/// What a numbered page says about the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NumberedReply {
    pub page: i64,
    /// Whether a page follows.
    pub more: bool,
    /// Pages in all.
    pub total_pages: i64,
    /// Items in all.
    pub total_items: i64,
}

impl Numbered {
    /// The page asked for, with the vendor's defaults for what was not sent.
    pub fn parse(
        rules: NumberedPaging,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> Result<Self, PagingError> {
        let limit = limit.unwrap_or(rules.default_limit);
        if !(1..=rules.max_limit).contains(&limit) {
            return Err(PagingError {
                field: "limit",
                min: 1,
                max: rules.max_limit,
            });
        }
        let last_page = rules.first_page + MAX_DEPTH / limit;
        let page = page.unwrap_or(rules.first_page);
        if !(rules.first_page..=last_page).contains(&page) {
            return Err(PagingError {
                field: "page",
                min: rules.first_page,
                max: last_page,
            });
        }
        Ok(Self { rules, page, limit })
    }

    /// Items before this page.
    fn skipped(&self) -> i64 {
        (self.page - self.rules.first_page) * self.limit
    }

    /// How many items to fetch from the start: this page and one more, to know whether
    /// another page follows.
    pub fn wanted(&self) -> i64 {
        self.skipped() + self.limit + 1
    }

    /// Which of the fetched items make this page.
    pub fn window(&self, fetched: usize) -> Range<usize> {
        let start = usize::try_from(self.skipped()).unwrap_or(usize::MAX);
        let end = start.saturating_add(usize::try_from(self.limit).unwrap_or(usize::MAX));
        start.min(fetched)..end.min(fetched)
    }

    /// The reply's paging facts, with the number of items in all.
    pub fn reply(&self, total_items: i64) -> NumberedReply {
        let total_items = total_items.max(0);
        NumberedReply {
            page: self.page,
            more: self.skipped() + self.limit < total_items,
            total_pages: (total_items + self.limit - 1) / self.limit,
            total_items,
        }
    }
}

/// A vendor's cursor paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CursorPaging {
    pub default_limit: i64,
    pub max_limit: i64,
}

/// Offly's lists: 25 by default, at most 100.
pub const OFFLY: CursorPaging = CursorPaging {
    default_limit: 25,
    max_limit: 100,
};

/// Offly's `pagination` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CursorReply {
    pub next_cursor: Option<String>,
    pub has_more: bool,
}

impl CursorPaging {
    /// The limit to ask the core for.
    pub fn limit(&self, limit: Option<i64>) -> Result<i64, PagingError> {
        let limit = limit.unwrap_or(self.default_limit);
        if (1..=self.max_limit).contains(&limit) {
            Ok(limit)
        } else {
            Err(PagingError {
                field: "limit",
                min: 1,
                max: self.max_limit,
            })
        }
    }

    /// The reply's paging facts, from the core page's `next_cursor`.
    pub fn reply(next_cursor: Option<String>) -> CursorReply {
        CursorReply {
            has_more: next_cursor.is_some(),
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_pages_take_the_vendor_defaults() {
        let first = Numbered::parse(WHENIWORK_REQUESTS, None, None).expect("page");
        assert_eq!((first.page, first.limit), (0, 5));
        assert_eq!(first.wanted(), 6);
        assert_eq!(first.window(6), 0..5);
        let swaps = Numbered::parse(WHENIWORK_SWAPS, None, None).expect("page");
        assert_eq!((swaps.page, swaps.limit), (1, 10));
        assert_eq!(swaps.window(11), 0..10);
    }

    #[test]
    fn a_later_page_skips_the_ones_before_it() {
        let third = Numbered::parse(WHENIWORK_REQUESTS, Some(2), Some(20)).expect("page");
        assert_eq!(third.wanted(), 61);
        assert_eq!(third.window(61), 40..60);
        // Fewer items than asked: the page holds what there is, or nothing.
        assert_eq!(third.window(45), 40..45);
        assert_eq!(third.window(12), 12..12);
        let second = Numbered::parse(WHENIWORK_SWAPS, Some(2), Some(10)).expect("page");
        assert_eq!(second.window(30), 10..20);
    }

    #[test]
    fn the_reply_counts_pages_and_says_whether_more_follow() {
        let page = Numbered::parse(WHENIWORK_REQUESTS, Some(1), Some(5)).expect("page");
        assert_eq!(
            page.reply(12),
            NumberedReply {
                page: 1,
                more: true,
                total_pages: 3,
                total_items: 12
            }
        );
        assert!(!page.reply(10).more);
        assert_eq!(page.reply(10).total_pages, 2);
        assert_eq!(page.reply(0).total_pages, 0);
        assert!(!page.reply(-1).more);
    }

    #[test]
    fn pages_and_limits_out_of_range_are_refused_by_name() {
        let refused = |rules, page, limit| Numbered::parse(rules, page, limit).err();
        assert_eq!(
            refused(WHENIWORK_REQUESTS, None, Some(0)),
            Some(PagingError {
                field: "limit",
                min: 1,
                max: 200
            })
        );
        assert_eq!(
            refused(WHENIWORK_REQUESTS, None, Some(201)).map(|e| e.field),
            Some("limit")
        );
        assert_eq!(
            refused(WHENIWORK_REQUESTS, Some(-1), None).map(|e| e.field),
            Some("page")
        );
        assert_eq!(
            refused(WHENIWORK_SWAPS, Some(0), None).map(|e| e.field),
            Some("page")
        );
        // Ten thousand items deep at most.
        assert!(Numbered::parse(WHENIWORK_REQUESTS, Some(2000), Some(5)).is_ok());
        assert_eq!(
            refused(WHENIWORK_REQUESTS, Some(2001), Some(5)),
            Some(PagingError {
                field: "page",
                min: 0,
                max: 2000
            })
        );
        assert!(refused(WHENIWORK_REQUESTS, Some(i64::MAX), Some(200)).is_some());
    }

    #[test]
    fn cursor_paging_checks_the_limit_and_answers_has_more() {
        assert_eq!(OFFLY.limit(None), Ok(25));
        assert_eq!(OFFLY.limit(Some(100)), Ok(100));
        assert_eq!(
            OFFLY.limit(Some(101)),
            Err(PagingError {
                field: "limit",
                min: 1,
                max: 100
            })
        );
        assert_eq!(OFFLY.limit(Some(0)).map_err(|e| e.field), Err("limit"));
        assert_eq!(
            CursorPaging::reply(Some("abc".into())),
            CursorReply {
                next_cursor: Some("abc".into()),
                has_more: true
            }
        );
        assert_eq!(
            serde_json::to_value(CursorPaging::reply(None)).expect("json"),
            serde_json::json!({"next_cursor": null, "has_more": false})
        );
    }
}
