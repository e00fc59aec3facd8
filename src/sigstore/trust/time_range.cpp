// RFC 3339 times and the closed validity windows of trust material.
#include <cstdio>

#include "model_signing/error.h"
#include "model_signing/sigstore_trust.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

using namespace std::chrono;

[[noreturn]] void bad_time(std::string_view text, const std::string& what, const char* why) {
  throw Error(ErrorKind::kInvalidArgument,
              what + ": '" + util::excerpt(text, 64) + "' is not an RFC 3339 time (" + why + ")");
}

// Reads exactly `n` digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, int n, int& value) {
  if (pos + n > text.size()) return false;
  value = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

Time parse_rfc3339(std::string_view text, const std::string& what) {
  std::size_t pos = 0;
  int y, mo, d, h, mi, s;
  if (!read_digits(text, pos, 4, y) || !expect(text, pos, '-') || !read_digits(text, pos, 2, mo) ||
      !expect(text, pos, '-') || !read_digits(text, pos, 2, d)) {
    bad_time(text, what, "bad date");
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) bad_time(text, what, "no 'T'");
  ++pos;
  if (!read_digits(text, pos, 2, h) || !expect(text, pos, ':') || !read_digits(text, pos, 2, mi) ||
      !expect(text, pos, ':') || !read_digits(text, pos, 2, s)) {
    bad_time(text, what, "bad time of day");
  }
  long long nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) bad_time(text, what, "empty fraction");
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!read_digits(text, pos, 2, oh) || !expect(text, pos, ':') || !read_digits(text, pos, 2, om) ||
        oh > 23 || om > 59) {
      bad_time(text, what, "bad offset");
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    bad_time(text, what, "no time zone");
  }
  if (pos != text.size()) bad_time(text, what, "trailing characters");
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) bad_time(text, what, "out of range");
  // Nanoseconds since 1970 in 64 bits span 1677 to 2262: the instant (in
  // UTC, after the offset) must fall in the years 1678 to 2261, so that
  // every time accepted here is written back by format_time() and read
  // again. Seconds since 1970 cannot overflow for four-digit years.
  sys_seconds t = sys_days(date) + hours(h) + minutes(mi) + seconds(s) - minutes(offset_minutes);
  constexpr sys_seconds kFirst = sys_days(year{1678} / January / 1);
  constexpr sys_seconds kEnd = sys_days(year{2262} / January / 1);
  if (t < kFirst || t >= kEnd) bad_time(text, what, "year out of range");
  return Time(duration_cast<nanoseconds>(t.time_since_epoch()) + nanoseconds(nanos));
}

std::string format_time(Time t) {
  auto day_point = floor<days>(t);
  year_month_day date(day_point);
  hh_mm_ss<nanoseconds> tod(t - day_point);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  std::string out = buf;
  long long frac = tod.subseconds().count();
  if (frac != 0) {
    std::snprintf(buf, sizeof(buf), ".%09lld", frac);
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

bool TimeRange::contains(Time t) const {
  if (!start) return false;
  if (t < *start) return false;
  return !end || t <= *end;
}

std::string TimeRange::describe() const {
  std::string out = "[";
  out += start ? format_time(*start) : "no start";
  out += ", ";
  out += end ? format_time(*end) : "open";
  out += "]";
  return out;
}

}  // namespace model_signing::sigstore
