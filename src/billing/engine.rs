//! The billing rules of `docs/billing.md`, applied event by event.

use super::{
    Bill, Category, Charge, Delivery, EntryPoint, Event, EventKind, Fate, PricingModel, Reason,
    Rules, Unit,
};
use chrono::{DateTime, Duration, Utc};

/// Conversations and the customer service window last 24 h, as half-open intervals
/// `[t, t + 24h)` (rule 1).
pub const WINDOW: Duration = Duration::hours(24);

/// A free entry point conversation lasts 72 h (rule 7; MyOperator KB, Meta pricing page).
pub const ENTRY_POINT_WINDOW: Duration = Duration::hours(72);

/// The business must reply within 24 h of an ad click for the reply to open a free entry point
/// (rule 7).
const ENTRY_POINT_REPLY_WITHIN: Duration = Duration::hours(24);

/// Bills one recipient's events under `model`.
///
/// Events may come in any order; they are taken in time order (stable for equal instants, so
/// a customer message listed before a send at the same instant opens the window for it).
pub fn bill(events: &[Event], model: PricingModel, rules: Rules) -> Bill {
    let mut out = Bill {
        model,
        charges: Vec::new(),
        deliveries: Vec::new(),
    };
    bill_into(events, model, rules, &mut out);
    out
}

/// [`bill`] into a reused [`Bill`]: the same result, without allocating once `out`'s vectors
/// have grown (replay bills millions of short timelines).
pub fn bill_into(events: &[Event], model: PricingModel, rules: Rules, out: &mut Bill) {
    let mut charges = std::mem::take(&mut out.charges);
    let mut deliveries = std::mem::take(&mut out.deliveries);
    charges.clear();
    deliveries.clear();
    let mut state = State::new(model, rules, charges, deliveries);
    if events.windows(2).all(|w| w[0].at <= w[1].at) {
        // Already in time order: the stable sort below would keep this order.
        for (i, e) in events.iter().enumerate() {
            state.apply(i, *e);
        }
    } else {
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|&i| events[i].at);
        for i in order {
            state.apply(i, events[i]);
        }
    }
    out.model = model;
    out.charges = state.charges;
    out.deliveries = state.deliveries;
}

/// Bills events one at a time, in time order: the same rules as [`bill`], for callers that
/// explore many timelines sharing a prefix (the simulator clones a `Biller` at each fork and
/// merges timelines whose [`BillerKey`] is equal).
#[derive(Clone)]
pub struct Biller {
    state: State,
    events: usize,
}

/// What one event added to the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// The charge it created (a new conversation, or the message itself), if any, with its
    /// category and whether it is billable.
    pub charge: Option<(Category, bool)>,
    /// Why that charge is billable or free.
    pub reason: Option<Reason>,
    /// The end of the conversation it opened (conversation-based pricing).
    pub until: Option<DateTime<Utc>>,
    /// A free-form message refused outside the customer service window.
    pub undeliverable: bool,
}

/// Everything about a biller's state that can change how later events are billed, relative
/// to an instant: two billers with equal keys at the same instant bill any later events alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BillerKey {
    /// Milliseconds since the customer's last message, while the service window is open.
    customer: Option<i64>,
    /// Milliseconds since an ad click that a reply could still turn into a free entry point.
    armed: Option<i64>,
    /// Milliseconds left in the free entry point.
    entry: Option<i64>,
    /// Open conversations: category and milliseconds left.
    open: Vec<(Category, i64)>,
}

impl BillerKey {
    /// Keeps only what a later event can still depend on: the customer service window when
    /// `window`, the conversations of the categories in `conversations` (bit per
    /// `Category::ALL`), the ad click and the free entry point when `sends`.
    pub fn retain(&mut self, window: bool, conversations: u8, sends: bool) {
        if !window {
            self.customer = None;
        }
        if !sends {
            self.armed = None;
            self.entry = None;
        }
        self.open.retain(|(c, _)| {
            let i = Category::ALL.iter().position(|x| x == c).unwrap_or(0);
            conversations & (1 << i) != 0
        });
    }

    /// Makes every window that cannot close within `horizon_ms` (the longest the path can go
    /// on) alike: it stays open to the end, however long it has left.
    pub fn clip(&mut self, horizon_ms: i64) {
        let window = WINDOW.num_milliseconds();
        let reply = ENTRY_POINT_REPLY_WITHIN.num_milliseconds();
        let past = |left: i64| left > horizon_ms;
        if let Some(age) = &mut self.customer {
            if past(window - *age) {
                *age = i64::MIN;
            }
        }
        if let Some(age) = &mut self.armed {
            if past(reply - *age) {
                *age = i64::MIN;
            }
        }
        if let Some(left) = &mut self.entry {
            if past(*left) {
                *left = i64::MAX;
            }
        }
        for (_, left) in &mut self.open {
            if past(*left) {
                *left = i64::MAX;
            }
        }
        self.open.sort();
    }

