//! A JSON Schema (draft 07) of the flow format, built from the loader's own tables of keys,
//! node types and names, so that editors complete and validate what the loader accepts.
//!
//! Every key the loader allows gets a property here (a key without a value schema fails the
//! tests), and every property here is a key the loader allows: `additionalProperties` is false
//! everywhere. The schema is looser than the loader in places it cannot express (a `next` naming
//! a node that exists, loops without a wait): the loader stays the judge.

use super::load::{
    node_keys, BRANCH_KEYS, COMMON_NODE_KEYS, FLOW_KEYS, HISTORY_KEYS, NODE_TYPES,
    SUPPRESSION_KEYS, TEMPLATE_KEYS,
};
use super::{FlowKind, TemplateStatus, Trigger};
use crate::billing::Category;
use serde_json::{json, Map, Value};

/// The `$id` of the schema; also where `schema/flow.schema.json` is committed.
pub const SCHEMA_ID: &str = "https://flowcost.invalid/schema/flow.schema.json";

/// Keys each node type requires besides `id` and `type` (the loader reports `missing-key`
/// without them; a test checks both agree).
pub fn node_required(node_type: &str) -> &'static [&'static str] {
    match node_type {
        "wait" => &["for"],
        "wait_for_reply" => &["timeout"],
        "split" => &["branches"],
        _ => &[],
    }
}

/// Node types, as written in YAML.
pub fn node_types() -> &'static [&'static str] {
    NODE_TYPES
}

/// Keys a node of `node_type` may have, the common ones (`id`, `type`, `description`) first.
pub fn allowed_node_keys(node_type: &str) -> Vec<&'static str> {
    COMMON_NODE_KEYS
        .iter()
        .chain(node_keys(node_type))
        .copied()
        .collect()
}

