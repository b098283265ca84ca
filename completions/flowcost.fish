# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_flowcost_global_optspecs
    string join \n color= q/quiet v/verbose h/help V/version
end

function __fish_flowcost_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_flowcost_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_flowcost_using_subcommand
    set -l cmd (__fish_flowcost_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c flowcost -n "__fish_flowcost_needs_command" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_needs_command" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_needs_command" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_needs_command" -s V -l version -d 'Print version'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "simulate" -d 'Walk every path of a flow and bill it: conversations or charged messages per path'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "models" -d 'List the pricing models and the dates they took effect'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "lint" -d 'Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or above --fail-on'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "rules" -d 'List the lint rules with their codes and default levels'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "explain" -d 'Print the documentation of a lint rule (by code or name)'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "graph" -d 'Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "timeline" -d 'Draw each path on a time axis: windows, conversations or charged messages, messages'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "schema" -d 'Print a JSON Schema of the flow format (for editors and validators)'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "completions" -d 'Print shell completions, or write them for every shell into a directory'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "man" -d 'Print the man page, or write one per command into a directory'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "init" -d 'Start a project: a starter flow, a template catalog and a flowcost.toml'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "cost" -d 'Cost per recipient and per audience of flows, in one or more markets, from the rate cards'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "diff" -d 'Cost delta between two versions of a flow (or two directories of flows, matched by name)'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "rates" -d 'Print the rate card in force on a date'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "import" -d 'Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "replay" -d 'Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks) through the billing engine: counts by category, market, day or month, and flow; checks the webhooks\' own billing verdicts'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "gen-log" -d 'Write a synthetic message log (CSV) for benchmarks and demos'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "merge-replays" -d 'Add up partial replay results (`replay --format json` of logs split by recipient, one per shard) into the tables and JSON of one replay over the whole log'
complete -c flowcost -n "__fish_flowcost_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l templates -d 'A template catalog shared by many flows (the shape of a flow\'s `templates:` map); the flow\'s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l format -d 'Output format' -r -f -a "table\t'Tables for people'
json\t'One JSON document (its fields: docs/json.md)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l at -d 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l pricing -d 'Bill under this pricing model instead of the one in force at --at' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l account-tz -d 'The business account\'s UTC offset (like +02:00): Meta switches models at midnight there' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l market -d 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow\'s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l compare-at -d 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l rates -d 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l business-country -d 'The business\'s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l reply-rate -d 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l retry-rate -d 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l max-visits -d 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l reply-after -d 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l paths -d 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l max-states -d 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l config -d 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l horizon -d 'Removed: loops are bounded by --max-visits' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l max-paths -d 'Removed: replaced by --paths' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l free-form-joins-open-conversation -d 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation' -r -f -a "true\t''
false\t''"
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -l no-config -d 'Ignore flowcost.toml files'
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand models" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand models" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand models" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand models" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l templates -d 'A template catalog shared by the flows' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l format -d 'Output format; default human (plus GitHub annotations when GITHUB_ACTIONS=true)' -r -f -a "human\t'miette diagnostics with the YAML underlined'
json\t'A JSON array, one object per finding'
sarif\t'SARIF 2.1.0, for GitHub code scanning'
github\t'GitHub Actions annotations (`::error file=…`)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l deny -d 'Report RULE as an error (code, name, or `all`); repeatable' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l warn -d 'Report RULE as a warning (code, name, or `all`); repeatable' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l allow -d 'Do not report RULE (code, name, or `all`); repeatable' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error, or flowcost.toml\'s]' -r -f -a "warning\t'Warnings and errors fail'
error\t'Only errors fail'"
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l just-missed-within -d 'window-just-missed: a new conversation this soon after the previous one closed is reported [default: 6h, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l at -d 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l pricing -d 'Bill under this pricing model instead of the one in force at --at' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l account-tz -d 'The business account\'s UTC offset (like +02:00): Meta switches models at midnight there' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l market -d 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow\'s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l compare-at -d 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l rates -d 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l business-country -d 'The business\'s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l reply-rate -d 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l retry-rate -d 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l max-visits -d 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l reply-after -d 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l paths -d 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l max-states -d 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l config -d 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l horizon -d 'Removed: loops are bounded by --max-visits' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l max-paths -d 'Removed: replaced by --paths' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l free-form-joins-open-conversation -d 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation' -r -f -a "true\t''
false\t''"
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -l no-config -d 'Ignore flowcost.toml files'
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand rules" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand rules" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand rules" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand rules" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand explain" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand explain" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand explain" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l templates -d 'A template catalog shared by many flows (the shape of a flow\'s `templates:` map); the flow\'s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l format -d 'Output format' -r -f -a "mermaid\t'A Mermaid flowchart; GitHub renders it inside a ```mermaid block'
dot\t'Graphviz DOT (`dot -Tsvg`)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l at -d 'The date whose template categories label the nodes (a template may be recategorised). Default: now' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand graph" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l templates -d 'A template catalog shared by many flows (the shape of a flow\'s `templates:` map); the flow\'s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l path -d 'Only this path (numbered as `simulate` lists them, from 1). Default: every path' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l svg -d 'Also write the timeline as an SVG file (replaced atomically; never an input file)' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l at -d 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l pricing -d 'Bill under this pricing model instead of the one in force at --at' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l account-tz -d 'The business account\'s UTC offset (like +02:00): Meta switches models at midnight there' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l market -d 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow\'s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l compare-at -d 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l rates -d 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l business-country -d 'The business\'s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l reply-rate -d 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l retry-rate -d 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l max-visits -d 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l reply-after -d 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l paths -d 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l max-states -d 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l config -d 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l horizon -d 'Removed: loops are bounded by --max-visits' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l max-paths -d 'Removed: replaced by --paths' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l free-form-joins-open-conversation -d 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation' -r -f -a "true\t''
false\t''"
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -l no-config -d 'Ignore flowcost.toml files'
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand timeline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand schema" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand schema" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand schema" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand completions" -l dir -d 'Write completions for bash, zsh, fish, PowerShell and elvish into DIR instead' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand completions" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand completions" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand completions" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand man" -l dir -d 'Write flowcost.1 and one page per subcommand (flowcost-simulate.1…) into DIR instead' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand man" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand man" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand man" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand init" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand init" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand init" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l templates -d 'A template catalog shared by the flows' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l format -d 'Output format' -r -f -a "table\t'Tables for people'
json\t'One JSON document'
csv\t'CSV of the main table'
markdown\t'Markdown tables'"
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l group-by -d 'Rows of the main table: per flow, path, category or market' -r -f -a "flow\t'One row per flow and market'
path\t'One row per path'
category\t'One row per billed category'
market\t'One row per market, flows summed'"
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l audience -d 'Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12): prints audience totals with the free tiers and volume tiers that apply' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l phone-numbers -d 'Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages a month' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l at -d 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l pricing -d 'Bill under this pricing model instead of the one in force at --at' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l account-tz -d 'The business account\'s UTC offset (like +02:00): Meta switches models at midnight there' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l market -d 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow\'s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l compare-at -d 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l rates -d 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l business-country -d 'The business\'s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l reply-rate -d 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l retry-rate -d 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l max-visits -d 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l reply-after -d 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l paths -d 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l max-states -d 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l config -d 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l horizon -d 'Removed: loops are bounded by --max-visits' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l max-paths -d 'Removed: replaced by --paths' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l free-form-joins-open-conversation -d 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation' -r -f -a "true\t''
false\t''"
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -l no-config -d 'Ignore flowcost.toml files'
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand cost" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l templates -d 'A template catalog shared by the flows' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l format -d 'Output format' -r -f -a "table\t'Tables for people'
json\t'One JSON document'
markdown\t'Markdown tables (for a pull-request comment)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l fail-above -d 'Exit 1 when the new version costs more than this many USD above the old (expected; per audience with --audience, else per recipient; all flows summed)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l fail-above-percent -d 'Exit 1 when the new version costs more than this percentage above the old' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l audience -d 'Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12): prints audience totals with the free tiers and volume tiers that apply' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l phone-numbers -d 'Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages a month' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l at -d 'When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC). It also selects the pricing model. Default: now' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l pricing -d 'Bill under this pricing model instead of the one in force at --at' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l account-tz -d 'The business account\'s UTC offset (like +02:00): Meta switches models at midnight there' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l market -d 'Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow\'s `market`. `cost` and `diff` take several, comma-separated (DE,IN,BR)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l compare-at -d 'Also bill the flow on this date (repeatable): one column per date with the delta and its cause. The columns are --at (when given) and each --compare-at, oldest first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l rates -d 'Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices override or extend the built-in cards' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l business-country -d 'The business\'s country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is priced at the authentication-international rate where it applies (rule 8)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l reply-rate -d 'Customer model: probability that a customer replies at each `wait_for_reply` [default: 0.3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l retry-rate -d 'Customer model: at a split whose shares are guesses (no `weight` written, as imports leave them), the probability of the branches that lead back into a loop, such as a question asked again after an invalid answer [default: 0.1, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l max-visits -d 'Customer model: while a path stays in a loop it enters the loop at most N times (1 to 100); a path that would enter it once more is abandoned there [default: 3, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l reply-after -d 'Customer model: how long a customer takes to reply; at a reply wait that is not longer, the reply comes at half its timeout [default: 1m, or flowcost.toml\'s]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l paths -d 'Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The summary covers every path either way' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l max-states -d 'Most merged states the exploration may hold (about 200 bytes each); a flow that needs more is explored again with a lower --max-visits, with a warning' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l config -d 'Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest flowcost.toml' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l horizon -d 'Removed: loops are bounded by --max-visits' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l max-paths -d 'Removed: replaced by --paths' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l free-form-joins-open-conversation -d 'Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an open conversation of any category. Set to false to let it ride only on a service conversation' -r -f -a "true\t''
false\t''"
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -l no-config -d 'Ignore flowcost.toml files'
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -l market -d 'Recipient countries (ISO 3166-1 alpha-2, comma-separated): their markets\' rows only' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -l at -d 'The date whose card to print (RFC 3339 or a date). Default: today' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -l rates -d 'Your own rate card (CSV, the columns of the built-in cards) over the built-in cards' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -l format -d 'Output format' -r -f -a "table\t'Tables for people'
json\t'One JSON document'
csv\t'CSV of the main table'
markdown\t'Markdown tables'"
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand rates" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -l templates -d 'A template catalog shared by many flows (the shape of a flow\'s `templates:` map); the flow\'s own `templates:` entries take precedence. Imported template sends are mapped to categories through it, by name, `uuid`, `content_sid` or `text`' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -l from -d 'Read the files in this format instead of detecting it from their content' -r -f -a "flowcost\t'flowcost YAML'
goflow\t'goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x)'
twilio-studio\t'Twilio Studio flow JSON'"
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -l flow -d 'In an export holding several flows, the one to read (name or UUID); default the first' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -l trigger -d 'How the flow starts, overriding the file (imports that do not say assume one and tell)' -r -f -a "customer_message\t'The customer writes first'
ad_click\t'The customer writes through a click-to-WhatsApp ad'
business_event\t'A business event (an API call) starts it'
schedule\t'A schedule starts it'"
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -s o -l output -d 'Write the flowcost YAML here (atomically; never over an input file) instead of stdout' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l input-format -d 'Read every file as this format instead of going by extension' -r -f -a "csv\t'Comma-separated with a header row'
ndjson\t'One JSON object per line: flat rows or Cloud API webhooks'
parquet\t'Apache Parquet (a file, or a directory of part files)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l map -d 'The log\'s column NAME holds flowcost\'s COLUMN, like recipient=customer_phone; repeatable' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l pricing -d 'Bill everything under this model instead of the one in force at each event' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l account-tz -d 'The business account\'s UTC offset: models switch, and days and months begin, at midnight there' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l free-form-joins-open-conversation -d 'Rule 4 of docs/billing.md, as for `simulate`' -r -f -a "true\t''
false\t''"
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l by -d 'Count charges by calendar day or month' -r -f -a "day\t'Calendar days (account time zone)'
month\t'Calendar months (account time zone)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l format -d 'Output format' -r -f -a "table\t'Tables for people'
json\t'One JSON document (its fields: docs/json.md)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l max-disorder -d 'How much older than the latest row a row may be and still be streamed; beyond it, files that overlap in time are merged by timestamp, and a file out of order by itself is replayed holding every recipient in memory' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l status-horizon -d 'When streaming, how long a message is remembered after its recipient\'s episode closed, so that a late status (a read receipt days after the delivery) joins it instead of counting as a new message; memory grows with the messages delivered in this time' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l mismatches -d 'Write every webhook billing mismatch to FILE as CSV' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l strict -d 'Stop at the first bad row or unreadable file (exit 2) instead of skipping it'
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l unsorted -d 'The input is not in time order: hold every recipient until the end without trying to stream first'
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -l no-progress -d 'No progress bar (it is shown only when stderr is a terminal anyway)'
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -l rows -d 'Rows to write (after the header)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -l recipients -d 'Distinct recipients [default: rows / 10]' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -l seed -d 'Random seed: the same seed writes the same log' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -l start -d 'When the log starts (RFC 3339 or a date)' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -l days -d 'Days over which sessions start' -r
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -s o -l output -d 'Write to FILE (gzip-compressed when it ends in .gz; Apache Parquet when it ends in .parquet) instead of stdout' -r -F
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand gen-log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand merge-replays" -l by -d 'Count charges by calendar day or month' -r -f -a "day\t'Calendar days (account time zone)'
month\t'Calendar months (account time zone)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand merge-replays" -l format -d 'Output format' -r -f -a "table\t'Tables for people'
json\t'One JSON document (its fields: docs/json.md)'"
complete -c flowcost -n "__fish_flowcost_using_subcommand merge-replays" -l color -d 'When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set (CLICOLOR_FORCE forces it); `always` and `never` override both' -r -f -a "auto\t'Color terminals, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c flowcost -n "__fish_flowcost_using_subcommand merge-replays" -s q -l quiet -d 'Print only what was asked for: drop `note:` lines from reports and every message on stderr that is not an error (files written, next steps)'
complete -c flowcost -n "__fish_flowcost_using_subcommand merge-replays" -s v -l verbose -d 'Also say on stderr what flowcost does: files read, the pricing model chosen and why, how many paths were explored, files written'
complete -c flowcost -n "__fish_flowcost_using_subcommand merge-replays" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "simulate" -d 'Walk every path of a flow and bill it: conversations or charged messages per path'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "models" -d 'List the pricing models and the dates they took effect'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "lint" -d 'Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or above --fail-on'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "rules" -d 'List the lint rules with their codes and default levels'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "explain" -d 'Print the documentation of a lint rule (by code or name)'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "graph" -d 'Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "timeline" -d 'Draw each path on a time axis: windows, conversations or charged messages, messages'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "schema" -d 'Print a JSON Schema of the flow format (for editors and validators)'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "completions" -d 'Print shell completions, or write them for every shell into a directory'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "man" -d 'Print the man page, or write one per command into a directory'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "init" -d 'Start a project: a starter flow, a template catalog and a flowcost.toml'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "cost" -d 'Cost per recipient and per audience of flows, in one or more markets, from the rate cards'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "diff" -d 'Cost delta between two versions of a flow (or two directories of flows, matched by name)'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "rates" -d 'Print the rate card in force on a date'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "import" -d 'Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "replay" -d 'Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks) through the billing engine: counts by category, market, day or month, and flow; checks the webhooks\' own billing verdicts'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "gen-log" -d 'Write a synthetic message log (CSV) for benchmarks and demos'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "merge-replays" -d 'Add up partial replay results (`replay --format json` of logs split by recipient, one per shard) into the tables and JSON of one replay over the whole log'
complete -c flowcost -n "__fish_flowcost_using_subcommand help; and not __fish_seen_subcommand_from simulate models lint rules explain graph timeline schema completions man init cost diff rates import replay gen-log merge-replays help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
