// Ledger documents: what people sign when logistics arrive, are checked, packed, handed over, counted, used or
// destroyed. Each carries a client-made UUID and is immutable once posted; a mistake is corrected by a reversal
// document. Documents travel as JSON, one per line in NDJSON files (docs/formats.md gives every field); the form
// written back (WriteDocument) is canonical, so the same document always hashes the same.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tepat::ledger {

enum class DocKind : uint8_t {
  kGoodsReceipt,        // BTTB: a warehouse receives from a vendor against its delivery note
  kSortirLipat,         // the sorting and folding of ballots at the KPU kab/kota, per ballot variant
  kReplacementRequest,  // a request to the vendor to replace damaged or missing goods
  kDestruction,         // pemusnahan of damaged goods, under a berita acara with witnesses
  kPacking,             // per-TPS kits packed at the KPU kab/kota warehouse
  kDispatch,            // BAST, sender's side: goods leave for the adjacent level
  kReceipt,             // BAST, receiver's side: per line accepted and rejected, seals, signatories
  kCount,               // stock opname: the counted quantity; the difference is posted against `loss`
  kBallotUse,           // after counting at the TPS: ballots used, spoiled and unused
  kReversal,            // cancels an earlier document by posting its movements backwards
};

std::string_view DocKindName(DocKind kind);
// "dispatch" → DocKind::kDispatch; nothing for an unknown name.
std::optional<DocKind> ParseDocKind(std::string_view name);

// A signatory or a witness, with the office or institution they sign for.
struct Person {
  std::string name;
  std::string role;
};

// One line of a document. Which quantities a line carries depends on the document kind (docs/formats.md).
struct DocLine {
  std::string item;                       // a need item code: "kotak_suara", "surat_suara:DPR:35-01"
  int64_t quantity = 0;                   // replacement request, destruction, packing, dispatch
  int64_t good = 0;                       // goods receipt, sortir-lipat
  int64_t damaged = 0;                    // goods receipt; sortir-lipat: the sum of `damage`
  int64_t delivered = 0;                  // sortir-lipat: the quantity the delivery note gave
  std::map<std::string, int64_t> damage;  // sortir-lipat: damaged sheets by kind (torn, blurred, ...)
  int64_t sent = 0;                       // receipt
  int64_t accepted = 0;                   // receipt
  int64_t rejected = 0;                   // receipt
  std::string reason;                     // receipt: why any were rejected
  int64_t counted = 0;                    // count
  int64_t received = 0;                   // ballot use
  int64_t used = 0;                       // ballot use
  int64_t spoiled = 0;                    // ballot use
  int64_t unused = 0;                     // ballot use
};

// A kit packed for one TPS: its contents and seals, and the code printed on its QR label.
struct KitSpec {
  std::string kit;    // the kit id
  std::string tps;    // the TPS it is for
  std::string label;  // the label code, unique in the election
  std::vector<std::string> seals;
  std::vector<DocLine> lines;  // item and quantity
};

// A kit as the receiver found it.
struct KitReceipt {
  std::string kit;
  bool accepted = true;
  bool seals_intact = true;
  bool damaged = false;
  std::string reason;  // required when the kit is refused
};

struct Document {
  std::string id;  // a UUID made by the client, lower case
  DocKind kind = DocKind::kGoodsReceipt;
  std::string election;
  std::string at;  // when it happened, ISO 8601 with an offset
  int64_t at_seconds = 0;
  std::string node;    // the node that signs: the receiving warehouse, the sender of a dispatch, the receiver ...
  std::string number;  // the paper's number: BTTB, berita acara, BAST
  std::vector<Person> signed_by;
  std::vector<Person> witnesses;  // sortir-lipat, destruction
  std::string note;

  std::string vendor;         // goods receipt, replacement request: "vendor:CODE"
  std::string delivery_note;  // goods receipt: the vendor's surat jalan number
  std::string fulfils;        // goods receipt: the replacement request it fulfils
  std::string contract;       // goods receipt, a vendor's dispatch: the contract (kd_paket) it delivers under
  std::string to;             // dispatch: the receiving node
  std::string from;           // receipt: the sending node
  std::string dispatch;       // receipt: the dispatch it answers
  std::string reverses;       // reversal: the document it cancels
  std::vector<DocLine> lines;
  std::vector<KitSpec> kits;             // packing
  std::vector<std::string> kit_codes;    // dispatch: kits carried; ballot use: kits opened
  std::vector<KitReceipt> kit_receipts;  // receipt
};

// Reads one document from JSON. `where` locates it for messages ("FILE:LINE"); problems name the JSON field.
// Checks the shape and each field on its own; what depends on the ledger's state is checked when posting.
Result<Document> ParseDocument(std::string_view where, std::string_view json);

// The canonical JSON of a document: fields in a fixed order, defaults left out, no spaces.
std::string WriteDocument(const Document& document);

// Whether `text` is a UUID in canonical lower-case form (8-4-4-4-12 hex digits).
bool IsUuid(std::string_view text);

}  // namespace tepat::ledger
