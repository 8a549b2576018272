// The ledger over HTTP: its head and last verification, verifying it (admins), posting and reversing documents (through
// the ledger writer, answered on the I/O thread, which holds the boards), reading a document, a node's documents and a
// kit, and the audit trail; and how readiness follows what this server and others post (Settle, Changed, Follow).
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "app/verify.h"
#include "ledger/document.h"
#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::ClockField;
using internal::Forbidden;
using internal::ForgetAnswer;
using internal::FromError;
using internal::KitJson;
using internal::StoredFields;
using internal::Wib;

namespace {

// Whether `who` may read a document: admins all; kpu and bawaslu when a node it names lies in their scope; a vendor
// when it is the vendor's own: its deliveries, their receipts, and goods receipts and requests naming it.
bool MayReadDocument(const access::Principal& who, const ledger::Document& doc) {
  if (who.role == access::Role::kVendor) {
    return doc.node == who.scope || doc.vendor == who.scope || doc.from == who.scope;
  }
  for (const std::string* node : {&doc.node, &doc.to, &doc.from}) {
    if (node->empty()) continue;
    const auto region = access::RegionOfNode(*node);
    if (region && access::MayReadDetailsOf(who, *region)) return true;
  }
  return who.role == access::Role::kAdmin;
}

}  // namespace

Response Api::LedgerStatus(Request& req) {
  const access::Principal who = WHO(req, true);
  LoadedElection* e = ELECTION(req);
  auto head = store_.Head();
  if (!head.ok()) return FromError(head.error());
  // The last `tepat ledger verify` is in the audit trail; the public does not see who ran it.
  auto verified = store_.ReadAudit(false, "", "ledger.verify", 0, 1);
  if (!verified.ok()) return FromError(verified.error());
  json::Builder out;
  out.StartObject().String("election", e->data->definition.id);
  ClockField(out, "at", e->clock);
  if (head.value().seq) {
    out.StartObject("head").Int("seq", head.value().seq).String("hash", head.value().hash).EndObject();
  } else {
    out.Null("head");
  }
  out.Int("documents_posted_here", documents_posted_.load());
  if (verified.value().empty()) {
    out.Null("last_verification");
  } else {
    const access::AuditEntry& v = verified.value()[0];
    out.StartObject("last_verification").String("at", Wib(v.at)).String("outcome", v.outcome);
    out.String("head", v.target).String("detail", v.detail);
    if (who.role != access::Role::kPublic) out.String("actor", v.actor);
    out.EndObject();
  }
  return Response::Json(200, out.EndObject().Take());
}

// Starts `tepat ledger verify` on a thread of its own and a store connection of its own, one at a time (admins only):
// it reads the whole ledger, a minute and a half nationally. Its outcome goes to the audit trail as the command line's
// does, with the admin as its actor, where GET .../ledger shows the last verification.
Response Api::VerifyLedger(Request& req) {
  const access::Principal who = WHO(req, false);
  if (who.role != access::Role::kAdmin) return Forbidden("verifying the ledger is for admins");
  if (!options_.open_store) return Response::Error(503, "unavailable", "this server cannot verify the ledger");
  if (verifying_.exchange(true)) return Response::Error(409, "conflict", "a verification of the ledger is running");
  if (verification_.joinable()) verification_.join();
  verification_ = std::thread([this, actor = who.username, address = req.remote] {
    access::AuditEntry entry{0, 0, actor, address, "ledger.verify", "(unknown)", "", "failed", ""};
    Result<std::unique_ptr<store::Store>> store = options_.open_store();
    if (store.ok()) {
      const Result<store::LedgerHead> head = store.value()->Head();
      if (head.ok())
        entry.target = head.value().seq ? "#" + std::to_string(head.value().seq) + " " + head.value().hash : "(empty)";
      const Result<std::string> verified =
          head.ok() ? app::VerifyLedger(*store.value()) : Result<std::string>(head.error());
      entry.outcome = verified.ok() ? "ok" : "failed";
      entry.detail = verified.ok() ? verified.value() : verified.error().message();
      entry.at = options_.clock();
      if (Status written = store.value()->AppendAudit(entry); !written.ok()) {
        std::fprintf(stderr, "tepat serve: ledger verify: %s\n", written.error().message().c_str());
      }
    } else {
      std::fprintf(stderr, "tepat serve: ledger verify: %s\n", store.error().message().c_str());
    }
    verifying_ = false;
  });
  json::Builder out;
  out.StartObject().String("status", "started").String("follow", "/api/v1/elections/{election}/ledger");
  return Response::Json(202, out.EndObject().Take());
}