    /// Appends the key to `out` as bytes: equal keys give equal bytes and different keys
    /// different bytes (the simulator keeps millions of them, so they are kept small).
    pub fn encode(&self, out: &mut Vec<u8>) {
        for v in [self.customer, self.armed, self.entry] {
            match v {
                None => out.push(0),
                Some(ms) => {
                    out.push(1);
                    out.extend_from_slice(&ms.to_le_bytes());
                }
            }
        }
        out.push(self.open.len() as u8);
        for (c, ms) in &self.open {
            out.push(*c as u8);
            out.extend_from_slice(&ms.to_le_bytes());
        }
    }
}

impl Biller {
    /// A biller with nothing billed yet.
    pub fn new(model: PricingModel, rules: Rules) -> Self {
        Biller {
            state: State::new(model, rules, Vec::new(), Vec::new()),
            events: 0,
        }
    }

    /// Bills the next event; events must come in time order.
    pub fn apply(&mut self, event: Event) -> Applied {
        let before = self.state.charges.len();
        self.state.apply(self.events, event);
        self.events += 1;
        let new = self.state.charges[before..].first();
        let charge = new.map(|c| (c.category, c.billable));
        let (reason, until) = (new.map(|c| c.reason), new.and_then(|c| c.until));
        let undeliverable = self
            .state
            .deliveries
            .last()
            .is_some_and(|d| d.event == self.events - 1 && d.fate == Fate::Undeliverable);
        Applied {
            charge,
            reason,
            until,
            undeliverable,
        }
    }

    /// Forgets what can no longer change later bills: conversations closed by `now` and the
    /// fate of past messages. Keeps memory bounded on long timelines; the key is unchanged.
    pub fn compact(&mut self, now: DateTime<Utc>) {
        let s = &mut self.state;
        let mut kept = Vec::new();
        let mut moved = Vec::new();
        for (i, c) in s.charges.drain(..).enumerate() {
            if c.until.is_some_and(|u| u > now) {
                moved.push((i, kept.len()));
                kept.push(c);
            }
        }
        s.charges = kept;
        if let Some(w) = &mut s.entry {
            w.conversation = w
                .conversation
                .and_then(|old| moved.iter().find(|(o, _)| *o == old).map(|(_, new)| *new));
        }
        s.deliveries.clear();
    }

    /// Whether the customer service window is open at `now`.
    pub fn window_open(&self, now: DateTime<Utc>) -> bool {
        self.state.service_window_open(now)
    }

    /// The conversations open at `now`: category and end.
    pub fn open_conversations(
        &self,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = (Category, DateTime<Utc>)> + '_ {
        self.state
            .charges
            .iter()
            .filter_map(move |c| c.until.filter(|u| *u > now).map(|u| (c.category, u)))
    }

    /// The state that matters for events at `now` or later.
    pub fn key(&self, now: DateTime<Utc>) -> BillerKey {
        let s = &self.state;
        // Milliseconds: a reply at half of a short timeout can fall between seconds.
        let secs = |d: Duration| d.num_milliseconds();
        let mut open: Vec<(Category, i64)> = s
            .charges
            .iter()
            .filter_map(|c| {
                c.until
                    .filter(|u| *u > now)
                    .map(|u| (c.category, secs(u - now)))
            })
            .collect();
        open.sort();
        BillerKey {
            customer: s
                .last_customer
                .filter(|c| now < *c + WINDOW)
                .map(|c| secs(now - c)),
            armed: s
                .armed_ad_click
                .filter(|a| now < *a + ENTRY_POINT_REPLY_WITHIN)
                .map(|a| secs(now - a)),
            entry: s.entry_open(now).map(|w| secs(w.end - now)),
            open,
        }
    }
}

/// A free entry point window `[start, end)` and, under conversation-based pricing, the
/// conversation that stands for it.
#[derive(Clone, Copy)]
struct EntryWindow {
    end: DateTime<Utc>,
    conversation: Option<usize>,
}

#[derive(Clone)]
struct State {
    model: PricingModel,
    rules: Rules,
    /// The customer's latest message: the customer service window is `[t, t + 24h)`.
    last_customer: Option<DateTime<Utc>>,
    /// An ad click whose 24 h for a business reply has not run out.
    armed_ad_click: Option<DateTime<Utc>>,
    entry: Option<EntryWindow>,
    charges: Vec<Charge>,
    deliveries: Vec<Delivery>,
}

