"""Shell completion for bash, zsh and fish, and a man page, made from the
command line's own parser: the commands, their options, the choices an
option takes, and which options take a value; a word that is not an option
completes as a file (what every command reads).

>>> from imageinspect.cli.main import build_parser
>>> spec = describe(build_parser())
>>> [c.name for c in spec][:3], spec[0].options[0].flags
(['images', 'inspect', 'config'], ('-h', '--help'))
>>> "complete -o default -F _imageinspect imageinspect" in bash_script(spec)
True
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

import attrs

__all__ = ["SHELLS", "CommandSpec", "OptionSpec", "bash_script", "describe", "fish_script", "script", "zsh_script"]

#: The shells a completion script is made for.
SHELLS = ("bash", "zsh", "fish")


@attrs.frozen
class OptionSpec:
    """One option of a command."""

    flags: tuple[str, ...]
    help: str
    #: Whether it takes a value (``--ref REF``), and the values it allows.
    takes_value: bool = False
    choices: tuple[str, ...] = ()
    metavar: str = ""


@attrs.frozen
class CommandSpec:
    """One command: its name, help line, options and positional arguments."""

    name: str
    help: str
    options: tuple[OptionSpec, ...]
    positionals: tuple[str, ...]
    #: The values its positional arguments allow (``completion``: the shells).
    positional_choices: tuple[str, ...] = ()
    usage: str = ""
    description: str = ""
    epilog: str = ""


def describe(parser: argparse.ArgumentParser) -> list[CommandSpec]:
    """The commands of ``parser`` (an ``imageinspect``-style parser with one
    level of subcommands)."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {action.dest: action.help or "" for action in commands._choices_actions}
    found = []
    for name, sub in commands.choices.items():
        options, positionals, positional_choices = [], [], []
        for action in sub._actions:
            if not action.option_strings:
                positionals.append(str(action.metavar or action.dest).upper())
                positional_choices += [str(c) for c in action.choices or ()]
                continue
            choices = tuple(str(c) for c in action.choices) if action.choices else ()
            options.append(
                OptionSpec(
                    tuple(action.option_strings),
                    _plain(action.help or ""),
                    takes_value=action.nargs != 0,
                    choices=choices,
                    metavar=str(action.metavar or action.dest.upper()) if action.nargs != 0 else "",
                )
            )
        found.append(
            CommandSpec(
                name,
                helps.get(name, ""),
                tuple(options),
                tuple(positionals),
                tuple(positional_choices),
                usage=" ".join(sub.format_usage().removeprefix("usage: ").split()),
                description=sub.description or "",
                epilog=sub.epilog or "",
            )
        )
    return found


def _plain(text: str) -> str:
    """A help text on one line, argparse's ``%(default)s`` left as written."""
    return " ".join(text.replace("%%", "%").split())


def _bash_words(words: Sequence[str]) -> str:
    return " ".join(words)


def bash_script(spec: Sequence[CommandSpec]) -> str:
    """A bash completion script (``source <(imageinspect completion bash)``)."""
    lines = [
        "# bash completion for imageinspect (made by `imageinspect completion bash`)",
        "_imageinspect() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" opts="" values=""',
        "    COMPREPLY=()",
        '    if [ "$COMP_CWORD" -eq 1 ]; then',
        f'        COMPREPLY=($(compgen -W "{_bash_words([c.name for c in spec])} --help --version" -- "$cur"))',
        "        return 0",
        "    fi",
        '    case "${COMP_WORDS[1]}" in',
    ]
    for command in spec:
        flags = [flag for option in command.options for flag in option.flags]
        lines.append(f"        {command.name})")
        lines.append(f'            opts="{_bash_words(flags)}"')
        if command.positional_choices:
            lines.append(f'            [[ "$cur" == -* ]] || values="{_bash_words(command.positional_choices)}"')
        valued = [o for o in command.options if o.takes_value]
        if valued:
            lines.append('            case "$prev" in')
            for option in valued:
                pattern = "|".join(option.flags)
                if option.choices:
                    lines.append(f'                {pattern}) values="{_bash_words(option.choices)}" ;;')
                else:
                    lines.append(f'                {pattern}) values="-" ;;')
            lines.append("            esac")
        lines.append("            ;;")
    lines += [
        "    esac",
        '    if [ "$values" = "-" ]; then',
        "        return 0  # a free value: the shell's default completion",
        '    elif [ -n "$values" ]; then',
        '        COMPREPLY=($(compgen -W "$values" -- "$cur"))',
        '    elif [[ "$cur" == -* ]]; then',
        '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
        "    else",
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "    fi",
        "}",
        "complete -o default -F _imageinspect imageinspect",
        "",
    ]
    return "\n".join(lines)


