//! Billing one recipient's events when they span pricing models.
//!
//! A log covering months crosses Meta's model changes, and every event is billed under the
//! model in force at its own time (in the account's time zone). The engine bills a whole
//! timeline under one model, so the timeline is billed once under each model it touches, and
//! each event takes its fate from the bill of its own model. What carries across a switch:
//!
//! - the customer service window, an armed ad click and a free entry point: these are facts of
//!   the conversation with the customer, not of the price list, so every bill sees the whole
//!   timeline;
//! - a conversation opened under a conversation-based model before the switch to another
//!   conversation-based model (`cbp` → `cbp-2024-11`): messages after the switch ride on it
//!   until it ends, and it keeps the billing it got when it opened. Both models open and join
//!   conversations by the same rules, so the two bills agree on every conversation's span;
//! - nothing from conversations into per-message pricing: from 2025-07-01 every message is
//!   billed per message, even inside a conversation opened the day before (READ: Meta's
//!   migration notes say charges are per message from the switch on; a conversation open at
//!   midnight does not make later messages free).

use crate::billing::{bill, bill_into, Bill, Charge, Event, Fate, PricingModel, Rules};
use chrono::FixedOffset;

/// A charge and the model that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCharge {
    /// The model in force when the conversation opened or the message was delivered.
    pub model: PricingModel,
    /// The charge; `event` indexes the episode's events.
    pub charge: Charge,
}

/// The bill of one episode across models.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpisodeBill {
    /// Conversations and charged messages, in the order they arose.
    pub charges: Vec<PricedCharge>,
    /// Per event: `None` for a customer message, else its fate (`Delivered` indexes `charges`).
    pub fates: Vec<Option<Fate>>,
}

/// Bills `events` (sorted by time) under the model in force at each event, or under `fixed`.
///
/// Every event must be on or after 2023-06-01 in the account's time zone (the reader refuses
/// earlier rows); an event with no model is billed under the oldest.
pub fn bill_episode(
    events: &[Event],
    fixed: Option<PricingModel>,
    tz: FixedOffset,
    rules: Rules,
) -> EpisodeBill {
    let model_at = |e: &Event| {
        fixed.unwrap_or_else(|| PricingModel::in_force_at(e.at, tz).unwrap_or(PricingModel::Cbp))
    };
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return EpisodeBill::default();
    };
    let (m0, m1) = (model_at(first), model_at(last));
    if m0 == m1 {
        return single(events, bill(events, m0, rules));
    }
    let models: Vec<PricingModel> = events.iter().map(model_at).collect();
    let bills: Vec<Bill> = PricingModel::ALL
        .into_iter()
        .filter(|m| *m >= m0 && *m <= m1)
        .map(|m| bill(events, m, rules))
        .collect();
    let bill_of = |m: PricingModel| bills.iter().position(|b| b.model == m);
    // Per bill, by event: its delivery's fate, and the charge the event opened (the first of
    // each, as a search from the start would find). Indexes, not searches: an episode may run
    // to many thousands of events.
    let by_event = |b: &Bill| {
        let (mut fates, mut opened) = (vec![None; events.len()], vec![None; events.len()]);
        for d in &b.deliveries {
            fates[d.event].get_or_insert(d.fate);
        }
        for (c, ch) in b.charges.iter().enumerate() {
            opened[ch.event].get_or_insert(c);
        }
        (fates, opened)
    };
    let indexed: Vec<_> = bills.iter().map(by_event).collect();
    let mut out = EpisodeBill {
        charges: Vec::new(),
        fates: vec![None; events.len()],
    };
    // Per bill, by charge: its index in `out.charges` once taken.
    let mut taken: Vec<Vec<Option<usize>>> =
        bills.iter().map(|b| vec![None; b.charges.len()]).collect();
    let mut take = |out: &mut EpisodeBill, b: usize, c: usize| {
        *taken[b][c].get_or_insert_with(|| {
            out.charges.push(PricedCharge {
                model: bills[b].model,
                charge: bills[b].charges[c].clone(),
            });
            out.charges.len() - 1
        })
    };
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| events[i].at);
    for i in order {
        let m = models[i];
        let Some(b) = bill_of(m) else { continue };
        let Some(fate) = indexed[b].0[i] else {
            continue;
        };
        let fate = match fate {
            Fate::Undeliverable => Fate::Undeliverable,
            Fate::Delivered(c) => {
                let opener = bills[b].charges[c].event;
                let opener_model = models[opener];
                // Riding on a conversation opened under an earlier model: it is that model's
                // conversation (the bills agree on its span; see the module docs).
                let earlier = (opener_model != m)
                    .then(|| bill_of(opener_model))
                    .flatten()
                    .and_then(|ob| indexed[ob].1[opener].map(|oc| (ob, oc)));
                match earlier {
                    Some((ob, oc)) => Fate::Delivered(take(&mut out, ob, oc)),
                    None => Fate::Delivered(take(&mut out, b, c)),
                }
            }
        };
        out.fates[i] = Some(fate);
    }
    out
}

