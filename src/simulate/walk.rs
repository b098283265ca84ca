//! One path, walked from its choices: the route, the timeline of events and the bill that
//! `simulate`, `timeline`, `cost --group-by path` and lint messages show.

use super::customer::moves;
use super::graph::trigger_entry;
use super::loops::Loops;
use super::{Assumption, Options, Path, PathEnd, SimError};
use crate::billing::{bill, Event, EventKind};
use crate::flow::{Flow, NodeKind};

/// Walks the path that takes `choices` (one per step, as the merged graph's edges record them).
pub(crate) fn walk(
    flow: &Flow,
    loops: &Loops,
    opts: &Options,
    choices: &[u32],
) -> Result<Path, SimError> {
    let mut path = Path {
        route: vec![0],
        probability: 1.0,
        assumptions: Vec::new(),
        events: Vec::new(),
        event_nodes: Vec::new(),
        step_events: Vec::new(),
        end: PathEnd::End,
        bill: bill(&[], opts.model, opts.rules),
        choices: choices.to_vec(),
        dearest: false,
    };
    let mut now = opts.start;
    if let Some(entry) = trigger_entry(flow.trigger) {
        path.events.push(Event {
            at: now,
            kind: EventKind::CustomerMessage(entry),
        });
        path.event_nodes.push(None);
    }
    let max_visits = opts.customer.max_visits;
    let mut counts = loops.enter(None, &[], 0, max_visits).unwrap_or_default();
    let mut node = 0;
    let mut list = Vec::new();
    let mut steps = choices.iter();
    loop {
        if matches!(flow.nodes[node].kind, NodeKind::End) {
            path.end = PathEnd::End;
            break;
        }
        moves(flow, loops, opts, node, &mut list);
        let Some(mv) = steps.next().and_then(|&c| list.get(c as usize)).copied() else {
            // Choices that stop early (never from the graph): the path ends where it is.
            path.end = PathEnd::DeadEnd;
            break;
        };
        now = now.checked_add_signed(mv.delay).ok_or(SimError::TooLong)?;
        path.probability *= mv.share.to_f64();
        if let Some(outcome) = mv.outcome {
            path.assumptions.push(Assumption { node, outcome });
        }
        let event = mv.event.map(|kind| {
            path.events.push(Event { at: now, kind });
            path.event_nodes.push(Some(node));
            path.events.len() - 1
        });
        path.step_events.push(event);
        let Some(to) = mv.to else {
            path.end = PathEnd::DeadEnd;
            break;
        };
        match loops.enter(Some(node), &counts, to, max_visits) {
            Some(c) => counts = c,
            None => {
                path.end = PathEnd::Abandoned { node: to };
                break;
            }
        }
        path.route.push(to);
        node = to;
    }
    path.bill = bill(&path.events, opts.model, opts.rules);
    Ok(path)
}
