import { quote, type CompletedCommand } from './command-tree.js';

/** `name:description` entries for `_describe`, whose separator is the colon. */
function described(entries: readonly { readonly name: string; readonly description: string }[]): string {
  return entries.map((e) => quote(`${e.name.replace(/:/g, '\\:')}:${e.description}`)).join(' ');
}

/**
 * A zsh completion script (native, no bashcompinit): like the bash one, it walks the words typed
 * so far to the command, then offers sub-commands and options with their descriptions.
 */
export function zshScript(tree: readonly CompletedCommand[]): string {
  const subcommands = tree.map((c) => `    ${quote(c.path)}) reply=(${c.subcommands.map((s) => quote(s.name)).join(' ')}) ;;`);
  const entries = tree.map((c) => {
    const options = c.options.flatMap((o) => [o.long, o.short].filter((f) => f !== undefined).map((flag) => ({ name: flag, description: o.description })));
    return `    ${quote(c.path)}) commands=(${described(c.subcommands)}); options=(${described(options)}); choices=(${c.argumentChoices.map(quote).join(' ')}) ;;`;
  });
  const values = tree.flatMap((c) =>
    c.options
      .filter((o) => o.takesValue)
      .map((o) => `    ${[o.long, o.short].filter((f) => f !== undefined).map((flag) => quote(`${c.path}|${flag}`)).join(' | ')}) reply=(${o.choices.length > 0 ? o.choices.map(quote).join(' ') : "'-'"}) ;;`),
  );
  return `#compdef nexus
# nexus completion for zsh, generated from the host's commands and the plugins' manifests.
# Load it with: source <(nexus completion zsh)   (after compinit)

_nexus_subcommands() {
  reply=()
  case "$1" in
${subcommands.join('\n')}
  esac
}

_nexus_entries() {
  commands=() options=() choices=()
  case "$1" in
${entries.join('\n')}
  esac
}

# The choices of an option that takes a value ("-" for any value), nothing for a flag.
_nexus_values() {
  reply=()
  case "$1|$2" in
${values.join('\n')}
  esac
}

_nexus() {
  local cmdpath='' word i
  local -a reply commands options choices
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    _nexus_subcommands "$cmdpath"
    if (( \${reply[(Ie)$word]} )); then cmdpath=\${cmdpath:+$cmdpath }$word; fi
  done
  _nexus_values "$cmdpath" "\${words[CURRENT-1]}"
  if [[ \${reply[1]} == - ]]; then
    _files
    return
  elif (( \${#reply} )); then
    compadd -a reply
    return
  fi
  _nexus_entries "$cmdpath"
  (( \${#commands} )) && _describe -t commands 'command' commands
  (( \${#choices} )) && compadd -a choices
  (( \${#options} )) && _describe -t options 'option' options
}

compdef _nexus nexus
`;
}
