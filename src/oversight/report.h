// A supervision report (Laporan Hasil Pengawasan, Bawaslu's Form A): a supervisor's visit to one node of the chain
// of custody at one stage, with what was counted and seen there and the stage checklist's answers. Reports are
// Bawaslu's own record; they never change KPU's ledger, and the cross-check (crosscheck.h) compares them with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tepat::oversight {

// The stages of the logistics a supervisor watches (domain.md §3, §5.2).
enum class Stage {
  kProcurement,   // pengadaan
  kProduction,    // produksi dan kendali mutu di percetakan
  kReceipt,       // penerimaan di gudang KPU kabupaten/kota
  kSortirLipat,   // sortir dan lipat surat suara
  kPacking,       // pengepakan per TPS
  kStorage,       // penyimpanan
  kDistribution,  // distribusi KPU kab/kota → PPK → PPS → KPPS
  kTpsH1,         // logistik di TPS pada H-1
  kReturn,        // pengembalian setelah pemungutan suara
};
inline constexpr int kStages = 9;
std::string_view StageName(Stage stage);
std::optional<Stage> ParseStage(std::string_view name);

struct Supervisor {
  std::string name;
  std::string position;  // "Pengawas TPS 01 Kelurahan Karang Pilang", "Panwascam Karang Pilang"
};

// A count the supervisor made of one need item (a ballot variant is its own item: surat_suara:DPR:35-37).
struct Observed {
  std::string item;
  int64_t count = 0;
};

struct SealSeen {
  std::string seal;
  bool intact = true;
};

// A kit the supervisor looked for: whether it is there, and its seals as seen.
struct KitSeen {
  std::string kit;
  bool present = true;
  std::vector<SealSeen> seals;
};

struct Answer {
  std::string question;
  std::string answer;  // "ya" or "tidak", a whole number, or a short text, as the question asks
};

// A photo or scan kept elsewhere, named by its content's SHA-256.
struct Attachment {
  std::string name;
  std::string sha256;
};

struct Report {
  std::string id;  // a UUID made by the client
  std::string election;
  Stage stage = Stage::kTpsH1;
  std::string number;  // NNN/LHP/PM.01.02/REGENCY/MM/YYYY; given when recorded unless the report carries one
  Supervisor supervisor;
  std::string assignment;  // the number of the assignment letter (surat perintah tugas)
  std::string node;        // where: kpu:35.78, ppk:35.78.01, pps:..., kpps:35.78.01.1001.001, vendor:...
  std::string at;          // when, ISO 8601 with its offset
  int64_t at_seconds = 0;
  std::string narrative;
  std::vector<Observed> observed;
  std::vector<KitSeen> kits;
  std::string checklist;  // the checklist answered (its id) and its version
  int checklist_version = 0;
  std::vector<Answer> answers;
  std::vector<Attachment> attachments;
};

// Reads one report from JSON (docs/formats.md, supervision reports). `where` locates it for messages ("FILE:LINE");
// problems name the JSON field. Checks the shape and each field on its own; the checklist's answers are checked
// against the checklist by CheckAnswers (checklist.h).
Result<Report> ParseReport(std::string_view where, std::string_view json);

// The report as canonical JSON: fields in a fixed order, no spaces, the number included.
std::string WriteReport(const Report& report);

// A Bawaslu supervision number (SE Bawaslu 15/2023: numbered per kabupaten/kota, districts and villages following
// the regency's sequence): the regency's `serial`-th record of `series` in the year, with the month and year of
// `at_seconds` in WIB: "007/LHP/PM.01.02/35.78/02/2024".
std::string SupervisionNumber(std::string_view series, int64_t serial, std::string_view regency, int64_t at_seconds);
// Form A's number: series LHP.
std::string ReportNumber(int64_t seq, std::string_view regency, int64_t at_seconds);

}  // namespace tepat::oversight