/// Buffers [`bill_episode_into`] reuses from one episode to the next.
#[derive(Debug)]
pub struct Scratch {
    bill: Bill,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            bill: Bill {
                model: PricingModel::Cbp,
                charges: Vec::new(),
                deliveries: Vec::new(),
            },
        }
    }
}

/// [`bill_episode`] into a reused [`EpisodeBill`]: the same result; an episode within one
/// model (nearly all of them) allocates nothing once the buffers have grown.
pub fn bill_episode_into(
    events: &[Event],
    fixed: Option<PricingModel>,
    tz: FixedOffset,
    rules: Rules,
    scratch: &mut Scratch,
    out: &mut EpisodeBill,
) {
    let model_at = |e: &Event| {
        fixed.unwrap_or_else(|| PricingModel::in_force_at(e.at, tz).unwrap_or(PricingModel::Cbp))
    };
    out.charges.clear();
    out.fates.clear();
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return;
    };
    let m0 = model_at(first);
    // Sorted events: the first and the last bound every event's model.
    if events.windows(2).all(|w| w[0].at <= w[1].at) && m0 == model_at(last) {
        let b = &mut scratch.bill;
        bill_into(events, m0, rules, b);
        out.fates.resize(events.len(), None);
        for d in &b.deliveries {
            out.fates[d.event] = Some(d.fate);
        }
        out.charges.extend(b.charges.iter().map(|c| PricedCharge {
            model: m0,
            charge: c.clone(),
        }));
        return;
    }
    *out = bill_episode(events, fixed, tz, rules);
}

