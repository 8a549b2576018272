// Requests, responses, routing and metrics: the parts of the server that do not touch sockets.
#include "server/http.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "common/text.h"

namespace tepat::server {

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Decode(std::string_view text, bool plus_is_space, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        return false;
      }
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

std::string Request::Cookie(std::string_view name) const {
  std::string_view cookies = Header("cookie");
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return "";
}

std::string Request::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

std::string_view StatusCode(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 422:
      return "unprocessable";
    case 429:
      return "too_many_requests";
    case 431:
      return "headers_too_large";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "error";
  }
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::Error(int status, std::string_view code, std::string_view message, std::string details) {
  std::string body = "{\"error\":{\"code\":";
  AppendJsonString(body, code);
  body += ",\"message\":";
  AppendJsonString(body, message);
  body += ",\"details\":" + (details.empty() ? std::string("null") : details) + "}}";
  return Json(status, std::move(body));
}

Response& Response::With(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

void Router::Add(std::string method, std::string pattern, Handler handler, size_t body_limit) {
  std::string name = pattern;
  routes_.push_back({std::move(method), std::move(pattern), std::move(name), body_limit, std::move(handler)});
}

Router::Match Router::Find(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>& params) const {
  Match match;
  if (path.empty() || path[0] != '/') return match;
  const std::vector<std::string_view> segments = Segments(path);
  for (const Route& route : routes_) {
    const std::vector<std::string_view> pattern = Segments(route.pattern);
    const bool wildcard = !pattern.empty() && pattern.back().starts_with("{*");
    const size_t fixed = wildcard ? pattern.size() - 1 : pattern.size();
    if (wildcard ? segments.size() < fixed : segments.size() != fixed) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < fixed && ok; ++i) {
      const std::string_view p = pattern[i];
      if (p.starts_with("{") && p.ends_with("}")) {
        ok = !segments[i].empty();
        found[std::string(p.substr(1, p.size() - 2))] = std::string(segments[i]);
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    if (wildcard) {
      std::string rest;
      for (size_t k = fixed; k < segments.size(); ++k) {
        rest += k > fixed ? "/" : "";
        rest += std::string(segments[k]);
      }
      found[std::string(pattern.back().substr(2, pattern.back().size() - 3))] = rest;
    }
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      match.route = &route;
      match.status = 200;
      params = std::move(found);
      return match;
    }
    match.status = 405;
    if (match.allow.find(route.method) == std::string::npos) {
      match.allow += (match.allow.empty() ? "" : ", ") + route.method;
    }
  }
  return match;
}

bool ParseTarget(std::string_view target, std::string& path, std::map<std::string, std::string>& query) {
  const size_t q = target.find('?');
  if (!Decode(target.substr(0, q), false, path) || path.empty() || path[0] != '/') return false;
  if (path.find('\0') != std::string::npos) return false;
  query.clear();
  if (q == std::string_view::npos) return true;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!Decode(pair.substr(0, eq), true, key)) return false;
    if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), true, value)) return false;
    if (!key.empty()) query[key] = value;
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

void Metrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  Series& s = series_[{route, method, status}];
  ++s.count;
  s.sum += seconds;
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    if (seconds <= kBuckets[b]) ++s.buckets[b];
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::string type, std::function<double()> value) {
  std::lock_guard lock(mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(type), std::move(value)});
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return std::string(text);
  };
  auto labels = [](const std::tuple<std::string, std::string, int>& key) {
    return "route=\"" + std::get<0>(key) + "\",method=\"" + std::get<1>(key) + "\",status=\"" +
           std::to_string(std::get<2>(key)) + "\"";
  };
  out += "# HELP tepat_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE tepat_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    out += "tepat_http_requests_total{" + labels(key) + "} " + std::to_string(s.count) + "\n";
  }
  out +=
      "# HELP tepat_http_request_duration_seconds Time from a request's headers read to its answer ready, body reading "
      "included.\n";
  out += "# TYPE tepat_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      out += "tepat_http_request_duration_seconds_bucket{" + labels(key) + ",le=\"" + number(kBuckets[b]) + "\"} " +
             std::to_string(s.buckets[b]) + "\n";
    }
    out +=
        "tepat_http_request_duration_seconds_bucket{" + labels(key) + ",le=\"+Inf\"} " + std::to_string(s.count) + "\n";
    out += "tepat_http_request_duration_seconds_sum{" + labels(key) + "} " + number(s.sum) + "\n";
    out += "tepat_http_request_duration_seconds_count{" + labels(key) + "} " + std::to_string(s.count) + "\n";
  }
  for (const Gauge& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
    out += g.name + " " + number(g.value()) + "\n";
  }
  return out;
}

}  // namespace tepat::server
