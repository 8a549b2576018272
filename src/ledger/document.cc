// Reading and writing ledger documents (rapidjson: see docs/decisions/0007-ledger-json.md).
#include "ledger/document.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "common/json.h"
#include "common/time.h"

namespace tepat::ledger {

namespace {

constexpr std::string_view kKindNames[] = {
    "goods_receipt", "sortir_lipat", "replacement_request", "destruction", "packing", "dispatch",
    "receipt",       "count",        "ballot_use",          "reversal"};

// The damage kinds a sortir-lipat line may report (domain.md §3.4).
constexpr std::string_view kDamageKinds[] = {"torn", "blurred", "ink", "creased", "photo_missing", "edge", "other"};

using Value = rapidjson::Value;
using json::Reader;

// The fields a line may carry, by document kind.
std::vector<std::string_view> LineKeys(DocKind kind) {
  switch (kind) {
    case DocKind::kGoodsReceipt:
      return {"item", "good", "damaged"};
    case DocKind::kSortirLipat:
      return {"item", "delivered", "good", "damage"};
    case DocKind::kReceipt:
      return {"item", "sent", "accepted", "rejected", "reason"};
    case DocKind::kCount:
      return {"item", "counted"};
    case DocKind::kBallotUse:
      return {"item", "received", "used", "spoiled", "unused"};
    default:
      return {"item", "quantity"};
  }
}

DocLine ReadLine(Reader& r, DocKind kind, const Value& v, const std::string& at) {
  DocLine line;
  if (!v.IsObject()) {
    r.Problem(at, "expected an object");
    return line;
  }
  const std::string p = at + ".";
  r.Keys(v, p, LineKeys(kind));
  line.item = r.String(v, p, "item", true);
  switch (kind) {
    case DocKind::kGoodsReceipt:
      line.good = r.Int(v, p, "good", true);
      line.damaged = r.Int(v, p, "damaged", false);
      if (line.good + line.damaged == 0) r.Problem(p + "good", "a line must receive something");
      break;
    case DocKind::kSortirLipat: {
      line.delivered = r.Int(v, p, "delivered", true);
      line.good = r.Int(v, p, "good", true);
      auto damage = v.FindMember("damage");
      if (damage != v.MemberEnd()) {
        if (!damage->value.IsObject()) {
          r.Problem(p + "damage", "expected an object of counts by kind of damage");
        } else {
          for (auto it = damage->value.MemberBegin(); it != damage->value.MemberEnd(); ++it) {
            std::string name(it->name.GetString(), it->name.GetStringLength());
            if (std::find(std::begin(kDamageKinds), std::end(kDamageKinds), name) == std::end(kDamageKinds)) {
              r.Problem(p + "damage." + name,
                        "unknown kind of damage (torn, blurred, ink, creased, photo_missing, "
                        "edge, other)");
              continue;
            }
            const int64_t n = r.Int(damage->value, p + "damage.", name.c_str(), true);
            if (n > 0) line.damage[name] = n;
            line.damaged += n;
          }
        }
      }
      break;
    }
    case DocKind::kReceipt:
      line.sent = r.Int(v, p, "sent", true);
      line.accepted = r.Int(v, p, "accepted", true);
      line.rejected = r.Int(v, p, "rejected", false);
      line.reason = r.String(v, p, "reason", false);
      if (line.accepted + line.rejected != line.sent) {
        r.Problem(p + "accepted", "accepted (" + std::to_string(line.accepted) + ") + rejected (" +
                                      std::to_string(line.rejected) + ") must equal sent (" +
                                      std::to_string(line.sent) + ")");
      }
      if (line.rejected > 0 && line.reason.empty()) r.Problem(p + "reason", "a rejection needs a reason");
      break;
    case DocKind::kCount:
      line.counted = r.Int(v, p, "counted", true);
      break;
    case DocKind::kBallotUse:
      line.received = r.Int(v, p, "received", true);
      line.used = r.Int(v, p, "used", true);
      line.spoiled = r.Int(v, p, "spoiled", true);
      line.unused = r.Int(v, p, "unused", true);
      if (line.used + line.spoiled + line.unused != line.received) {
        r.Problem(p + "received", "used + spoiled + unused (" + std::to_string(line.used + line.spoiled + line.unused) +
                                      ") must equal received (" + std::to_string(line.received) + ")");
      }
      break;
    default:
      line.quantity = r.Int(v, p, "quantity", true);
      if (line.quantity == 0) r.Problem(p + "quantity", "must be at least 1");
  }
  return line;
}

void CheckNoRepeat(Reader& r, const std::vector<DocLine>& lines, const std::string& prefix) {
  for (size_t i = 0; i < lines.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (!lines[i].item.empty() && lines[i].item == lines[j].item) {
        r.Problem(prefix + "[" + std::to_string(i) + "].item",
                  "item " + lines[i].item + " is already on line " + std::to_string(j));
      }
    }
  }
}

}  // namespace

