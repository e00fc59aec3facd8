#!/bin/sh
# Generates the man page model_signing(1) and the bash and zsh completions
# from the CLI's own --help output: the top level's, each command's and each
# method's (found by following the "Subcommands:" lists), so none of them can
# drift from the program. Run by the build (packaging/CMakeLists.txt):
#   cli_docs.sh CLI OUTPUT_DIR
# writes OUTPUT_DIR/model_signing.1, model_signing.bash and _model_signing.
set -eu
cli="$1"
out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$out/help"
rm -rf "$work"
mkdir -p "$work"

record_file() { echo "$work/$(echo "$1" | tr / .).rec"; }

# Parses the help of the command at path $1 ("model_signing/sign/key") into
# its record file, then does the same for its subcommands.
# The list of paths, in order, goes to $work/paths.
collect() {
  # $1 is the path (positional parameters are the only locals in sh).
  # shellcheck disable=SC2046 # the path's words are the command's words
  "$cli" $(echo "$1" | cut -s -d/ -f2- | tr / ' ') --help >"$(record_file "$1").txt"
  awk -f "$here/parse_help.awk" "$(record_file "$1").txt" >"$(record_file "$1")"
  echo "$1" >>"$work/paths"
  for sub in $(awk -F'\t' '$1 == "sub" { print $2 }' "$(record_file "$1")"); do
    collect "$1/$sub"
  done
}
collect model_signing
version="$("$cli" --version)"

# ---- the man page ----------------------------------------------------------
# roff: a backslash is \e, a hyphen \- (so flags copy as typed); a text
# line starting with . or ' is protected with \& (below).
roff_escape='{ gsub(/\\/, "\\e"); gsub(/-/, "\\-") }'
{
  top="$(record_file model_signing)"
  summary="$(awk -F'\t' '$1 == "text" && $2 != "" { print $2; exit }' "$top")"
  echo ".\\\" Generated from \`model_signing --help' by packaging/cli_docs.sh; do not edit."
  echo ".TH MODEL_SIGNING 1 \"\" \"model_signing $version\" \"User Commands\""
  echo ".SH NAME"
  echo "model_signing \\- $(echo "$summary" | sed 's/\.$//; s/-/\\-/g')"
  echo ".SH SYNOPSIS"
  echo ".nf"
  # Each command's usage line, its command words in bold.
  while read -r path; do
    awk -F'\t' "$roff_escape"'$1 == "usage" {
      n = split($2, w, " "); cmd = ""; rest = ""
      for (i = 1; i <= n; i++) {
        if (rest == "" && w[i] ~ /^[a-z][a-z0-9_\\-]*$/) cmd = cmd (cmd == "" ? "" : " ") w[i]
        else rest = rest " " w[i]
      }
      print "\\fB" cmd "\\fR" rest
    }' "$(record_file "$path")"
  done <"$work/paths"
  echo ".fi"
  while read -r path; do
    rec="$(record_file "$path")"
    if [ "$path" = model_signing ]; then
      echo ".SH DESCRIPTION"
    else
      echo ".SH \"$(echo "$path" | tr / ' ' | sed 's/-/\\-/g')\""
    fi
    awk -F'\t' "$roff_escape"'
      function para() { if (!in_para) { print ".PP"; in_para = 1 } }
      $1 == "text" && $2 == "" { in_para = 0; next }
      $1 == "text" { para(); t = $2; if (t ~ /^[.\047]/) t = "\\&" t; print t; next }
      $1 == "usage" { next }
      $1 == "section" { print ".SS " $2; in_para = 0; next }
      $1 == "entry" {
        names = $2; gsub(/,/, ", ", names)
        arg = $3; sub(/ REQUIRED$/, "", arg)
        print ".TP"
        print "\\fB" names "\\fR" (arg != "" ? " \\fI" arg "\\fR" : "") ($3 ~ / REQUIRED$/ ? " (required)" : "")
        print $4; in_para = 0; next
      }
      $1 == "sub" { print ".TP"; print "\\fB" $2 "\\fR"; print $3; in_para = 0; next }
    ' "$rec"
  done <"$work/paths"
} >"$out/model_signing.1"

# ---- shell completion data -------------------------------------------------
# One table per question the completion asks, keyed by command path
# ("model_signing/sign/key"): its subcommands, its options, which of them take
# a value, the values a choice option takes (key "<path>/<option>"), the
# subcommand used when a model path comes first (the one marked DEFAULT, as
# `sign MODEL` means `sign sigstore MODEL`), and whether it takes paths.
tables() {
  declare="$1"  # "declare -gA" (bash) or "typeset -gA" (zsh)
  for t in subcommands options takes_value choices default positional; do
    echo "$declare _model_signing_$t"
  done
  while read -r path; do
    awk -F'\t' -v path="$path" '
      function clean(s) { gsub(/[^A-Za-z0-9_.,=\/ -]/, "", s); return s }
      function add(table, key, value) { v[table, key] = (v[table, key] == "" ? "" : v[table, key] " ") clean(value); keys[table, key] = 1 }
      $1 == "sub" { add("subcommands", path, $2); if ($3 ~ /DEFAULT/) add("default", path, $2) }
      $1 == "entry" && $2 ~ /^-/ {
        n = split($2, names, ",")
        for (i = 1; i <= n; i++) {
          add("options", path, names[i])
          if ($3 != "") add("takes_value", path, names[i])
          if ($3 ~ /\{.*\}/) {
            c = $3; sub(/^[^{]*\{/, "", c); sub(/\}.*$/, "", c); gsub(/,/, " ", c)
            add("choices", path "/" names[i], c)
          }
        }
      }
      $1 == "entry" && $2 !~ /^-/ { add("positional", path, "1") }
      END { for (k in keys) { split(k, p, SUBSEP); printf "_model_signing_%s[%s]=\047%s\047\n", p[1], p[2], v[p[1], p[2]] } }
    ' "$(record_file "$path")" | sort
  done <"$work/paths"
}

{
  echo "# bash completion for model_signing. Generated from the CLI's --help by"
  echo "# packaging/cli_docs.sh; do not edit."
  tables "declare -gA"
  cat "$here/completion.bash"
} >"$out/model_signing.bash"

{
  echo "#compdef model_signing"
  echo "# zsh completion for model_signing. Generated from the CLI's --help by"
  echo "# packaging/cli_docs.sh; do not edit."
  tables "typeset -gA"
  cat "$here/completion.zsh"
} >"$out/_model_signing"
