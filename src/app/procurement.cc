// Procurement's reference data: importing, storing and reading back.
#include "app/procurement.h"

#include <algorithm>

#include "common/json.h"

namespace tepat::app {

const std::vector<std::string_view> kReferenceKinds = {"vendors", "prices", "budget"};

bool IsReferenceKind(std::string_view kind) {
  return std::find(kReferenceKinds.begin(), kReferenceKinds.end(), kind) != kReferenceKinds.end();
}

namespace {

// The records of `text` as a file of `kind`, in their canonical CSV, with their count.
Result<std::pair<std::string, int64_t>> Canonical(const election::Definition& def, const geo::RegionSet& regions,
                                                  std::string_view kind, std::string_view file,
                                                  std::string_view text) {
  if (kind == "vendors") {
    const auto vendors = TRY(procurement::ParseVendorsCsv(file, text));
    return std::pair(procurement::WriteVendorsCsv(vendors), static_cast<int64_t>(vendors.size()));
  }
  if (kind == "prices") {
    const auto prices = TRY(procurement::ParsePricesCsv(file, text, def, regions));
    return std::pair(procurement::WritePricesCsv(prices), static_cast<int64_t>(prices.size()));
  }
  if (kind == "budget") {
    const auto lines = TRY(procurement::ParseBudgetCsv(file, text, regions));
    return std::pair(procurement::WriteBudgetCsv(lines), static_cast<int64_t>(lines.size()));
  }
  return InvalidInput("unknown kind of reference data '" + std::string(kind) + "' (expected vendors, prices or budget)");
}

}  // namespace

Result<int64_t> ImportReference(store::Store& store, const election::Definition& def, const geo::RegionSet& regions,
                                std::string_view kind, std::string_view file, std::string_view text,
                                access::AuditEntry audit) {
  auto [csv, records] = TRY(Canonical(def, regions, kind, file, text));
  store::StoredReference stored{std::move(csv), records, audit.at, audit.actor};
  audit.action = "procurement.import";
  audit.target = def.id + "/" + std::string(kind);
  audit.outcome = "ok";
  audit.detail = std::to_string(records) + " " + std::string(kind) + " from " + std::string(file);
  RETURN_IF_ERROR(store.SaveReference(def.id, kind, stored, audit));
  return records;
}

Result<ReferenceData> LoadReference(store::Store& store, const election::Definition& def,
                                    const geo::RegionSet& regions, std::string_view kind) {
  ReferenceData data;
  const std::string where = "the stored " + def.id + " ";
  auto wanted = [&](std::string_view k) { return kind.empty() || kind == k; };
  if (wanted("vendors")) {
    if (auto vendors = TRY(store.LoadReference(def.id, "vendors"))) {
      data.vendors = TRY(procurement::ParseVendorsCsv(where + "vendors", vendors->csv));
      data.vendors_imported = true;
    } else {
      data.vendors = procurement::DefaultVendors(def);
    }
  }
  if (wanted("prices")) {
    if (auto prices = TRY(store.LoadReference(def.id, "prices"))) {
      data.prices = TRY(procurement::ParsePricesCsv(where + "prices", prices->csv, def, regions));
    }
  }
  if (wanted("budget")) {
    if (auto budget = TRY(store.LoadReference(def.id, "budget"))) {
      data.budget = TRY(procurement::ParseBudgetCsv(where + "budget", budget->csv, regions));
    }
  }
  return data;
}

std::string ReferenceCsv(const ReferenceData& data, std::string_view kind) {
  if (kind == "vendors") return procurement::WriteVendorsCsv(data.vendors);
  if (kind == "prices") return procurement::WritePricesCsv(data.prices);
  return procurement::WriteBudgetCsv(data.budget);
}

std::string ReferenceJson(const ReferenceData& data, std::string_view election, std::string_view kind) {
  json::Builder json;
  json.StartObject().String("election", election).String("kind", kind).StartArray("records");
  if (kind == "vendors") {
    for (const procurement::Vendor& v : data.vendors) {
      json.StartObject().String("code", v.code).String("name", v.name).String("npwp", v.npwp).EndObject();
    }
  } else if (kind == "prices") {
    for (const procurement::UnitPrice& p : data.prices) {
      json.StartObject().String("item", p.item).String("zone", p.zone).Int("rupiah", p.rupiah);
      json.String("source", procurement::PriceSourceName(p.source)).String("reference", p.reference).EndObject();
    }
  } else {
    for (const procurement::BudgetLine& b : data.budget) {
      json.StartObject().String("satker", b.satker).Int("year", b.year).String("account", b.account);
      json.Int("pagu", b.pagu).String("name", b.name).EndObject();
    }
  }
  json.EndArray();
  if (kind == "vendors") json.Bool("imported", data.vendors_imported);
  return json.EndObject().Take();
}

}  // namespace tepat::app
