//! Instants as the API writes them.

/// Unix seconds as RFC 3339 in UTC, such as `2026-11-23T09:30:00Z`.
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}
