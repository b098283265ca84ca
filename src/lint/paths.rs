//! Rules that read paths: they watch every path of the merged exploration step by step and
//! label the steps where they find something; each label becomes one finding, "on N of M
//! paths", with the shortest path through a labelled step as its example.
//!
//! A rule that needs to remember something about a path (the wait that let the window close,
//! the free-form message a burst started with, when the last conversation of a category
//! closed) keeps it in its part of [`Watch`]: the exploration keeps paths apart that differ
//! there, so the count of paths is exact however many there are.

use super::{
    dead_end, free_form_outside_window, mixed_categories, service_reply_burst,
    window_closed_by_wait, window_just_missed, Context, Finding, Level, Levels, Meta,
};
use crate::billing::Biller;
use crate::flow::Flow;
use crate::route::{folded_within, shortened};
use crate::simulate::{
    explore_fitting, walk, Label, Loops, Observer, Path, SimError, StepView, Through,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashSet};

/// The longest example route in a message, in characters.
const MAX_ROUTE: usize = 400;
/// The longest message, in characters.
const MAX_MESSAGE: usize = 1000;

/// What the path rules remember of a path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Watch {
    culprit: window_closed_by_wait::Culprit,
    recent: window_just_missed::Recent,
    burst: service_reply_burst::Burst,
}

/// The path rules that can report anything (a rule at `allow` whatever the suppressions
/// says nothing, and is not watched).
struct Watcher<'a> {
    cx: &'a Context<'a>,
    on: [bool; 6],
}

const MIXED: usize = 0;
const OUTSIDE: usize = 1;
const CLOSED_BY_WAIT: usize = 2;
const JUST_MISSED: usize = 3;
const DEAD_END: usize = 4;
const BURST: usize = 5;

fn metas() -> [&'static Meta; 6] {
    [
        &mixed_categories::MixedCategories::META,
        &free_form_outside_window::FreeFormOutsideWindow::META,
        &window_closed_by_wait::WindowClosedByWait::META,
        &window_just_missed::WindowJustMissed::META,
        &dead_end::DeadEnd::META,
        &service_reply_burst::ServiceReplyBurst::META,
    ]
}

impl Observer for Watcher<'_> {
    type Watch = Watch;

    fn start(&self, biller: &Biller, now: DateTime<Utc>) -> Watch {
        Watch {
            culprit: window_closed_by_wait::Culprit::start(biller, now),
            ..Watch::default()
        }
    }

    fn step(&self, w: &mut Watch, s: &StepView, labels: &mut Vec<Label>) {
        let cx = self.cx;
        let mut label = |rule: usize, found: Option<(u32, u32)>| {
            if let Some((node, other)) = found {
                labels.push(Label {
                    rule: rule as u16,
                    node,
                    other,
                });
            }
        };
        if self.on[MIXED] {
            label(MIXED, mixed_categories::watch(s));
        }
        if self.on[OUTSIDE] {
            label(OUTSIDE, free_form_outside_window::watch(s));
        }
        if self.on[CLOSED_BY_WAIT] {
            label(CLOSED_BY_WAIT, w.culprit.watch(cx.flow, s));
        }
        if self.on[JUST_MISSED] {
            label(JUST_MISSED, w.recent.watch(cx, s));
        }
        if self.on[DEAD_END] {
            label(DEAD_END, dead_end::watch(s));
        }
        if self.on[BURST] {
            label(BURST, w.burst.watch(cx, s));
        }
    }
}

/// An example of a finding: the path, which of its steps was labelled, and how many paths
/// share the finding.
pub(crate) struct Example<'a> {
    /// The shortest path through a labelled step.
    pub path: &'a Path,
    /// The labelled step (the move from `path.route[step]`).
    pub step: usize,
    /// The label.
    pub label: Label,
}

impl Example<'_> {
    /// The event the labelled step added, if any.
    pub fn event(&self) -> Option<usize> {
        self.path.step_events.get(self.step).copied().flatten()
    }
}

/// Findings, and `--max-visits` as asked and as used when it was lowered.
type Checked = (Vec<Finding>, Option<(u32, u32)>);

/// The findings of the path rules on `flow`, one per label, and `--max-visits` as asked when
/// a lower number had to be used (see `simulate::explore_fitting`).
pub(crate) fn check(cx: &Context, levels: &Levels) -> Result<Checked, SimError> {
    let metas = metas();
    let on = metas.map(|m| levels.resolve(m, false) != Level::Allow);
    if !on.iter().any(|o| *o) {
        return Ok((Vec::new(), None));
    }
    let watcher = Watcher { cx, on };
    let (graph, used, lowered) = explore_fitting(cx.flow, cx.options, &watcher)?;
    let lowered = lowered.map(|asked| (asked, used.customer.max_visits));
    let loops = Loops::new(cx.flow);
    let through = Through::new(&graph);
    let total = through.total(&graph);
    let mut by_label: BTreeMap<Label, HashSet<u32>> = BTreeMap::new();
    for &(edge, label) in &graph.labels {
        by_label.entry(label).or_default().insert(edge);
    }
    let mut out = Vec::new();
    for (label, edges) in by_label {
        let Some((choices, step)) = through.shortest(&graph, &edges) else {
            continue;
        };
        let path = walk(cx.flow, &loops, &used, &choices)?;
        let example = Example {
            path: &path,
            step,
            label,
        };
        let finding = match usize::from(label.rule) {
            MIXED => mixed_categories::describe(cx, &example),
            OUTSIDE => free_form_outside_window::describe(cx, &example),
            CLOSED_BY_WAIT => window_closed_by_wait::describe(cx, &example),
            JUST_MISSED => window_just_missed::describe(cx, &example),
            DEAD_END => dead_end::describe(cx, &example),
            _ => service_reply_burst::describe(cx, &example),
        };
        let Some(mut finding) = finding else { continue };
        let count = through.count(&graph, &edges);
        let route = route_of(cx.flow, &path);
        let message = format!(
            "{} (on {} of {} paths; for example {route})",
            finding.problem.message,
            shown(count),
            shown(total)
        );
        finding.problem.message = shortened(&message, MAX_MESSAGE);
        out.push(finding);
    }
    Ok((out, lowered))
}

/// The example's route as a message shows it: folded, and cut in the middle when long.
fn route_of(flow: &Flow, path: &Path) -> String {
    let ids: Vec<&str> = path
        .route
        .iter()
        .map(|&i| flow.nodes[i].id.as_str())
        .collect();
    folded_within(&ids, MAX_ROUTE)
}

/// A count of paths; past the largest count kept, "more than 3.4e38".
fn shown(n: u128) -> String {
    if n == u128::MAX {
        "more than 3.4e38".to_string()
    } else {
        n.to_string()
    }
}
