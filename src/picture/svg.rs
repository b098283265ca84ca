//! Timelines as one standalone SVG document, written by hand: a few rectangles, marks and text
//! per lane need no drawing crate. Every lane has a `<title>` so that browsers show its detail
//! on hover.

use super::category_colors;
use super::timeline::{offset, LaneKind, MarkKind, Timeline};
use crate::time::format_instant;
use chrono::{DateTime, Duration, Utc};
use std::fmt::Write;

const WIDTH: f64 = 980.0;
const CHART_X0: f64 = 270.0;
const CHART_X1: f64 = 950.0;
const LANE_H: f64 = 24.0;
const FONT: &str =
    "font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\"";

/// Escapes text for XML content and attribute values.
fn xml(s: &str) -> String {
    // Control characters are ill-formed XML: they are written as visible escapes first.
    crate::text::printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A tick step giving at most about ten ticks over `span`.
fn tick_step(span: Duration) -> Duration {
    const STEPS: [i64; 14] = [
        60,
        5 * 60,
        15 * 60,
        30 * 60,
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86_400,
        2 * 86_400,
        7 * 86_400,
        14 * 86_400,
        28 * 86_400,
        91 * 86_400,
    ];
    let secs = span.num_seconds().max(1);
    let step = STEPS
        .iter()
        .copied()
        .find(|s| secs / s <= 10)
        .unwrap_or(365 * 86_400);
    Duration::seconds(step)
}

struct Block<'a> {
    t: &'a Timeline,
    top: f64,
}