Response Api::PostDocument(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  Result<ledger::Document> parsed = ledger::ParseDocument("body", req.body);
  if (!parsed.ok()) {
    Record(who, req, "document.post", "", "", "refused", parsed.error().message());
    return FromError(parsed.error());
  }
  ledger::Document doc = std::move(parsed).value();
  const std::string region = access::RegionOfNode(doc.node).value_or("");
  if (doc.election != e->data->definition.id) {
    Record(who, req, "document.post", doc.id, region, "refused", "posted to election " + e->data->definition.id);
    return Response::Error(422, "unprocessable",
                           "election: the document is for " + doc.election + ", posted to " + e->data->definition.id);
  }
  // The writer authorises, posts and audits it with whatever else is queued, in one durable transaction; the answer
  // is given on the I/O thread, which holds the board.
  Response r;
  r.later = [this, e, submission = app::Submission{std::move(doc), "body", who, req.remote}](
                std::function<void(Response)> done) mutable {
    const std::string id = submission.document.id;
    const int64_t at = submission.document.at_seconds;
    writer_.Submit({std::move(submission)},
                   [this, e, id, at, done = std::move(done)](std::vector<app::Written> written) mutable {
                     auto answer = [this, e, id, at, done = std::move(done), result = std::move(written[0])] {
                       done(Settle(*e, id, at, result));
                     };
                     if (run_on_io_) {
                       run_on_io_(std::move(answer));
                     } else {
                       answer();
                     }
                   });
  };
  return r;
}

Response Api::Settle(LoadedElection& e, const std::string& id, int64_t at, const app::Written& result) {
  if (!result.ok()) return FromError(result.error());
  const store::PostOutcome& outcome = result.value();
  if (outcome.kind == store::PostOutcome::Kind::kRefused) return FromError(*outcome.error);
  const bool posted = outcome.kind == store::PostOutcome::Kind::kPosted;
  if (posted) {
    ++documents_posted_;
    Changed(e, outcome.states, outcome.states_seq, at);
  }
  json::Builder out;
  out.StartObject().String("id", id).String("status", posted ? "posted" : "replayed").Int("seq", outcome.seq);
  return Response::Json(posted ? 201 : 200, out.String("hash", outcome.hash).EndObject().Take());
}

void Api::Changed(LoadedElection& e, const std::vector<std::pair<std::string, readiness::TpsState>>& states,
                  int64_t seq, int64_t clock) {
  e.clock = std::max(e.clock, clock);
  ++e.revision;
  auto& dirty = dirty_[e.data->definition.id];
  dirty.insert("");
  if (!states.empty()) ForgetAnswer(e, -1);
  for (const auto& [tps, state] : states) {
    // What this server posted comes back through the follower: the same state, already held.
    if (seq != 0 && e.board->SeqOf(tps) >= seq) continue;
    if (Status loaded = e.board->Load(tps, state, seq); !loaded.ok()) {
      std::fprintf(stderr, "tepat serve: %s\n", loaded.error().message().c_str());
      continue;
    }
    for (geo::Level level :
         {geo::Level::kProvince, geo::Level::kRegency, geo::Level::kDistrict, geo::Level::kVillage}) {
      const std::string code(geo::AncestorCode(tps, level));
      ForgetAnswer(e, e.data->regions.Find(code));
      dirty.insert(code);
    }
  }
}

void Api::Follow(const std::string& election, const std::vector<FollowedState>& states, int64_t clock) {
  LoadedElection* e = FindElection(election);
  if (!e) return;
  for (const FollowedState& f : states) Changed(*e, {{f.tps, f.state}}, f.seq, clock);
  if (states.empty() && clock > e->clock) Changed(*e, {}, 0, clock);
}

