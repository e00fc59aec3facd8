// "Did you mean ...?": the closest spelling among the valid ones.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model_signing::cli {

// Edit distance with adjacent transpositions ("--privte-key", "--pirvate-key"
// and "--privat-key" are all one edit from "--private-key").
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if it is close enough to be what was
// meant: at most about a third of its length away (at least 1, at most 3
// edits), or `word` is a prefix of exactly one candidate. Ties go to the
// first candidate.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace model_signing::cli
