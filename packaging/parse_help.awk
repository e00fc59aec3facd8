# Reads one `model_signing ... --help` text (CLI11's layout) and writes its
# parts as tab-separated records for cli_docs.sh:
#   usage <TAB> text                     a "Usage:" line, without "Usage: "
#   text <TAB> line                      description or footer text ("" = paragraph break)
#   section <TAB> name                   "Options", "Positionals", "Subcommands", ...
#   entry <TAB> names <TAB> arg <TAB> description
#       an option or positional: names comma-separated (CLI11's "{false}"
#       markers dropped), arg its value placeholder ("" for a flag)
#   sub <TAB> name <TAB> description     a subcommand
# Lines it cannot place become text, so nothing the help says is lost.

function flush_entry() {
  if (entry_names != "") print "entry\t" entry_names "\t" entry_arg "\t" entry_desc
  entry_names = ""; entry_arg = ""; entry_desc = ""
}
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
# A value placeholder: TEXT, UINT:POSITIVE, SIGNATURE_PATH=model.sig,
# TEXT:{a,b}=a, PATH ... (capitals first), possibly followed by REQUIRED.
function is_placeholder(word) { return word ~ /^[A-Z][A-Z0-9_]*([:={].*)?$/ }

BEGIN { section = ""; entry_names = "" }

/^Usage: / { flush_entry(); line = $0; sub(/^Usage: +/, "", line); print "usage\t" line; next }

# "Options:", "Subcommands:" ... at the left margin, nothing after the colon.
/^[A-Za-z][A-Za-z ]*:$/ { flush_entry(); section = substr($0, 1, length($0) - 1); print "section\t" section; next }

/^[ \t]*$/ {
  flush_entry()
  if (section != "") { section = ""; next }  # a blank line ends a section
  print "text\t"; next
}

(section == "Subcommands" || section == "Commands") && /^  [^ ]/ {
  name = $1; desc = $0; sub(/^  [^ ]+ */, "", desc)
  print "sub\t" name "\t" desc; next
}

(section == "Options" || section == "Positionals" || section ~ /[Oo]ptions$/) && /^  [^ ]/ {
  flush_entry()
  rest = substr($0, 3)
  # Names: the first word (CLI11 joins them with commas, no spaces).
  split(rest, words, " ")
  names = words[1]; gsub(/\{[^}]*\}/, "", names)
  rest = substr(rest, length(words[1]) + 1)
  arg = ""
  # Two or more spaces separate the description; a single space, a
  # placeholder (or the description, when the names were long).
  if (rest ~ /^ [^ ]/) {
    w = rest; sub(/^ /, "", w); split(w, ws, " ")
    if (is_placeholder(ws[1])) {
      arg = ws[1]; rest = substr(w, length(ws[1]) + 1)
      if (rest ~ /^ REQUIRED/) { arg = arg " REQUIRED"; rest = substr(rest, 10) }
    } else {
      rest = " " w
    }
  }
  entry_names = names; entry_arg = arg; entry_desc = trim(rest)
  next
}

# A continuation of the entry above (its description on the next lines).
entry_names != "" && /^    / { entry_desc = trim(entry_desc " " trim($0)); next }

{ flush_entry(); print "text\t" $0 }

END { flush_entry() }
