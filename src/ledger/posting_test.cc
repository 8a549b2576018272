// Posting, document by document, on a small in-memory ledger: the movements each kind gives, and every refusal the
// chain of custody asks for, with its message.
#include "ledger/posting.h"

#include <gtest/gtest.h>

#include "common/hash.h"
#include "ledger/memory_ledger.h"

namespace tepat::ledger {

namespace {

geo::RegionSet Regions() {
  using geo::Level;
  return geo::RegionSet({{"35", "Jawa Timur", Level::kProvince},
                         {"35.78", "Kota Surabaya", Level::kRegency},
                         {"35.78.01", "Karang Pilang", Level::kDistrict},
                         {"35.78.01.1001", "Karang Pilang", Level::kVillage},
                         {"35.78.02", "Wonocolo", Level::kDistrict},
                         {"35.78.02.1001", "Siwalankerto", Level::kVillage}});
}

class PostingTest : public ::testing::Test {
 protected:
  PostingTest() : regions_(Regions()) {
    catalog_.election = "pemilu-2024";
    catalog_.regions = &regions_;
    catalog_.items = {"kotak_suara", "surat_suara:DPR:35-01", "surat_suara:DPR:35-02"};
    catalog_.vendors = {"percetakan"};
    for (const char* tps : {"35.78.01.1001.001", "35.78.01.1001.002", "35.78.02.1001.001"}) {
      catalog_.tps.insert(geo::RegionKey(tps));
    }
  }

  // Posts a document given as JSON; returns the error text, or "" when it was posted.
  std::string Post(const std::string& json) {
    Result<Document> doc = ParseDocument("test:1", json);
    if (!doc.ok()) return doc.error().ToString();
    const std::string body = WriteDocument(doc.value());
    const std::string body_hash = Sha256Hex(body);
    Result<Planned> planned = Plan(doc.value(), body_hash, catalog_, ledger_, "test:1");
    if (!planned.ok()) return planned.error().ToString();
    if (planned.value().replay) return "replay";
    ledger_.Apply(doc.value(), body_hash, ChainHash(ledger_.head_hash(), body_hash), ++seq_, planned.value().posting);
    last_ = planned.value().posting;
    return "";
  }
  std::string Doc(const std::string& id, const std::string& kind, const std::string& node, const std::string& rest) {
    return R"({"id":")" + id + R"(","kind":")" + kind +
           R"(","election":"pemilu-2024","at":"2024-02-10T08:00:00+07:00",)" + R"("node":")" + node +
           R"(","signed_by":[{"name":"Ani","role":"KPU"}],)" + rest + "}";
  }
  static std::string Id(int n) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "00000000-0000-4000-8000-%012d", n);
    return buffer;
  }
  // Receives 10 boxes and 600 DPR ballots of dapil 35-01 at KPU Surabaya, and packs one kit for TPS 001.
  void Stock() {
    ASSERT_EQ(
        "", Post(Doc(Id(1), "goods_receipt", "kpu:35.78",
                     R"("vendor":"vendor:percetakan","delivery_note":"SJ-1","lines":[)"
                     R"({"item":"kotak_suara","good":10,"damaged":1},{"item":"surat_suara:DPR:35-01","good":600}])")));
    ASSERT_EQ(
        "", Post(Doc(
                Id(2), "packing", "kpu:35.78",
                R"("kits":[{"kit":"K1","tps":"35.78.01.1001.001","label":"L1","seals":["S1"],)"
                R"("lines":[{"item":"kotak_suara","quantity":5},{"item":"surat_suara:DPR:35-01","quantity":306}]}])")));
  }
  int64_t Balance(const std::string& node, const std::string& article) { return ledger_.Balance(node, article); }

  geo::RegionSet regions_;
  Catalog catalog_;
  MemoryLedger ledger_;
  Posting last_;
  int64_t seq_ = 0;
};

TEST_F(PostingTest, GoodsReceiptMovesFromTheVendor) {
  Stock();
  EXPECT_EQ(5, Balance("kpu:35.78", "kotak_suara"));  // 10 received, 5 packed
  EXPECT_EQ(1, Balance("damaged:kpu:35.78", "kotak_suara"));
  EXPECT_EQ(-11, Balance("vendor:percetakan", "kotak_suara"));
  EXPECT_EQ(1, Balance("kpu:35.78", "kit:K1"));
  EXPECT_EQ(294, Balance("kpu:35.78", "surat_suara:DPR:35-01"));
}

