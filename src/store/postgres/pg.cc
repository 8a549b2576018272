// The libpq layer.
#include "store/postgres/pg.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace tepat::store::pg {

namespace {

// The connection's address without its password: "postgresql://tepat@127.0.0.1:5432/tepat".
std::string Where(PGconn* conn) {
  std::string out = "postgresql://";
  out += PQuser(conn);
  out += "@";
  const char* host = PQhost(conn);
  out += host && *host ? host : "localhost";
  out += ":";
  out += PQport(conn);
  out += "/";
  out += PQdb(conn);
  return out;
}

}  // namespace

std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

int64_t Rows::Int(int row, int column) const {
  const char* text = PQgetvalue(result_.get(), row, column);
  int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_.get(), row, column), value);
  return value;
}

double Rows::Double(int row, int column) const { return std::strtod(PQgetvalue(result_.get(), row, column), nullptr); }

int64_t Rows::changed() const {
  const char* text = PQcmdTuples(result_.get());
  return text && *text ? std::strtoll(text, nullptr, 10) : 0;
}

Value::Value(double d) {
  // Shortest text that reads back as the same double.
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  text = std::string(buffer, ec == std::errc() ? end : buffer);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn) return StorageError("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(conn);
    return StorageError("cannot connect to PostgreSQL: " + message);
  }
  std::unique_ptr<Connection> out(new Connection(conn, Where(conn)));
  // Notices (CREATE TABLE IF NOT EXISTS, ...) are not errors and are not printed.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  RETURN_IF_ERROR(out->Exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'", "setting the connection up"));
  return out;
}

Connection::~Connection() { PQfinish(conn_); }

Error Connection::Failed(std::string_view doing, const PGresult* result) const {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return StorageError(std::string(doing) + " failed in " + where_ + ": " + message);
}

Status Connection::Usable(std::string_view doing) {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  if (in_transaction_) return Failed(doing);
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return Failed(doing);
  prepared_.clear();
  cursors_ = 0;
  ResultPtr setup(PQexec(conn_, "SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
  if (!setup || PQresultStatus(setup.get()) != PGRES_COMMAND_OK) return Failed(doing, setup.get());
  return {};
}

Status Connection::SendOne(const std::string& name, const char* sql, const std::vector<Value>& params,
                           std::string_view doing) {
  if (!name.empty() && !prepared_.count(name)) {
    if (PQsendPrepare(conn_, name.c_str(), sql, 0, nullptr) != 1) return Failed(doing);
    prepared_.insert(name);
    sent_.push_back({std::string(doing), name});
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Value& v : params) values.push_back(v.text ? v.text->c_str() : nullptr);
  const int n = static_cast<int>(values.size());
  const int sent = name.empty() ? PQsendQueryParams(conn_, sql, n, nullptr, values.data(), nullptr, nullptr, 0)
                                : PQsendQueryPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0);
  if (sent != 1) return Failed(doing);
  sent_.push_back({std::string(doing), {}});
  return {};
}

Status Connection::Send(const std::string& name, const char* sql, const std::vector<Value>& params,
                        std::string_view doing) {
  if (send_failed_) return *send_failed_;
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) {
    RETURN_IF_ERROR(Usable(doing));
    if (PQenterPipelineMode(conn_) != 1) return Failed(doing);
  }
  if (Status sent = SendOne(name, sql, params, doing); !sent.ok()) {
    send_failed_ = sent.error();
    return sent;
  }
  // The server answers each statement as it runs it; answers not read for long would fill the socket's buffers and
  // stop both sides, so a long run of writes is collected now and then.
  if (sent_.size() >= 1000) return Collect();
  return {};
}

Result<Rows> Connection::Sync() {
  std::optional<Error> failure = std::move(send_failed_);
  send_failed_.reset();
  ResultPtr last;
  bool lost = PQpipelineSync(conn_) != 1;
  if (lost && !failure) failure = Failed("sending statements");
  for (size_t i = 0; i < sent_.size() && !lost; ++i) {
    ResultPtr result(PQgetResult(conn_));
    if (!result) {
      if (!failure) failure = Failed(sent_[i].doing);
      lost = true;
      break;
    }
    while (PGresult* end = PQgetResult(conn_)) PQclear(end);  // a statement's results end with a null
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      if (!sent_[i].preparing.empty()) prepared_.erase(sent_[i].preparing);
      // Statements after a failure are skipped (PGRES_PIPELINE_ABORTED); the failure is the first.
      if (!failure) failure = Failed(sent_[i].doing, result.get());
    }
    last = std::move(result);
  }
  if (!lost) ResultPtr synced(PQgetResult(conn_));  // PGRES_PIPELINE_SYNC
  sent_.clear();
  if (PQexitPipelineMode(conn_) != 1 && !failure) failure = Failed("ending a pipeline");
  if (failure) return *failure;
  if (!last) return StorageError("no statement was sent in " + where_);
  return Rows(std::move(last));
}