/// Keys of the top-level mapping, of a template entry, of a `category_history` entry and of a
/// split branch, as the loader allows them.
pub fn allowed_keys() -> [(&'static str, &'static [&'static str]); 5] {
    [
        ("flow", FLOW_KEYS),
        ("template", TEMPLATE_KEYS),
        ("recategorisation", HISTORY_KEYS),
        ("branch", BRANCH_KEYS),
        ("suppression", SUPPRESSION_KEYS),
    ]
}

fn template_categories() -> Vec<&'static str> {
    Category::ALL
        .iter()
        .filter(|c| c.is_template_category())
        .map(|c| c.name())
        .collect()
}

/// The value schema of a key, by the mapping it belongs to; `None` for a key this file does not
/// know yet (a test fails then, so a new loader key cannot go without a schema).
fn value_schema(owner: &str, key: &str) -> Option<Value> {
    let text = |d: &str| json!({ "type": "string", "description": d });
    let node_ref = |d: &str| json!({ "type": "string", "minLength": 1, "description": d });
    let duration = |d: &str| json!({ "$ref": "#/definitions/duration", "description": d });
    Some(match (owner, key) {
        ("flow", "flow") => {
            json!({ "type": "string", "minLength": 1, "description": "The flow's name." })
        }
        ("flow", "kind") => {
            json!({ "enum": FlowKind::NAMES, "default": "journey", "description": "What the flow is for." })
        }
        ("flow", "description") | ("node", "description") => text("Free text."),
        ("flow", "trigger") => {
            json!({ "enum": Trigger::NAMES, "description": "How the flow starts: customer_message and ad_click begin with a customer message; business_event and schedule with none." })
        }
        ("flow", "market") => {
            json!({ "type": "string", "pattern": "^[A-Za-z]{2}$", "description": "The recipient's country, ISO 3166-1 alpha-2 (like DE)." })
        }
        ("flow", "templates") => json!({ "$ref": "#/definitions/catalog" }),
        ("flow", "nodes") => {
            json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/definitions/node" }, "description": "The steps; the first node is the start." })
        }
        ("template", "category") | ("recategorisation", "category") => {
            json!({ "$ref": "#/definitions/template_category" })
        }
        ("template", "status") => {
            json!({ "enum": TemplateStatus::NAMES, "description": "Meta's review status." })
        }
        ("template", "text") => text("The body text (informational)."),
        ("template", "language") => text("The template's language (informational)."),
        ("template", "uuid") => {
            text("The template's UUID in RapidPro/TextIt/glific, to map imported sends.")
        }
        ("template", "content_sid") => {
            text("The Twilio Content API SID (HX…), to map imported Studio sends.")
        }
        ("node", "action") => {
            text("What a pass-through step does in the tool it came from (informational).")
        }
        ("template", "category_history") => {
            json!({ "type": "array", "items": { "$ref": "#/definitions/recategorisation" }, "description": "Later changes of category by Meta." })
        }
        ("recategorisation", "since") => {
            json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "First day of the new category, YYYY-MM-DD." })
        }
        ("branch", "to") => node_ref("The id of the node the branch goes to."),
        ("branch", "weight") => {
            json!({ "type": "number", "minimum": 0, "description": "A relative share, like 70 or 0.7; leave out on every branch for equal shares." })
        }
        ("node", "id") => {
            json!({ "type": "string", "minLength": 1, "description": "A unique id." })
        }
        ("node", "type") => json!({ "enum": NODE_TYPES }),
        ("node", "text") => text("The message text (informational)."),
        ("node", "next") => node_ref("The node after this one; default: the node below."),
        ("node", "template") => {
            json!({ "type": "string", "minLength": 1, "description": "A template of the catalog (`templates:` or --templates); its category wins over `category`." })
        }
        ("node", "category") => {
            json!({
                "anyOf": [
                    { "$ref": "#/definitions/template_category" },
                    { "const": crate::flow::UNKNOWN, "description": "The category is not known (an import's send of a template the catalog lacks): costs are a range." }
                ],
                "description": "The template's category when the node names no template (or names one the catalog lacks, with `unknown`)."
            })
        }
        ("node", "for") => duration("How long to wait."),
        ("node", "timeout") => duration("How long to wait for the customer's reply."),
        ("node", "on_reply") => node_ref("Where a reply goes; default: the node below."),
        ("node", "on_timeout") => node_ref("Where a timeout goes; default: the node below."),
        ("flow", "lint") | ("node", "lint") => json!({ "$ref": "#/definitions/suppression" }),
        ("suppression", "allow") => {
            json!({ "type": "array", "items": { "type": "string" }, "description": "Lint rules (names or codes) not reported here." })
        }
        ("suppression", "reason") => {
            json!({ "type": "string", "minLength": 1, "pattern": "\\S", "description": "Why the rules do not apply (required)." })
        }
        ("node", "branches") => {
            json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/definitions/branch" } })
        }
        _ => return None,
    })
}

/// An object schema allowing exactly `keys` of `owner`.
fn object(owner: &str, keys: &[&str], required: &[&str]) -> Value {
    let mut properties = Map::new();
    for key in keys {
        let v = value_schema(owner, key).unwrap_or_else(|| json!({}));
        properties.insert((*key).to_string(), v);
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn node_schema() -> Value {
    let variants: Vec<Value> = NODE_TYPES
        .iter()
        .map(|t| {
            let keys = allowed_node_keys(t);
            let mut required = vec!["id", "type"];
            required.extend(node_required(t));
            let mut then = object("node", &keys, &required);
            then["properties"]["type"] = json!({ "const": t });
            if *t == "send_update" {
                then["anyOf"] = json!([{ "required": ["template"] }, { "required": ["category"] }]);
            }
            json!({ "if": { "properties": { "type": { "const": t } }, "required": ["type"] }, "then": then })
        })
        .collect();
    json!({
        "type": "object",
        "description": "A step of the flow.",
        "required": ["id", "type"],
        "properties": { "type": { "enum": NODE_TYPES } },
        "allOf": variants,
    })
}

/// The JSON Schema of a flow file.
pub fn flow_schema() -> Value {
    let mut flow = object("flow", FLOW_KEYS, &["flow", "trigger", "nodes"]);
    let template_entry = object("template", TEMPLATE_KEYS, &["category"]);
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "flowcost flow",
        "description": "A WhatsApp Business message flow for flowcost (see docs/flow-format.md).",
        "type": "object",
        "properties": flow.as_object_mut().and_then(|o| o.remove("properties")),
        "required": ["flow", "trigger", "nodes"],
        "additionalProperties": false,
        "definitions": {
            "duration": {
                "type": "string",
                "pattern": "^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$",
                "minLength": 2,
                "description": "A whole number and a unit, largest first: 30s, 15m, 24h, 3d, 1w, 1d12h.",
            },
            "template_category": {
                "enum": template_categories(),
                "description": "marketing, utility or authentication; service messages are free-form (send_message).",
            },
            "catalog": {
                "type": ["object", "null"],
                "description": "Template name → entry, or just its category.",
                "additionalProperties": {
                    "oneOf": [{ "$ref": "#/definitions/template_category" }, { "$ref": "#/definitions/template" }],
                },
            },
            "template": template_entry,
            "recategorisation": object("recategorisation", HISTORY_KEYS, &["since", "category"]),
            "branch": object("branch", BRANCH_KEYS, &["to"]),
            "suppression": object("suppression", SUPPRESSION_KEYS, &["allow", "reason"]),
            "node": node_schema(),
        },
    })
}

