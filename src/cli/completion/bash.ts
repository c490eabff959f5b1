import { quote, type CompletedCommand } from './command-tree.js';

/**
 * A bash completion script: `_nexus_completion` finds the command being typed from the words
 * before the cursor (words that name a sub-command descend into it), then offers that command's
 * sub-commands and options, or the choices of the option just typed (files for a free value).
 */
export function bashScript(tree: readonly CompletedCommand[]): string {
  const subcommands = tree.map((c) => `    ${quote(c.path)}) echo ${quote(c.subcommands.map((s) => s.name).join(' '))} ;;`);
  const words = tree.map((c) => {
    const all = [...c.subcommands.map((s) => s.name), ...c.argumentChoices, ...c.options.flatMap((o) => [o.long, o.short].filter((f) => f !== undefined))];
    return `    ${quote(c.path)}) echo ${quote(all.join(' '))} ;;`;
  });
  const values = tree.flatMap((c) =>
    c.options
      .filter((o) => o.takesValue)
      .map((o) => `    ${[o.long, o.short].filter((f) => f !== undefined).map((flag) => quote(`${c.path}|${flag}`)).join(' | ')}) echo ${o.choices.length > 0 ? quote(o.choices.join(' ')) : "'-'"} ;;`),
  );
  return `# nexus completion for bash, generated from the host's commands and the plugins' manifests.
# Load it with: source <(nexus completion bash)

_nexus_subcommands() {
  case "$1" in
${subcommands.join('\n')}
  esac
}

_nexus_words() {
  case "$1" in
${words.join('\n')}
  esac
}

# The choices of an option that takes a value ("-" for any value), nothing for a flag.
_nexus_values() {
  case "$1|$2" in
${values.join('\n')}
  esac
}

_nexus_completion() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmdpath='' word i values
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ " $(_nexus_subcommands "$cmdpath") " == *" $word "* ]]; then cmdpath=\${cmdpath:+$cmdpath }$word; fi
  done
  values=$(_nexus_values "$cmdpath" "$prev")
  if [[ $values == - ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ -n $values ]]; then
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_nexus_words "$cmdpath")" -- "$cur"))
  fi
}

complete -F _nexus_completion nexus
`;
}