def _zsh_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh_script(spec: Sequence[CommandSpec]) -> str:
    """A zsh completion script (``source <(imageinspect completion zsh)``, or
    saved as ``_imageinspect`` in a directory of ``$fpath``)."""
    lines = [
        "#compdef imageinspect",
        "# zsh completion for imageinspect (made by `imageinspect completion zsh`)",
        "_imageinspect() {",
        "    local -a commands",
        "    commands=(",
    ]
    lines += [f"        '{c.name}:{_zsh_quote(c.help)}'" for c in spec]
    lines += [
        "    )",
        "    if (( CURRENT == 2 )); then",
        "        _describe -t commands 'imageinspect command' commands",
        "        return",
        "    fi",
        "    case $words[2] in",
    ]
    for command in spec:
        args = []
        for option in command.options:
            names = "{" + ",".join(option.flags) + "}" if len(option.flags) > 1 else option.flags[0]
            described = f"[{_zsh_quote(option.help)}]"
            if option.choices:
                value = f":{_zsh_quote(option.metavar.lower())}:({' '.join(option.choices)})"
            elif option.takes_value:
                value = f":{_zsh_quote(option.metavar.lower())}:_files"
            else:
                value = ""
            exclusive = "(" + " ".join(option.flags) + ")" if len(option.flags) > 1 else ""
            args.append(f"'{exclusive}'{names}'{described}{value}'" if exclusive else f"'{names}{described}{value}'")
        if command.positional_choices:
            args.append(f"'1:{command.positionals[0].lower()}:({' '.join(command.positional_choices)})'")
        else:
            args.append("'*:file:_files'")
        lines.append(f"        {command.name})")
        lines.append("            _arguments -s \\")
        lines += [f"                {arg} \\" for arg in args[:-1]]
        lines.append(f"                {args[-1]}")
        lines.append("            ;;")
    lines += [
        "    esac",
        "}",
        'if [ "$funcstack[1]" = "_imageinspect" ]; then',
        '    _imageinspect "$@"',
        "else",
        "    compdef _imageinspect imageinspect",
        "fi",
        "",
    ]
    return "\n".join(lines)


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_script(spec: Sequence[CommandSpec]) -> str:
    """A fish completion script (``imageinspect completion fish | source``,
    or saved as ``~/.config/fish/completions/imageinspect.fish``)."""
    names = " ".join(c.name for c in spec)
    lines = [
        "# fish completion for imageinspect (made by `imageinspect completion fish`)",
        "complete -c imageinspect -f",
        "complete -c imageinspect -n '__fish_use_subcommand' -l version -d 'show the version'",
    ]
    for command in spec:
        lines.append(
            f"complete -c imageinspect -n 'not __fish_seen_subcommand_from {names}' -a {command.name} -d {_fish_quote(command.help)}"
        )
    for command in spec:
        seen = f"-n '__fish_seen_subcommand_from {command.name}'"
        if command.positional_choices:
            lines.append(f"complete -c imageinspect {seen} -x -a {_fish_quote(' '.join(command.positional_choices))}")
        else:
            lines.append(f"complete -c imageinspect {seen} -F")
        for option in command.options:
            parts = []
            for flag in option.flags:
                if flag.startswith("--"):
                    parts.append(f"-l {flag[2:]}")
                elif len(flag) == 2:
                    parts.append(f"-s {flag[1]}")
                else:
                    parts.append(f"-o {flag[1:]}")
            if option.choices:
                parts.append(f"-x -a {_fish_quote(' '.join(option.choices))}")
            elif option.takes_value:
                parts.append("-r")
            lines.append(f"complete -c imageinspect {seen} {' '.join(parts)} -d {_fish_quote(option.help)}")
    lines.append("")
    return "\n".join(lines)


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`).

    >>> from imageinspect.cli.main import build_parser
    >>> script("fish", build_parser()).splitlines()[1]
    'complete -c imageinspect -f'
    """
    spec = describe(parser)
    return {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell](spec)


_ROFF_ESCAPES = re.compile(r"[\\-]")


def _roff(text: str) -> str:
    """Text as roff: backslashes and hyphens escaped, a leading dot or quote guarded."""
    escaped = _ROFF_ESCAPES.sub(lambda m: "\\e" if m.group() == "\\" else "\\-", text)
    return "\\&" + escaped if escaped.startswith((".", "'")) else escaped


def manpage(parser: argparse.ArgumentParser, version: str) -> str:
    """``imageinspect(1)`` in roff (``man -l``), made from the parser: every
    command with its usage, what it does, its options and examples.

    >>> from imageinspect.cli.main import build_parser
    >>> manpage(build_parser(), "0.1.0").splitlines()[0]
    '.TH IMAGEINSPECT 1 "" "imageinspect 0.1.0" "User Commands"'
    """
    spec = describe(parser)
    out = [
        f'.TH IMAGEINSPECT 1 "" "imageinspect {version}" "User Commands"',
        ".SH NAME",
        "imageinspect \\- " + _roff(parser.description or ""),
        ".SH SYNOPSIS",
        ".B imageinspect",
        "[\\fB\\-\\-version\\fR] \\fICOMMAND\\fR [\\fIoptions\\fR] ...",
        ".SH DESCRIPTION",
        _roff(
            "Reads docker save archives, OCI layouts and inspect output, and prints what Docker, podman, "
            "crane and skopeo would. Bad input prints one line, imageinspect: WHERE: WHAT, and exits with 2; "
            "a failed check exits with 1."
        ),
        ".SH COMMANDS",
    ]
    for command in spec:
        out += [
            ".SS " + _roff(command.name),
            ".B " + _roff(command.usage.removeprefix("imageinspect ")),
            ".PP",
            _roff(command.description),
        ]
        for option in command.options:
            if option.flags == ("-h", "--help"):
                continue
            flags = ", ".join(f"\\fB{_roff(flag)}\\fR" for flag in option.flags)
            value = f" \\fI{_roff(option.metavar)}\\fR" if option.metavar and not option.choices else ""
            if option.choices:
                value = " {" + ",".join(_roff(c) for c in option.choices) + "}"
            out += [".TP", flags + value, _roff(option.help)]
        if command.epilog.strip():
            out += [".PP", "Examples:", ".nf"]
            out += [_roff(line.strip()) for line in command.epilog.splitlines()[1:] if line.strip()]
            out += [".fi"]
    out += [
        ".SH EXIT STATUS",
        ".TP",
        "0",
        "success",
        ".TP",
        "1",
        "check, verify or diff found a difference",
        ".TP",
        "2",
        "bad input or options (one line on stderr says where and what)",
        ".SH SEE ALSO",
        "docker-image-inspect(1), podman-image-inspect(1), skopeo-inspect(1), crane(1)",
        "",
    ]
    return "\n".join(out)