TEST_F(PostingTest, AVendorDeliveryIsReceivedByTheWarehouse) {
  // The vendor signs its delivery (surat jalan) to KPU Surabaya: the goods are in transit, then the warehouse's
  // receipt takes what arrived whole and sends the rest back to the vendor.
  ASSERT_EQ("", Post(Doc(Id(1), "dispatch", "vendor:percetakan",
                         R"("to":"kpu:35.78","lines":[{"item":"kotak_suara","quantity":12}])")));
  EXPECT_EQ(-12, Balance("vendor:percetakan", "kotak_suara"));
  EXPECT_EQ(12, Balance("transit", "kotak_suara"));
  ASSERT_EQ("", Post(Doc(Id(2), "receipt", "kpu:35.78",
                         R"("from":"vendor:percetakan","dispatch":")" + Id(1) +
                             R"(","lines":[{"item":"kotak_suara","sent":12,"accepted":11,"rejected":1,)"
                             R"("reason":"damaged"}])")));
  EXPECT_EQ(11, Balance("kpu:35.78", "kotak_suara"));
  EXPECT_EQ(-11, Balance("vendor:percetakan", "kotak_suara"));
  EXPECT_EQ(0, Balance("transit", "kotak_suara"));
  // A vendor delivers to a warehouse only, and loose.
  EXPECT_NE(std::string::npos, Post(Doc(Id(3), "dispatch", "vendor:percetakan",
                                        R"("to":"ppk:35.78.01","lines":[{"item":"kotak_suara","quantity":1}])"))
                                   .find("to: a vendor delivers to a KPU warehouse (kpu, kpu:PROV, kpu:PROV.REG), "
                                         "not to ppk:35.78.01"));
  EXPECT_NE(std::string::npos, Post(Doc(Id(3), "dispatch", "vendor:lain",
                                        R"("to":"kpu:35.78","lines":[{"item":"kotak_suara","quantity":1}])"))
                                   .find("node: unknown node vendor:lain"));
  EXPECT_NE(std::string::npos,
            Post(Doc(Id(3), "count", "vendor:percetakan", R"("lines":[{"item":"kotak_suara","counted":1}])"))
                .find("node: vendor vendor:percetakan cannot do this"));
}

TEST_F(PostingTest, ADeliveryNamesAContractOfItsOwnVendor) {
  catalog_.vendors.insert("tinta");
  catalog_.contracts->Replace({{"P-001", "percetakan"}, {"P-002", "tinta"}});
  const std::string lines = R"(,"lines":[{"item":"kotak_suara","good":10}])";
  EXPECT_EQ("", Post(Doc(Id(1), "goods_receipt", "kpu:35.78",
                         R"("vendor":"vendor:percetakan","delivery_note":"SJ-1","contract":"P-001")" + lines)));
  EXPECT_NE(std::string::npos,
            Post(Doc(Id(2), "goods_receipt", "kpu:35.78",
                     R"("vendor":"vendor:percetakan","delivery_note":"SJ-2","contract":"P-002")" + lines))
                .find("contract: contract P-002 is with vendor:tinta, not vendor:percetakan"));
  EXPECT_NE(std::string::npos,
            Post(Doc(Id(2), "goods_receipt", "kpu:35.78",
                     R"("vendor":"vendor:percetakan","delivery_note":"SJ-2","contract":"P-404")" + lines))
                .find("contract: there is no contract P-404 in election pemilu-2024"));
  EXPECT_EQ("", Post(Doc(Id(3), "dispatch", "vendor:tinta",
                         R"("to":"kpu:35.78","contract":"P-002","lines":[{"item":"kotak_suara","quantity":1}])")));
  EXPECT_NE(std::string::npos, Post(Doc(Id(4), "dispatch", "kpu:35.78",
                                        R"("to":"ppk:35.78.01","contract":"P-002","lines":[{"item":"kotak_suara",)"
                                        R"("quantity":1}])"))
                                   .find("contract: only a vendor's delivery names a contract"));
  // The contract is part of the document: its canonical form keeps it.
  const Document doc = ParseDocument("t", Doc(Id(5), "goods_receipt", "kpu:35.78",
                                              R"("vendor":"vendor:percetakan","delivery_note":"SJ-1","contract":"P-001")" +
                                                  lines))
                           .value();
  EXPECT_NE(std::string::npos, WriteDocument(doc).find(R"("contract":"P-001")"));
}

