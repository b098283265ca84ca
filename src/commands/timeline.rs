//! `flowcost timeline`.

use super::{load, run_simulation, ui, write_atomically, Failure};
use crate::cli::TimelineArgs;
use flowcost::picture::{timeline, timeline_svg, timeline_text, Timeline, TEXT_LEGEND};

/// Text Gantt charts of the chosen paths on stdout, and the SVG file if asked.
pub fn run(args: &TimelineArgs) -> Result<String, Failure> {
    super::refuse_compare_at(&args.simulation, "timeline")?;
    args.simulation
        .options(chrono::Utc::now())
        .map_err(Failure::Usage)?;
    let flow = load(&args.input)?;
    let (options, simulation) = run_simulation(&flow, &args.simulation)?;
    let count = simulation.paths.len();
    let chosen: Vec<usize> = match args.path {
        Some(n) if n == 0 || n > count => {
            return Err(Failure::Usage(format!(
            "--path {n}: the flow has {count} path(s), numbered from 1 (see `flowcost simulate`)"
        )))
        }
        Some(n) => vec![n - 1],
        None => (0..count).collect(),
    };
    let timelines: Vec<Timeline> = chosen
        .iter()
        .map(|&i| timeline(&flow, &simulation.paths[i], i + 1, options.start))
        .collect();
    if let Some(out) = &args.svg {
        let svg = timeline_svg(&flow.name, options.start, &timelines);
        write_atomically(out, svg.as_bytes())?;
        ui().status(format!("wrote {}", out.display()));
    }
    let color = ui().color;
    let mut text = format!(
        "flow {} · start {} · offsets from the start\n",
        flow.name,
        flowcost::time::format_instant(options.start)
    );
    for t in &timelines {
        text.push('\n');
        text.push_str(&timeline_text(t, color));
    }
    text.push_str(&format!("\n{TEXT_LEGEND}\n"));
    if (count as u128) < simulation.totals.paths {
        text.push_str(&format!(
            "note: {count} of {} paths shown, the most probable and the dearest, numbered as `flowcost simulate` lists them; --paths N or --paths all shows more\n",
            simulation.totals.paths
        ));
    }
    Ok(ui().report(text))
}
