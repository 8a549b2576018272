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
    case 501:
      return "not_implemented";
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
  if (path.find('\0') != std::string::npos || !IsValidUtf8(path)) return false;
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
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) return false;
    if (!key.empty()) query[key] = value;
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A Host value: a host name, an IPv4 address or a bracketed IPv6 address, and an optional port (RFC 3986 §3.2.2).
bool ValidHost(std::string_view host) {
  for (const char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("-._~:[]!$&'()*+,;=%").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The origin ("scheme://host[:port]", lower case, the scheme's default port left out) of an Origin or Referer
// value; "" when it has none.
std::string OriginOf(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return "";
  const std::string scheme = Lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return "";
  std::string_view authority = url.substr(colon + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return "";
  std::string host = Lower(authority);
  const std::string default_port = scheme == "https" ? ":443" : ":80";
  if (host.ends_with(default_port)) host.resize(host.size() - default_port.size());
  return scheme + "://" + host;
}

}  // namespace

Refusal CheckHead(const Request& req, int version) {
  int hosts = 0;
  std::string codings;
  bool content_length = false, coded = false;
  for (const auto& [name, value] : req.headers) {
    if (name == "host") {
      ++hosts;
      if (!ValidHost(value)) return {400, "the Host header is not a host name and port"};
    } else if (name == "transfer-encoding") {
      codings += (coded ? "," : "") + value;
      coded = true;
    } else if (name == "content-length") {
      content_length = true;
    }
  }
  if (hosts > 1) return {400, "the request has more than one Host header"};
  if (hosts == 0 && version >= 11) return {400, "an HTTP/1.1 request must have a Host header"};
  if (!coded) return {};
  if (content_length) return {400, "the request has both Content-Length and Transfer-Encoding"};
  if (version < 11) return {400, "Transfer-Encoding is not allowed in HTTP/1.0"};
  std::vector<std::string> list;
  for (size_t start = 0; start <= codings.size();) {
    size_t end = codings.find(',', start);
    if (end == std::string::npos) end = codings.size();
    list.push_back(Lower(Trim(std::string_view(codings).substr(start, end - start))));
    start = end + 1;
  }
  if (list.size() == 1 && list[0] == "chunked") return {};
  if (list.back() != "chunked" || std::count(list.begin(), list.end(), "chunked") > 1) {
    return {400, "Transfer-Encoding must end with chunked, once; the body's length cannot be known"};
  }
  return {400, "only the chunked transfer coding is accepted, alone"};
}

bool ChangesState(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

Refusal CheckOrigin(const Request& req, const std::vector<std::string>& allowed) {
  const std::string_view origin_header = req.Header("origin");
  const std::string_view referer = req.Header("referer");
  if (origin_header.empty() && referer.empty()) return {};
  const std::string origin = origin_header.empty() ? OriginOf(referer) : OriginOf(origin_header);
  const std::string said = origin_header.empty() ? "Referer" : "Origin";
  if (!origin.empty()) {
    const std::string own = Lower(req.Header("host"));
    const std::string host = origin.substr(origin.find("://") + 3);
    const std::string scheme = origin.substr(0, origin.find("://"));
    if (!own.empty() && (host == own || host + (scheme == "https" ? ":443" : ":80") == own)) return {};
    for (const std::string& entry : allowed) {
      if (OriginOf(entry) == origin) return {};
    }
  }
  return {403, "cross-site request refused: its " + said + " is not this server's origin nor an allowed one"};
}

Admission Admit(Request& req, int version, std::optional<uint64_t> content_length, const Router& router) {
  Admission a;
  if ((a.refusal = CheckHead(req, version))) return a;
  if (!ParseTarget(req.target, req.path, req.query)) {
    a.refusal = {400, "malformed request target"};
    return a;
  }
  a.match = router.Find(req.method, req.path, req.params);
  a.body_limit = a.match.route ? a.match.route->body_limit : kDefaultBodyLimit;
  if (content_length && *content_length > a.body_limit) a.refusal = {413, TooLarge(a.body_limit)};
  return a;
}

std::string TooLarge(size_t limit) {
  return "the request body is larger than the " + std::to_string(limit / 1024) + " KiB this route accepts";
}

Response Dispatch(const Admission& admitted, Request& req, const std::vector<std::string>& allowed_origins) {
  const Router::Match& match = admitted.match;
  if (!match.route) {
    return match.status == 405
               ? Response::Error(405, "method_not_allowed",
                                 req.method + " is not allowed on " + req.path + "; allowed: " + match.allow)
                     .With("Allow", match.allow)
               : Response::Error(404, "not_found", "there is nothing at " + req.path);
  }
  if (ChangesState(req.method)) {
    if (Refusal refused = CheckOrigin(req, allowed_origins)) {
      return Response::Error(refused.status, StatusCode(refused.status), refused.message);
    }
  }
  try {
    return match.route->handler(req);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tepat serve: %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
    return Response::Error(500, "internal", "the server failed to answer; the error is in its log");
  }
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
