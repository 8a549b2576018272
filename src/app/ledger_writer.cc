#include "app/ledger_writer.h"

#include <ctime>

namespace tepat::app {

namespace {

// Why a document was refused, on one line: the message and the first problem it lists.
std::string RefusalDetail(const Error& error) {
  std::string detail = error.message();
  if (!error.problems().empty()) {
    const Problem& p = error.problems().front();
    detail += ": " + (p.column.empty() ? "" : p.column + ": ") + p.reason;
    if (error.problem_count() > 1) detail += " (and " + std::to_string(error.problem_count() - 1) + " more)";
  }
  return detail;
}

}  // namespace

LedgerWriter::LedgerWriter(store::Store& store, Options options) : store_(store), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
  if (options_.max_batch == 0) options_.max_batch = 1;
}

void LedgerWriter::Stop() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queue_.empty() && !leading_; });
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LedgerWriter::Use(const ElectionData& data) {
  std::lock_guard lock(mutex_);
  external_[data.definition.id] = &data;
}

void LedgerWriter::StartThread() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return stopping_ || (!leading_ && !queue_.empty()); });
      if (stopping_) return;
      Lead(lock);
    }
  });
}

std::vector<Written> LedgerWriter::Write(std::vector<Submission> submissions) {
  Request request{std::move(submissions), {}, nullptr, false};
  std::unique_lock lock(mutex_);
  queue_.push_back(&request);
  changed_.notify_all();
  while (!request.finished) {
    if (!leading_) {
      Lead(lock);
    } else {
      changed_.wait(lock);
    }
  }
  return std::move(request.written);
}

void LedgerWriter::Submit(std::vector<Submission> submissions, std::function<void(std::vector<Written>)> done) {
  auto* request = new Request{std::move(submissions), {}, std::move(done), false};
  std::unique_lock lock(mutex_);
  queue_.push_back(request);
  changed_.notify_all();
  // Without a thread of the writer's own, the submitter leads when no one else does.
  if (!thread_.joinable() && !leading_) Lead(lock);
}

void LedgerWriter::Lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  // The group: requests from the front, as many as fit in one batch (at least one, however large).
  std::vector<Request*> group;
  size_t documents = 0;
  while (!queue_.empty() && (group.empty() || documents + queue_.front()->submissions.size() <= options_.max_batch)) {
    group.push_back(queue_.front());
    documents += queue_.front()->submissions.size();
    queue_.pop_front();
  }
  lock.unlock();
  WriteGroup(group);
  std::vector<Request*> callbacks;
  lock.lock();
  for (Request* r : group) {
    if (r->done) {
      callbacks.push_back(r);
    } else {
      r->finished = true;
    }
  }
  if (!callbacks.empty()) {
    // Still leading, so that Stop() waits for them too.
    lock.unlock();
    for (Request* r : callbacks) {
      r->done(std::move(r->written));
      delete r;
    }
    lock.lock();
  }
  leading_ = false;
  changed_.notify_all();
}

void LedgerWriter::WriteGroup(const std::vector<Request*>& group) {
  // The documents in the order they came, each with where its outcome goes.
  struct Slot {
    Request* request;
    size_t index;
  };
  std::vector<Slot> slots;
  for (Request* r : group) {
    r->written.assign(r->submissions.size(), Written(store::PostOutcome{}));
    for (size_t i = 0; i < r->submissions.size(); ++i) slots.push_back({r, i});
  }
  // Each run of consecutive documents of one election: those the submitter may post go to the ledger in one
  // transaction, with the audit entries of those it may not.
  for (size_t begin = 0; begin < slots.size();) {
    const std::string election = slots[begin].request->submissions[slots[begin].index].document.election;
    size_t end = begin;
    while (end < slots.size() && slots[end].request->submissions[slots[end].index].document.election == election) {
      ++end;
    }
    std::vector<ledger::Document> documents;
    std::vector<std::string> where;
    std::vector<const Submission*> posted;  // the submissions of `documents` (which were moved out of them)
    // Refusals for want of rights, decided here and written in the same transaction as the batch, after its
    // documents.
    std::vector<std::optional<store::PostOutcome>> denied(end - begin);
    std::vector<access::AuditEntry> refusals;
    for (size_t k = begin; k < end; ++k) {
      Submission& s = slots[k].request->submissions[slots[k].index];
      if (Status allowed = access::MayPost(s.who, s.document); !allowed.ok()) {
        store::PostOutcome& refused = denied[k - begin].emplace();
        refused.kind = store::PostOutcome::Kind::kRefused;
        refused.error = allowed.error();
        refusals.push_back(*AuditOf(s, s.document, refused));
        continue;
      }
      documents.push_back(std::move(s.document));
      where.push_back(s.where);
      posted.push_back(&s);
    }
    Result<std::vector<store::PostOutcome>> outcomes = std::vector<store::PostOutcome>();
    Result<store::LedgerSession*> session = SessionOf(election);
    if (!session.ok()) {
      outcomes = session.error();
    } else {
      outcomes = session.value()->Post(
          documents, where,
          [&](size_t i, const store::PostOutcome& outcome) -> std::optional<access::AuditEntry> {
            return AuditOf(*posted[i], documents[i], outcome);
          },
          refusals);
    }
    size_t next = 0;
    for (size_t k = begin; k < end; ++k) {
      Written& out = slots[k].request->written[slots[k].index];
      if (!outcomes.ok()) {
        out = outcomes.error();
      } else if (denied[k - begin]) {
        out = std::move(*denied[k - begin]);
      } else {
        out = std::move(outcomes.value()[next++]);
      }
    }
    begin = end;
  }
}

Result<store::LedgerSession*> LedgerWriter::SessionOf(const std::string& election) {
  auto& session = sessions_[election];
  if (session) return session.get();
  const ElectionData* data = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (auto it = external_.find(election); it != external_.end()) data = it->second;
  }
  if (!data) {
    std::unique_ptr<ElectionData>& owned = owned_[election];
    if (!owned) {
      Result<std::unique_ptr<ElectionData>> loaded = LoadElectionData(store_, election);
      if (!loaded.ok()) {
        owned_.erase(election);
        sessions_.erase(election);
        return Error(loaded.error().kind(), "election: " + loaded.error().message());
      }
      owned = std::move(loaded).value();
    }
    data = owned.get();
  }
  Result<std::unique_ptr<store::LedgerSession>> opened = store_.OpenLedger(data->catalog);
  if (!opened.ok()) {
    sessions_.erase(election);
    return opened.error();
  }
  session = std::move(opened).value();
  return session.get();
}

std::optional<access::AuditEntry> LedgerWriter::AuditOf(const Submission& s, const ledger::Document& doc,
                                                        const store::PostOutcome& outcome) const {
  access::AuditEntry entry{0,
                           options_.clock(),
                           s.who.username,
                           s.address,
                           "document.post",
                           doc.id,
                           access::RegionOfNode(doc.node).value_or(""),
                           "ok",
                           std::string(ledger::DocKindName(doc.kind))};
  switch (outcome.kind) {
    case store::PostOutcome::Kind::kPosted:
      break;
    case store::PostOutcome::Kind::kReplayed:
      return std::nullopt;  // nothing changed
    case store::PostOutcome::Kind::kRefused:
      entry.outcome = "refused";
      entry.detail = outcome.error ? RefusalDetail(*outcome.error) : "refused";
      break;
  }
  return entry;
}

}  // namespace tepat::app
