//! `flowcost schema`.

/// The JSON Schema of the flow format.
pub fn run() -> String {
    flowcost::flow::schema::flow_schema_text()
}
