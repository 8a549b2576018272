// RAII helpers over the sqlite3 C API, shared by the SQLite backend's files.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace tepat::store {

// A prepared statement that finalizes itself.
class Statement {
 public:
  // Parameters are ?, ?N or $N; a numbered one must be the Nth of the statement (so that Bind(N, ...) binds it), which
  // holds when they first appear in order: "$1 ... $2 ... $1". A statement where they do not fails to prepare, unless
  // `by_name` says its caller binds them by name (sqlite3_bind_parameter_index).
  Statement(sqlite3* db, const std::string& sql, bool by_name = false) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
    for (int i = 1; !by_name && rc_ == SQLITE_OK && i <= sqlite3_bind_parameter_count(stmt_); ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt_, i);
      if (name && std::atoi(name + 1) != i) rc_ = SQLITE_MISUSE;
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int at, int64_t value) { sqlite3_bind_int64(stmt_, at, value); }
  void Bind(int at, std::string_view value) {
    sqlite3_bind_text(stmt_, at, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void BindStatic(int at, std::string_view value) {
    sqlite3_bind_text(stmt_, at, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  }
  void BindNull(int at) { sqlite3_bind_null(stmt_, at); }
  void BindDouble(int at, double value) { sqlite3_bind_double(stmt_, at, value); }
  // Steps once; true when a row is available.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t Int(int column) { return sqlite3_column_int64(stmt_, column); }
  bool Null(int column) { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  double Double(int column) { return sqlite3_column_double(stmt_, column); }
  std::string Text(int column) {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// Begins a write transaction that rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {
    ok_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~Transaction() {
    if (ok_ && !done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool ok() const { return ok_; }
  bool Commit() {
    done_ = true;
    return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  sqlite3* db_;
  bool ok_ = false;
  bool done_ = false;
};

}  // namespace tepat::store
