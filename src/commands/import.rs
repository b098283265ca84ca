//! `flowcost import`: any supported flow file → flowcost YAML, on stdout or written atomically.

use super::{input, limits, load_input, refuse_inputs, ui, write_atomically, Failure};
use crate::cli::ImportArgs;
use flowcost::flow::write::to_yaml;

/// Converts the flow and prints it, or writes it to `-o` (then prints nothing).
pub fn run(args: &ImportArgs) -> Result<String, Failure> {
    if let Some(out) = &args.output {
        // Before reading anything: the inputs are known from the command line.
        input(&args.input.file);
        args.input.templates.as_deref().inspect(|t| input(t));
        refuse_inputs(out)?;
    }
    let loaded = load_input(&args.input)?;
    let header = format!(
        "# Converted by flowcost from {} ({}).\n",
        args.input.file.display(),
        loaded.format.name()
    );
    let text = format!("{header}{}", to_yaml(&loaded.flow));
    loads_back(&text, args)?;
    match &args.output {
        None => Ok(text),
        Some(out) => {
            write_atomically(out, text.as_bytes())?;
            ui().status(format!("wrote {}", out.display()));
            Ok(String::new())
        }
    }
}

/// Refuses a conversion that flowcost could not read back (over the YAML file size or node
/// limits): an import round-trips or writes nothing.
fn loads_back(text: &str, args: &ImportArgs) -> Result<(), Failure> {
    let name = match &args.output {
        Some(out) => out.display().to_string(),
        None => "<stdout>".into(),
    };
    let file = flowcost::diagnostic::SourceFile::new(&name, text);
    let limits = limits();
    if text.len() as u64 > limits.file_bytes {
        return Err(Failure::Usage(format!(
            "the converted flow would be {} bytes of YAML, over the {} that flowcost reads back \
             ({}); nothing was written: split the flow, or raise FLOWCOST_MAX_FILE_BYTES",
            text.len(),
            limits.file_bytes,
            flowcost::flow::mib(limits.file_bytes)
        )));
    }
    match flowcost::flow::parse_flow_with(file, None, &limits) {
        Ok(_) => Ok(()),
        Err(e) => Err(Failure::Usage(format!(
            "the converted flow would not load back ({}); nothing was written: this is a bug \
             in flowcost's import, please report it with the file",
            e.problems
                .first()
                .map_or_else(|| "no reason given".to_string(), |p| p.message.clone())
        ))),
    }
}