impl State {
    fn new(
        model: PricingModel,
        rules: Rules,
        charges: Vec<Charge>,
        deliveries: Vec<Delivery>,
    ) -> Self {
        State {
            model,
            rules,
            last_customer: None,
            armed_ad_click: None,
            entry: None,
            charges,
            deliveries,
        }
    }

    fn apply(&mut self, index: usize, event: Event) {
        let t = event.at;
        match event.kind {
            EventKind::CustomerMessage(entry) => {
                self.last_customer = Some(t);
                if entry == EntryPoint::AdClick && self.entry_open(t).is_none() {
                    self.armed_ad_click = Some(t);
                }
            }
            EventKind::FreeForm => {
                // Terms, "Customer service window": free-form is deliverable only inside it;
                // the platform refuses the rest, and refused messages cost nothing.
                if !self.service_window_open(t) {
                    self.deliveries.push(Delivery {
                        event: index,
                        fate: Fate::Undeliverable,
                    });
                    return;
                }
                let charge = self.deliver(index, t, Category::Service);
                self.deliveries.push(Delivery {
                    event: index,
                    fate: Fate::Delivered(charge),
                });
            }
            EventKind::Template(category) => {
                let charge = self.deliver(index, t, category);
                self.deliveries.push(Delivery {
                    event: index,
                    fate: Fate::Delivered(charge),
                });
            }
        }
    }

    /// Customer service window: 24 h from the customer's latest message, half-open.
    fn service_window_open(&self, t: DateTime<Utc>) -> bool {
        self.last_customer.is_some_and(|c| c <= t && t < c + WINDOW)
    }

    fn entry_open(&self, t: DateTime<Utc>) -> Option<EntryWindow> {
        self.entry.filter(|w| t < w.end)
    }

    /// Bills a delivered business message of `category` (service for free-form) and returns
    /// the index of the charge it opened, rode on, or is.
    fn deliver(&mut self, index: usize, t: DateTime<Utc>, category: Category) -> usize {
        if let Some(window) = self.open_entry_point(index, t, category) {
            return match window.conversation {
                Some(conversation) => conversation,
                None => self.push(index, t, category, None, false, Reason::FreeEntryPoint),
            };
        }
        match self.model.unit() {
            Unit::Conversation => self.deliver_in_conversation(index, t, category),
            Unit::Message => self.deliver_per_message(index, t, category),
        }
    }

    /// Rule 7 (rule 17 keeps it): a business message within 24 h of an ad click opens a 72 h
    /// free entry point; everything the business sends in it is free, no other conversation
    /// opens meanwhile, and opening it closes every other open conversation (MyOperator KB,
    /// "How does a free-entry point conversation affect other open conversations?").
    fn open_entry_point(
        &mut self,
        index: usize,
        t: DateTime<Utc>,
        category: Category,
    ) -> Option<EntryWindow> {
        if let Some(window) = self.entry_open(t) {
            return Some(window);
        }
        let clicked = self.armed_ad_click.take()?;
        if t >= clicked + ENTRY_POINT_REPLY_WITHIN {
            return None;
        }
        let end = t + ENTRY_POINT_WINDOW;
        let conversation = match self.model.unit() {
            Unit::Conversation => {
                for c in self.charges.iter_mut() {
                    if let Some(until) = c.until.filter(|u| *u > t) {
                        c.until = Some(until.min(t));
                    }
                }
                Some(self.push(index, t, category, Some(end), false, Reason::FreeEntryPoint))
            }
            // Per-message pricing has no conversation; each message is its own free charge.
            Unit::Message => None,
        };
        let window = EntryWindow { end, conversation };
        self.entry = Some(window);
        Some(window)
    }

    /// Conversation-based pricing (`cbp`, `cbp-2024-11`).
    fn deliver_in_conversation(
        &mut self,
        index: usize,
        t: DateTime<Utc>,
        category: Category,
    ) -> usize {
        let open = |c: &Charge| c.at <= t && c.until.is_some_and(|u| t < u);
        let rides_on =
            if category == Category::Service && self.rules.free_form_joins_open_conversation {
                // Rule 4: free-form rides on an open conversation of any category; prefer a
                // service one, else the earliest opened.
                self.charges
                    .iter()
                    .position(|c| open(c) && c.category == Category::Service)
                    .or_else(|| self.charges.iter().position(open))
            } else {
                // Rule 3 (and rule 4 switched off): ride only on a conversation of the same category.
                self.charges
                    .iter()
                    .position(|c| open(c) && c.category == category)
            };
        if let Some(existing) = rides_on {
            return existing;
        }
        // Rule 9: from 2024-11-01 service conversations are free and unlimited.
        let (billable, reason) =
            if category == Category::Service && self.model == PricingModel::Cbp2024_11 {
                (false, Reason::FreeServiceConversation)
            } else {
                (true, Reason::NewConversation)
            };
        self.push(index, t, category, Some(t + WINDOW), billable, reason)
    }