impl Block<'_> {
    fn height(t: &Timeline) -> f64 {
        // Title, subtitle, lanes, axis labels, gap.
        48.0 + t.lanes.len() as f64 * LANE_H + 40.0
    }

    fn x(&self, at: DateTime<Utc>) -> f64 {
        let span = (self.t.end - self.t.start).num_seconds().max(1) as f64;
        let f = (at - self.t.start).num_seconds() as f64 / span;
        CHART_X0 + f.clamp(0.0, 1.0) * (CHART_X1 - CHART_X0)
    }

    fn draw(&self, out: &mut String) {
        let t = self.t;
        let unit = match t.model.unit() {
            crate::billing::Unit::Conversation => "conversations",
            crate::billing::Unit::Message => "messages",
        };
        let _ = writeln!(
            out,
            "<text x=\"16\" y=\"{:.1}\" font-size=\"15\" font-weight=\"600\">Path {}: {}</text>",
            self.top + 18.0,
            t.number,
            xml(&t.route)
        );
        let _ = writeln!(
            out,
            "<text x=\"16\" y=\"{:.1}\" font-size=\"12\" fill=\"#495057\">{} · billable {unit}: {}</text>",
            self.top + 36.0,
            t.model,
            t.billable
        );
        let lanes_top = self.top + 48.0;
        let lanes_bottom = lanes_top + t.lanes.len() as f64 * LANE_H;
        // Grid and axis.
        let step = tick_step(t.end - t.start);
        let mut tick = t.start;
        while tick <= t.end {
            let x = self.x(tick);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{lanes_top:.1}\" x2=\"{x:.1}\" y2=\"{lanes_bottom:.1}\" stroke=\"#dee2e6\" stroke-width=\"1\"/>"
            );
            let _ = writeln!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#495057\" text-anchor=\"middle\">{}</text>",
                lanes_bottom + 16.0,
                offset(t.start, tick)
            );
            tick += step;
        }
        let _ = writeln!(
            out,
            "<line x1=\"{CHART_X0}\" y1=\"{lanes_bottom:.1}\" x2=\"{CHART_X1}\" y2=\"{lanes_bottom:.1}\" stroke=\"#868e96\" stroke-width=\"1\"/>"
        );
        for (i, lane) in t.lanes.iter().enumerate() {
            let y = lanes_top + i as f64 * LANE_H;
            let mid = y + LANE_H / 2.0;
            let (strong, _) = category_colors(lane.category);
            let _ = writeln!(
                out,
                "<g class=\"lane\"><title>{}: {}</title>",
                xml(&lane.label),
                xml(&lane.detail)
            );
            if i % 2 == 1 {
                let _ = writeln!(
                    out,
                    "<rect x=\"{CHART_X0}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{LANE_H}\" fill=\"#f8f9fa\"/>",
                    CHART_X1 - CHART_X0
                );
            }
            let label_color = if lane.marks.iter().any(|m| m.kind == MarkKind::Refused) {
                "#c92a2a"
            } else {
                "#212529"
            };
            let _ = writeln!(
                out,
                "<text x=\"16\" y=\"{:.1}\" font-size=\"12\" fill=\"{label_color}\">{}</text>",
                mid + 4.0,
                xml(&truncate(&lane.label, 38))
            );
            for b in &lane.bars {
                let (x0, x1) = (self.x(b.from), self.x(b.to));
                let w = (x1 - x0).max(2.0);
                let (fill, opacity, dash) = match lane.kind {
                    LaneKind::CustomerWindow => ("#0ca678", 0.25, ""),
                    LaneKind::EntryPoint => ("#f59f00", 0.25, ""),
                    _ if b.free => (strong, 0.2, " stroke-dasharray=\"4 3\""),
                    _ => (strong, 0.75, ""),
                };
                let stroke = match lane.kind {
                    LaneKind::CustomerWindow => "#0ca678",
                    LaneKind::EntryPoint => "#f59f00",
                    _ => strong,
                };
                let _ = writeln!(
                    out,
                    "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{fill}\" fill-opacity=\"{opacity}\" stroke=\"{stroke}\"{dash}/>",
                    y + 4.0,
                    LANE_H - 8.0
                );
            }
            for m in &lane.marks {
                let x = self.x(m.at);
                let shape = match m.kind {
                    MarkKind::Customer => format!(
                        "<path d=\"M{x:.1} {:.1} l6 10 h-12 z\" fill=\"#0ca678\"/>",
                        mid - 6.0
                    ),
                    MarkKind::Sent => format!(
                        "<circle cx=\"{x:.1}\" cy=\"{mid:.1}\" r=\"5.5\" fill=\"{strong}\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
                    ),
                    MarkKind::Refused => format!(
                        "<path d=\"M{:.1} {:.1} l10 10 m0 -10 l-10 10\" stroke=\"#c92a2a\" stroke-width=\"2.5\"/>",
                        x - 5.0,
                        mid - 5.0
                    ),
                    MarkKind::Charged => format!(
                        "<path d=\"M{x:.1} {:.1} l6 6 l-6 6 l-6 -6 z\" fill=\"{strong}\"/>",
                        mid - 6.0
                    ),
                    MarkKind::Free => format!(
                        "<path d=\"M{x:.1} {:.1} l6 6 l-6 6 l-6 -6 z\" fill=\"#ffffff\" stroke=\"{strong}\" stroke-width=\"1.5\"/>",
                        mid - 6.0
                    ),
                };
                let _ = writeln!(out, "{shape}");
            }
            let _ = writeln!(out, "</g>");
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn legend(out: &mut String, top: f64) {
    let items: [(&str, &str); 8] = [
        ("<rect x=\"0\" y=\"-9\" width=\"18\" height=\"12\" rx=\"2\" fill=\"#0ca678\" fill-opacity=\"0.25\" stroke=\"#0ca678\"/>", "customer service window"),
        ("<rect x=\"0\" y=\"-9\" width=\"18\" height=\"12\" rx=\"2\" fill=\"#f59f00\" fill-opacity=\"0.25\" stroke=\"#f59f00\"/>", "free entry point"),
        ("<rect x=\"0\" y=\"-9\" width=\"18\" height=\"12\" rx=\"2\" fill=\"#868e96\" fill-opacity=\"0.75\" stroke=\"#868e96\"/>", "billable conversation"),
        ("<rect x=\"0\" y=\"-9\" width=\"18\" height=\"12\" rx=\"2\" fill=\"#868e96\" fill-opacity=\"0.2\" stroke=\"#868e96\" stroke-dasharray=\"4 3\"/>", "free"),
        ("<path d=\"M9 -9 l6 6 l-6 6 l-6 -6 z\" fill=\"#868e96\"/>", "charged message"),
        ("<path d=\"M9 -9 l6 6 l-6 6 l-6 -6 z\" fill=\"#ffffff\" stroke=\"#868e96\" stroke-width=\"1.5\"/>", "free message"),
        ("<path d=\"M9 -9 l6 10 h-12 z\" fill=\"#0ca678\"/>", "customer message"),
        ("<circle cx=\"9\" cy=\"-3\" r=\"5.5\" fill=\"#868e96\"/>", "sent"),
    ];
    let (mut x, mut y) = (16.0, top);
    for (k, (shape, text)) in items.into_iter().enumerate() {
        if k == 4 {
            (x, y) = (16.0, top + 20.0);
        }
        let _ = writeln!(
            out,
            "<g transform=\"translate({x:.1} {y:.1})\">{shape}<text x=\"24\" y=\"1\" font-size=\"11\" fill=\"#495057\">{text}</text></g>"
        );
        x += 44.0 + text.len() as f64 * 6.2;
    }
    let mut x = 16.0;
    for c in crate::billing::Category::ALL {
        let (strong, _) = category_colors(Some(c));
        let _ = writeln!(
            out,
            "<g transform=\"translate({x:.1} {:.1})\"><rect x=\"0\" y=\"-9\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{strong}\"/><text x=\"18\" y=\"1\" font-size=\"11\" fill=\"#495057\">{c}</text></g>",
            top + 40.0
        );
        x += 40.0 + c.name().len() as f64 * 6.5;
    }
}

/// The timelines of `flow_name` (one per path) as one SVG document.
pub fn timeline_svg(flow_name: &str, start: DateTime<Utc>, timelines: &[Timeline]) -> String {
    let header = 56.0;
    let blocks: f64 = timelines.iter().map(Block::height).sum();
    let height = header + blocks + 70.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH} {height:.0}\" {FONT}>"
    );
    let _ = writeln!(out, "<title>{} — flowcost timeline</title>", xml(flow_name));
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"26\" font-size=\"18\" font-weight=\"700\">{}</text>",
        xml(flow_name)
    );
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"44\" font-size=\"12\" fill=\"#495057\">start {} · offsets from the start · windows are half-open [open, close)</text>",
        format_instant(start)
    );
    let mut top = header;
    for t in timelines {
        Block { t, top }.draw(&mut out);
        top += Block::height(t);
    }
    legend(&mut out, top + 10.0);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_stay_few() {
        for hours in [1, 5, 24, 49, 24 * 30, 24 * 400] {
            let span = Duration::hours(hours);
            let n = span.num_seconds() / tick_step(span).num_seconds();
            assert!(n <= 10, "{hours}h: {n} ticks");
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(xml("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
