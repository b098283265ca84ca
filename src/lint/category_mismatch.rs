use super::util::node_key;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::flow::NodeKind;

declare_rule! {
    /// ## What it does
    /// Finds `send_update` nodes whose `category` disagrees with the category their template
    /// has in the catalog (on the date simulated, recategorisations included).
    ///
    /// ## Why is this bad?
    /// A template's category is WhatsApp's decision, recorded in the catalog; the node's tag is
    /// only the author's belief. flowcost bills the catalog's category, and so does Meta, so
    /// the flow costs something other than its author expects.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   order_update: { category: marketing }
    /// nodes:
    ///   - { id: update, type: send_update, template: order_update, category: utility }
    /// ```
    ///
    /// ## How to fix
    /// Correct the node's `category`, or the catalog if the template really is of that category.
    pub struct CategoryMismatch { code: "FC007", name: "category-mismatch", default: Error }
}
impl_rule!(CategoryMismatch, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let date = cx.options.start.date_naive();
    for (i, node, name, template) in cx.catalog_updates() {
        let NodeKind::SendUpdate {
            category: Some(tagged),
            ..
        } = &node.kind
        else {
            continue;
        };
        let actual = template.category_on(date);
        if actual == *tagged {
            continue;
        }
        out.push(
            Finding::new(
                &CategoryMismatch::META,
                Some(i),
                format!("`{}` is tagged `{tagged}` but its template `{name}` is `{actual}`", node.id),
            )
            .at(node_key(cx.flow, i, "category"), format!("says {tagged}"))
            .related(node_key(cx.flow, i, "template"), format!("{actual} in the catalog"))
            .help(format!("flowcost bills the template's category ({actual}); fix the node's `category` or the catalog")),
        );
    }
}
