#include "help.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace model_signing::cli {

namespace {

constexpr std::size_t kWidth = 80;
constexpr std::size_t kMaxNameColumn = 32;

std::map<const CLI::App*, std::string>& paragraphs() {
  static std::map<const CLI::App*, std::string> map;
  return map;
}

// Words of `text` filled into lines of at most `width` columns, each
// line after the first indented by `indent` spaces (the first by `first`).
std::string fill(const std::string& text, std::size_t indent, std::size_t first_used) {
  std::istringstream words(text);
  std::string word, out;
  std::size_t column = first_used;
  bool line_start = true;
  while (words >> word) {
    if (!line_start && column + 1 + word.size() > kWidth) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
  }
  return out;
}

std::string paragraph_block(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    std::string para = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += "\n  " + fill(para, 2, 2) + "\n";
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

bool is_help_option(const CLI::Option* opt) {
  const auto& l = opt->get_lnames();
  return std::find(l.begin(), l.end(), "help") != l.end();
}

// "--ignore-git-paths / --no-ignore-git-paths", "--hash ALGORITHM".
std::string option_label(const CLI::Option* opt) {
  std::string label;
  for (const auto& s : opt->get_snames()) label += (label.empty() ? "-" : ", -") + s;
  const auto& negated = opt->get_fnames();
  std::string negatives;
  for (const auto& l : opt->get_lnames()) {
    bool is_negative = std::find(negated.begin(), negated.end(), l) != negated.end();
    std::string& into = is_negative ? negatives : label;
    into += (into.empty() ? "--" : (is_negative ? " / --" : ", --")) + l;
  }
  if (!negatives.empty()) label += " / " + negatives;
  if (opt->get_items_expected_max() > 0) {  // flags expect no value
    std::string type = opt->get_type_name();
    label += " " + (type.empty() ? std::string("VALUE") : type);
  }
  return label;
}

std::string option_text(const CLI::Option* opt) {
  std::string text = opt->get_description();
  if (opt->get_required()) text += " [required]";
  if (!opt->get_default_str().empty()) text += " [default: " + opt->get_default_str() + "]";
  return text;
}

struct Row {
  std::string label;
  std::string text;
};

std::string rows_block(const std::string& heading, const std::vector<Row>& rows) {
  if (rows.empty()) return "";
  std::size_t column = 0;
  for (const auto& row : rows) {
    if (row.label.size() + 4 <= kMaxNameColumn) column = std::max(column, row.label.size() + 4);
  }
  if (column == 0) column = kMaxNameColumn;
  std::string out = "\n" + heading + ":\n";
  for (const auto& row : rows) {
    std::string line = "  " + row.label;
    if (line.size() + 2 > column) {
      out += line + "\n" + std::string(column, ' ');
    } else {
      out += line + std::string(column - line.size(), ' ');
    }
    out += fill(row.text, column, column) + "\n";
  }
  return out;
}

std::string usage_line(const CLI::App* app) {
  std::string usage = "Usage: " + command_path(app) + " [OPTIONS]";
  auto subcommands = app->get_subcommands([](const CLI::App*) { return true; });
  if (!subcommands.empty()) {
    // sign and verify take an optional method word (default: sigstore).
    bool has_default = std::any_of(subcommands.begin(), subcommands.end(),
                                   [](const CLI::App* sub) { return sub->get_name() == "sigstore"; });
    return usage + (has_default ? " [PKI_METHOD] MODEL_PATH [ARGS]..." : " COMMAND [ARGS]...");
  }
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_positional()) usage += " " + opt->get_name();
  }
  return usage;
}

class HelpFormatter final : public CLI::FormatterBase {
 public:
  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override {
    std::string out = usage_line(app) + "\n";
    std::string description = app->get_description();
    if (!description.empty()) out += "\n  " + fill(description, 2, 2) + "\n";
    auto it = paragraphs().find(app);
    if (it != paragraphs().end()) out += paragraph_block(it->second);

    std::vector<Row> commands;
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      commands.push_back({sub->get_name(), sub->get_description()});
    }
    bool methods = app->get_parent() != nullptr;
    out += rows_block(methods ? "PKI methods" : "Commands", commands);

    std::vector<Row> arguments;
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_positional()) arguments.push_back({opt->get_name(), option_text(opt)});
    }
    out += rows_block("Arguments", arguments);

    // Groups in the order their first option was added; the ones inherited
    // from the top-level command (and help) last.
    std::vector<std::string> order;
    std::map<std::string, std::vector<Row>> groups;
    std::vector<Row> global;
    auto add = [&](const CLI::Option* opt, std::vector<Row>& into) {
      into.push_back({option_label(opt), option_text(opt)});
    };
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_positional() || is_help_option(opt)) continue;
      std::string group = opt->get_group();
      if (group == "Global options") {
        add(opt, global);
        continue;
      }
      if (group.empty() || group == "OPTIONS" || group == "Options") group = "Options";
      if (!groups.count(group)) order.push_back(group);
      add(opt, groups[group]);
    }
    for (const CLI::App* parent = app->get_parent(); parent; parent = parent->get_parent()) {
      if (parent->get_parent()) continue;  // only the top level's global options
      for (const CLI::Option* opt : parent->get_options()) {
        if (opt->get_group() == "Global options") add(opt, global);
      }
    }
    global.push_back({"-h, --help", "Show this message and exit."});
    for (const auto& group : order) out += rows_block(group, groups[group]);
    out += rows_block("Global options", global);
    std::string footer = app->get_footer();
    if (!footer.empty()) out += "\n" + fill(footer, 0, 0) + "\n";
    return out;
  }
};

}  // namespace

std::shared_ptr<CLI::FormatterBase> make_help_formatter() { return std::make_shared<HelpFormatter>(); }

void set_help_paragraph(const CLI::App* app, std::string paragraph) {
  paragraphs()[app] = std::move(paragraph);
}

std::string command_path(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent()) path = p->get_name() + " " + path;
  return path;
}

}  // namespace model_signing::cli
