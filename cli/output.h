// What the commands print: text (the Python tool's lines) or, with
// `--output json`, one JSON object on stdout whose schema is documented in
// the README ("JSON output"). Messages, warnings and the progress bar go to
// stderr either way.
//
// Adding a field to the JSON output: set it on the report in the command
// that knows it (`report["name"] = value`), describe it in the README's
// schema table, and leave schema_version alone: new fields are additive.
// Bump kSchemaVersion only for a change that breaks existing readers
// (removing or retyping a field).
#pragma once

#include <CLI/CLI.hpp>

#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "model_signing/hashing.h"
#include "model_signing/signature_info.h"
#include "model_signing/verifying.h"

namespace model_signing::cli {

using Json = nlohmann::ordered_json;

inline constexpr int kSchemaVersion = 1;

struct OutputOptions {
  std::string format = "text";
  bool quiet = false;
  bool json() const { return format == "json"; }
};

// --output and --quiet.
void add_output_options(CLI::App* app, OutputOptions& options);

// {"schema_version": 1, "command": ..., "status": "ok"}, to be filled in.
Json new_report(const std::string& command);
// The serialization a manifest records.
Json serialization_json(const SerializationSpec& spec);
// The signer as the signature names it (see README for each field).
Json signer_json(const SignatureInfo& signature);
// root_digest and serialization of `manifest`, files and bytes of `stats`.
void add_hashing(Json& report, const Manifest& manifest, const HashingStats& stats);

// "2024-05-01T12:00:00Z".
std::string rfc3339(std::int64_t seconds_since_epoch);

// Prints the report (JSON mode) on stdout.
void print_report(const Json& report);

// The one-line failure: "<Action> failed with error: <message>" on stderr,
// naming the flag that would change the outcome when there is one; in JSON
// mode also the report, with status "failed", the error and, for a model
// that does not match its signature, the extra, missing and modified files.
// Returns 1.
int report_failure(const char* action, const std::exception& error, const OutputOptions& output,
                   Json report);

}  // namespace model_signing::cli
