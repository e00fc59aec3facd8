// Building TufErrors: every message starts with "TUF " and the subject
// ("TUF snapshot.json: ...", "TUF target a/b.txt: ...").
#pragma once

#include <string>
#include <string_view>

#include "model_signing/tuf.h"

namespace model_signing::tuf {

// "snapshot.json" for a role name; delegated role names are shown printable
// (control characters escaped) since they come from the repository.
std::string role_file(std::string_view role);

[[noreturn]] void fail(FailureReason reason, const std::string& subject, const std::string& why);

}  // namespace model_signing::tuf
