
use builtin;
use str;

set edit:completion:arg-completer[flowcost] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'flowcost'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'flowcost'= {
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand simulate 'Walk every path of a flow and bill it: conversations or charged messages per path'
            cand models 'List the pricing models and the dates they took effect'
            cand lint 'Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or above --fail-on'
            cand rules 'List the lint rules with their codes and default levels'
            cand explain 'Print the documentation of a lint rule (by code or name)'
            cand graph 'Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category'
            cand timeline 'Draw each path on a time axis: windows, conversations or charged messages, messages'
            cand schema 'Print a JSON Schema of the flow format (for editors and validators)'
            cand completions 'Print shell completions, or write them for every shell into a directory'
            cand man 'Print the man page, or write one per command into a directory'
            cand init 'Start a project: a starter flow, a template catalog and a flowcost.toml'
            cand cost 'Cost per recipient and per audience of flows, in one or more markets, from the rate cards'
            cand diff 'Cost delta between two versions of a flow (or two directories of flows, matched by name)'
            cand rates 'Print the rate card in force on a date'
            cand import 'Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML'
            cand replay 'Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks) through the billing engine: counts by category, market, day or month, and flow; checks the webhooks'' own billing verdicts'
            cand gen-log 'Write a synthetic message log (CSV) for benchmarks and demos'
            cand merge-replays 'Add up partial replay results (`replay --format json` of logs split by recipient, one per shard) into the tables and JSON of one replay over the whole log'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flowcost;simulate'= {
            cand --templates 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand --format 'Output format'
            cand --at 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now'
            cand --pricing 'Bill under this pricing model instead of the one in force at --at'
            cand --account-tz 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there'
            cand --market 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)'
            cand --compare-at 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first'
            cand --rates 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards'
            cand --business-country 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)'
            cand --reply-rate 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]'
            cand --retry-rate 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]'
            cand --max-visits 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]'
            cand --reply-after 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]'
            cand --paths 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way'
            cand --max-states 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning'
            cand --config 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml'
            cand --horizon 'Removed: loops are bounded by --max-visits'
            cand --max-paths 'Removed: replaced by --paths'
            cand --free-form-joins-open-conversation 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand --no-config 'Ignore flowcost.toml files'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;models'= {
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;lint'= {
            cand --templates 'A template catalog shared by the flows'
            cand --format 'Output format; default human (plus GitHub annotations when GITHUB_ACTIONS=true)'
            cand --deny 'Report RULE as an error (code, name, or `all`); repeatable'
            cand --warn 'Report RULE as a warning (code, name, or `all`); repeatable'
            cand --allow 'Do not report RULE (code, name, or `all`); repeatable'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error, or flowcost.toml''s]'
            cand --just-missed-within 'window-just-missed: a new conversation this soon after the previous one closed is reported [default: 6h, or flowcost.toml''s]'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand --at 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now'
            cand --pricing 'Bill under this pricing model instead of the one in force at --at'
            cand --account-tz 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there'
            cand --market 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)'
            cand --compare-at 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first'
            cand --rates 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards'
            cand --business-country 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)'
            cand --reply-rate 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]'
            cand --retry-rate 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]'
            cand --max-visits 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]'
            cand --reply-after 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]'
            cand --paths 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way'
            cand --max-states 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning'
            cand --config 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml'
            cand --horizon 'Removed: loops are bounded by --max-visits'
            cand --max-paths 'Removed: replaced by --paths'
            cand --free-form-joins-open-conversation 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand --no-config 'Ignore flowcost.toml files'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;rules'= {
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;explain'= {
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;graph'= {
            cand --templates 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand --format 'Output format'
            cand --at 'The date whose template categories label the nodes (a template may be recategorised). Default: now'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;timeline'= {
            cand --templates 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand --path 'Only this path (numbered as `simulate` lists them, from 1). Default: every path'
            cand --svg 'Also write the timeline as an SVG file (replaced atomically; never an input file)'
            cand --at 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now'
            cand --pricing 'Bill under this pricing model instead of the one in force at --at'
            cand --account-tz 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there'
            cand --market 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)'
            cand --compare-at 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first'
            cand --rates 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards'
            cand --business-country 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)'
            cand --reply-rate 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]'
            cand --retry-rate 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]'
            cand --max-visits 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]'
            cand --reply-after 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]'
            cand --paths 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way'
            cand --max-states 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning'
            cand --config 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml'
            cand --horizon 'Removed: loops are bounded by --max-visits'
            cand --max-paths 'Removed: replaced by --paths'
            cand --free-form-joins-open-conversation 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand --no-config 'Ignore flowcost.toml files'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;schema'= {
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;completions'= {
            cand --dir 'Write completions for bash, zsh, fish, PowerShell and elvish into DIR instead'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;man'= {
            cand --dir 'Write flowcost.1 and one page per subcommand (flowcost-simulate.1…) into DIR instead'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;init'= {
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;cost'= {
            cand --templates 'A template catalog shared by the flows'
            cand --format 'Output format'
            cand --group-by 'Rows of the main table: per flow, path, category or market'
            cand --audience 'Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12): prints audience totals with the free tiers and volume tiers that apply'
            cand --phone-numbers 'Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages a month'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand --at 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now'
            cand --pricing 'Bill under this pricing model instead of the one in force at --at'
            cand --account-tz 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there'
            cand --market 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)'
            cand --compare-at 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first'
            cand --rates 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards'
            cand --business-country 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)'
            cand --reply-rate 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]'
            cand --retry-rate 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]'
            cand --max-visits 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]'
            cand --reply-after 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]'
            cand --paths 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way'
            cand --max-states 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning'
            cand --config 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml'
            cand --horizon 'Removed: loops are bounded by --max-visits'
            cand --max-paths 'Removed: replaced by --paths'
            cand --free-form-joins-open-conversation 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand --no-config 'Ignore flowcost.toml files'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;diff'= {
            cand --templates 'A template catalog shared by the flows'
            cand --format 'Output format'
            cand --fail-above 'Exit 1 when the new version costs more than this many USD above the old (expected; per audience with --audience, else per recipient; all flows summed)'
            cand --fail-above-percent 'Exit 1 when the new version costs more than this percentage above the old'
            cand --audience 'Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12): prints audience totals with the free tiers and volume tiers that apply'
            cand --phone-numbers 'Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages a month'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand --at 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now'
            cand --pricing 'Bill under this pricing model instead of the one in force at --at'
            cand --account-tz 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there'
            cand --market 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)'
            cand --compare-at 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first'
            cand --rates 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards'
            cand --business-country 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)'
            cand --reply-rate 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]'
            cand --retry-rate 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]'
            cand --max-visits 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]'
            cand --reply-after 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]'
            cand --paths 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way'
            cand --max-states 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning'
            cand --config 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml'
            cand --horizon 'Removed: loops are bounded by --max-visits'
            cand --max-paths 'Removed: replaced by --paths'
            cand --free-form-joins-open-conversation 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand --no-config 'Ignore flowcost.toml files'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;rates'= {
            cand --market 'Recipient countries (ISO 3166-1 alpha-2, comma-separated): their markets'' rows only'
            cand --at 'The date whose card to print (RFC 3339 or a date). Default: today'
            cand --rates 'Your own rate card (CSV, the columns of the built-in cards) over the built-in cards'
            cand --format 'Output format'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;import'= {
            cand --templates 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`'
            cand --from 'Read the files in this format instead of detecting it from their content'
            cand --flow 'In an export holding several flows, the one to read (name or UUID); default the first'
            cand --trigger 'How the flow starts, overriding the file (imports that do not say assume one and tell)'
            cand -o 'Write the flowcost YAML here (atomically; never over an input file) instead of stdout'
            cand --output 'Write the flowcost YAML here (atomically; never over an input file) instead of stdout'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;replay'= {
            cand --input-format 'Read every file as this format instead of going by extension'
            cand --map 'The log''s column NAME holds flowcost''s COLUMN, like recipient=customer_phone; repeatable'
            cand --pricing 'Bill everything under this model instead of the one in force at each event'
            cand --account-tz 'The business account''s UTC offset: models switch, and days and months begin, at midnight there'
            cand --free-form-joins-open-conversation 'Rule 4 of docs/billing.md, as for `simulate`'
            cand --by 'Count charges by calendar day or month'
            cand --format 'Output format'
            cand --max-disorder 'How much older than the latest row a row may be and still be streamed; beyond it, files that overlap in time are merged by timestamp, and a file out of order by itself is replayed holding every recipient in memory'
            cand --status-horizon 'When streaming, how long a message is remembered after its recipient''s episode closed, so that a late status (a read receipt days after the delivery) joins it instead of counting as a new message; memory grows with the messages delivered in this time'
            cand --mismatches 'Write every webhook billing mismatch to FILE as CSV'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand --strict 'Stop at the first bad row or unreadable file (exit 2) instead of skipping it'
            cand --unsorted 'The input is not in time order: hold every recipient until the end without trying to stream first'
            cand --no-progress 'No progress bar (it is shown only when stderr is a terminal anyway)'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;gen-log'= {
            cand --rows 'Rows to write (after the header)'
            cand --recipients 'Distinct recipients [default: rows / 10]'
            cand --seed 'Random seed: the same seed writes the same log'
            cand --start 'When the log starts (RFC 3339 or a date)'
            cand --days 'Days over which sessions start'
            cand -o 'Write to FILE (gzip-compressed when it ends in .gz; Apache Parquet when it ends in .parquet) instead of stdout'
            cand --output 'Write to FILE (gzip-compressed when it ends in .gz; Apache Parquet when it ends in .parquet) instead of stdout'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;merge-replays'= {
            cand --by 'Count charges by calendar day or month'
            cand --format 'Output format'
            cand --color 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both'
            cand -q 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand --quiet 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
            cand -v 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand --verbose 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flowcost;help'= {
            cand simulate 'Walk every path of a flow and bill it: conversations or charged messages per path'
            cand models 'List the pricing models and the dates they took effect'
            cand lint 'Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or above --fail-on'
            cand rules 'List the lint rules with their codes and default levels'
            cand explain 'Print the documentation of a lint rule (by code or name)'
            cand graph 'Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category'
            cand timeline 'Draw each path on a time axis: windows, conversations or charged messages, messages'
            cand schema 'Print a JSON Schema of the flow format (for editors and validators)'
            cand completions 'Print shell completions, or write them for every shell into a directory'
            cand man 'Print the man page, or write one per command into a directory'
            cand init 'Start a project: a starter flow, a template catalog and a flowcost.toml'
            cand cost 'Cost per recipient and per audience of flows, in one or more markets, from the rate cards'
            cand diff 'Cost delta between two versions of a flow (or two directories of flows, matched by name)'
            cand rates 'Print the rate card in force on a date'
            cand import 'Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML'
            cand replay 'Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks) through the billing engine: counts by category, market, day or month, and flow; checks the webhooks'' own billing verdicts'
            cand gen-log 'Write a synthetic message log (CSV) for benchmarks and demos'
            cand merge-replays 'Add up partial replay results (`replay --format json` of logs split by recipient, one per shard) into the tables and JSON of one replay over the whole log'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flowcost;help;simulate'= {
        }
        &'flowcost;help;models'= {
        }
        &'flowcost;help;lint'= {
        }
        &'flowcost;help;rules'= {
        }
        &'flowcost;help;explain'= {
        }
        &'flowcost;help;graph'= {
        }
        &'flowcost;help;timeline'= {
        }
        &'flowcost;help;schema'= {
        }
        &'flowcost;help;completions'= {
        }
        &'flowcost;help;man'= {
        }
        &'flowcost;help;init'= {
        }
        &'flowcost;help;cost'= {
        }
        &'flowcost;help;diff'= {
        }
        &'flowcost;help;rates'= {
        }
        &'flowcost;help;import'= {
        }
        &'flowcost;help;replay'= {
        }
        &'flowcost;help;gen-log'= {
        }
        &'flowcost;help;merge-replays'= {
        }
        &'flowcost;help;help'= {
        }
    ]
    $completions[$command]
}
