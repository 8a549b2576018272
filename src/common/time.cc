// Instants and dates.
#include "common/time.h"

#include <charconv>
#include <cstdio>

namespace tepat {

namespace {

bool Digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

// Howard Hinnant's days_from_civil.
int64_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<int64_t> ParseDate(std::string_view text) {
  int year, month, day;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, year) ||
      !Digits(text, 5, 2, month) || !Digits(text, 8, 2, day) || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  return DaysFromCivil(year, month, day);
}

std::optional<int64_t> ParseInstant(std::string_view text) {
  if (text.size() < 17 || text[10] != 'T' || text[13] != ':') return std::nullopt;
  std::optional<int64_t> days = ParseDate(text.substr(0, 10));
  int hour, minute, second = 0;
  if (!days || !Digits(text, 11, 2, hour) || !Digits(text, 14, 2, minute) || hour > 23 || minute > 59) {
    return std::nullopt;
  }
  size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!Digits(text, at + 1, 2, second) || second > 59) return std::nullopt;
    at += 3;
  }
  int offset = 0;
  if (at + 1 == text.size() && text[at] == 'Z') {
    offset = 0;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int oh, om;
    if (!Digits(text, at + 1, 2, oh) || !Digits(text, at + 4, 2, om) || oh > 14 || om > 59) return std::nullopt;
    offset = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const int64_t seconds = *days * 86400 + hour * 3600 + minute * 60 + second - offset * 60;
  // Within the years 1900 to 9998 in UTC: written at any offset, the year has four digits.
  static const int64_t kFirst = DaysFromCivil(1900, 1, 1) * 86400, kEnd = DaysFromCivil(9999, 1, 1) * 86400;
  if (seconds < kFirst || seconds >= kEnd) return std::nullopt;
  return seconds;
}

std::string FormatInstant(int64_t seconds, int offset_minutes) {
  int64_t local = seconds + offset_minutes * 60;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t rest = local - days * 86400;
  // Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2));
  const int sign = offset_minutes < 0 ? -1 : 1;
  const int off = offset_minutes * sign;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day,
                static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60),
                sign < 0 ? '-' : '+', off / 60, off % 60);
  return buffer;
}

int ProvinceUtcOffsetMinutes(std::string_view province_code) {
  int code = 0;
  std::from_chars(province_code.data(), province_code.data() + std::min<size_t>(2, province_code.size()), code);
  // WITA: Bali, NTB, NTT (51-53), Kalimantan Selatan, Timur, Utara (63-65), all of Sulawesi (71-76).
  if ((code >= 51 && code <= 53) || (code >= 63 && code <= 65) || (code >= 71 && code <= 76)) return 8 * 60;
  // WIT: Maluku, Maluku Utara (81, 82) and the Papua provinces (91-97).
  if (code >= 81) return 9 * 60;
  return 7 * 60;  // WIB: Sumatra, Java, Kalimantan Barat and Tengah.
}

std::string FormatDay(int64_t day) { return FormatInstant(day * 86400, 0).substr(0, 10); }

}  // namespace tepat
