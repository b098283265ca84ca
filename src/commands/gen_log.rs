//! `flowcost gen-log`.

use super::{Failure, Outcome, Output};
use crate::cli::GenLogArgs;
use flowcost::replay::generate::{generate, GenOptions};
use std::fs::File;
use std::io::{BufWriter, Write};

/// Writes a synthetic log to a file or stdout.
pub fn run(args: &GenLogArgs) -> Outcome {
    let options = GenOptions {
        rows: args.rows,
        recipients: args.recipients.unwrap_or((args.rows / 10).max(1)),
        seed: args.seed,
        start: args.start.timestamp(),
        days: args.days,
    };
    let io_error = |e: std::io::Error| Failure::Usage(format!("cannot write the log: {e}"));
    let Some(path) = &args.output else {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
        generate(&options, &mut out).map_err(io_error)?;
        return Ok(String::new().into());
    };
    let file = File::create(path).map_err(io_error)?;
    let gz = path.extension().is_some_and(|e| e == "gz");
    let rows = if gz {
        let mut enc = flate2::write::GzEncoder::new(
            BufWriter::with_capacity(1 << 20, file),
            flate2::Compression::fast(),
        );
        let n = generate(&options, &mut enc).map_err(io_error)?;
        enc.finish().and_then(|mut w| w.flush()).map_err(io_error)?;
        n
    } else {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        generate(&options, &mut out).map_err(io_error)?;
        options.rows
    };
    Ok(Output {
        text: String::new(),
        code: 0,
        stderr: format!("wrote {rows} rows to {}\n", path.display()),
    })
}
