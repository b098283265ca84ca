//! `flowcost models`.

use flowcost::billing::{PricingModel, Unit};

/// The pricing models with their dates.
pub fn run() -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(["model", "from", "unit", "what it charges"]);
    for m in PricingModel::ALL {
        let unit = match m.unit() {
            Unit::Conversation => "conversation",
            Unit::Message => "message",
        };
        t.add_row([m.name(), &m.effective().to_string(), unit, m.summary()]);
    }
    format!(
        "{t}\nDates before 2023-06-01 have no model. Without --at, the model in force today applies.\n"
    )
}
