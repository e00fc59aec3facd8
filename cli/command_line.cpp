#include "command_line.h"

#include <algorithm>
#include <filesystem>

#include "help.h"
#include "log_output.h"
#include "suggest.h"

namespace model_signing::cli {

namespace {

std::vector<const CLI::App*> subcommands_of(const CLI::App* app) {
  return app->get_subcommands([](const CLI::App*) { return true; });
}

const CLI::App* subcommand_named(const CLI::App* app, const std::string& name) {
  for (const CLI::App* sub : subcommands_of(app)) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

// sign and verify: a method word that defaults to sigstore.
bool has_default_method(const CLI::App* app) { return subcommand_named(app, "sigstore") != nullptr; }

std::vector<std::string> names_of(const std::vector<const CLI::App*>& apps) {
  std::vector<std::string> names;
  for (const CLI::App* a : apps) names.push_back(a->get_name());
  return names;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  }
  return out;
}

// The option `name` ("--private-key", "-h") means in `app` or, as options
// fall through to the commands above, in one of its parents.
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
  for (const CLI::App* a = app; a; a = a->get_parent()) {
    for (const CLI::Option* opt : a->get_options()) {
      if (opt->get_positional()) continue;
      for (const auto& l : opt->get_lnames()) {
        if (name == "--" + l) return opt;
      }
      for (const auto& s : opt->get_snames()) {
        if (name == "-" + s) return opt;
      }
    }
  }
  return nullptr;
}

std::vector<std::string> option_names(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* a = app; a; a = a->get_parent()) {
    for (const CLI::Option* opt : a->get_options()) {
      for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    }
  }
  return names;
}

bool takes_value(const CLI::Option* opt) { return opt->get_items_expected_max() > 0; }

bool is_option_token(const std::string& token) { return token.size() > 1 && token[0] == '-'; }

// "--private_key=k" -> "--private-key", "k"; "-h" -> "-h".
std::string option_name(const std::string& token, std::string* value, bool* has_value) {
  std::string name = token;
  *has_value = false;
  if (token.rfind("--", 0) == 0) {
    auto eq = token.find('=');
    if (eq != std::string::npos) {
      *value = token.substr(eq + 1);
      *has_value = true;
      name = token.substr(0, eq);
    }
    std::replace(name.begin() + 2, name.end(), '_', '-');
  }
  return name;
}

std::string see_help(const CLI::App* app) { return " (see `" + command_path(app) + " --help`)"; }

// The methods of `group` that accept every option in `args`.
std::vector<const CLI::App*> methods_accepting(const CLI::App* group, const std::vector<std::string>& args) {
  std::vector<const CLI::App*> fits;
  for (const CLI::App* method : subcommands_of(group)) {
    bool all = true;
    for (const auto& token : args) {
      if (token == "--") break;
      if (!is_option_token(token)) continue;
      std::string value;
      bool has_value;
      if (!find_option(method, option_name(token, &value, &has_value))) all = false;
    }
    if (all) fits.push_back(method);
  }
  return fits;
}

class Preparer {
 public:
  Preparer(const CLI::App& app, const std::vector<std::string>& args) : root_(&app), args_(args) {}

