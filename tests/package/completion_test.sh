#!/usr/bin/env bash
# The generated man page and shell completions against the CLI they were
# generated from (packaging/cli_docs.sh): for every command the CLI's help
# lists (found here with plain grep, not the generator's parser), the bash
# and zsh completions offer each of its subcommands and each option its help
# prints, and the man page has a section naming it with each option.
#   completion_test.sh CLI MAN_PAGE BASH_COMPLETION ZSH_COMPLETION
set -euo pipefail
cli="$1"
man_page="$2"
bash_completion="$3"
zsh_completion="$4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"  # file-name candidates come from an empty directory
failures=0
fail() { echo "completion_test: $*" >&2; failures=$((failures + 1)); }

subcommands() { awk '/^(Sub)?[Cc]ommands:$/ { on = 1; next } /^$/ { on = 0 } on && /^  [^ ]/ { print $1 }'; }
options() { grep -E '^ +-' | sed -E 's/^ +//; s/ .*//; s/\{[^}]*\}//g' | tr ',' '\n'; }

# Candidates for the words "$@" (the last one being completed).
bash_candidates() {
  bash -c 'source "$1" 2>/dev/null; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
           _model_signing 2>/dev/null; printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_completion" "$@"
}
zsh_candidates() {
  zsh -f -c 'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }; _files() { :; }
             file=$1; shift; words=("$@"); CURRENT=$#; source "$file"' _ "$zsh_completion" "$@"
}

check() {  # the command whose words are "$@"
  local help name
  help="$("$cli" "${@:2}" --help)"
  name="$*"
  for shell in bash zsh; do
    local offered
    offered="$("${shell}_candidates" "$@" "")"$'\n'"$("${shell}_candidates" "$@" -)"
    while read -r word; do
      [[ -z $word ]] && continue
      grep -qxF -- "$word" <<<"$offered" || fail "$shell: '$name' does not offer $word"
    done < <(subcommands <<<"$help"; options <<<"$help")
  done
  # The man page: a section for the command (but the top), every option.
  local escaped="${name//-/\\-}"
  if (($# > 1)) && ! grep -qxF ".SH \"$escaped\"" "$man_page"; then
    fail "the man page has no section for '$name'"
  fi
  while read -r option; do
    grep -qF -- "${option//-/\\-}" "$man_page" || fail "the man page does not mention $option"
  done < <(options <<<"$help")
  local sub
  for sub in $(subcommands <<<"$help"); do check "$@" "$sub"; done
}
check model_signing
checked="$(grep -c '^\.SH "model_signing' "$man_page")"
((failures == 0)) || exit 1
echo "completion_test: bash, zsh and the man page cover every command and option ($checked commands)"
