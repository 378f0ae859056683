//! Keyset paging with opaque, signed cursors: a cursor names the last id a client saw and
//! carries an HMAC, so a tampered cursor is refused rather than silently misread.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

use crate::error::{Error, Result, code};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// The key cursors are signed with, shared by every process on the same database.
#[derive(Clone)]
pub struct CursorKey(Vec<u8>);

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(<redacted>)")
    }
}

impl CursorKey {
    pub fn new(key: Vec<u8>) -> Self {
        Self(key)
    }

    fn mac(&self, scope: &str, payload: &str) -> Vec<u8> {
        #[expect(clippy::unwrap_used, reason = "HMAC accepts keys of any length")]
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).unwrap();
        mac.update(scope.as_bytes());
        mac.update(b"\0");
        mac.update(payload.as_bytes());
        mac.finalize().into_bytes()[..12].to_vec()
    }

    /// A cursor that resumes a `scope` listing after `last_id`.
    pub fn encode(&self, scope: &str, last_id: i64) -> String {
        let payload = last_id.to_string();
        let mut bytes = payload.clone().into_bytes();
        bytes.push(b'.');
        bytes.extend(self.mac(scope, &payload));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The id a cursor resumes after; a cursor from another listing or altered in any way is refused.
    pub fn decode(&self, scope: &str, cursor: &str) -> Result<i64> {
        let invalid = || {
            Error::bad_request(
                code::INVALID_CURSOR,
                Some("cursor"),
                "cursor is not one this server issued for this listing",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let dot = bytes.iter().position(|b| *b == b'.').ok_or_else(invalid)?;
        let (payload, tag) = bytes.split_at(dot);
        let payload = std::str::from_utf8(payload).map_err(|_| invalid())?;
        let expected = self.mac(scope, payload);
        let tag = tag.get(1..).ok_or_else(invalid)?;
        if !bool::from(subtle::ConstantTimeEq::ct_eq(tag, expected.as_slice())) {
            return Err(invalid());
        }
        payload.parse().map_err(|_| invalid())
    }
}

/// Paging parameters after checking: a limit in range and the id to resume after, with
/// the key and the list's scope that the next page's cursor is signed with.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'k> {
    pub limit: i64,
    pub after_id: i64,
    key: &'k CursorKey,
    scope: &'static str,
}

impl<'k> PageRequest<'k> {
    pub fn parse(
        key: &'k CursorKey,
        scope: &'static str,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<Self> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Error::bad_request(
                code::VALIDATION,
                Some("limit"),
                format!("limit must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after_id = cursor
            .map(|c| key.decode(scope, c))
            .transpose()?
            .unwrap_or(0);
        Ok(Self {
            limit,
            after_id,
            key,
            scope,
        })
    }

    /// Cuts a fetch of `limit + 1` rows to a page, with the cursor for the next one.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> Page<T> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next_cursor = if more {
            rows.last()
                .map(|last| self.key.encode(self.scope, id(last)))
        } else {
            None
        };
        Page {
            data: rows,
            next_cursor,
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The same page with each item turned into another (a stored row into what is shown).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }

    /// As [`Page::map`], for a conversion that may fail.
    pub fn try_map<U>(self, f: impl FnMut(T) -> Result<U>) -> Result<Page<U>> {
        Ok(Page {
            data: self.data.into_iter().map(f).collect::<Result<_>>()?,
            next_cursor: self.next_cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_refuses_tampering() {
        let key = CursorKey::new(b"k".to_vec());
        let cursor = key.encode("users", 42);
        assert_eq!(key.decode("users", &cursor).unwrap(), 42);
        assert!(key.decode("departments", &cursor).is_err());
        let forged = URL_SAFE_NO_PAD.encode(b"43.xxxxxxxxxxxx");
        assert!(key.decode("users", &forged).is_err());
        assert!(key.decode("users", "not base64!").is_err());
        assert!(
            CursorKey::new(b"other".to_vec())
                .decode("users", &cursor)
                .is_err()
        );
    }
}
