// The one door every document takes into the ledger, from `tepat ledger import`, `scenario play`, `tepat serve` and
// every later writer: authorise the document for who offers it (access::MayPost), plan and write it through the
// store's ledger session, and record it in the audit trail in the same transaction. Writers queue, and whoever leads
// the queue merges it into one durable transaction (group commit, as LevelDB's DBImpl::Write does): each waiter gets
// its own outcome. docs/decisions/0011-one-ledger-writer.md tells why and what it replaced.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "access/access.h"
#include "app/app.h"
#include "common/result.h"
#include "ledger/document.h"
#include "store/store.h"

namespace tepat::app {

// Seconds since the epoch: the time audit entries are stamped with. Injected, so that a test or TEPAT_NOW decides.
using Clock = std::function<int64_t()>;

// A document offered to the ledger, with who offers it.
struct Submission {
  ledger::Document document;
  std::string where;      // where it came from, for messages: "body", "scenario.ndjson:12"
  access::Principal who;  // whose rights it is posted with
  std::string address;    // the client's address for the audit trail; "cli" for the command line
};

// What became of a submission: posted, replayed or refused (PostOutcome), or the storage error that rolled back the
// transaction it was part of.
using Written = Result<store::PostOutcome>;

class LedgerWriter {
 public:
  struct Options {
    size_t max_batch = 8192;  // documents merged into one transaction at most
    Clock clock;              // for the audit entries; std::time when empty
  };
  // Writes through `store`, which the writer then uses alone (the server gives it a connection of its own).
  LedgerWriter(store::Store& store, Options options);
  ~LedgerWriter() { Stop(); }
  LedgerWriter(const LedgerWriter&) = delete;
  LedgerWriter& operator=(const LedgerWriter&) = delete;

  // Uses already loaded data for its election (it must outlive the writer); otherwise an election's data is loaded
  // from the store the first time one of its documents comes.
  void Use(const ElectionData& data);
  // Starts a thread of the writer's own that leads the queue, so that Submit never blocks its caller (the server's
  // I/O thread). Without it, whoever submits leads when no one else does.
  void StartThread();

  // Writes `submissions` in order, with whatever other callers queued meanwhile, and returns once they are durable.
  std::vector<Written> Write(std::vector<Submission> submissions);
  // Waits until everything queued is written and its callbacks called, then ends the writer's thread, if any.
  void Stop();
  // The same, calling `done` with the outcomes once they are durable: on the writer's thread after StartThread(),
  // otherwise possibly before Submit returns.
  void Submit(std::vector<Submission> submissions, std::function<void(std::vector<Written>)> done);

 private:
  struct Request {
    std::vector<Submission> submissions;
    std::vector<Written> written;
    std::function<void(std::vector<Written>)> done;  // empty for a waiting Write
    bool finished = false;
  };
  // Takes requests from the front of the queue, writes them, finishes them; called with `lock` held and leading_
  // false, returns with it held.
  void Lead(std::unique_lock<std::mutex>& lock);
  // Writes a group of requests: consecutive documents of one election in one transaction each.
  void WriteGroup(const std::vector<Request*>& group);
  // The ledger session of an election, opened (and its data loaded) on first use.
  Result<store::LedgerSession*> SessionOf(const std::string& election);
  // The audit entry of the outcome of `doc`, submitted as `s`; none for a replay, which changed nothing.
  std::optional<access::AuditEntry> AuditOf(const Submission& s, const ledger::Document& doc,
                                            const store::PostOutcome& outcome) const;

  store::Store& store_;
  Options options_;
  std::map<std::string, const ElectionData*> external_;
  std::map<std::string, std::unique_ptr<ElectionData>> owned_;
  std::map<std::string, std::unique_ptr<store::LedgerSession>> sessions_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Request*> queue_;
  bool leading_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tepat::app
