/**
 * `contact-audit completion bash|zsh`: the shell completion script, generated from the command
 * table and the parsers' option specs (commands.ts), so it offers exactly what the parsers take.
 *
 *   eval "$(contact-audit completion bash)"     # ~/.bashrc
 *   eval "$(contact-audit completion zsh)"      # ~/.zshrc, after compinit
 */
import { parseArgs } from 'node:util';
import { REPORT_FORMATS } from '../report/render/index.ts';
import { EXIT, UsageError, type CliIo } from './options.ts';

/** The options of `completion` (node:util parseArgs): none. */
export const COMPLETION_OPTIONS = {} as const;

/** The values an option takes, where they are a fixed list. */
const CHOICES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  sweep: { format: REPORT_FORMATS, cloud: ['aws', 'alibaba'] },
  doctor: { format: ['text', 'json'] },
};

/** The words after the command, where they are a fixed list. */
const POSITIONAL_CHOICES: Readonly<Record<string, readonly string[]>> = {
  completion: ['bash', 'zsh'],
  policy: ['check'],
};

/** One command as the completion sees it: from the command table and its parser's spec (commands.ts). */
export interface CompletedCommand {
  name: string;
  summary: string;
  options: { name: string; type: 'string' | 'boolean'; multiple: boolean; value?: string | undefined; text: string }[];
}

/** A word for a shell's single quotes. */
const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

function bashScript(commands: CompletedCommand[]): string {
  const cases = commands.map(({ name, options }) => {
    const words = [...options.map((option) => `--${option.name}`), '--help', ...(POSITIONAL_CHOICES[name] ?? [])];
    return `    ${name}) opts=${quoted(words.join(' '))} ;;`;
  });
  const valueCases = commands.flatMap(({ name, options }) =>
    options
      .filter((option) => option.type === 'string')
      .map(({ name: option }) => {
        const choices = CHOICES[name]?.[option];
        const reply = choices ? `COMPREPLY=( $(compgen -W ${quoted(choices.join(' '))} -- "$cur") )` : 'COMPREPLY=( $(compgen -f -- "$cur") )';
        return `    ${name}:--${option}) ${reply}; return 0 ;;`;
      }),
  );
  return `# bash completion for contact-audit (contact-audit completion bash)
_contact_audit() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${quoted([...commands.map((c) => c.name), '--help', '--version'].join(' '))} -- "$cur") )
    return 0
  fi
  case "\${COMP_WORDS[1]}:$prev" in
${valueCases.join('\n')}
  esac
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
    *) return 0 ;;
  esac
  if [[ "$cur" == -* ]] || [ -z "$cur" ]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  fi
  [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=( $(compgen -f -- "$cur") )
  return 0
}
complete -F _contact_audit contact-audit
`;
}

/** Text for zsh's _arguments and _describe: no colon, bracket or backslash unescaped. */
const zshText = (text: string) => text.replace(/[\\:[\]'`$]/g, (c) => `\\${c}`);

function zshScript(commands: CompletedCommand[]): string {
  const specs = commands.map(({ name, options }) => {
    const args = options.map((option) => {
      const help = zshText(option.text);
      if (option.type === 'boolean') return quoted(`--${option.name}[${help}]`);
      const choices = CHOICES[name]?.[option.name];
      const value = zshText(option.value ?? 'VALUE');
      return quoted(`${option.multiple ? '*' : ''}--${option.name}[${help}]:${value}:${choices ? `(${choices.join(' ')})` : '_files'}`);
    });
    const positional = POSITIONAL_CHOICES[name];
    if (positional) args.push(quoted(`1:${name}:(${positional.join(' ')})`));
    if (name === 'policy') args.push(quoted('2:FILE:_files'));
    if (name === 'event') args.push(quoted('1:FILE:_files'));
    return `    ${name}) _arguments ${[quoted('--help[this command\'s options]'), ...args].join(' ')} ;;`;
  });
  return `#compdef contact-audit
# zsh completion for contact-audit (contact-audit completion zsh)
_contact_audit() {
  local -a commands
  commands=(${commands.map(({ name, summary }) => quoted(`${name}:${zshText(summary)}`)).join(' ')})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command=$words[2]
  shift words
  (( CURRENT-- ))
  case $command in
${specs.join('\n')}
  esac
}
compdef _contact_audit contact-audit
`;
}

export async function completionCommand(args: string[], io: CliIo, commands: CompletedCommand[]): Promise<number> {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: COMPLETION_OPTIONS });
  const [shell, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`completion: unexpected argument "${extra.slice(0, 100)}"`);
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion: expected bash or zsh, got ${shell === undefined ? 'nothing' : `"${shell.slice(0, 100)}"`}`);
  io.stdout(shell === 'bash' ? bashScript(commands) : zshScript(commands));
  return EXIT.OK;
}