    /// Per-message pricing (`pmp`, `pmp-2026-10`).
    fn deliver_per_message(&mut self, index: usize, t: DateTime<Utc>, category: Category) -> usize {
        let pmp = self.model == PricingModel::Pmp;
        let free = match category {
            // Rule 11: free-form is free under `pmp`; rule 15: charged under `pmp-2026-10`.
            Category::Service => pmp,
            // Rule 11: utility inside an open service window is free under `pmp`;
            // rule 16: charged again under `pmp-2026-10`.
            Category::Utility => pmp && self.service_window_open(t),
            // Rule 12: marketing and authentication are always charged.
            Category::Marketing | Category::Authentication => false,
        };
        let reason = if free {
            Reason::FreeCustomerService
        } else {
            Reason::Regular
        };
        self.push(index, t, category, None, !free, reason)
    }

    fn push(
        &mut self,
        event: usize,
        at: DateTime<Utc>,
        category: Category,
        until: Option<DateTime<Utc>>,
        billable: bool,
        reason: Reason,
    ) -> usize {
        self.charges.push(Charge {
            category,
            at,
            until,
            billable,
            reason,
            event,
        });
        self.charges.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64, m: i64) -> DateTime<Utc> {
        "2024-06-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
            + Duration::hours(h)
            + Duration::minutes(m)
    }

    fn ev(at: DateTime<Utc>, kind: EventKind) -> Event {
        Event { at, kind }
    }

    #[test]
    fn free_form_rides_on_any_open_conversation_unless_switched_off() {
        let events = [
            ev(t(0, 0), EventKind::Template(Category::Marketing)),
            ev(t(4, 0), EventKind::CustomerMessage(EntryPoint::Organic)),
            ev(t(5, 0), EventKind::FreeForm),
        ];
        let on = bill(&events, PricingModel::Cbp, Rules::default());
        assert_eq!(on.billable(), 1);
        assert_eq!(on.deliveries[1].fate, Fate::Delivered(0));
        let off = bill(
            &events,
            PricingModel::Cbp,
            Rules {
                free_form_joins_open_conversation: false,
            },
        );
        assert_eq!(off.billable(), 2);
        assert_eq!(off.charges[1].category, Category::Service);
    }

    #[test]
    fn entry_point_closes_open_conversations() {
        let events = [
            ev(t(0, 0), EventKind::Template(Category::Marketing)),
            ev(t(2, 0), EventKind::CustomerMessage(EntryPoint::AdClick)),
            ev(t(2, 5), EventKind::FreeForm),
        ];
        let b = bill(&events, PricingModel::Cbp, Rules::default());
        assert_eq!(b.charges[0].until, Some(t(2, 5)));
        assert_eq!(b.charges[1].reason, Reason::FreeEntryPoint);
        assert_eq!(b.charges[1].until, Some(t(74, 5)));
    }

    #[test]
    fn ad_click_reply_after_24h_opens_no_entry_point() {
        let events = [
            ev(t(0, 0), EventKind::CustomerMessage(EntryPoint::AdClick)),
            ev(t(24, 0), EventKind::Template(Category::Marketing)),
        ];
        let b = bill(&events, PricingModel::Pmp2026_10, Rules::default());
        assert_eq!(b.charges[0].reason, Reason::Regular);
        assert!(b.charges[0].billable);
    }

    #[test]
    fn events_are_taken_in_time_order() {
        let events = [
            ev(t(0, 1), EventKind::FreeForm),
            ev(t(0, 0), EventKind::CustomerMessage(EntryPoint::Organic)),
        ];
        let b = bill(&events, PricingModel::Cbp, Rules::default());
        assert_eq!(b.undeliverable().count(), 0);
        assert_eq!(b.charges[0].event, 0);
    }

    #[test]
    fn service_window_is_half_open() {
        let events = [
            ev(t(0, 0), EventKind::CustomerMessage(EntryPoint::Organic)),
            ev(t(24, 0), EventKind::FreeForm),
        ];
        let b = bill(&events, PricingModel::Pmp, Rules::default());
        assert_eq!(b.undeliverable().collect::<Vec<_>>(), vec![1]);
        assert!(b.charges.is_empty());
    }
}
