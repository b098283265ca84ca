//! `flowcost gen-log`.

use super::{write_atomically_with, Failure, Outcome, Output};
use crate::cli::GenLogArgs;
use flowcost::replay::generate::{generate, GenOptions};
use flowcost::replay::parquet::write::LogWriter;
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
    let gz = path.extension().is_some_and(|e| e == "gz");
    let parquet = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let mut rows = options.rows;
    // Written beside the target and renamed over it at the end: no half-written log.
    write_atomically_with(path, |file| {
        let out = BufWriter::with_capacity(1 << 20, file);
        if parquet {
            let mut log = LogWriter::new(out)?;
            rows = generate(&options, &mut log)?;
            log.finish()?.flush()
        } else if gz {
            let mut enc = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
            rows = generate(&options, &mut enc)?;
            enc.finish()?.flush()
        } else {
            let mut out = out;
            generate(&options, &mut out)?;
            out.flush()
        }
    })?;
    Ok(Output {
        text: String::new(),
        code: 0,
        stderr: format!("wrote {rows} rows to {}\n", path.display()),
    })
}
