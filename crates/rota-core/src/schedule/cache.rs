//! Rendered schedule reads, kept until the schedule changes: a week of a location is a few
//! thousand shifts, read far more often than it changes. Each is kept with the company's
//! schedule version at the time it was read (`schedule_versions`, which triggers move on in
//! the same transaction as every write to what a read shows: migration 0024), and served
//! only while that version is still the latest. The version is in the database, so a write
//! through another server is seen at once. Per reader, because who sees which shift is the
//! reader's; bounded, dropping the least recently served.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::people::types::UserType;
use crate::policy::{Actor, PolicySettings};

/// The most bytes of rendered reads one process keeps.
const MAX_BYTES: usize = 64 << 20;
/// The most rendered reads one process keeps.
const MAX_ENTRIES: usize = 64;

/// What a rendered read is of: in which rendering, by whom, of which range and filters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ViewKey {
    pub rendering: &'static str,
    pub reader: Reader,
    pub from: i64,
    pub to: i64,
    pub location_id: Option<i64>,
    pub user_id: Option<i64>,
    pub published: Option<bool>,
}

/// What decides which shifts a reader sees ([`crate::policy::may`] and the read's filter).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Reader {
    company_id: i64,
    user_id: i64,
    role: UserType,
    is_owner: bool,
    department_id: Option<i64>,
    policy: PolicySettings,
}

impl From<&Actor> for Reader {
    fn from(actor: &Actor) -> Self {
        Self {
            company_id: actor.company_id,
            user_id: actor.user_id,
            role: actor.role,
            is_owner: actor.is_owner,
            department_id: actor.department_id,
            policy: actor.policy,
        }
    }
}

struct Entry {
    version: i64,
    bytes: Arc<[u8]>,
    /// When it was last served or stored, on [`Store::clock`].
    used: u64,
}

#[derive(Default)]
struct Store {
    entries: HashMap<ViewKey, Entry>,
    bytes: usize,
    clock: u64,
}

impl Store {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn remove(&mut self, key: &ViewKey) {
        if let Some(entry) = self.entries.remove(key) {
            self.bytes -= entry.bytes.len();
        }
    }
}

/// The rendered reads one process keeps (one per database handle).
#[derive(Default)]
pub(crate) struct Views {
    store: Mutex<Store>,
}

impl std::fmt::Debug for Views {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Views").finish_non_exhaustive()
    }
}

impl Views {
    /// The read of `key` rendered at `version`, if kept; one kept at an older version is
    /// dropped.
    pub fn get(&self, key: &ViewKey, version: i64) -> Option<Arc<[u8]>> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let now = store.tick();
        match store.entries.get_mut(key) {
            Some(entry) if entry.version == version => {
                entry.used = now;
                Some(entry.bytes.clone())
            }
            Some(_) => {
                store.remove(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `bytes` as the read of `key` at `version`, dropping the least recently
    /// served reads while over the bounds. A read larger than all the room is not kept.
    pub fn put(&self, key: ViewKey, version: i64, bytes: Arc<[u8]>) {
        if bytes.len() > MAX_BYTES {
            return;
        }
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        store.remove(&key);
        while store.entries.len() >= MAX_ENTRIES || store.bytes + bytes.len() > MAX_BYTES {
            let Some(oldest) = store
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            store.remove(&oldest);
        }
        let used = store.tick();
        store.bytes += bytes.len();
        store.entries.insert(
            key,
            Entry {
                version,
                bytes,
                used,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(from: i64) -> ViewKey {
        ViewKey {
            rendering: "json",
            reader: Reader {
                company_id: 1,
                user_id: 1,
                role: UserType::SuperUser,
                is_owner: true,
                department_id: None,
                policy: PolicySettings::default(),
            },
            from,
            to: from + 7 * 86_400,
            location_id: None,
            user_id: None,
            published: None,
        }
    }

    fn bytes(len: usize) -> Arc<[u8]> {
        vec![b'x'; len].into()
    }

    #[test]
    fn a_read_is_served_at_the_version_it_was_kept_at_and_dropped_at_a_newer_one() {
        let views = Views::default();
        views.put(key(0), 3, bytes(10));
        assert_eq!(views.get(&key(0), 3).map(|b| b.len()), Some(10));
        assert!(views.get(&key(0), 4).is_none());
        assert!(views.get(&key(0), 3).is_none(), "dropped once stale");
        assert!(
            views.get(&key(1), 3).is_none(),
            "another range is another read"
        );
    }

    #[test]
    fn another_reader_does_not_get_what_one_reader_sees() {
        let views = Views::default();
        views.put(key(0), 1, bytes(10));
        let mut other = key(0);
        other.reader.user_id = 2;
        other.reader.role = UserType::Staff;
        assert!(views.get(&other, 1).is_none());
    }

    #[test]
    fn past_the_bounds_the_least_recently_served_reads_go_first() {
        let views = Views::default();
        for n in 0..MAX_ENTRIES as i64 {
            views.put(key(n), 1, bytes(1));
        }
        // Serving the first keeps it; the second is now the least recently served.
        assert!(views.get(&key(0), 1).is_some());
        views.put(key(-1), 1, bytes(1));
        assert!(views.get(&key(0), 1).is_some());
        assert!(views.get(&key(1), 1).is_none());
        assert!(views.get(&key(-1), 1).is_some());
        // A read that needs all the room pushes out every other.
        views.put(key(-2), 1, bytes(MAX_BYTES));
        assert!(views.get(&key(0), 1).is_none());
        assert!(views.get(&key(-2), 1).is_some());
        // One larger than all of it is not kept.
        views.put(key(-3), 1, bytes(MAX_BYTES + 1));
        assert!(views.get(&key(-3), 1).is_none());
        assert!(views.get(&key(-2), 1).is_some());
    }
}