std::string_view DocKindName(DocKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<DocKind> ParseDocKind(std::string_view name) {
  auto found = std::find(std::begin(kKindNames), std::end(kKindNames), name);
  if (found == std::end(kKindNames)) return std::nullopt;
  return static_cast<DocKind>(found - std::begin(kKindNames));
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = text[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<Document> ParseDocument(std::string_view where, std::string_view text) {
  rapidjson::Document root = TRY(json::Parse(where, text));
  ProblemList problems;
  Reader r(where, problems);
  Document doc;
  if (!root.IsObject()) {
    r.Problem("", "expected a JSON object");
    return problems.ToError("the document was refused");
  }
  const std::string kind = r.String(root, "", "kind", true);
  const std::optional<DocKind> kind_parsed = ParseDocKind(kind);
  if (!kind_parsed) {
    if (!kind.empty()) r.Problem("kind", "unknown kind \"" + kind + "\"");
    return problems.ToError("the document was refused");
  }
  doc.kind = *kind_parsed;

  switch (doc.kind) {
    case DocKind::kGoodsReceipt:
      r.Keys(root, "",
             {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "vendor", "delivery_note",
              "fulfils", "contract", "lines"});
      break;
    case DocKind::kSortirLipat:
    case DocKind::kDestruction:
      r.Keys(root, "", {"id", "kind", "election", "at", "node", "number", "signed_by", "witnesses", "note", "lines"});
      break;
    case DocKind::kReplacementRequest:
      r.Keys(root, "", {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "vendor", "lines"});
      break;
    case DocKind::kPacking:
      r.Keys(root, "", {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "kits"});
      break;
    case DocKind::kDispatch:
      r.Keys(root, "",
             {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "to", "contract", "kits", "lines"});
      break;
    case DocKind::kReceipt:
      r.Keys(
          root, "",
          {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "from", "dispatch", "kits", "lines"});
      break;
    case DocKind::kCount:
      r.Keys(root, "", {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "lines"});
      break;
    case DocKind::kBallotUse:
      r.Keys(root, "", {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "kits", "lines"});
      break;
    case DocKind::kReversal:
      r.Keys(root, "", {"id", "kind", "election", "at", "node", "number", "signed_by", "note", "reverses"});
      break;
  }

  doc.id = r.String(root, "", "id", true);
  if (!doc.id.empty() && !IsUuid(doc.id))
    r.Problem("id", "expected a lower-case UUID like 0f8fad5b-d9cb-469f-a165-70867728950e");
  doc.election = r.String(root, "", "election", true);
  doc.at = r.String(root, "", "at", true);
  if (!doc.at.empty()) {
    if (auto seconds = ParseInstant(doc.at)) {
      doc.at_seconds = *seconds;
    } else {
      r.Problem("at", "expected a time with its offset, like 2024-02-13T10:30:00+07:00");
    }
  }
  doc.node = r.String(root, "", "node", true);
  doc.number = r.String(root, "", "number", doc.kind == DocKind::kSortirLipat || doc.kind == DocKind::kDestruction);
  doc.signed_by = r.People<Person>(root, "signed_by", true);
  doc.note = r.String(root, "", "note", false, 2000);
  if (doc.kind == DocKind::kSortirLipat || doc.kind == DocKind::kDestruction) {
    doc.witnesses = r.People<Person>(root, "witnesses", true);
  }

  auto lines = [&](bool required) {
    r.Array(root, "", "lines", required,
            [&](const Value& v, const std::string& at) { doc.lines.push_back(ReadLine(r, doc.kind, v, at)); });
    CheckNoRepeat(r, doc.lines, "lines");
  };
  auto kit_codes = [&](bool required) {
    r.Array(root, "", "kits", required, [&](const Value& v, const std::string& at) {
      if (!v.IsString() || v.GetStringLength() == 0) return r.Problem(at, "expected a kit id");
      doc.kit_codes.emplace_back(v.GetString(), v.GetStringLength());
    });
  };

  switch (doc.kind) {
    case DocKind::kGoodsReceipt:
      doc.vendor = r.String(root, "", "vendor", true);
      doc.delivery_note = r.String(root, "", "delivery_note", true);
      doc.fulfils = r.String(root, "", "fulfils", false);
      doc.contract = r.String(root, "", "contract", false);
      lines(true);
      break;
    case DocKind::kReplacementRequest:
      doc.vendor = r.String(root, "", "vendor", true);
      lines(true);
      break;
    case DocKind::kSortirLipat:
    case DocKind::kDestruction:
    case DocKind::kCount:
      lines(true);
      break;
    case DocKind::kPacking:
      r.Array(root, "", "kits", true, [&](const Value& v, const std::string& at) {
        KitSpec kit;
        if (!v.IsObject()) return r.Problem(at, "expected an object");
        const std::string p = at + ".";
        r.Keys(v, p, {"kit", "tps", "label", "seals", "lines"});
        kit.kit = r.String(v, p, "kit", true, 64);
        kit.tps = r.String(v, p, "tps", true);
        kit.label = r.String(v, p, "label", true, 64);
        r.Array(v, p, "seals", false, [&](const Value& s, const std::string& sat) {
          if (!s.IsString() || s.GetStringLength() == 0) return r.Problem(sat, "expected a seal number");
          kit.seals.emplace_back(s.GetString(), s.GetStringLength());
        });
        r.Array(v, p, "lines", true, [&](const Value& l, const std::string& lat) {
          kit.lines.push_back(ReadLine(r, DocKind::kPacking, l, lat));
        });
        CheckNoRepeat(r, kit.lines, p + "lines");
        doc.kits.push_back(std::move(kit));
      });
      break;
    case DocKind::kDispatch:
      doc.to = r.String(root, "", "to", true);
      doc.contract = r.String(root, "", "contract", false);
      kit_codes(false);
      lines(false);
      if (doc.kit_codes.empty() && doc.lines.empty()) r.Problem("lines", "a dispatch must carry kits or lines");
      break;
    case DocKind::kReceipt:
      doc.from = r.String(root, "", "from", true);
      doc.dispatch = r.String(root, "", "dispatch", true);
      if (!doc.dispatch.empty() && !IsUuid(doc.dispatch)) r.Problem("dispatch", "expected the UUID of a dispatch");
      r.Array(root, "", "kits", false, [&](const Value& v, const std::string& at) {
        KitReceipt kit;
        if (!v.IsObject()) return r.Problem(at, "expected an object");
        const std::string p = at + ".";
        r.Keys(v, p, {"kit", "accepted", "seals_intact", "damaged", "reason"});
        kit.kit = r.String(v, p, "kit", true, 64);
        kit.accepted = r.Bool(v, p, "accepted", true);
        kit.seals_intact = r.Bool(v, p, "seals_intact", true);
        kit.damaged = r.Bool(v, p, "damaged", false);
        kit.reason = r.String(v, p, "reason", false);
        if (!kit.accepted && kit.reason.empty()) r.Problem(p + "reason", "a refused kit needs a reason");
        doc.kit_receipts.push_back(std::move(kit));
      });
      lines(false);
      break;
    case DocKind::kBallotUse:
      kit_codes(false);
      lines(true);
      break;
    case DocKind::kReversal:
      doc.reverses = r.String(root, "", "reverses", true);
      if (!doc.reverses.empty() && !IsUuid(doc.reverses)) r.Problem("reverses", "expected the UUID of a document");
      if (doc.note.empty()) r.Problem("note", "a reversal must say why");
      break;
  }
  if (!problems.empty()) return problems.ToError(std::string(where) + ": the document was refused");
  return doc;
}

namespace {

using json::Int;
using json::Key;
using json::Str;
using json::Writer;

void People(Writer& w, std::string_view key, const std::vector<Person>& people) {
  if (people.empty()) return;
  Key(w, key);
  w.StartArray();
  for (const Person& p : people) {
    w.StartObject();
    Str(w, "name", p.name, true);
    Str(w, "role", p.role, true);
    w.EndObject();
  }
  w.EndArray();
}

void Lines(Writer& w, DocKind kind, const std::vector<DocLine>& lines) {
  Key(w, "lines");
  w.StartArray();
  for (const DocLine& l : lines) {
    w.StartObject();
    Str(w, "item", l.item, true);
    switch (kind) {
      case DocKind::kGoodsReceipt:
        Int(w, "good", l.good);
        Int(w, "damaged", l.damaged, false);
        break;
      case DocKind::kSortirLipat:
        Int(w, "delivered", l.delivered);
        Int(w, "good", l.good);
        if (!l.damage.empty()) {
          Key(w, "damage");
          w.StartObject();
          for (const auto& [name, n] : l.damage) Int(w, name, n);
          w.EndObject();
        }
        break;
      case DocKind::kReceipt:
        Int(w, "sent", l.sent);
        Int(w, "accepted", l.accepted);
        Int(w, "rejected", l.rejected, false);
        Str(w, "reason", l.reason);
        break;
      case DocKind::kCount:
        Int(w, "counted", l.counted);
        break;
      case DocKind::kBallotUse:
        Int(w, "received", l.received);
        Int(w, "used", l.used);
        Int(w, "spoiled", l.spoiled);
        Int(w, "unused", l.unused);
        break;
      default:
        Int(w, "quantity", l.quantity);
    }
    w.EndObject();
  }
  w.EndArray();
}

void Strings(Writer& w, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  Key(w, key);
  w.StartArray();
  for (const std::string& v : values) w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

}  // namespace

std::string WriteDocument(const Document& d) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "id", d.id, true);
  Str(w, "kind", DocKindName(d.kind), true);
  Str(w, "election", d.election, true);
  Str(w, "at", d.at, true);
  Str(w, "node", d.node, true);
  Str(w, "number", d.number);
  People(w, "signed_by", d.signed_by);
  People(w, "witnesses", d.witnesses);
  Str(w, "note", d.note);
  Str(w, "vendor", d.vendor);
  Str(w, "delivery_note", d.delivery_note);
  Str(w, "fulfils", d.fulfils);
  Str(w, "contract", d.contract);
  Str(w, "to", d.to);
  Str(w, "from", d.from);
  Str(w, "dispatch", d.dispatch);
  Str(w, "reverses", d.reverses);
  if (d.kind == DocKind::kPacking) {
    Key(w, "kits");
    w.StartArray();
    for (const KitSpec& kit : d.kits) {
      w.StartObject();
      Str(w, "kit", kit.kit, true);
      Str(w, "tps", kit.tps, true);
      Str(w, "label", kit.label, true);
      Strings(w, "seals", kit.seals);
      Lines(w, DocKind::kPacking, kit.lines);
      w.EndObject();
    }
    w.EndArray();
  } else if (d.kind == DocKind::kReceipt) {
    if (!d.kit_receipts.empty()) {
      Key(w, "kits");
      w.StartArray();
      for (const KitReceipt& kit : d.kit_receipts) {
        w.StartObject();
        Str(w, "kit", kit.kit, true);
        Key(w, "accepted");
        w.Bool(kit.accepted);
        Key(w, "seals_intact");
        w.Bool(kit.seals_intact);
        if (kit.damaged) {
          Key(w, "damaged");
          w.Bool(true);
        }
        Str(w, "reason", kit.reason);
        w.EndObject();
      }
      w.EndArray();
    }
  } else {
    Strings(w, "kits", d.kit_codes);
  }
  if (!d.lines.empty()) Lines(w, d.kind, d.lines);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tepat::ledger
