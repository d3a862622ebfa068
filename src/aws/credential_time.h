// Timestamps in credential responses: STS <Expiration>, credential_process "Expiration", the
// container and instance metadata services' "Expiration". All are ISO 8601 / RFC 3339 in UTC or
// with an offset: "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123Z", "2026-01-01T01:00:00+01:00".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"

namespace brock {

// Parses an ISO 8601 date-time with seconds ("YYYY-MM-DDTHH:MM:SS", optional fraction, then
// "Z", "+HH:MM", "-HH:MM" or "+HHMM"; a missing zone means UTC; a space may replace 'T').
// nullopt when malformed.
std::optional<Clock::time_point> ParseIso8601(std::string_view text);

// "2026-01-01T00:00:00Z" (UTC, seconds truncated).
std::string FormatIso8601(Clock::time_point time);

}  // namespace brock
