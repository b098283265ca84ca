//! One path on a time axis: the customer service window, the free entry point, every
//! conversation (or every charged message under per-message pricing) and every message, as
//! lanes of bars and marks; drawn as a text Gantt here and as SVG in `svg.rs`.

use super::category_ansi;
use crate::billing::{
    Category, EventKind, Fate, PricingModel, Reason, Unit, ENTRY_POINT_WINDOW, WINDOW,
};
use crate::flow::Flow;
use crate::simulate::{Path, PathEnd};
use crate::time::format_duration;
use chrono::{DateTime, Duration, Utc};
use std::fmt::Write;

/// What a lane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneKind {
    /// The 24 h customer service windows opened by the customer's messages.
    CustomerWindow,
    /// The 72 h free entry point after an ad click.
    EntryPoint,
    /// One conversation (conversation-based pricing).
    Conversation,
    /// Every charged message of one category (per-message pricing).
    Charges,
    /// One message: the customer's or the business's.
    Message,
}

/// A half-open interval `[from, to)` on a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    /// Start.
    pub from: DateTime<Utc>,
    /// End (excluded).
    pub to: DateTime<Utc>,
    /// Free of charge (a free conversation, the customer service window, the entry point).
    pub free: bool,
}

/// What a mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// The customer wrote.
    Customer,
    /// The business sent a message that was delivered.
    Sent,
    /// A free-form message the platform refuses (outside the customer service window).
    Refused,
    /// A billable message charge.
    Charged,
    /// A free message charge.
    Free,
}

/// An instant on a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: MarkKind,
}

/// One row of the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// What the row is, for people (`marketing conversation`, `welcome: template`).
    pub label: String,
    /// The category it belongs to, if any (colors).
    pub category: Option<Category>,
    /// What it shows.
    pub kind: LaneKind,
    /// Intervals.
    pub bars: Vec<Bar>,
    /// Instants.
    pub marks: Vec<Mark>,
    /// Detail for a tooltip or a legend: reason, node, offsets.
    pub detail: String,
}

/// One path's lanes between `start` and `end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// 1-based path number, as `simulate` lists it.
    pub number: usize,
    /// The route, node ids joined by arrows.
    pub route: String,
    /// The pricing model billed.
    pub model: PricingModel,
    /// Left end of the axis: the flow's start.
    pub start: DateTime<Utc>,
    /// Right end of the axis.
    pub end: DateTime<Utc>,
    /// Billable conversations or messages on the path.
    pub billable: usize,
    /// The rows, top to bottom.
    pub lanes: Vec<Lane>,
    /// How the path ends when it does not reach an `end` node.
    pub ending: Option<String>,
}

/// `+1d2h` from the start.
pub(crate) fn offset(start: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let d = at - start;
    if d.is_zero() {
        "+0s".to_string()
    } else {
        format!("+{}", format_duration(d))
    }
}

/// The customer service windows of a path: each customer message opens `[t, t + 24h)`, and a
/// later message within it extends it, so overlapping windows merge into one bar.
fn customer_windows(path: &Path) -> Vec<Bar> {
    let mut bars: Vec<Bar> = Vec::new();
    let mut times: Vec<DateTime<Utc>> = path
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::CustomerMessage(_)))
        .map(|e| e.at)
        .collect();
    times.sort();
    for t in times {
        match bars.last_mut() {
            Some(b) if t < b.to => b.to = t + WINDOW,
            _ => bars.push(Bar {
                from: t,
                to: t + WINDOW,
                free: true,
            }),
        }
    }
    bars
}

