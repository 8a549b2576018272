// Instants and dates as the ledger writes them: ISO 8601 with an explicit offset ("2024-02-13T10:30:00+07:00"),
// held as seconds since the Unix epoch. Indonesia's three time zones (WIB, WITA, WIT) by province.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tepat {

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int year, int month, int day);

// "2024-02-14" → days since the epoch; nothing when malformed or not a real date.
std::optional<int64_t> ParseDate(std::string_view text);

// Days since the epoch → "YYYY-MM-DD", what ParseDate reads.
std::string FormatDay(int64_t day);

// "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)" → seconds since the epoch. An offset is required: an instant without one is
// ambiguous across WIB, WITA and WIT. The instant must fall in the years 1900 to 9998 (UTC), so that FormatInstant
// writes any instant read, at any offset, with a year of four digits that reads back.
std::optional<int64_t> ParseInstant(std::string_view text);

// Seconds since the epoch → "YYYY-MM-DDTHH:MM:SS+HH:MM" at `offset_minutes` east of UTC.
std::string FormatInstant(int64_t seconds, int offset_minutes);

// The UTC offset of a province, in minutes: WIB +07:00, WITA +08:00 or WIT +09:00 (by its two-digit code).
int ProvinceUtcOffsetMinutes(std::string_view province_code);

}  // namespace tepat
