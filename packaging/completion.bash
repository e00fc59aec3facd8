
# The command path the words so far select ("model_signing/sign/key"),
# skipping options and their values.
_model_signing_command() {
  local cmd=model_signing word skip=0 i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $word == -* ]]; then
      [[ " ${_model_signing_takes_value[$cmd]} " == *" $word "* ]] && skip=1
    elif [[ " ${_model_signing_subcommands[$cmd]} " == *" $word "* ]]; then
      cmd+="/$word"
    elif [[ -n ${_model_signing_default[$cmd]} ]]; then
      cmd+="/${_model_signing_default[$cmd]}"  # `sign MODEL` is `sign sigstore MODEL`
    fi
  done
  echo "$cmd"
}

_model_signing() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd
  cmd=$(_model_signing_command)
  COMPREPLY=()
  if ((COMP_CWORD > 1)) && [[ $prev == -* && " ${_model_signing_takes_value[$cmd]} " == *" $prev "* ]]; then
    local choices=${_model_signing_choices[$cmd/$prev]}
    if [[ -n $choices ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
    else
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
  elif [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${_model_signing_options[$cmd]}" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -W "${_model_signing_subcommands[$cmd]}" -- "$cur")
    if [[ -n ${_model_signing_positional[$cmd]}${_model_signing_default[$cmd]} ]]; then
      compopt -o filenames 2>/dev/null
      local files
      mapfile -t files < <(compgen -f -- "$cur")
      COMPREPLY+=("${files[@]}")
    fi
  fi
}
complete -F _model_signing model_signing
