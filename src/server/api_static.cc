// The web application's files (static_dir): only regular files that resolve, symbolic links followed, inside
// static_dir, and never the database's files; the application's page for its own paths; ETag and caching.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include "server/api.h"

namespace tepat::server {

namespace {

namespace fs = std::filesystem;

std::string_view MimeType(std::string_view path) {
  const size_t dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

// A file's identity, found with stat (no descriptor is opened).
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileId&) const = default;
};

// The web application's path (after the router's decoding) as a relative path of plain names, or "" when it is not
// one: empty segments (an absolute path, "//"), "." and "..", backslashes and control characters are refused.
std::string RelativeWebPath(std::string_view path) {
  if (path.empty()) return "index.html";
  if (path.size() > 1024) return "";
  for (size_t start = 0; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return "";
    start = end + 1;
  }
  for (const char c : path) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
  }
  return std::string(path);
}

// Whether `path` can be one of the web application's own paths (/pemilu-2024/tps/35.78.01.1001.001): segments of
// letters, digits, '.', '-' and '_', none starting with a dot.
bool AppPath(std::string_view path) {
  bool segment_start = true;
  for (const char c : path) {
    if (c == '/') {
      segment_start = true;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && (c != '.' || segment_start)) {
      return false;
    }
    segment_start = false;
  }
  return true;
}

// The real path of `relative` under `root`, or nothing when it does not exist or is not a regular file there.
std::optional<fs::path> Resolve(const fs::path& root, const std::string& relative) {
  std::error_code ec;
  fs::path real = fs::canonical(root / relative, ec);
  if (ec) return std::nullopt;
  const std::string text = real.string(), prefix = root.string() + "/";
  if (!text.starts_with(prefix) || !fs::is_regular_file(real, ec)) return std::nullopt;
  return real;
}

// The file a request for `path` (relative, under `root`) gets, with `path` changed to the one served: the file
// itself, or the web application's page for a path of the application's own; nothing for anything else.
std::optional<fs::path> FileFor(const fs::path& root, std::string& path, std::string_view request_path) {
  if (std::optional<fs::path> file = Resolve(root, path)) return file;
  // The web application routes its own paths: anything else that is not an API path gets its page.
  // A file name's extension has letters (.js, .css, .png); the application's own paths end in region and TPS
  // codes (/pemilu-2024/tps/35.78.01.1001.001), whose "extensions" are digits. A path that exists but resolves
  // outside static_dir is no page of the application's.
  const std::string extension = fs::path(path).extension().string();
  const bool file_like = std::any_of(extension.begin(), extension.end(), [](char c) { return std::isalpha(c); });
  std::error_code ec;
  if (request_path.starts_with("/api/") || path.starts_with("assets/") || file_like || !AppPath(path) ||
      fs::exists(fs::symlink_status(root / path, ec))) {
    return std::nullopt;
  }
  path = "index.html";
  return Resolve(root, path);
}

// The content of `file`, the one checked as `checked` and no other: not through a link put in its place since, and
// not a device or pipe; nothing otherwise.
std::optional<std::string> ReadChecked(const fs::path& file, const FileId& checked) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  struct stat opened {};
  std::string content;
  const bool same =
      ::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) && FileId{opened.st_dev, opened.st_ino} == checked;
  if (same) {
    content.resize(static_cast<size_t>(opened.st_size));
    size_t got = 0;
    while (got < content.size()) {
      const ssize_t n = ::read(fd, content.data() + got, content.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    content.resize(got);
  }
  ::close(fd);
  if (!same) return std::nullopt;
  return content;
}

}  // namespace

// Serves only regular files that resolve, symbolic links followed, inside static_dir, and never the database's
// files; anything else is 404. Unknown paths of the web application's own (no file extension) get its page.
Response Api::Static(Request& req) {
  const Response missing = Response::Error(404, "not_found", "there is nothing at " + req.path);
  std::string path = RelativeWebPath(req.params["path"]);
  if (path.empty()) return missing;
  std::error_code ec;
  const fs::path root = fs::canonical(options_.static_dir, ec);
  if (ec) return missing;
  const std::optional<fs::path> file = FileFor(root, path, req.path);
  if (!file) return missing;
  struct stat info {};
  if (::stat(file->c_str(), &info) != 0) return missing;
  for (const std::string& never : options_.never_serve) {
    struct stat other {};
    if (::stat(never.c_str(), &other) == 0 && FileId{info.st_dev, info.st_ino} == FileId{other.st_dev, other.st_ino}) {
      return missing;
    }
  }
  const std::string etag = "\"" + std::to_string(info.st_size) + "-" + std::to_string(info.st_mtime) + "\"";
  // Built assets carry a content hash in their names and never change; the page itself is checked every time.
  const std::string cache = path.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  if (req.Header("if-none-match") == etag) {
    Response r = Response::Json(304, "");
    r.content_type = std::string(MimeType(file->string()));
    return r.With("ETag", etag).With("Cache-Control", cache);
  }
  std::optional<std::string> content = ReadChecked(*file, FileId{info.st_dev, info.st_ino});
  if (!content) return missing;
  Response r = Response::Json(200, std::move(*content));
  r.content_type = std::string(MimeType(file->string()));
  // The application loads nothing from elsewhere; the policy says so, and no other site may frame it.
  return r.With("ETag", etag)
      .With("Cache-Control", cache)
      .With("X-Content-Type-Options", "nosniff")
      .With("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
      .With("Referrer-Policy", "same-origin");
}

}  // namespace tepat::server