/// Builds the lanes of path `number` (1-based) of a simulation of `flow` started at `start`.
pub fn timeline(flow: &Flow, path: &Path, number: usize, start: DateTime<Utc>) -> Timeline {
    let bill = &path.bill;
    let node_id = |event: usize| {
        path.event_nodes
            .get(event)
            .copied()
            .flatten()
            .map_or("(trigger)", |n| flow.nodes[n].id.as_str())
    };
    let mut lanes = Vec::new();
    let windows = customer_windows(path);
    if !windows.is_empty() {
        lanes.push(Lane {
            label: "customer service window".into(),
            category: None,
            kind: LaneKind::CustomerWindow,
            detail:
                "24 h after each customer message; free-form messages are delivered only inside it"
                    .into(),
            bars: windows,
            marks: Vec::new(),
        });
    }
    if let Some(first) = bill
        .charges
        .iter()
        .find(|c| c.reason == Reason::FreeEntryPoint)
    {
        lanes.push(Lane {
            label: "free entry point".into(),
            category: None,
            kind: LaneKind::EntryPoint,
            detail: "72 h after the business's first reply to an ad click: everything sent is free"
                .into(),
            bars: vec![Bar {
                from: first.at,
                to: first.at + ENTRY_POINT_WINDOW,
                free: true,
            }],
            marks: Vec::new(),
        });
    }
    match bill.model.unit() {
        Unit::Conversation => {
            for c in &bill.charges {
                let free = if c.billable { "" } else { " (free)" };
                lanes.push(Lane {
                    label: format!("{} conversation{free}", c.category),
                    category: Some(c.category),
                    kind: LaneKind::Conversation,
                    detail: format!("opened by {}: {}", node_id(c.event), c.reason.describe()),
                    bars: vec![Bar {
                        from: c.at,
                        to: c.until.unwrap_or(c.at + WINDOW),
                        free: !c.billable,
                    }],
                    marks: Vec::new(),
                });
            }
        }
        Unit::Message => {
            for category in bill.categories() {
                let charges: Vec<_> = bill
                    .charges
                    .iter()
                    .filter(|c| c.category == category)
                    .collect();
                let billable = charges.iter().filter(|c| c.billable).count();
                lanes.push(Lane {
                    label: format!("{category} messages"),
                    category: Some(category),
                    kind: LaneKind::Charges,
                    detail: format!("{billable} billable, {} free", charges.len() - billable),
                    bars: Vec::new(),
                    marks: charges
                        .iter()
                        .map(|c| Mark {
                            at: c.at,
                            kind: if c.billable {
                                MarkKind::Charged
                            } else {
                                MarkKind::Free
                            },
                        })
                        .collect(),
                });
            }
        }
    }
    let refused: Vec<usize> = bill
        .deliveries
        .iter()
        .filter(|d| d.fate == Fate::Undeliverable)
        .map(|d| d.event)
        .collect();
    for (i, e) in path.events.iter().enumerate() {
        let (label, category, kind) = match e.kind {
            EventKind::CustomerMessage(_) => {
                let who = if path.event_nodes[i].is_none() {
                    "customer writes (trigger)".to_string()
                } else {
                    format!("customer replies at {}", node_id(i))
                };
                (who, None, MarkKind::Customer)
            }
            EventKind::FreeForm => {
                let refused = refused.contains(&i);
                let label = format!(
                    "{}: free-form{}",
                    node_id(i),
                    if refused { " (refused)" } else { "" }
                );
                let kind = if refused {
                    MarkKind::Refused
                } else {
                    MarkKind::Sent
                };
                (label, Some(Category::Service), kind)
            }
            EventKind::Template(c) => (
                format!("{}: {c} template", node_id(i)),
                Some(c),
                MarkKind::Sent,
            ),
        };
        // A loop sends the same message again: one lane with a mark per time.
        let mark = Mark { at: e.at, kind };
        match lanes
            .iter_mut()
            .find(|l| l.kind == LaneKind::Message && l.label == label)
        {
            Some(lane) => lane.marks.push(mark),
            None => lanes.push(Lane {
                label,
                category,
                kind: LaneKind::Message,
                detail: String::new(),
                bars: Vec::new(),
                marks: vec![mark],
            }),
        }
    }
    for lane in lanes.iter_mut().filter(|l| l.kind == LaneKind::Message) {
        lane.detail = offsets(start, &lane.marks);
    }
    let latest = lanes
        .iter()
        .flat_map(|l| {
            l.bars
                .iter()
                .map(|b| b.to)
                .chain(l.marks.iter().map(|m| m.at))
        })
        .max()
        .unwrap_or(start);
    let end = latest.max(start + Duration::hours(1));
    Timeline {
        number,
        route: crate::route::folded(
            &path
                .route
                .iter()
                .map(|&n| flow.nodes[n].id.as_str())
                .collect::<Vec<_>>(),
        ),
        model: bill.model,
        start,
        end,
        billable: bill.billable(),
        lanes,
        ending: match path.end {
            PathEnd::End => None,
            PathEnd::DeadEnd => Some("stops without an `end` node".into()),
            PathEnd::Abandoned { node } => Some(format!(
                "abandoned: the customer gives up before entering `{}` again (--max-visits)",
                flow.nodes[node].id
            )),
        },
    }
}