TEST_F(PostingTest, AKitTravelsDownTheChainToItsTps) {
  Stock();
  ASSERT_EQ("", Post(Doc(Id(3), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","kits":["K1"])")));
  ASSERT_EQ(1, last_.effects.size());
  EXPECT_EQ("35.78.01.1001.001", last_.effects[0].tps);
  EXPECT_EQ(1, Balance("transit", "kit:K1"));
  ASSERT_EQ("", Post(Doc(Id(4), "receipt", "ppk:35.78.01",
                         R"("from":"kpu:35.78","dispatch":")" + Id(3) + R"(","kits":[{"kit":"K1"}])")));
  ASSERT_EQ("", Post(Doc(Id(5), "dispatch", "ppk:35.78.01", R"("to":"pps:35.78.01.1001","kits":["K1"])")));
  ASSERT_EQ("", Post(Doc(Id(6), "receipt", "pps:35.78.01.1001",
                         R"("from":"ppk:35.78.01","dispatch":")" + Id(5) + R"(","kits":[{"kit":"K1"}])")));
  ASSERT_EQ("", Post(Doc(Id(7), "dispatch", "pps:35.78.01.1001", R"("to":"kpps:35.78.01.1001.002","kits":["K1"])")));
  ASSERT_EQ("", Post(Doc(Id(8), "receipt", "kpps:35.78.01.1001.002",
                         R"("from":"pps:35.78.01.1001","dispatch":")" + Id(7) +
                             R"(","kits":[{"kit":"K1","seals_intact":false}])")));
  EXPECT_EQ(1, Balance("kpps:35.78.01.1001.002", "kit:K1"));
  EXPECT_EQ(0, Balance("transit", "kit:K1"));
  // The receipt at the KPPS tells readiness what arrived: another TPS's kit, with broken seals.
  ASSERT_EQ(1, last_.effects.size());
  const TpsEffect& e = last_.effects[0];
  EXPECT_EQ("35.78.01.1001.002", e.tps);
  EXPECT_EQ(1, e.kits);
  EXPECT_EQ(1, e.misrouted);
  EXPECT_EQ(1, e.unsealed);
  EXPECT_EQ((std::vector<std::pair<std::string, int64_t>>{{"kotak_suara", 5}, {"surat_suara:DPR:35-01", 306}}),
            e.received);
}

TEST_F(PostingTest, AKppsThatRefusesEverythingHasReceivedNothing) {
  Stock();
  std::string previous;
  const std::vector<std::pair<std::string, std::string>> hops = {{"kpu:35.78", "ppk:35.78.01"},
                                                                 {"ppk:35.78.01", "pps:35.78.01.1001"},
                                                                 {"pps:35.78.01.1001", "kpps:35.78.01.1001.001"}};
  int n = 3;
  for (const auto& [from, to] : hops) {
    const std::string dispatch = Id(n++), receipt = Id(n++);
    ASSERT_EQ("", Post(Doc(dispatch, "dispatch", from, R"("to":")" + to + R"(","kits":["K1"])")));
    const bool last = to.starts_with("kpps:");
    ASSERT_EQ("", Post(Doc(receipt, "receipt", to,
                           R"("from":")" + from + R"(","dispatch":")" + dispatch + R"(","kits":[{"kit":"K1")" +
                               (last ? R"(,"accepted":false,"seals_intact":false,"reason":"damaged"}])" : "}]"))));
  }
  ASSERT_EQ(1, last_.effects.size());
  EXPECT_EQ(0, last_.effects[0].received_at);
  EXPECT_EQ(1, last_.effects[0].unsealed);
  EXPECT_EQ(1, Balance("pps:35.78.01.1001", "kit:K1"));  // refused: back with the sender
}

TEST_F(PostingTest, ReceiptLinesReconcileAndRejectionsGoBack) {
  Stock();
  ASSERT_EQ("", Post(Doc(Id(3), "dispatch", "kpu:35.78",
                         R"("to":"ppk:35.78.01","lines":[{"item":"kotak_suara","quantity":4}])")));
  EXPECT_NE(std::string::npos, Post(Doc(Id(4), "receipt", "ppk:35.78.01",
                                        R"("from":"kpu:35.78","dispatch":")" + Id(3) +
                                            R"(","lines":[{"item":"kotak_suara","sent":4,"accepted":3,"rejected":0}])"))
                                   .find("lines[0].accepted: accepted (3) + rejected (0) must equal sent (4)"));
  ASSERT_EQ(
      "", Post(Doc(Id(4), "receipt", "ppk:35.78.01",
                   R"("from":"kpu:35.78","dispatch":")" + Id(3) +
                       R"(","lines":[{"item":"kotak_suara","sent":4,"accepted":3,"rejected":1,"reason":"damaged"}])")));
  EXPECT_EQ(3, Balance("ppk:35.78.01", "kotak_suara"));
  EXPECT_EQ(2, Balance("kpu:35.78", "kotak_suara"));  // 5 - 4 sent + 1 rejected back
  // A dispatch is received once.
  EXPECT_NE(std::string::npos, Post(Doc(Id(9), "receipt", "ppk:35.78.01",
                                        R"("from":"kpu:35.78","dispatch":")" + Id(3) +
                                            R"(","lines":[{"item":"kotak_suara","sent":4,"accepted":4}])"))
                                   .find("was already received by " + Id(4)));
}

TEST_F(PostingTest, TheChainOfCustodyIsEnforced) {
  Stock();
  auto refused = [&](const std::string& json, const std::string& expected) {
    const std::string error = Post(json);
    EXPECT_NE(std::string::npos, error.find(expected)) << error;
  };
  refused(Doc(Id(10), "dispatch", "kpu:35.78", R"("to":"pps:35.78.01.1001","kits":["K1"])"),
          "to: a handover goes between adjacent levels of one chain; kpu:35.78 → pps:35.78.01.1001 does not");
  refused(Doc(Id(10), "dispatch", "ppk:35.78.01",
              R"("to":"pps:35.78.02.1001","lines":[{"item":"kotak_suara","quantity":1}])"),
          "does not");
  refused(Doc(Id(10), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","lines":[{"item":"kotak_suara","quantity":6}])"),
          "lines[0].quantity: kpu:35.78 holds 5 of kotak_suara; this document takes 6");
  refused(Doc(Id(10), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.09","kits":["K1"])"),
          "to: unknown node ppk:35.78.09");
  refused(Doc(Id(10), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","kits":["K9"])"), "kits[0]: unknown kit K9");
  refused(Doc(Id(10), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","lines":[{"item":"tinta","quantity":1}])"),
          "lines[0].item: unknown item tinta in election pemilu-2024");
  refused(Doc(Id(10), "dispatch", "kpps:35.78.01.1001.001",
              R"("to":"pps:35.78.01.1001","lines":[{"item":"kotak_suara","quantity":1}])"),
          "kpps:35.78.01.1001.001 holds 0 of kotak_suara");
  refused(Doc(Id(10), "receipt", "ppk:35.78.01", R"("from":"kpu:35.78","dispatch":")" + Id(77) + R"(")"),
          "dispatch: there is no dispatch " + Id(77));
  refused(
      Doc(Id(10), "packing", "kpu:35.78",
          R"("kits":[{"kit":"K2","tps":"35.78.01.1001.002","label":"L1","lines":[{"item":"kotak_suara","quantity":1}]}])"),
      "kits[0].label: label L1 is already on another kit");
  refused(
      Doc(Id(10), "packing", "kpu:35.78",
          R"("kits":[{"kit":"K2","tps":"31.71.01.1001.001","label":"L2","lines":[{"item":"kotak_suara","quantity":1}]}])"),
      "kits[0].tps: unknown TPS 31.71.01.1001.001");
  // Nothing of the refused documents was kept.
  EXPECT_EQ(5, Balance("kpu:35.78", "kotak_suara"));
  EXPECT_EQ(2, seq_);
}

TEST_F(PostingTest, TheSameIdReplaysOrConflicts) {
  Stock();
  const std::string dispatch = Doc(Id(3), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","kits":["K1"])");
  ASSERT_EQ("", Post(dispatch));
  EXPECT_EQ("replay", Post(dispatch));
  // The same content written differently is the same document.
  EXPECT_EQ("replay", Post(Doc(Id(3), "dispatch", "kpu:35.78", R"("kits":["K1"],  "to":"ppk:35.78.01")")));
  const std::string error =
      Post(Doc(Id(3), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","kits":["K1"],"note":"x")"));
  EXPECT_NE(std::string::npos, error.find("was already posted with different content")) << error;
  EXPECT_EQ(1, Balance("transit", "kit:K1"));
}

TEST_F(PostingTest, AReversalPostsTheMovementsBackwards) {
  Stock();
  ASSERT_EQ("", Post(Doc(Id(3), "dispatch", "kpu:35.78", R"("to":"ppk:35.78.01","kits":["K1"])")));
  ASSERT_EQ("", Post(Doc(Id(4), "receipt", "ppk:35.78.01",
                         R"("from":"kpu:35.78","dispatch":")" + Id(3) + R"(","kits":[{"kit":"K1"}])")));
  EXPECT_NE(std::string::npos,
            Post(Doc(Id(5), "reversal", "kpu:35.78", R"("reverses":")" + Id(3) + R"(","note":"salah kirim")"))
                .find("reverse that receipt first"));
  ASSERT_EQ("", Post(Doc(Id(5), "reversal", "ppk:35.78.01", R"("reverses":")" + Id(4) + R"(","note":"salah catat")")));
  EXPECT_EQ(1, Balance("transit", "kit:K1"));
  ASSERT_EQ("", Post(Doc(Id(6), "reversal", "kpu:35.78", R"("reverses":")" + Id(3) + R"(","note":"batal")")));
  EXPECT_EQ(1, Balance("kpu:35.78", "kit:K1"));
  EXPECT_NE(std::string::npos,
            Post(Doc(Id(7), "reversal", "kpu:35.78", R"("reverses":")" + Id(3) + R"(","note":"lagi")"))
                .find("was already reversed by " + Id(6)));
}

TEST_F(PostingTest, CountsPostTheDifference) {
  Stock();
  ASSERT_EQ("", Post(Doc(Id(3), "count", "kpu:35.78", R"("lines":[{"item":"kotak_suara","counted":3}])")));
  EXPECT_EQ(3, Balance("kpu:35.78", "kotak_suara"));
  EXPECT_EQ(2, Balance("loss", "kotak_suara"));
  ASSERT_EQ(1, last_.movements.size());
  EXPECT_EQ((Movement{"kpu:35.78", "loss", "kotak_suara", 2}), last_.movements[0]);
}

TEST_F(PostingTest, SortirLipatSetsDamageAsideAndDestructionBurnsIt) {
  Stock();
  ASSERT_EQ("",
            Post(Doc(Id(3), "sortir_lipat", "kpu:35.78",
                     R"("number":"BA-1","witnesses":[{"name":"Budi","role":"Bawaslu"}],)"
                     R"("lines":[{"item":"surat_suara:DPR:35-01","delivered":294,"good":290,"damage":{"torn":3}}])")));
  EXPECT_EQ(290, Balance("kpu:35.78", "surat_suara:DPR:35-01"));
  EXPECT_EQ(3, Balance("damaged:kpu:35.78", "surat_suara:DPR:35-01"));
  EXPECT_EQ(1, Balance("loss", "surat_suara:DPR:35-01"));  // one sheet short of the delivery note
  ASSERT_EQ("", Post(Doc(Id(4), "destruction", "kpu:35.78",
                         R"("number":"BA-2","witnesses":[{"name":"Budi","role":"Bawaslu"}],)"
                         R"("lines":[{"item":"surat_suara:DPR:35-01","quantity":3}])")));
  EXPECT_EQ(3, Balance("destroyed", "surat_suara:DPR:35-01"));
  EXPECT_NE(std::string::npos, Post(Doc(Id(5), "destruction", "kpu:35.78",
                                        R"("number":"BA-3","witnesses":[{"name":"Budi","role":"Bawaslu"}],)"
                                        R"("lines":[{"item":"surat_suara:DPR:35-01","quantity":1}])"))
                                   .find("damaged:kpu:35.78 holds 0"));
}

TEST(DocumentTest, ErrorsNameTheField) {
  Result<Document> doc = ParseDocument(
      "f.ndjson:7", R"({"id":"X","kind":"dispatch","election":"e","at":"2024-02-10 08:00","node":"kpu:35.78",)"
                    R"("signed_by":[],"to":"ppk:35.78.01","kits":["K1"],"colour":"red"})");
  ASSERT_FALSE(doc.ok());
  const std::string text = doc.error().ToString();
  EXPECT_NE(std::string::npos, text.find("f.ndjson:7: colour: unknown field")) << text;
  EXPECT_NE(std::string::npos, text.find("f.ndjson:7: id: expected a lower-case UUID")) << text;
  EXPECT_NE(std::string::npos, text.find("f.ndjson:7: at: expected a time with its offset")) << text;
  EXPECT_NE(std::string::npos, text.find("f.ndjson:7: signed_by: must not be empty")) << text;
  EXPECT_FALSE(ParseDocument("f:1", "{not json").ok());
}

TEST(DocumentTest, TheCanonicalFormIsStable) {
  const std::string json =
      R"({"id":"00000000-0000-4000-8000-000000000001","kind":"receipt","election":"pemilu-2024",)"
      R"("at":"2024-02-13T10:00:00+07:00","node":"kpps:35.78.01.1001.001","signed_by":[{"name":"A","role":"KPPS"}],)"
      R"("from":"pps:35.78.01.1001","dispatch":"00000000-0000-4000-8000-000000000002",)"
      R"("kits":[{"kit":"K1","accepted":true,"seals_intact":false}]})";
  Result<Document> doc = ParseDocument("t", json);
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  const std::string canonical = WriteDocument(doc.value());
  EXPECT_EQ(json, canonical);
  Result<Document> again = ParseDocument("t", canonical);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(canonical, WriteDocument(again.value()));
}

}  // namespace

}  // namespace tepat::ledger
