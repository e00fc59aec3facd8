#include "sources/stat_record.h"

#include <sys/stat.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "model_signing/digest_sources.h"
#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/file_io.h"
#include "util/json_util.h"

namespace model_signing {

std::filesystem::path stat_record_path(const std::filesystem::path& signature) {
  std::filesystem::path record = signature;
  record += ".stat.json";
  return record;
}

namespace sources {

namespace {

constexpr std::string_view kMediaType = "application/vnd.model-signing.stat-record.v1+json";
// A record lists every file of a model: allow far more than a bundle.
constexpr std::size_t kMaxRecordSize = std::size_t{1} << 30;

std::int64_t mtime_of(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

std::int64_t realtime_now_ns() {
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

std::string canonical_model_path(const std::filesystem::path& model_path) {
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(model_path, ec);
  return (ec ? std::filesystem::absolute(model_path, ec) : canonical).string();
}

StatRecord capture_stat_record(const std::filesystem::path& model_path,
                               const std::vector<walk::ModelFile>& files,
                               std::int64_t walk_started_ns) {
  StatRecord record;
  record.model = canonical_model_path(model_path);
  for (const auto& file : files) {
    if (file.mtime_ns >= walk_started_ns - kRacyWindowNs) continue;
    struct stat st {};
    if (::stat(file.open_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    FileStat now{static_cast<std::uint64_t>(st.st_size), mtime_of(st)};
    if (now != FileStat{file.size, file.mtime_ns}) continue;  // changed while it was hashed
    record.files.emplace(file.name, now);
  }
  return record;
}

std::string stat_record_json(const StatRecord& record) {
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  for (const auto& [name, stat] : record.files) {
    files[name] = {{"size", stat.size}, {"mtimeNs", stat.mtime_ns}};
  }
  nlohmann::ordered_json doc;
  doc["mediaType"] = std::string(kMediaType);
  doc["signatureSha256"] = record.signature_sha256;
  doc["model"] = record.model;
  doc["files"] = std::move(files);
  return doc.dump(1) + "\n";
}

StatRecord read_stat_record(const std::filesystem::path& path) {
  std::string text;
  try {
    text = util::read_file(path, kMaxRecordSize);
  } catch (const Error& e) {
    throw Error(ErrorKind::kInvalidArgument, e.what());
  }
  return parse_stat_record(text, "stat record " + util::printable(path.string()));
}

StatRecord parse_stat_record(std::string_view text, const std::string& where) {
  auto bad = [&](const std::string& why) { return Error(ErrorKind::kInvalidArgument, where + ": " + why); };
  json_util::json doc;
  try {
    doc = json_util::parse(text, where);
  } catch (const Error& e) {
    throw Error(ErrorKind::kInvalidArgument, e.what());
  }
  auto string_field = [&](const char* key) {
    const json_util::json* value = doc.is_object() ? json_util::find(doc, key) : nullptr;
    if (!value || !value->is_string()) throw bad(std::string("no ") + key);
    return value->get<std::string>();
  };
  if (string_field("mediaType") != kMediaType) throw bad("unknown mediaType");
  StatRecord record;
  record.signature_sha256 = string_field("signatureSha256");
  record.model = string_field("model");
  const json_util::json* files = json_util::find(doc, "files");
  if (!files || !files->is_object()) throw bad("no files object");
  for (const auto& [name, entry] : files->items()) {
    const json_util::json* size = entry.is_object() ? json_util::find(entry, "size") : nullptr;
    const json_util::json* mtime = entry.is_object() ? json_util::find(entry, "mtimeNs") : nullptr;
    if (!size || !size->is_number_unsigned() || !mtime || !json_util::fits_int64(*mtime)) {
      throw bad("entry '" + util::printable(name) + "' needs an integer size and mtimeNs");
    }
    record.files.emplace(name, FileStat{size->get<std::uint64_t>(), mtime->get<std::int64_t>()});
  }
  return record;
}

}  // namespace sources
}  // namespace model_signing
