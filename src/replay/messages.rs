//! Messages named by status webhooks: a recipient's own, found by id while its episode is
//! open ([`Messages`]), and, when streaming, the messages of episodes already billed, kept for
//! a while ([`Settled`]) so that a status that comes after its message's episode was billed (a
//! `read` receipt days after the delivery, a delivery to a phone that was off for days) joins
//! its message instead of being counted as a message of its own.

use super::fxhash::FxHasher;
use super::row::LogVerdict;
use hashbrown::HashTable;
use std::collections::VecDeque;
use std::hash::{BuildHasherDefault, Hasher};

/// A business message, from its statuses.
#[derive(Debug, Clone)]
pub struct Msg {
    /// The message id (`wamid…`).
    pub id: Box<str>,
    /// The first delivery (or read) time, in ms since the epoch.
    pub delivered: Option<i64>,
    /// A `sent` status came.
    pub sent: bool,
    /// A `failed` status came.
    pub failed: bool,
    /// The pricing block Meta bills on (the delivery's, else another status's).
    pub verdict: Option<LogVerdict>,
}

impl Msg {
    /// A message with no status yet.
    pub fn new(id: &str) -> Self {
        Msg {
            id: id.into(),
            delivered: None,
            sent: false,
            failed: false,
            verdict: None,
        }
    }
}

/// The messages a slot's status webhooks name, found by id: by a scan while they are few, by
/// a hash index from [`Messages::INDEX_FROM`] on (a recipient may get many thousands of
/// messages in one episode, each with several statuses).
#[derive(Debug, Default)]
pub struct Messages {
    /// In the order first named.
    pub list: Vec<Msg>,
    index: std::collections::HashMap<Box<str>, u32, BuildHasherDefault<FxHasher>>,
}

impl Messages {
    const INDEX_FROM: usize = 16;

    /// The message `id`'s index, if it is here.
    pub fn find(&mut self, id: &str) -> Option<usize> {
        if self.list.len() < Self::INDEX_FROM {
            return self.list.iter().position(|m| &*m.id == id);
        }
        if self.index.is_empty() {
            for (i, m) in self.list.iter().enumerate() {
                self.index.insert(m.id.clone(), i as u32);
            }
        }
        self.index.get(id).map(|&i| i as usize)
    }

    /// Adds a message that is not here yet; its index.
    pub fn add(&mut self, msg: Msg) -> usize {
        let m = self.list.len();
        if !self.index.is_empty() {
            self.index.insert(msg.id.clone(), m as u32);
        }
        self.list.push(msg);
        m
    }

    /// Empties the list.
    pub fn clear(&mut self) {
        self.list.clear();
        self.index.clear();
    }
}

/// What [`Settled::lookup`] knows of a message whose episode was billed.
#[derive(Debug)]
pub enum Late {
    /// Not kept (never seen, or kept past its time).
    Unknown,
    /// Delivered and counted: a later status changes nothing.
    Delivered,
    /// Counted as not delivered (sent only, or failed); handed back, and no longer kept, so
    /// that the status that came late can complete it.
    Pending(Msg),
}

/// A message kept after its episode was billed: a delivered one by its id alone (40 bytes
/// and the id), one that was not with its statuses so far.
#[derive(Debug)]
struct Kept {
    /// The recipient's hash: message ids are per recipient, as in an episode.
    recipient: u64,
    until: i64,
    msg: KeptMsg,
}

#[derive(Debug)]
enum KeptMsg {
    Delivered(Box<str>),
    Pending(Box<Msg>),
}

impl KeptMsg {
    fn id(&self) -> &str {
        match self {
            KeptMsg::Delivered(id) => id,
            KeptMsg::Pending(msg) => &msg.id,
        }
    }
}

/// The messages of billed episodes, each kept until a time (ms) for the statuses that come
/// after its episode was billed. Messages are forgotten in the order they were kept, once
/// their time has passed. Episodes are billed in about the order of their quiet points, so
/// the times nearly grow in that order; a message held past its time behind one with a later
/// time (by the disorder tolerance, or the span of a batch of webhooks, billed between
/// batches) costs memory only: [`Settled::lookup`] checks the time itself.
#[derive(Debug, Default)]
pub struct Settled {
    table: HashTable<Kept>,
    /// (until, hash) in the order kept.
    order: VecDeque<(i64, u64)>,
}

fn hash_of(recipient: u64, id: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(recipient);
    h.write(id.as_bytes());
    h.finish()
}

impl Settled {
    /// Keeps `msg` of `recipient` (its hash) until `until`, replacing a message of the same
    /// id and recipient.
    pub fn keep(&mut self, recipient: u64, msg: Msg, until: i64) {
        let hash = hash_of(recipient, &msg.id);
        let same = |k: &Kept| k.recipient == recipient && k.msg.id() == &*msg.id;
        if let Ok(entry) = self.table.find_entry(hash, same) {
            entry.remove();
        }
        self.order.push_back((until, hash));
        let msg = match msg.delivered {
            // Only its id is asked about again.
            Some(_) => KeptMsg::Delivered(msg.id),
            None => KeptMsg::Pending(Box::new(msg)),
        };
        let kept = Kept {
            recipient,
            until,
            msg,
        };
        self.table
            .insert_unique(hash, kept, |k| hash_of(k.recipient, k.msg.id()));
    }

