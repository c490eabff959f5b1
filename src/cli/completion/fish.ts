import { quote, type CompletedCommand } from './command-tree.js';

/**
 * A fish completion script: `__nexus_path` walks the words typed so far to the command, and
 * each `complete` line applies at one command path.
 */
export function fishScript(tree: readonly CompletedCommand[]): string {
  const subcommands = tree.map((c) => `        case ${quote(c.path)}\n            printf '%s\\n' ${c.subcommands.map((s) => quote(s.name)).join(' ')}`);
  const lines = tree.flatMap((c) => {
    // Command paths are lowercase words and spaces (the manifest schema says so), safe in quotes.
    const at = `-n "__nexus_at '${c.path}'"`;
    return [
      ...c.subcommands.map((s) => `complete -c nexus ${at} -a ${quote(s.name)} -d ${quote(s.description)}`),
      ...(c.argumentChoices.length > 0 ? [`complete -c nexus ${at} -a ${quote(c.argumentChoices.join(' '))}`] : []),
      ...c.options.map((o) => {
        const flags = [o.short ? `-s ${o.short.slice(1)}` : '', o.long ? `-l ${o.long.slice(2)}` : ''].filter(Boolean).join(' ');
        const value = o.takesValue ? (o.choices.length > 0 ? ` -x -a ${quote(o.choices.join(' '))}` : ' -r -F') : '';
        return `complete -c nexus ${at} ${flags}${value} -d ${quote(o.description)}`;
      }),
    ];
  });
  return `# nexus completion for fish, generated from the host's commands and the plugins' manifests.
# Load it with: nexus completion fish | source

function __nexus_subcommands
    switch "$argv[1]"
${subcommands.join('\n')}
    end
end

# The command being typed: the words so far that name a sub-command, joined by spaces.
function __nexus_path
    set -l cmdpath
    for word in (commandline -opc)[2..-1]
        if contains -- $word (__nexus_subcommands (string join ' ' $cmdpath))
            set -a cmdpath $word
        end
    end
    string join ' ' $cmdpath
end

function __nexus_at
    set -l here (__nexus_path)
    test "$here" = "$argv[1]"
end

complete -c nexus -f
${lines.join('\n')}
`;
}