fn single(events: &[Event], b: Bill) -> EpisodeBill {
    let mut fates = vec![None; events.len()];
    for d in &b.deliveries {
        fates[d.event] = Some(d.fate);
    }
    let model = b.model;
    EpisodeBill {
        charges: b
            .charges
            .into_iter()
            .map(|charge| PricedCharge { model, charge })
            .collect(),
        fates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{Category, EntryPoint, EventKind, Reason};
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn a_service_conversation_opened_before_2024_11_carries_its_charge_across() {
        let events = [
            Event {
                at: at("2024-10-31T22:00:00Z"),
                kind: EventKind::CustomerMessage(EntryPoint::Organic),
            },
            Event {
                at: at("2024-10-31T23:00:00Z"),
                kind: EventKind::FreeForm,
            },
            Event {
                at: at("2024-11-01T01:00:00Z"),
                kind: EventKind::FreeForm,
            },
        ];
        let b = bill_episode(&events, None, utc(), Rules::default());
        assert_eq!(b.charges.len(), 1);
        assert_eq!(b.charges[0].model, PricingModel::Cbp);
        assert!(b.charges[0].charge.billable);
        assert_eq!(b.fates[2], Some(Fate::Delivered(0)));
    }

    #[test]
    fn per_message_pricing_starts_at_the_switch_even_inside_a_conversation() {
        let events = [
            Event {
                at: at("2025-06-30T20:00:00Z"),
                kind: EventKind::Template(Category::Marketing),
            },
            Event {
                at: at("2025-07-01T02:00:00Z"),
                kind: EventKind::Template(Category::Marketing),
            },
        ];
        let b = bill_episode(&events, None, utc(), Rules::default());
        assert_eq!(b.charges.len(), 2);
        assert_eq!(b.charges[0].model, PricingModel::Cbp2024_11);
        assert_eq!(b.charges[0].charge.reason, Reason::NewConversation);
        assert_eq!(b.charges[1].model, PricingModel::Pmp);
        assert_eq!(b.charges[1].charge.reason, Reason::Regular);
    }

    /// The fates by searching each bill from the start for every event, as episodes were
    /// billed before the bills were indexed: the oracle for the indexed version.
    fn by_search(events: &[Event], rules: Rules) -> EpisodeBill {
        let model_at = |e: &Event| PricingModel::in_force_at(e.at, utc()).unwrap();
        let models: Vec<PricingModel> = events.iter().map(model_at).collect();
        let bills: Vec<Bill> = PricingModel::ALL
            .into_iter()
            .map(|m| bill(events, m, rules))
            .collect();
        let bill_of = |m: PricingModel| bills.iter().find(|b| b.model == m);
        let mut out = EpisodeBill {
            charges: Vec::new(),
            fates: vec![None; events.len()],
        };
        let mut taken: Vec<(PricingModel, usize, usize)> = Vec::new();
        let mut take = |out: &mut EpisodeBill, m: PricingModel, c: usize, b: &Bill| {
            if let Some(&(_, _, i)) = taken.iter().find(|(tm, tc, _)| *tm == m && *tc == c) {
                return i;
            }
            out.charges.push(PricedCharge {
                model: m,
                charge: b.charges[c].clone(),
            });
            taken.push((m, c, out.charges.len() - 1));
            out.charges.len() - 1
        };
        for i in 0..events.len() {
            let (m, b) = (models[i], bill_of(models[i]).unwrap());
            let Some(d) = b.deliveries.iter().find(|d| d.event == i) else {
                continue;
            };
            out.fates[i] = Some(match d.fate {
                Fate::Undeliverable => Fate::Undeliverable,
                Fate::Delivered(c) => {
                    let opener = b.charges[c].event;
                    let ob = bill_of(models[opener]).unwrap();
                    match ob.charges.iter().position(|ch| ch.event == opener) {
                        Some(oc) if models[opener] != m => {
                            Fate::Delivered(take(&mut out, models[opener], oc, ob))
                        }
                        _ => Fate::Delivered(take(&mut out, m, c, b)),
                    }
                }
            });
        }
        out
    }

    /// Random sorted episodes across each model switch are billed as the searching version
    /// bills them: the same charges, in the same order, and the same fates.
    #[test]
    fn indexed_bills_agree_with_searching_ones() {
        let kinds = [
            EventKind::CustomerMessage(EntryPoint::Organic),
            EventKind::CustomerMessage(EntryPoint::AdClick),
            EventKind::FreeForm,
            EventKind::Template(Category::Marketing),
            EventKind::Template(Category::Utility),
            EventKind::Template(Category::Authentication),
        ];
        let mut seed = 11u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for switch in [
            "2024-11-01T00:00:00Z",
            "2025-07-01T00:00:00Z",
            "2026-10-01T00:00:00Z",
        ] {
            for _ in 0..300 {
                let mut t = at(switch) - chrono::Duration::hours(30);
                let events: Vec<Event> = (0..1 + next(40))
                    .map(|_| {
                        t += chrono::Duration::minutes(next(180) as i64);
                        Event {
                            at: t,
                            kind: kinds[next(kinds.len() as u64) as usize],
                        }
                    })
                    .collect();
                let got = bill_episode(&events, None, utc(), Rules::default());
                assert_eq!(got, by_search(&events, Rules::default()), "{events:?}");
            }
        }
    }

    #[test]
    fn the_service_window_carries_across_the_switch() {
        let events = [
            Event {
                at: at("2025-06-30T23:00:00Z"),
                kind: EventKind::CustomerMessage(EntryPoint::Organic),
            },
            Event {
                at: at("2025-07-01T01:00:00Z"),
                kind: EventKind::Template(Category::Utility),
            },
        ];
        let b = bill_episode(&events, None, utc(), Rules::default());
        assert_eq!(b.charges[0].model, PricingModel::Pmp);
        assert_eq!(b.charges[0].charge.reason, Reason::FreeCustomerService);
    }
}
