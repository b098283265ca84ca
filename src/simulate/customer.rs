//! What flowcost assumes customers do, and the ways a path can go on from each node.
//!
//! The assumptions are numbers a user can change (`--reply-rate`, `--retry-rate`,
//! `--max-visits`, `--reply-after`, or the `[customer]` table of `flowcost.toml`):
//!
//! - at a reply wait the customer replies with probability `reply_rate`, after `reply_after`
//!   (or, when the wait is not longer than that, after half of its timeout);
//! - at a split whose shares are guesses (no `weight` written, as imports leave them), the
//!   branches that lead back into a loop the split is on (a re-ask: "that's not a valid
//!   answer", or "reply MENU to start over") share `retry_rate`, the other branches the rest;
//! - a customer goes round a loop only so often: while a path stays in a loop it enters the
//!   loop at most `max_visits` times; a path that would enter it once more is abandoned there
//!   (see [`super::loops`]).
//!
//! [`moves`] lists the ways on from a node under these assumptions. The merged exploration and
//! the walk that lists single paths both take their steps from it, so they cannot disagree.

use super::loops::Loops;
use super::{Options, Outcome};
use crate::billing::{EntryPoint, EventKind};
use crate::flow::{Flow, NodeKind};
use crate::probability::Share;
use chrono::Duration;

/// Default probability that a customer replies at a reply wait.
pub const DEFAULT_REPLY_RATE: f64 = 0.3;
/// Default probability of a branch that leads back (a re-ask) at a split of guessed shares.
pub const DEFAULT_RETRY_RATE: f64 = 0.1;
/// Default number of times a path may enter one node.
pub const DEFAULT_MAX_VISITS: u32 = 3;
/// The largest `--max-visits`.
pub const MAX_MAX_VISITS: u32 = 100;
/// Default delay of a customer's reply.
pub const DEFAULT_REPLY_AFTER: Duration = Duration::minutes(1);

/// The customer model: what flowcost assumes customers do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    /// Probability that the customer replies at a reply wait.
    pub reply_rate: f64,
    /// Probability of a branch that leads back at a split of guessed shares.
    pub retry_rate: f64,
    /// Most times a path enters one node (1 to [`MAX_MAX_VISITS`]).
    pub max_visits: u32,
    /// How long the customer takes to reply (half the timeout when that is not shorter).
    pub reply_after: Duration,
}

impl Default for Customer {
    fn default() -> Self {
        Customer {
            reply_rate: DEFAULT_REPLY_RATE,
            retry_rate: DEFAULT_RETRY_RATE,
            max_visits: DEFAULT_MAX_VISITS,
            reply_after: DEFAULT_REPLY_AFTER,
        }
    }
}

impl Customer {
    /// Checks the numbers; the message names the option.
    pub fn validate(&self) -> Result<(), String> {
        let rate = |r: f64, name: &str| {
            if (0.0..=1.0).contains(&r) {
                Ok(())
            } else {
                Err(format!("{name} must be a number from 0 to 1, not {r}"))
            }
        };
        rate(self.reply_rate, "--reply-rate")?;
        rate(self.retry_rate, "--retry-rate")?;
        if !(1..=MAX_MAX_VISITS).contains(&self.max_visits) {
            return Err(format!(
                "--max-visits must be from 1 to {MAX_MAX_VISITS}, not {}",
                self.max_visits
            ));
        }
        if self.reply_after <= Duration::zero() {
            return Err("--reply-after must be longer than 0s".into());
        }
        Ok(())
    }

    /// When, after a reply wait with this timeout starts, the customer's reply arrives.
    pub fn reply_delay(&self, timeout: Duration) -> Duration {
        if self.reply_after < timeout {
            self.reply_after
        } else {
            timeout / 2
        }
    }

    /// Whether a reply wait with this timeout gets its reply at half the timeout.
    pub fn replies_at_half(&self, timeout: Duration) -> bool {
        self.reply_after >= timeout
    }
}

/// One way on from a node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Move {
    /// Its index among the node's moves (a branch's position; 0 "replied", 1 "timed out").
    pub choice: u32,
    /// How likely it is, given the path reached the node.
    pub share: Share,
    /// How far the clock moves before the event (if any) and the next node.
    pub delay: Duration,
    /// What the recipient's timeline gains: a message sent, or the customer's reply.
    pub event: Option<EventKind>,
    /// At a reply wait: what the customer did.
    pub outcome: Option<Outcome>,
    /// The next node; `None` when the path stops here without an `end` node.
    pub to: Option<usize>,
}

impl Move {
    fn on(to: Option<usize>) -> Move {
        Move {
            choice: 0,
            share: Share::ONE,
            delay: Duration::zero(),
            event: None,
            outcome: None,
            to,
        }
    }
}

/// The moves from `node` (nothing for an `end` node), in choice order, into `out`, under the
/// customer model and the assumptions of `opts` (the start's date picks template categories;
/// a template of unknown category is sent as `opts.unknown_as`).
pub(crate) fn moves(flow: &Flow, loops: &Loops, opts: &Options, node: usize, out: &mut Vec<Move>) {
    out.clear();
    let customer = &opts.customer;
    let n = &flow.nodes[node];
    match &n.kind {
        NodeKind::SendMessage { .. } => out.push(Move {
            event: Some(EventKind::FreeForm),
            ..Move::on(n.next)
        }),
        NodeKind::SendUpdate { .. } => {
            let category = flow
                .update_category(n, opts.start.date_naive())
                .or_else(|| flow.uncategorised(n).then_some(opts.unknown_as));
            out.push(Move {
                event: category.map(EventKind::Template),
                ..Move::on(n.next)
            })
        }
        NodeKind::Step { .. } => out.push(Move::on(n.next)),
        NodeKind::Wait { duration } => out.push(Move {
            delay: *duration,
            ..Move::on(n.next)
        }),
        NodeKind::WaitForReply {
            timeout,
            on_reply,
            on_timeout,
        } => {
            out.push(Move {
                choice: 0,
                share: Share::from_probability(customer.reply_rate),
                delay: customer.reply_delay(*timeout),
                event: Some(EventKind::CustomerMessage(EntryPoint::Organic)),
                outcome: Some(Outcome::Replied),
                to: *on_reply,
            });
            out.push(Move {
                choice: 1,
                share: Share::from_probability(1.0 - customer.reply_rate),
                delay: *timeout,
                event: None,
                outcome: Some(Outcome::TimedOut),
                to: *on_timeout,
            });
        }
        NodeKind::Split { branches, .. } => {
            let no = vec![false; branches.len()];
            let back = loops.back(node).unwrap_or(&no);
            let retries = back.iter().filter(|b| **b).count();
            let adjust = retries > 0 && retries < branches.len();
            let sum = |retry: bool| -> f64 {
                branches
                    .iter()
                    .zip(back)
                    .filter(|(_, b)| !adjust || **b == retry)
                    .map(|(br, _)| br.weight)
                    .sum()
            };
            let (sum_back, sum_on) = (sum(true), sum(false));
            for (i, (b, is_back)) in branches.iter().zip(back).enumerate() {
                let p = if !adjust {
                    b.weight / sum_on
                } else if *is_back {
                    customer.retry_rate * b.weight / sum_back
                } else {
                    (1.0 - customer.retry_rate) * b.weight / sum_on
                };
                out.push(Move {
                    choice: i as u32,
                    share: Share::from_probability(p),
                    ..Move::on(Some(b.to))
                });
            }
        }
        NodeKind::End => {}
    }
}
