//! What a Studio widget is: its type in the current format (the early format's CamelCase
//! types read as their current names), which of its transitions run, and which states the
//! flow's start reaches.

use super::super::json::{list, str_of};
use serde_json::Value;
use std::collections::HashMap;

/// Widget types of Studio's early export format (states typed `InitialState`, `Message`…,
/// transitions naming a state by its `sid`), with the current type each is read as.
const EARLY_TYPES: [(&str, &str); 9] = [
    ("InitialState", "trigger"),
    ("Message", "send-message"),
    ("Gather", "gather-input-on-call"),
    ("Branch", "split-based-on"),
    ("SayPlay", "say-play"),
    ("Webhook", "make-http-request"),
    ("SetVariables", "set-variables"),
    ("DialV2", "make-outgoing-call-v2"),
    ("ConnectCaller", "connect-call-to"),
];

/// Widget types that send nothing on the messaging channel and are read as steps that follow
/// their transitions (the types flowcost treats on their own are not listed).
const STEP_TYPES: [&str; 17] = [
    "run-function",
    "make-http-request",
    "set-variables",
    "say-play",
    "connect-call-to",
    "record-voicemail",
    "make-outgoing-call-v2",
    "enqueue-call",
    "capture-payments",
    "record-call",
    "add-twiml-redirect",
    "fork-stream",
    "connect-virtual-agent",
    "send-to-autopilot",
    "send-to-auto-pilot",
    "send-to-flex",
    "run-subflow",
];

/// Types flowcost converts on their own.
const OWN_TYPES: [&str; 5] = [
    "trigger",
    "send-message",
    "send-and-wait-for-reply",
    "split-based-on",
    "gather-input-on-call",
];

/// The widget's type, an early-format type read as its current name.
pub(super) fn kind_of(state: &Value) -> &str {
    let t = str_of(state, "type");
    EARLY_TYPES
        .iter()
        .find(|(early, _)| *early == t)
        .map_or(t, |(_, now)| now)
}

/// Whether flowcost knows the widget type.
pub(super) fn known(kind: &str) -> bool {
    OWN_TYPES.contains(&kind) || STEP_TYPES.contains(&kind)
}

/// Whether the file is in the early format (an `InitialState` state).
pub(super) fn early_format(states: &[Value]) -> bool {
    states.iter().any(|s| str_of(s, "type") == "InitialState")
}

/// Whether a transition event is a failure, taken not to happen (`failed`, `fail`,
/// `deliveryFailure`, `callFailure`, `failedToEnqueue`, `maxFailedAttempts`…).
pub(super) fn is_failure(event: &str) -> bool {
    event.to_ascii_lowercase().contains("fail")
}

/// The transitions a run can take out of a state: every one but failures. A send takes only
/// `sent` (its other event is a failure).
pub(super) fn runs(state: &Value) -> impl Iterator<Item = &Value> {
    list(state, "transitions")
        .iter()
        .filter(|t| !is_failure(str_of(t, "event")))
}

/// State names and, in the early format, SIDs, to the index of the state in `states`.
pub(super) fn names(states: &[Value]) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity(states.len());
    for (i, s) in states.iter().enumerate() {
        for key in ["sid", "name"] {
            let v = str_of(s, key);
            if !v.is_empty() {
                map.entry(v).or_insert(i);
            }
        }
    }
    map
}

/// Which states a run that starts at `start` can reach, by index.
pub(super) fn reachable(states: &[Value], names: &HashMap<&str, usize>, start: usize) -> Vec<bool> {
    let mut seen = vec![false; states.len()];
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if i >= seen.len() || std::mem::replace(&mut seen[i], true) {
            continue;
        }
        for t in runs(&states[i]) {
            if let Some(&j) = t
                .get("next")
                .and_then(Value::as_str)
                .and_then(|n| names.get(n))
            {
                stack.push(j);
            }
        }
    }
    seen
}

/// Whether a `send-message` widget's `to` is the contact the flow runs for (an empty `to` is:
/// Studio then sends to the contact).
pub(super) fn to_contact(props: &Value) -> bool {
    let to = str_of(props, "to").trim();
    to.is_empty()
        || to.contains("contact.channel.address")
        || to.contains("trigger.message.From")
        || to.contains("trigger.message.Author")
        || to.contains("trigger.conversation")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn early_types_read_as_current_ones() {
        assert_eq!(kind_of(&json!({"type": "Message"})), "send-message");
        assert_eq!(kind_of(&json!({"type": "InitialState"})), "trigger");
        assert_eq!(kind_of(&json!({"type": "send-message"})), "send-message");
        assert_eq!(kind_of(&json!({"type": 7})), "");
        assert!(known("run-subflow") && known("gather-input-on-call"));
        assert!(!known("Mystery") && !known(""));
    }

    #[test]
    fn reachability_follows_names_and_sids_but_not_failures() {
        let states = vec![
            json!({"name": "a", "transitions": [{"event": "sent", "next": "FF2"}, {"event": "failed", "next": "c"}]}),
            json!({"name": "b", "sid": "FF2", "transitions": [{"event": "next", "next": "a"}]}),
            json!({"name": "c", "transitions": [{"event": "next", "next": "nowhere"}]}),
            json!({"name": "d", "transitions": "not a list"}),
        ];
        let names = names(&states);
        assert_eq!(
            reachable(&states, &names, 0),
            vec![true, true, false, false]
        );
        assert_eq!(
            reachable(&states, &names, 2),
            vec![false, false, true, false]
        );
    }

    #[test]
    fn sends_to_the_contact_or_to_others() {
        assert!(to_contact(&json!({})));
        assert!(to_contact(&json!({"to": "{{contact.channel.address}}"})));
        assert!(to_contact(&json!({"to": "{{trigger.message.From}}"})));
        assert!(to_contact(&json!({"to": null})));
        assert!(!to_contact(
            &json!({"to": "{{widgets.lookup.parsed.phone}}"})
        ));
        assert!(!to_contact(&json!({"to": "+15555550100"})));
    }
}