    /// What is known of message `id` of `recipient` for a status at `at` (ms): a message
    /// kept until before `at` is not known.
    pub fn lookup(&mut self, recipient: u64, id: &str, at: i64) -> Late {
        if self.table.is_empty() {
            return Late::Unknown;
        }
        let hash = hash_of(recipient, id);
        let same = |k: &Kept| k.recipient == recipient && k.msg.id() == id;
        let Ok(entry) = self.table.find_entry(hash, same) else {
            return Late::Unknown;
        };
        let kept = entry.get();
        if at > kept.until {
            return Late::Unknown;
        }
        if let KeptMsg::Delivered(_) = kept.msg {
            return Late::Delivered;
        }
        match entry.remove().0.msg {
            KeptMsg::Pending(msg) => Late::Pending(*msg),
            KeptMsg::Delivered(_) => Late::Delivered,
        }
    }

    /// Forgets the messages kept until before `t`.
    pub fn forget_before(&mut self, t: i64) {
        while let Some(&(until, hash)) = self.order.front() {
            if until >= t {
                break;
            }
            self.order.pop_front();
            // An entry replaced or handed back since has gone, or has a later time.
            if let Ok(entry) = self.table.find_entry(hash, |k| k.until == until) {
                entry.remove();
            }
        }
    }

    /// Messages kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Nothing kept.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.table.clear();
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivered(id: &str, at: i64) -> Msg {
        Msg {
            delivered: Some(at),
            ..Msg::new(id)
        }
    }

    /// Messages are found by id as a scan would find them, before and after the index is
    /// built, whatever order their statuses come in.
    #[test]
    fn messages_are_found_by_id_past_the_index_threshold() {
        let mut msgs = Messages::default();
        let mut seen: Vec<String> = Vec::new();
        for k in 0..400u32 {
            let id = format!("wamid.{}", (k * 7919) % 150);
            let scan = seen.iter().position(|s| *s == id);
            let found = msgs.find(&id);
            assert_eq!(found, scan, "{id}");
            let m = found.unwrap_or_else(|| {
                seen.push(id.clone());
                msgs.add(Msg::new(&id))
            });
            assert_eq!(m, scan.unwrap_or(seen.len() - 1), "{id}");
            assert_eq!(&*msgs.list[m].id, id.as_str());
        }
        assert_eq!(msgs.list.len(), 150);
        assert!(!msgs.index.is_empty());
        msgs.clear();
        assert_eq!(msgs.find("wamid.1"), None);
        assert_eq!(msgs.add(Msg::new("wamid.1")), 0);
    }

    #[test]
    fn a_delivered_message_stays_known_until_its_time() {
        let mut settled = Settled::default();
        settled.keep(7, delivered("a", 100), 1_000);
        assert!(matches!(settled.lookup(7, "a", 1_000), Late::Delivered));
        assert!(
            matches!(settled.lookup(7, "a", 500), Late::Delivered),
            "looking keeps it"
        );
        assert!(
            matches!(settled.lookup(7, "a", 1_001), Late::Unknown),
            "past its time"
        );
        assert!(
            matches!(settled.lookup(8, "a", 500), Late::Unknown),
            "another recipient's"
        );
        assert!(matches!(settled.lookup(7, "b", 500), Late::Unknown));
    }

    #[test]
    fn a_pending_message_is_handed_back_once() {
        let mut settled = Settled::default();
        let sent = Msg {
            sent: true,
            ..Msg::new("a")
        };
        settled.keep(7, sent, 1_000);
        match settled.lookup(7, "a", 900) {
            Late::Pending(m) => assert!(m.sent && m.delivered.is_none() && &*m.id == "a"),
            other => panic!("expected the pending message, got {other:?}"),
        }
        assert!(matches!(settled.lookup(7, "a", 900), Late::Unknown));
        assert!(settled.is_empty());
    }

    #[test]
    fn the_oldest_are_forgotten_first_and_a_replaced_message_keeps_its_new_time() {
        let mut settled = Settled::default();
        settled.keep(1, delivered("a", 0), 100);
        settled.keep(1, delivered("b", 0), 200);
        settled.keep(1, delivered("a", 0), 300);
        assert_eq!(settled.len(), 2, "a replaced, not added twice");
        settled.forget_before(150);
        assert_eq!(
            settled.len(),
            2,
            "a's first time passed, but a was kept again"
        );
        assert!(matches!(settled.lookup(1, "a", 250), Late::Delivered));
        settled.forget_before(201);
        assert_eq!(settled.len(), 1);
        assert!(
            matches!(settled.lookup(1, "b", 150), Late::Unknown),
            "forgotten"
        );
        settled.forget_before(301);
        assert!(settled.is_empty());
        settled.keep(1, delivered("c", 0), 400);
        settled.clear();
        assert!(settled.is_empty());
        settled.forget_before(i64::MAX);
    }
}