Status Connection::Collect() {
  if (sent_.empty() && !send_failed_ && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return {};
  if (sent_.empty() && !send_failed_) {
    if (PQexitPipelineMode(conn_) != 1) return Failed("ending a pipeline");
    return {};
  }
  Result<Rows> synced = Sync();
  if (!synced.ok()) return synced.error();
  return {};
}

Status Connection::Exec(std::string_view sql, std::string_view doing) {
  RETURN_IF_ERROR(Collect());
  RETURN_IF_ERROR(Usable(doing));
  ResultPtr result(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failed(doing, result.get());
  return {};
}

Result<Rows> Connection::Query(const std::string& sql, const std::vector<Value>& params, std::string_view doing) {
  RETURN_IF_ERROR(Collect());
  RETURN_IF_ERROR(Usable(doing));
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Value& v : params) values.push_back(v.text ? v.text->c_str() : nullptr);
  ResultPtr result(
      PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failed(doing, result.get());
  return Rows(std::move(result));
}

Result<Rows> Connection::Prepared(const std::string& name, const char* sql, const std::vector<Value>& params,
                                  std::string_view doing) {
  if (!sent_.empty()) {  // travels with the statements sent before it: one round trip for all
    RETURN_IF_ERROR(Send(name, sql, params, doing));
    return Sync();
  }
  RETURN_IF_ERROR(Collect());
  RETURN_IF_ERROR(Usable(doing));
  if (!prepared_.count(name)) {
    ResultPtr made(PQprepare(conn_, name.c_str(), sql, 0, nullptr));
    if (!made || PQresultStatus(made.get()) != PGRES_COMMAND_OK) return Failed(doing, made.get());
    prepared_.insert(name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Value& v : params) values.push_back(v.text ? v.text->c_str() : nullptr);
  ResultPtr result(
      PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failed(doing, result.get());
  return Rows(std::move(result));
}

Status Connection::ForEachRow(const std::string& sql, const std::vector<Value>& params, std::string_view doing,
                              const std::function<Status(const Rows&, int)>& each) {
  RETURN_IF_ERROR(Collect());
  RETURN_IF_ERROR(Usable(doing));
  const bool own = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  if (own) RETURN_IF_ERROR(Exec("BEGIN", doing));
  const std::string cursor = "tepat_rows_" + std::to_string(++cursors_);
  Status outcome = [&]() -> Status {
    RETURN_IF_ERROR(Query("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + sql, params, doing));
    for (;;) {
      const Rows rows = TRY(Query("FETCH FORWARD 5000 FROM " + cursor, {}, doing));
      for (int i = 0; i < rows.size(); ++i) RETURN_IF_ERROR(each(rows, i));
      if (rows.size() < 5000) break;
    }
    return Exec("CLOSE " + cursor, doing);
  }();
  --cursors_;
  if (own) {
    Status ended = Exec(outcome.ok() ? "COMMIT" : "ROLLBACK", doing);
    if (outcome.ok()) outcome = std::move(ended);
  }
  return outcome;
}

Status Connection::Copy(const std::string& copy_sql, std::string_view data, std::string_view doing) {
  RETURN_IF_ERROR(Collect());
  RETURN_IF_ERROR(Usable(doing));
  ResultPtr start(PQexec(conn_, copy_sql.c_str()));
  if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) return Failed(doing, start.get());
  // In pieces of 1 MiB (stack.md: COPY through libpq reached 367 k rows/s so).
  constexpr size_t kPiece = 1 << 20;
  for (size_t at = 0; at < data.size(); at += kPiece) {
    const size_t n = std::min(kPiece, data.size() - at);
    if (PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) != 1) return Failed(doing);
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) return Failed(doing);
  Status outcome;
  while (PGresult* raw = PQgetResult(conn_)) {
    ResultPtr result(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && outcome.ok()) outcome = Failed(doing, raw);
  }
  return outcome;
}

Transaction::Transaction(Connection& conn) : conn_(conn) {
  begun_ = conn_.Send({}, "BEGIN", {}, "starting a transaction");
  open_ = begun_.ok();
  conn_.set_in_transaction(open_);
}

Transaction::~Transaction() {
  if (open_) {
    (void)conn_.Collect();
    (void)conn_.Exec("ROLLBACK", "rolling back");
  }
  conn_.set_in_transaction(false);
}

Status Transaction::Commit() {
  Status committed = conn_.Send({}, "COMMIT", {}, "committing");
  if (committed.ok()) committed = conn_.Collect();
  // A failure before the COMMIT leaves the transaction open and aborted: the destructor rolls it back.
  open_ = !committed.ok() && conn_.transaction_open();
  if (!open_) conn_.set_in_transaction(false);
  return committed;
}

std::string IntArray(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

void AppendCopyField(std::string& out, const Value& value, bool first) {
  if (!first) out += '\t';
  if (!value.text) {
    out += "\\N";
    return;
  }
  for (char c : *value.text) {
    const char* escaped = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : nullptr;
    if (escaped) {
      out += escaped;
    } else {
      out += c;
    }
  }
}

}  // namespace tepat::store::pg
