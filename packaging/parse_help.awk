# Reads one `model_signing ... --help` text (the layout of cli/help.cpp) and writes its
# parts as tab-separated records for cli_docs.sh:
#   usage <TAB> text                     a "Usage:" line, without "Usage: "
#   text <TAB> line                      description or footer text ("" = paragraph break)
#   section <TAB> name                   "Options", "Positionals", "Subcommands", ...
#   entry <TAB> names <TAB> arg <TAB> description
#       an option or positional: names comma-separated (a negated spelling
#       such as --no-ignore-git-paths included), arg its value placeholder
#       ("" for a flag)
#   sub <TAB> name <TAB> description     a subcommand
# Lines it cannot place become text, so nothing the help says is lost.

function flush_entry() {
  if (entry_names != "") print "entry\t" entry_names "\t" entry_arg "\t" entry_desc
  entry_names = ""; entry_arg = ""; entry_desc = ""
}
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function is_command_list(name) { return name == "Subcommands" || name == "Commands" || name ~ /methods$/ }

BEGIN { section = ""; entry_names = "" }

/^Usage: / { flush_entry(); line = $0; sub(/^Usage: +/, "", line); print "usage\t" line; next }

# "Options:", "PKI methods:", "Signing precomputed digests (...):" ... at
# the left margin, ending with the colon.
/^[A-Za-z][^:]*:$/ { flush_entry(); section = substr($0, 1, length($0) - 1); print "section\t" section; next }

/^[ \t]*$/ {
  flush_entry()
  if (section != "") { section = ""; next }  # a blank line ends a section
  print "text\t"; next
}

is_command_list(section) && /^  [^ ]/ {
  name = $1; desc = $0; sub(/^  [^ ]+ */, "", desc)
  print "sub\t" name "\t" desc; next
}

# An option or a positional: its label ("-h, --help", "--hash ALGORITHM",
# "--ignore-git-paths / --no-ignore-git-paths", "MODEL_PATH"), then two or
# more spaces and the description (or the description on the next lines,
# when the label is long).
section != "" && /^  [^ ]/ {
  flush_entry()
  rest = substr($0, 3)
  label = rest; desc = ""
  if (match(rest, /   */)) { label = substr(rest, 1, RSTART - 1); desc = substr(rest, RSTART + RLENGTH) }
  n = split(label, words, " ")
  names = ""; arg = ""
  for (i = 1; i <= n; i++) {
    w = words[i]; sub(/,$/, "", w)
    if (w == "/") continue
    if (w ~ /^-/) names = names (names == "" ? "" : ",") w
    else arg = arg (arg == "" ? "" : " ") w
  }
  if (names == "") { names = arg; arg = "" }  # a positional
  entry_names = names; entry_arg = arg; entry_desc = trim(desc)
  next
}

# A continuation of the entry above (its description on the next lines).
entry_names != "" && /^    / { entry_desc = trim(entry_desc " " trim($0)); next }

{ flush_entry(); print "text\t" $0 }

END { flush_entry() }
