
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'flowcost' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'flowcost'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'flowcost' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Walk every path of a flow and bill it: conversations or charged messages per path')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the pricing models and the dates they took effect')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or above --fail-on')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the lint rules with their codes and default levels')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of a lint rule (by code or name)')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Draw each path on a time axis: windows, conversations or charged messages, messages')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print a JSON Schema of the flow format (for editors and validators)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions, or write them for every shell into a directory')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write one per command into a directory')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Start a project: a starter flow, a template catalog and a flowcost.toml')
            [CompletionResult]::new('cost', 'cost', [CompletionResultType]::ParameterValue, 'Cost per recipient and per audience of flows, in one or more markets, from the rate cards')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Cost delta between two versions of a flow (or two directories of flows, matched by name)')
            [CompletionResult]::new('rates', 'rates', [CompletionResultType]::ParameterValue, 'Print the rate card in force on a date')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks) through the billing engine: counts by category, market, day or month, and flow; checks the webhooks'' own billing verdicts')
            [CompletionResult]::new('gen-log', 'gen-log', [CompletionResultType]::ParameterValue, 'Write a synthetic message log (CSV) for benchmarks and demos')
            [CompletionResult]::new('merge-replays', 'merge-replays', [CompletionResultType]::ParameterValue, 'Add up partial replay results (`replay --format json` of logs split by recipient, one per shard) into the tables and JSON of one replay over the whole log')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flowcost;simulate' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Bill under this pricing model instead of the one in force at --at')
            [CompletionResult]::new('--account-tz', '--account-tz', [CompletionResultType]::ParameterName, 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there')
            [CompletionResult]::new('--market', '--market', [CompletionResultType]::ParameterName, 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)')
            [CompletionResult]::new('--compare-at', '--compare-at', [CompletionResultType]::ParameterName, 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards')
            [CompletionResult]::new('--business-country', '--business-country', [CompletionResultType]::ParameterName, 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)')
            [CompletionResult]::new('--reply-rate', '--reply-rate', [CompletionResultType]::ParameterName, 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]')
            [CompletionResult]::new('--retry-rate', '--retry-rate', [CompletionResultType]::ParameterName, 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]')
            [CompletionResult]::new('--max-visits', '--max-visits', [CompletionResultType]::ParameterName, 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]')
            [CompletionResult]::new('--reply-after', '--reply-after', [CompletionResultType]::ParameterName, 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]')
            [CompletionResult]::new('--paths', '--paths', [CompletionResultType]::ParameterName, 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way')
            [CompletionResult]::new('--max-states', '--max-states', [CompletionResultType]::ParameterName, 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Removed: loops are bounded by --max-visits')
            [CompletionResult]::new('--max-paths', '--max-paths', [CompletionResultType]::ParameterName, 'Removed: replaced by --paths')
            [CompletionResult]::new('--free-form-joins-open-conversation', '--free-form-joins-open-conversation', [CompletionResultType]::ParameterName, 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore flowcost.toml files')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;models' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;lint' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by the flows')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default human (plus GitHub annotations when GITHUB_ACTIONS=true)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report RULE as an error (code, name, or `all`); repeatable')
            [CompletionResult]::new('--warn', '--warn', [CompletionResultType]::ParameterName, 'Report RULE as a warning (code, name, or `all`); repeatable')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Do not report RULE (code, name, or `all`); repeatable')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error, or flowcost.toml''s]')
            [CompletionResult]::new('--just-missed-within', '--just-missed-within', [CompletionResultType]::ParameterName, 'window-just-missed: a new conversation this soon after the previous one closed is reported [default: 6h, or flowcost.toml''s]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Bill under this pricing model instead of the one in force at --at')
            [CompletionResult]::new('--account-tz', '--account-tz', [CompletionResultType]::ParameterName, 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there')
            [CompletionResult]::new('--market', '--market', [CompletionResultType]::ParameterName, 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)')
            [CompletionResult]::new('--compare-at', '--compare-at', [CompletionResultType]::ParameterName, 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards')
            [CompletionResult]::new('--business-country', '--business-country', [CompletionResultType]::ParameterName, 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)')
            [CompletionResult]::new('--reply-rate', '--reply-rate', [CompletionResultType]::ParameterName, 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]')
            [CompletionResult]::new('--retry-rate', '--retry-rate', [CompletionResultType]::ParameterName, 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]')
            [CompletionResult]::new('--max-visits', '--max-visits', [CompletionResultType]::ParameterName, 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]')
            [CompletionResult]::new('--reply-after', '--reply-after', [CompletionResultType]::ParameterName, 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]')
            [CompletionResult]::new('--paths', '--paths', [CompletionResultType]::ParameterName, 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way')
            [CompletionResult]::new('--max-states', '--max-states', [CompletionResultType]::ParameterName, 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Removed: loops are bounded by --max-visits')
            [CompletionResult]::new('--max-paths', '--max-paths', [CompletionResultType]::ParameterName, 'Removed: replaced by --paths')
            [CompletionResult]::new('--free-form-joins-open-conversation', '--free-form-joins-open-conversation', [CompletionResultType]::ParameterName, 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore flowcost.toml files')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;rules' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;explain' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;graph' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The date whose template categories label the nodes (a template may be recategorised). Default: now')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;timeline' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only this path (numbered as `simulate` lists them, from 1). Default: every path')
            [CompletionResult]::new('--svg', '--svg', [CompletionResultType]::ParameterName, 'Also write the timeline as an SVG file (replaced atomically; never an input file)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Bill under this pricing model instead of the one in force at --at')
            [CompletionResult]::new('--account-tz', '--account-tz', [CompletionResultType]::ParameterName, 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there')
            [CompletionResult]::new('--market', '--market', [CompletionResultType]::ParameterName, 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)')
            [CompletionResult]::new('--compare-at', '--compare-at', [CompletionResultType]::ParameterName, 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards')
            [CompletionResult]::new('--business-country', '--business-country', [CompletionResultType]::ParameterName, 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)')
            [CompletionResult]::new('--reply-rate', '--reply-rate', [CompletionResultType]::ParameterName, 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]')
            [CompletionResult]::new('--retry-rate', '--retry-rate', [CompletionResultType]::ParameterName, 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]')
            [CompletionResult]::new('--max-visits', '--max-visits', [CompletionResultType]::ParameterName, 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]')
            [CompletionResult]::new('--reply-after', '--reply-after', [CompletionResultType]::ParameterName, 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]')
            [CompletionResult]::new('--paths', '--paths', [CompletionResultType]::ParameterName, 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way')
            [CompletionResult]::new('--max-states', '--max-states', [CompletionResultType]::ParameterName, 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Removed: loops are bounded by --max-visits')
            [CompletionResult]::new('--max-paths', '--max-paths', [CompletionResultType]::ParameterName, 'Removed: replaced by --paths')
            [CompletionResult]::new('--free-form-joins-open-conversation', '--free-form-joins-open-conversation', [CompletionResultType]::ParameterName, 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore flowcost.toml files')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write completions for bash, zsh, fish, PowerShell and elvish into DIR instead')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write flowcost.1 and one page per subcommand (flowcost-simulate.1…) into DIR instead')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;init' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;cost' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by the flows')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Rows of the main table: per flow, path, category or market')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12): prints audience totals with the free tiers and volume tiers that apply')
            [CompletionResult]::new('--phone-numbers', '--phone-numbers', [CompletionResultType]::ParameterName, 'Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages a month')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Bill under this pricing model instead of the one in force at --at')
            [CompletionResult]::new('--account-tz', '--account-tz', [CompletionResultType]::ParameterName, 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there')
            [CompletionResult]::new('--market', '--market', [CompletionResultType]::ParameterName, 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)')
            [CompletionResult]::new('--compare-at', '--compare-at', [CompletionResultType]::ParameterName, 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards')
            [CompletionResult]::new('--business-country', '--business-country', [CompletionResultType]::ParameterName, 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)')
            [CompletionResult]::new('--reply-rate', '--reply-rate', [CompletionResultType]::ParameterName, 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]')
            [CompletionResult]::new('--retry-rate', '--retry-rate', [CompletionResultType]::ParameterName, 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]')
            [CompletionResult]::new('--max-visits', '--max-visits', [CompletionResultType]::ParameterName, 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]')
            [CompletionResult]::new('--reply-after', '--reply-after', [CompletionResultType]::ParameterName, 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]')
            [CompletionResult]::new('--paths', '--paths', [CompletionResultType]::ParameterName, 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way')
            [CompletionResult]::new('--max-states', '--max-states', [CompletionResultType]::ParameterName, 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Removed: loops are bounded by --max-visits')
            [CompletionResult]::new('--max-paths', '--max-paths', [CompletionResultType]::ParameterName, 'Removed: replaced by --paths')
            [CompletionResult]::new('--free-form-joins-open-conversation', '--free-form-joins-open-conversation', [CompletionResultType]::ParameterName, 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore flowcost.toml files')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;diff' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by the flows')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--fail-above', '--fail-above', [CompletionResultType]::ParameterName, 'Exit 1 when the new version costs more than this many USD above the old (expected; per audience with --audience, else per recipient; all flows summed)')
            [CompletionResult]::new('--fail-above-percent', '--fail-above-percent', [CompletionResultType]::ParameterName, 'Exit 1 when the new version costs more than this percentage above the old')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12): prints audience totals with the free tiers and volume tiers that apply')
            [CompletionResult]::new('--phone-numbers', '--phone-numbers', [CompletionResultType]::ParameterName, 'Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages a month')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Bill under this pricing model instead of the one in force at --at')
            [CompletionResult]::new('--account-tz', '--account-tz', [CompletionResultType]::ParameterName, 'The business account''s UTC offset (like +02:00): Meta switches models at midnight there')
            [CompletionResult]::new('--market', '--market', [CompletionResultType]::ParameterName, 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow''s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)')
            [CompletionResult]::new('--compare-at', '--compare-at', [CompletionResultType]::ParameterName, 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards')
            [CompletionResult]::new('--business-country', '--business-country', [CompletionResultType]::ParameterName, 'The business''s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)')
            [CompletionResult]::new('--reply-rate', '--reply-rate', [CompletionResultType]::ParameterName, 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml''s]')
            [CompletionResult]::new('--retry-rate', '--retry-rate', [CompletionResultType]::ParameterName, 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml''s]')
            [CompletionResult]::new('--max-visits', '--max-visits', [CompletionResultType]::ParameterName, 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml''s]')
            [CompletionResult]::new('--reply-after', '--reply-after', [CompletionResultType]::ParameterName, 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml''s]')
            [CompletionResult]::new('--paths', '--paths', [CompletionResultType]::ParameterName, 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way')
            [CompletionResult]::new('--max-states', '--max-states', [CompletionResultType]::ParameterName, 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Removed: loops are bounded by --max-visits')
            [CompletionResult]::new('--max-paths', '--max-paths', [CompletionResultType]::ParameterName, 'Removed: replaced by --paths')
            [CompletionResult]::new('--free-form-joins-open-conversation', '--free-form-joins-open-conversation', [CompletionResultType]::ParameterName, 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore flowcost.toml files')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;rates' {
            [CompletionResult]::new('--market', '--market', [CompletionResultType]::ParameterName, 'Recipient countries (ISO 3166-1 alpha-2, comma-separated): their markets'' rows only')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The date whose card to print (RFC 3339 or a date). Default: today')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Your own rate card (CSV, the columns of the built-in cards) over the built-in cards')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;import' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A template catalog shared by many flows (the shape of a flow''s `templates:` map); the flow''s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the files in this format instead of detecting it from their content')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'In an export holding several flows, the one to read (name or UUID); default the first')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'How the flow starts, overriding the file (imports that do not say assume one and tell)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the flowcost YAML here (atomically; never over an input file) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the flowcost YAML here (atomically; never over an input file) instead of stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;replay' {
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every file as this format instead of going by extension')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'The log''s column NAME holds flowcost''s COLUMN, like recipient=customer_phone; repeatable')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Bill everything under this model instead of the one in force at each event')
            [CompletionResult]::new('--account-tz', '--account-tz', [CompletionResultType]::ParameterName, 'The business account''s UTC offset: models switch, and days and months begin, at midnight there')
            [CompletionResult]::new('--free-form-joins-open-conversation', '--free-form-joins-open-conversation', [CompletionResultType]::ParameterName, 'Rule 4 of docs/billing.md, as for `simulate`')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Count charges by calendar day or month')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-disorder', '--max-disorder', [CompletionResultType]::ParameterName, 'How much older than the latest row a row may be and still be streamed; beyond it, files that overlap in time are merged by timestamp, and a file out of order by itself is replayed holding every recipient in memory')
            [CompletionResult]::new('--status-horizon', '--status-horizon', [CompletionResultType]::ParameterName, 'When streaming, how long a message is remembered after its recipient''s episode closed, so that a late status (a read receipt days after the delivery) joins it instead of counting as a new message; memory grows with the messages delivered in this time')
            [CompletionResult]::new('--mismatches', '--mismatches', [CompletionResultType]::ParameterName, 'Write every webhook billing mismatch to FILE as CSV')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop at the first bad row or unreadable file (exit 2) instead of skipping it')
            [CompletionResult]::new('--unsorted', '--unsorted', [CompletionResultType]::ParameterName, 'The input is not in time order: hold every recipient until the end without trying to stream first')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bar (it is shown only when stderr is a terminal anyway)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;gen-log' {
            [CompletionResult]::new('--rows', '--rows', [CompletionResultType]::ParameterName, 'Rows to write (after the header)')
            [CompletionResult]::new('--recipients', '--recipients', [CompletionResultType]::ParameterName, 'Distinct recipients [default: rows / 10]')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Random seed: the same seed writes the same log')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'When the log starts (RFC 3339 or a date)')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Days over which sessions start')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (gzip-compressed when it ends in .gz; Apache Parquet when it ends in .parquet) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (gzip-compressed when it ends in .gz; Apache Parquet when it ends in .parquet) instead of stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;merge-replays' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Count charges by calendar day or month')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flowcost;help' {
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Walk every path of a flow and bill it: conversations or charged messages per path')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the pricing models and the dates they took effect')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or above --fail-on')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the lint rules with their codes and default levels')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of a lint rule (by code or name)')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Draw each path on a time axis: windows, conversations or charged messages, messages')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print a JSON Schema of the flow format (for editors and validators)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions, or write them for every shell into a directory')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write one per command into a directory')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Start a project: a starter flow, a template catalog and a flowcost.toml')
            [CompletionResult]::new('cost', 'cost', [CompletionResultType]::ParameterValue, 'Cost per recipient and per audience of flows, in one or more markets, from the rate cards')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Cost delta between two versions of a flow (or two directories of flows, matched by name)')
            [CompletionResult]::new('rates', 'rates', [CompletionResultType]::ParameterValue, 'Print the rate card in force on a date')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks) through the billing engine: counts by category, market, day or month, and flow; checks the webhooks'' own billing verdicts')
            [CompletionResult]::new('gen-log', 'gen-log', [CompletionResultType]::ParameterValue, 'Write a synthetic message log (CSV) for benchmarks and demos')
            [CompletionResult]::new('merge-replays', 'merge-replays', [CompletionResultType]::ParameterValue, 'Add up partial replay results (`replay --format json` of logs split by recipient, one per shard) into the tables and JSON of one replay over the whole log')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flowcost;help;simulate' {
            break
        }
        'flowcost;help;models' {
            break
        }
        'flowcost;help;lint' {
            break
        }
        'flowcost;help;rules' {
            break
        }
        'flowcost;help;explain' {
            break
        }
        'flowcost;help;graph' {
            break
        }
        'flowcost;help;timeline' {
            break
        }
        'flowcost;help;schema' {
            break
        }
        'flowcost;help;completions' {
            break
        }
        'flowcost;help;man' {
            break
        }
        'flowcost;help;init' {
            break
        }
        'flowcost;help;cost' {
            break
        }
        'flowcost;help;diff' {
            break
        }
        'flowcost;help;rates' {
            break
        }
        'flowcost;help;import' {
            break
        }
        'flowcost;help;replay' {
            break
        }
        'flowcost;help;gen-log' {
            break
        }
        'flowcost;help;merge-replays' {
            break
        }
        'flowcost;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
