use super::util::node_id;
use super::{declare_rule, impl_rule, Context, Finding};
use crate::flow::NodeKind;

declare_rule! {
    /// ## What it does
    /// Finds split branches whose weight is 0.
    ///
    /// ## Why is this bad?
    /// A branch of weight 0 is never taken in expectation, yet its path is still listed and its
    /// nodes look live; it is usually a test left in, or a typo for a real share.
    ///
    /// ## Example
    /// ```yaml
    /// - { id: ab, type: split, branches: [{ to: a, weight: 100 }, { to: b, weight: 0 }] }
    /// ```
    ///
    /// ## How to fix
    /// Remove the branch, or give it its real share.
    pub struct ZeroWeightBranch { code: "FC015", name: "zero-weight-branch", default: Warning }
}
impl_rule!(ZeroWeightBranch, check);

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (i, node) in cx.flow.nodes.iter().enumerate() {
        let NodeKind::Split { branches, .. } = &node.kind else {
            continue;
        };
        for (b, branch) in branches.iter().enumerate() {
            if branch.weight == 0.0 {
                let span = cx
                    .flow
                    .spans
                    .get(&format!("nodes[{i}].branches[{b}].weight"))
                    .map(|e| e.value)
                    .or(node_id(cx.flow, i));
                out.push(
                    Finding::new(
                        &ZeroWeightBranch::META,
                        Some(i),
                        format!(
                            "the branch of `{}` to `{}` has weight 0: it is never taken",
                            node.id, cx.flow.nodes[branch.to].id
                        ),
                    )
                    .at(span, "weight 0")
                    .help("remove the branch, or give it its real share"),
                );
            }
        }
    }
}
