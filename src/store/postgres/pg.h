// A thin layer over libpq: a connection, query results read by row and column, parameters sent as text, COPY FROM
// STDIN in text format, and a transaction that rolls back unless committed. Errors carry PostgreSQL's message.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/result.h"

namespace tepat::store::pg {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// The rows of one query.
class Rows {
 public:
  explicit Rows(ResultPtr result) : result_(std::move(result)) {}
  int size() const { return PQntuples(result_.get()); }
  bool Null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  double Double(int row, int column) const;
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t changed() const;

 private:
  ResultPtr result_;
};

// A query parameter, sent as text; NULL when empty.
struct Value {
  std::optional<std::string> text;
  Value() = default;
  Value(std::nullopt_t) {}
  Value(std::string_view s) : text(std::string(s)) {}
  Value(const std::string& s) : text(s) {}
  Value(const char* s) : text(std::string(s)) {}
  Value(int64_t n) : text(std::to_string(n)) {}
  Value(int n) : text(std::to_string(n)) {}
  Value(double d);
};

class Connection {
 public:
  // Connects to `url` (postgresql://USER@HOST:PORT/DB, or any libpq connection string).
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  ~Connection();

  // One or more statements without parameters.
  Status Exec(std::string_view sql, std::string_view doing);
  // One statement with parameters $1, $2, ...
  Result<Rows> Query(const std::string& sql, const std::vector<Value>& params, std::string_view doing);
  // The same, prepared once per connection under `name` and executed after (the statements a posting session runs
  // for every document).
  Result<Rows> Prepared(const std::string& name, const char* sql, const std::vector<Value>& params,
                        std::string_view doing);
  // One query whose rows are handed to `each` (the rows and the row's index) a few thousand at a time, through a
  // cursor, so that reading the national ledger does not hold it all in memory and `each` may run other queries on
  // this connection (but not commit: the cursor lives in the transaction, its own when none is open). An error from
  // `each` stops the reading.
  Status ForEachRow(const std::string& sql, const std::vector<Value>& params, std::string_view doing,
                    const std::function<Status(const Rows&, int)>& each);
  // COPY ... FROM STDIN with `data` in COPY's text format (see AppendCopyField).
  Status Copy(const std::string& copy_sql, std::string_view data, std::string_view doing);

  // Where this connection goes, without a password, for messages.
  const std::string& where() const { return where_; }
  // Whether a tepat Transaction is open on it (set by Transaction).
  void set_in_transaction(bool open) { in_transaction_ = open; }

 private:
  Connection(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  Error Failed(std::string_view doing, const PGresult* result = nullptr) const;
  // A connection the server broke (a restart, a failover, the network) is made again before the next statement,
  // but never inside a transaction: that one fails, and what follows it starts afresh.
  Status Usable(std::string_view doing);
  PGconn* conn_;
  std::string where_;
  std::unordered_set<std::string> prepared_;
  int cursors_ = 0;
  bool in_transaction_ = false;  // cursors open, for unique names when one reading runs inside another
};

// BEGIN now; ROLLBACK when destroyed without Commit().
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  const Status& status() const { return begun_; }
  Status Commit();

 private:
  Connection& conn_;
  Status begun_;
  bool open_ = false;
};

// A PostgreSQL array literal of numbers or of texts ({1,2,3}, {"a","b\"c"}), to send many rows in one parameter
// (INSERT ... SELECT * FROM unnest($1::bigint[], ...)).
std::string IntArray(const std::vector<int64_t>& values);
std::string TextArray(const std::vector<std::string>& values);

// Appends a field in COPY's text format: a tab before it unless first, \N for NULL, backslash escapes.
void AppendCopyField(std::string& out, const Value& value, bool first = false);

}  // namespace tepat::store::pg
