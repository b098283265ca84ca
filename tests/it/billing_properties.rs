//! Invariants of the billing engine over arbitrary timelines (proptest).

use chrono::{DateTime, Duration, Utc};
use flowcost::billing::{
    bill, Category, EntryPoint, Event, EventKind, Fate, PricingModel, Rules, Unit,
};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    "2025-01-01T00:00:00Z".parse().unwrap()
}

fn kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        Just(EventKind::CustomerMessage(EntryPoint::Organic)),
        Just(EventKind::CustomerMessage(EntryPoint::AdClick)),
        Just(EventKind::FreeForm),
        Just(EventKind::Template(Category::Marketing)),
        Just(EventKind::Template(Category::Utility)),
        Just(EventKind::Template(Category::Authentication)),
    ]
}

/// Up to 30 events within 10 days, minute resolution (so that boundaries are hit often).
fn timeline() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec((0i64..14_400, kind()), 0..30).prop_map(|v| {
        v.into_iter()
            .map(|(m, kind)| Event {
                at: t0() + Duration::minutes(m),
                kind,
            })
            .collect()
    })
}

fn model() -> impl Strategy<Value = PricingModel> {
    prop::sample::select(PricingModel::ALL.to_vec())
}

fn sends(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| !matches!(e.kind, EventKind::CustomerMessage(_)))
        .count()
}

proptest! {
    #[test]
    fn never_charges_more_than_was_sent(events in timeline(), model in model(), joins in any::<bool>()) {
        let b = bill(&events, model, Rules { free_form_joins_open_conversation: joins });
        prop_assert!(b.billable() <= sends(&events));
        prop_assert!(b.charges.len() <= sends(&events));
        // Every business message has exactly one fate, and only free-form can be refused.
        prop_assert_eq!(b.deliveries.len(), sends(&events));
        for d in &b.deliveries {
            if d.fate == Fate::Undeliverable {
                prop_assert_eq!(events[d.event].kind, EventKind::FreeForm);
            }
        }
    }

    #[test]
    fn per_message_models_charge_each_delivered_message_once(events in timeline(), model in model()) {
        prop_assume!(model.unit() == Unit::Message);
        let b = bill(&events, model, Rules::default());
        let delivered = b.deliveries.iter().filter(|d| d.fate != Fate::Undeliverable).count();
        prop_assert_eq!(b.charges.len(), delivered);
    }

    #[test]
    fn conversations_last_at_most_their_window(events in timeline(), model in model()) {
        prop_assume!(model.unit() == Unit::Conversation);
        let b = bill(&events, model, Rules::default());
        for c in &b.charges {
            let until = c.until.expect("conversations have an end");
            prop_assert!(until >= c.at);
            prop_assert!(until - c.at <= Duration::hours(72));
        }
    }

    #[test]
    fn templates_only_timelines_never_cost_more_with_a_customer_message(
        events in timeline(), model in model(), at in 0i64..14_400,
    ) {
        // Without free-form sends, a customer message can only make things free (in-window
        // utility under pmp) or change nothing.
        let templates: Vec<Event> = events.into_iter().filter(|e| matches!(e.kind, EventKind::Template(_))).collect();
        let mut more = templates.clone();
        more.push(Event { at: t0() + Duration::minutes(at), kind: EventKind::CustomerMessage(EntryPoint::Organic) });
        let before = bill(&templates, model, Rules::default()).billable();
        let after = bill(&more, model, Rules::default()).billable();
        prop_assert!(after <= before, "{} > {}", after, before);
    }

    #[test]
    fn the_order_of_the_input_does_not_matter(events in timeline(), model in model()) {
        let mut times: Vec<_> = events.iter().map(|e| e.at).collect();
        times.sort();
        times.dedup();
        prop_assume!(times.len() == events.len());
        let reversed: Vec<Event> = events.iter().rev().copied().collect();
        let a = bill(&events, model, Rules::default());
        let b = bill(&reversed, model, Rules::default());
        prop_assert_eq!(a.billable(), b.billable());
        prop_assert_eq!(a.categories(), b.categories());
        prop_assert_eq!(a.undeliverable().count(), b.undeliverable().count());
    }
}
