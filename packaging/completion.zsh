
_model_signing() {
  local cmd=model_signing word skip=0 i
  for ((i = 2; i < CURRENT; i++)); do
    word=${words[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $word == -* ]]; then
      [[ " ${_model_signing_takes_value[$cmd]} " == *" $word "* ]] && skip=1
    elif [[ " ${_model_signing_subcommands[$cmd]} " == *" $word "* ]]; then
      cmd+="/$word"
    elif [[ -n ${_model_signing_default[$cmd]} ]]; then
      cmd+="/${_model_signing_default[$cmd]}"  # `sign MODEL` is `sign sigstore MODEL`
    fi
  done
  local cur=${words[CURRENT]} prev=${words[CURRENT-1]}
  if ((CURRENT > 2)) && [[ $prev == -* && " ${_model_signing_takes_value[$cmd]} " == *" $prev "* ]]; then
    local choices=${_model_signing_choices[$cmd/$prev]}
    if [[ -n $choices ]]; then compadd -- ${=choices}; else _files; fi
  elif [[ $cur == -* ]]; then
    compadd -- ${=_model_signing_options[$cmd]}
  else
    compadd -- ${=_model_signing_subcommands[$cmd]}
    [[ -n ${_model_signing_positional[$cmd]}${_model_signing_default[$cmd]} ]] && _files
  fi
}

_model_signing "$@"
