use super::util::node_key;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::flow::TemplateStatus;

declare_rule! {
    /// ## What it does
    /// Finds `send_update` nodes whose template's catalog `status` is not `approved`
    /// (`pending`, `rejected`, `paused` or `disabled`).
    ///
    /// ## Why is this bad?
    /// Templates must be approved by WhatsApp before they can be sent; a send with an
    /// unapproved template fails, and the flow's later steps run without it.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   spring_sale: { category: marketing, status: pending }
    /// ```
    ///
    /// ## How to fix
    /// Wait for approval (or fix the rejection) before launching the flow.
    pub struct TemplateNotApproved { code: "FC006", name: "template-not-approved", default: Error }
}
impl_rule!(TemplateNotApproved, check);

fn status_name(s: TemplateStatus) -> &'static str {
    TemplateStatus::NAMES[[
        TemplateStatus::Approved,
        TemplateStatus::Pending,
        TemplateStatus::Rejected,
        TemplateStatus::Paused,
        TemplateStatus::Disabled,
    ]
    .iter()
    .position(|x| *x == s)
    .unwrap_or(0)]
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (i, _, name, t) in cx.catalog_updates() {
        let Some(status) = t.status else {
            continue;
        };
        if status == TemplateStatus::Approved {
            continue;
        }
        let status_span = cx
            .flow
            .spans
            .get(&format!("templates.{name}.status"))
            .map(|e| e.value);
        out.push(
            Finding::new(
                &TemplateNotApproved::META,
                Some(i),
                format!(
                    "template `{name}` is {}, not approved: WhatsApp will not send it",
                    status_name(status)
                ),
            )
            .at(node_key(cx.flow, i, "template"), "not approved")
            .related(status_span, status_name(status))
            .help("launch the flow once the template is approved, or use an approved template"),
        );
    }
}