  PreparedCommandLine run() {
    const CLI::App* current = root_;
    bool only_positionals = false;
    bool asked_for_help = false;
    for (std::size_t i = 0; i < args_.size(); ++i) {
      const std::string& token = args_[i];
      if (only_positionals) {
        out_.push_back(token);
        continue;
      }
      if (token == "--") {
        only_positionals = true;
        out_.push_back(token);
        continue;
      }
      if (is_option_token(token)) {
        std::string value;
        bool has_value;
        std::string name = option_name(token, &value, &has_value);
        if (has_default_method(current) && !find_option(current, name)) {
          // `sign --use-staging MODEL`: options before the model path are
          // the default method's.
          current = enter_default_method(current);
        }
        const CLI::Option* opt = find_option(current, name);
        if (!opt) unknown_option(current, token, name);
        if (name == "-h" || name == "--help" || name == "--version") asked_for_help = true;
        out_.push_back(has_value ? name + "=" + value : name);
        if (takes_value(opt) && !has_value && i + 1 < args_.size()) out_.push_back(args_[++i]);
        continue;
      }
      if (subcommands_of(current).empty()) {
        out_.push_back(token);  // an argument of the command
        continue;
      }
      if (const CLI::App* sub = subcommand_named(current, token)) {
        out_.push_back(token);
        current = sub;
        continue;
      }
      if (!has_default_method(current)) unknown_command(current, token);
      check_method_word(current, token);
      current = enter_default_method(current);
      out_.push_back(token);
    }
    if (!asked_for_help && !subcommands_of(current).empty()) {
      if (current == root_) {
        throw UsageError("missing command: " + joined(names_of(subcommands_of(current))) +
                         see_help(current));
      }
      throw UsageError("missing MODEL_PATH: " + command_path(current) +
                       " [PKI_METHOD] MODEL_PATH [OPTIONS]" + see_help(current));
    }
    return {out_, current};
  }

 private:
  const CLI::App* enter_default_method(const CLI::App* group) {
    implicit_group_ = group;
    out_.push_back("sigstore");
    return subcommand_named(group, "sigstore");
  }

  // A word where `group` expects a method or the model path: a model path
  // unless it looks like a misspelt method and names no file.
  void check_method_word(const CLI::App* group, const std::string& word) {
    std::error_code ec;
    if (std::filesystem::exists(word, ec)) return;
    if (group->get_name() == "verify" && word.rfind("pkcs11", 0) == 0) {
      throw UsageError("verify has no PKI method " + printable(word) +
                       ": signatures made with a PKCS #11 token verify with `verify key` (the "
                       "token's public key) or `verify certificate`" + see_help(group));
    }
    if (auto guess = closest(word, names_of(subcommands_of(group)))) {
      throw UsageError("unknown PKI method '" + printable(word) + "' for " + group->get_name() +
                       "; did you mean '" + *guess + "'?" + see_help(group));
    }
  }

  [[noreturn]] void unknown_command(const CLI::App* app, const std::string& word) {
    auto commands = names_of(subcommands_of(app));
    auto guess = closest(word, commands);
    throw UsageError("unknown command '" + printable(word) + "'; " +
                     (guess ? "did you mean '" + *guess + "'?" : "the commands are " + joined(commands)) +
                     see_help(app));
  }

  [[noreturn]] void unknown_option(const CLI::App* app, const std::string& token,
                                   const std::string& name) {
    std::string shown = printable(token.substr(0, token.find('=')));
    if (implicit_group_ && app->get_parent() == implicit_group_) {
      // `verify MODEL --public-key k.pub`: a method word was left out.
      std::vector<const CLI::App*> fits = methods_accepting(implicit_group_, args_);
      if (!fits.empty()) {
        std::string fixed = command_path(fits[0]);
        std::size_t group_at = 0;
        while (group_at < args_.size() && args_[group_at] != implicit_group_->get_name()) ++group_at;
        for (std::size_t j = group_at + 1; j < args_.size(); ++j) fixed += " " + printable(args_[j]);
        throw UsageError(shown + " is not an option of " + command_path(app) +
                         " (the default method); did you mean `" + fixed + "`?");
      }
    }
    auto guess = closest(name, option_names(app));
    throw UsageError("unknown option " + shown + (guess ? "; did you mean " + *guess + "?" : "") +
                     see_help(app));
  }

  const CLI::App* root_;
  const std::vector<std::string>& args_;
  std::vector<std::string> out_;
  const CLI::App* implicit_group_ = nullptr;
};

}  // namespace

PreparedCommandLine prepare_command_line(const CLI::App& app, const std::vector<std::string>& args) {
  return Preparer(app, args).run();
}

}  // namespace model_signing::cli