// A document with its movements. Whoever may not read every document gets the same 403 for a document outside their
// scope as for one that does not exist, so that the answer does not tell which ids exist.
Response Api::GetDocument(Request& req) {
  const access::Principal who = WHO(req, false);
  const bool everything = access::MayReadDetailsOf(who, "");  // admins and national officers
  const Response outside =
      Forbidden("document " + req.params["id"] + " is not one that " + who.username + " may read, or does not exist");
  auto stored = store_.FindDocument(req.params["id"]);
  if (!stored.ok())
    return stored.error().kind() == ErrorKind::kNotFound && !everything ? outside : FromError(stored.error());
  auto doc = ledger::ParseDocument("ledger", stored.value().body);
  if (!doc.ok()) return FromError(doc.error());
  if (!MayReadDocument(who, doc.value())) return outside;
  auto movements = store_.MovementsOf(req.params["id"]);
  if (!movements.ok()) return FromError(movements.error());
  json::Builder out;
  out.StartObject();
  StoredFields(out, stored.value());
  out.StartArray("movements");
  for (const ledger::Movement& m : movements.value()) {
    out.StartObject().String("from", m.from).String("to", m.to).String("item", m.article);
    out.Int("quantity", m.quantity).EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

// A reversal of a stored document, posted as POST .../documents would post it: the body gives the reversal's own
// `id`, `at`, `signed_by` and `note` (and `number` if any); its kind, election, node and `reverses` come from the
// document reversed.
Response Api::ReverseDocument(Request& req) {
  (void)WHO(req, false);
  rapidjson::Document body = JSON_BODY(req);
  for (const char* field : {"kind", "election", "node", "reverses"}) {
    if (body.HasMember(field)) {
      return Response::Error(422, "unprocessable",
                             std::string(field) + ": a reversal takes it from the document reversed; leave it out");
    }
  }
  auto stored = store_.FindDocument(req.params["id"]);
  if (!stored.ok()) return FromError(stored.error());
  auto target = ledger::ParseDocument("ledger", stored.value().body);
  if (!target.ok()) return FromError(target.error());
  auto& a = body.GetAllocator();
  auto text = [&](const std::string& value) { return rapidjson::Value(value.c_str(), a); };
  body.AddMember("kind", "reversal", a);
  body.AddMember("election", text(target.value().election), a);
  body.AddMember("node", text(target.value().node), a);
  body.AddMember("reverses", text(target.value().id), a);
  req.params["election"] = target.value().election;
  req.body = json::Write(body);
  return PostDocument(req);
}

Response Api::NodeDocuments(Request& req) {
  const access::Principal who = WHO(req, false);
  const std::string node = req.params["node"];
  const auto region = access::RegionOfNode(node);
  const bool allowed =
      who.role == access::Role::kAdmin ||
      (who.role == access::Role::kVendor ? node == who.scope : region && access::MayReadDetailsOf(who, *region));
  if (!allowed) return Forbidden("node " + node + " is outside the scope of " + who.username);
  auto docs = store_.DocumentsOfNode(req.params["election"], node);
  if (!docs.ok()) return FromError(docs.error());
  json::Builder out;
  out.StartObject().String("node", node).StartArray("documents");
  for (const store::StoredDocument& d : docs.value()) {
    out.StartObject();
    StoredFields(out, d);
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::Kit(Request& req) {
  const access::Principal who = WHO(req, false);
  auto kit = store_.FindKit(req.params["election"], req.params["kit"]);
  if (!kit.ok()) return FromError(kit.error());
  if (!kit.value()) return Response::Error(404, "not_found", "there is no kit or label " + req.params["kit"]);
  const ledger::Kit& k = *kit.value();
  if (!access::MayReadDetailsOf(who, k.tps))
    return Forbidden("kit " + k.kit + " is outside the scope of " + who.username);
  json::Builder out;
  KitJson(out, k);
  return Response::Json(200, out.Take());
}

Response Api::Audit(Request& req) {
  const access::Principal who = WHO(req, false);
  const std::string region = who.role == access::Role::kAdmin ? "" : who.scope;
  if (!access::MayReadAudit(who, region)) return Forbidden("the audit trail is read by admins and bawaslu");
  const int limit = std::clamp(std::atoi(req.Query("limit", "100").c_str()), 1, 1000);
  const int64_t before = std::atoll(req.Query("before", "0").c_str());
  auto entries = store_.ReadAudit(who.role != access::Role::kAdmin, region, req.Query("action"), before, limit);
  if (!entries.ok()) return FromError(entries.error());
  json::Builder out;
  out.StartObject().StartArray("entries");
  for (const access::AuditEntry& a : entries.value()) {
    out.StartObject().Int("seq", a.seq).String("at", Wib(a.at)).String("actor", a.actor).String("address", a.address);
    out.String("action", a.action).String("target", a.target).String("region", a.region);
    out.String("outcome", a.outcome).String("detail", a.detail).EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

}  // namespace tepat::server
