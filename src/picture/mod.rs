//! Pictures: the flow as a graph (Mermaid, Graphviz DOT) and one path's windows and messages on
//! a time axis (text Gantt, SVG). Built from the loaded [`Flow`](crate::flow::Flow) and the
//! simulator's billed paths; nothing here bills.

mod graph;
mod svg;
mod timeline;

pub use graph::{dot, mermaid};
pub use svg::timeline_svg;
pub use timeline::{
    timeline, timeline_text, Bar, Lane, LaneKind, Mark, MarkKind, Timeline, TEXT_LEGEND,
};

use crate::billing::Category;

/// Colors of a category: (strong, light), as CSS hex. The strong one draws bars and borders,
/// the light one fills graph nodes.
pub fn category_colors(category: Option<Category>) -> (&'static str, &'static str) {
    match category {
        Some(Category::Marketing) => ("#d9480f", "#ffe8cc"),
        Some(Category::Utility) => ("#1971c2", "#d0ebff"),
        Some(Category::Authentication) => ("#7048e8", "#e5dbff"),
        Some(Category::Service) => ("#2f9e44", "#d3f9d8"),
        None => ("#868e96", "#f1f3f5"),
    }
}

/// The ANSI SGR color code of a category in a terminal.
pub(crate) fn category_ansi(category: Option<Category>) -> &'static str {
    match category {
        Some(Category::Marketing) => "33",
        Some(Category::Utility) => "34",
        Some(Category::Authentication) => "35",
        Some(Category::Service) => "32",
        None => "36",
    }
}