/// The schema as the pretty JSON text `flowcost schema` prints, with a final newline.
pub fn flow_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&flow_schema()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::flow::parse_flow;

    #[test]
    fn every_loader_key_has_a_value_schema() {
        for (owner, keys) in allowed_keys() {
            for key in keys {
                assert!(value_schema(owner, key).is_some(), "{owner}.{key}");
            }
        }
        for t in NODE_TYPES {
            for key in allowed_node_keys(t) {
                assert!(value_schema("node", key).is_some(), "{t}.{key}");
            }
        }
    }

    #[test]
    fn property_sets_equal_the_loader_tables() {
        let schema = flow_schema();
        let props = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let sorted = |keys: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        let defs = &schema["definitions"];
        assert_eq!(props(&schema), sorted(FLOW_KEYS));
        assert_eq!(props(&defs["template"]), sorted(TEMPLATE_KEYS));
        assert_eq!(props(&defs["recategorisation"]), sorted(HISTORY_KEYS));
        assert_eq!(props(&defs["branch"]), sorted(BRANCH_KEYS));
        let variants = defs["node"]["allOf"].as_array().unwrap();
        assert_eq!(variants.len(), NODE_TYPES.len());
        for (t, v) in NODE_TYPES.iter().zip(variants) {
            assert_eq!(props(&v["then"]), sorted(&allowed_node_keys(t)), "{t}");
        }
    }

    /// A node with only the keys the schema requires loads; without any one of them it does not.
    #[test]
    fn required_node_keys_match_the_loader() {
        let value = |key: &str| match key {
            "for" | "timeout" => "1h",
            "branches" => "[{ to: done }]",
            _ => "x",
        };
        for t in NODE_TYPES {
            let keys: Vec<&str> = node_required(t).to_vec();
            let extra = if *t == "send_update" {
                "\n    category: utility"
            } else {
                ""
            };
            let yaml = |skip: Option<&str>| {
                let mut s = format!(
                    "flow: f\ntrigger: schedule\nnodes:\n  - id: a\n    type: {t}{extra}\n"
                );
                for k in keys.iter().filter(|k| Some(**k) != skip) {
                    s.push_str(&format!("    {k}: {}\n", value(k)));
                }
                s.push_str("  - id: done\n    type: end\n");
                s
            };
            let load = |text: String| parse_flow(SourceFile::new("t.yaml", text), None);
            assert!(load(yaml(None)).is_ok(), "{t}: {}", yaml(None));
            for k in &keys {
                let err = load(yaml(Some(k))).expect_err(k);
                assert!(
                    err.problems
                        .iter()
                        .any(|p| p.code == "flowcost::missing-key"),
                    "{t}.{k}"
                );
            }
        }
    }
}
