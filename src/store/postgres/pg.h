// A thin layer over libpq: a connection, query results read by row and column, parameters sent as text, statements
// sent ahead in pipeline mode, COPY FROM STDIN in text format, and a transaction that rolls back unless committed.
// Errors carry PostgreSQL's message.
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
  // A statement whose rows are not needed (a write): sent at once in libpq's pipeline mode, without waiting for the
  // server, so that the writes of a batch cost no round trips of their own. They run in order, before any later
  // statement on this connection; the next call other than Send returns the first failure among them (and a read
  // through Prepared travels with them, in the same round trip). `name` prepares the statement once per connection;
  // an empty name sends `sql` as it is (BEGIN, COMMIT).
  Status Send(const std::string& name, const char* sql, const std::vector<Value>& params, std::string_view doing);
  // Waits for the statements sent; the first failure among them.
  Status Collect();
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
  // Whether the server holds a transaction open on it (failed or not).
  bool transaction_open() const {
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
  }

 private:
  Connection(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  Error Failed(std::string_view doing, const PGresult* result = nullptr) const;
  // A connection the server broke (a restart, a failover, the network) is made again before the next statement,
  // but never inside a transaction: that one fails, and what follows it starts afresh.
  Status Usable(std::string_view doing);
  // Sends a prepared statement (preparing it first) or, without a name, `sql` with its parameters.
  Status SendOne(const std::string& name, const char* sql, const std::vector<Value>& params, std::string_view doing);
  // Ends the pipeline: waits for every statement sent, the first failure among them or the last one's rows.
  Result<Rows> Sync();
  struct Sent {
    std::string doing;
    std::string preparing;  // the name of a statement being prepared, forgotten unless that succeeds
  };
  PGconn* conn_;
  std::string where_;
  std::unordered_set<std::string> prepared_;
  std::vector<Sent> sent_;  // statements sent in pipeline mode, not yet answered
  std::optional<Error> send_failed_;
  int cursors_ = 0;  // cursors open, for unique names when one reading runs inside another
  bool in_transaction_ = false;
};

// BEGIN (sent ahead, with the transaction's first statement); ROLLBACK when destroyed without Commit().
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