/// When a lane's marks are: `+1m`, `+0s, +1m, +2m`, or `5 times, +0s … +1d`.
fn offsets(start: DateTime<Utc>, marks: &[Mark]) -> String {
    match marks {
        [] => String::new(),
        [one] => offset(start, one.at),
        [first, .., last] if marks.len() > 3 => format!(
            "{} times, {} … {}",
            marks.len(),
            offset(start, first.at),
            offset(start, last.at)
        ),
        _ => marks
            .iter()
            .map(|m| offset(start, m.at))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Characters of the chart in the text Gantt.
const TEXT_WIDTH: usize = 60;

fn glyph(kind: MarkKind) -> char {
    match kind {
        MarkKind::Customer => '▲',
        MarkKind::Sent => '●',
        MarkKind::Refused => '✗',
        MarkKind::Charged => '◆',
        MarkKind::Free => '◇',
    }
}

/// The timeline as a text Gantt chart; `color` paints lanes by category with ANSI codes.
pub fn timeline_text(t: &Timeline, color: bool) -> String {
    let span = (t.end - t.start).num_seconds().max(1) as f64;
    let column = |at: DateTime<Utc>| {
        let x = (at - t.start).num_seconds() as f64 / span * TEXT_WIDTH as f64;
        (x.floor().max(0.0) as usize).min(TEXT_WIDTH - 1)
    };
    let label_width = t
        .lanes
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(10, 40);
    let unit = match t.model.unit() {
        Unit::Conversation => "conversations",
        Unit::Message => "messages",
    };
    let mut out = String::new();
    let _ = writeln!(out, "Path {}: {}", t.number, t.route);
    let _ = writeln!(out, "  {} · billable {unit}: {}", t.model, t.billable);
    if let Some(ending) = &t.ending {
        let _ = writeln!(out, "  {ending}");
    }
    for lane in &t.lanes {
        let mut cells = vec![' '; TEXT_WIDTH];
        for b in &lane.bars {
            let (from, to) = (
                column(b.from),
                column(b.to - Duration::seconds(1)).max(column(b.from)),
            );
            let fill = match lane.kind {
                LaneKind::CustomerWindow | LaneKind::EntryPoint => '▒',
                _ if b.free => '░',
                _ => '█',
            };
            for c in &mut cells[from..=to] {
                *c = fill;
            }
        }
        for m in &lane.marks {
            cells[column(m.at)] = glyph(m.kind);
        }
        let chart: String = cells.into_iter().collect();
        let chart = if color {
            let code = match lane.kind {
                LaneKind::CustomerWindow | LaneKind::EntryPoint => "36",
                _ if lane.marks.iter().any(|m| m.kind == MarkKind::Refused) => "31",
                _ => category_ansi(lane.category),
            };
            format!("\x1b[{code}m{chart}\x1b[0m")
        } else {
            chart
        };
        let label: String = lane.label.chars().take(label_width).collect();
        let pad = label_width - label.chars().count();
        let note = match lane.kind {
            LaneKind::Message | LaneKind::Charges => lane.detail.clone(),
            _ => lane
                .bars
                .iter()
                .map(|b| format!("{}–{}", offset(t.start, b.from), offset(t.start, b.to)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let _ = writeln!(out, "  {label}{} │{chart}│ {note}", " ".repeat(pad));
    }
    let left = offset(t.start, t.start);
    let right = offset(t.start, t.end);
    let gap = (TEXT_WIDTH + 2).saturating_sub(left.len() + right.len());
    let _ = writeln!(
        out,
        "  {} {left}{}{right}",
        " ".repeat(label_width),
        " ".repeat(gap)
    );
    out
}

/// The legend printed under text Gantt charts.
pub const TEXT_LEGEND: &str = "▒ window  █ billable conversation  ░ free conversation  ◆ charged message  ◇ free message  ▲ customer message  ● sent  ✗ refused";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::flow::parse_flow;
    use crate::simulate::{simulate, Options};

    fn at() -> DateTime<Utc> {
        "2026-11-02T10:00:00Z".parse().unwrap()
    }

    /// The most probable path, with customers who always reply.
    fn first_path(yaml: &str, model: PricingModel) -> Timeline {
        let flow = parse_flow(SourceFile::new("t.yaml", yaml), None).unwrap();
        let mut options = Options::new(at(), model);
        options.customer.reply_rate = 1.0;
        let sim = simulate(&flow, &options).unwrap();
        timeline(&flow, &sim.paths[0], 1, at())
    }

    const REPLY: &str = "flow: f\ntrigger: customer_message\nnodes:\n  - { id: hi, type: send_message }\n  - { id: ask, type: wait_for_reply, timeout: 2d }\n  - { id: offer, type: send_update, category: marketing }\n";

    #[test]
    fn windows_merge_and_conversations_get_lanes() {
        let t = first_path(REPLY, PricingModel::Cbp);
        let w = &t.lanes[0];
        assert_eq!(w.kind, LaneKind::CustomerWindow);
        // Trigger at +0 and reply at +1m: one window until +1d1m.
        assert_eq!(w.bars.len(), 1);
        assert_eq!(w.bars[0].to, at() + Duration::minutes(1) + WINDOW);
        let convs: Vec<&str> = t
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Conversation)
            .map(|l| l.label.as_str())
            .collect();
        // Rule 4: the free-form message opens service; the marketing template opens its own.
        assert_eq!(convs, ["service conversation", "marketing conversation"]);
        assert_eq!(t.end, at() + Duration::minutes(1) + WINDOW);
    }

    #[test]
    fn per_message_pricing_marks_charges() {
        let t = first_path(REPLY, PricingModel::Pmp2026_10);
        let lanes: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            lanes,
            [
                "customer service window",
                "marketing messages",
                "service messages",
                "customer writes (trigger)",
                "hi: free-form",
                "customer replies at ask",
                "offer: marketing template"
            ]
        );
        let text = timeline_text(&t, false);
        assert!(text.contains("◆"), "{text}");
        assert!(!text.contains('\x1b'));
        assert!(timeline_text(&t, true).contains("\x1b[33m"));
    }

    #[test]
    fn refused_free_form_is_marked() {
        let yaml = "flow: f\ntrigger: schedule\nnodes:\n  - { id: hi, type: send_message }\n";
        let t = first_path(yaml, PricingModel::Pmp);
        let last = t.lanes.last().unwrap();
        assert_eq!(last.label, "hi: free-form (refused)");
        assert_eq!(last.marks[0].kind, MarkKind::Refused);
        assert!(timeline_text(&t, false).contains('✗'));
    }
}
