// Tests of the distribution simulation: the model and plan files, the kernel against the plan's own timeline and
// against the straightforward computation, the statistics it reports, what-if changes and mitigation.
#include <gtest/gtest.h>

#include <cmath>

#include "common/time.h"
#include "election/definition.h"
#include "election/synthetic.h"
#include "geo/synthetic.h"
#include "readiness/board.h"
#include "sim/model.h"
#include "sim/plan.h"
#include "sim/simulate.h"
#include "testing/testing.h"

namespace tepat::sim {

namespace {

// Synthetic TPS of the nation (the pemilu-2024 profile) kept for Papua Pegunungan, where places are reached by
// aircraft, helicopter and on foot, and for Surabaya, reached by road; built once.
struct World {
  election::Definition definition;
  std::vector<geo::Tps> tps;
  std::unique_ptr<readiness::Board> board;
};

const World& TheWorld() {
  static const World* world = [] {
    auto* w = new World;
    const geo::RegionSet& regions = testing::RealRegions();
    w->definition = election::LoadBuiltin("pilkada-2024").value();
    std::vector<geo::Tps> all = geo::GenerateTps(regions, election::BuiltinSyntheticProfile("pilkada-2024").value(), 7).value();
    const int32_t papua = regions.Find("95"), surabaya = regions.Find("35.78");
    for (const geo::Tps& t : all) {
      if (regions.Within(t.village, papua) || regions.Within(t.village, surabaya)) w->tps.push_back(t);
    }
    w->board =
        std::make_unique<readiness::Board>(readiness::Board::Build(w->definition, regions, w->tps, nullptr).value());
    return w;
  }();
  return *world;
}

const readiness::Board& TheBoard() { return *TheWorld().board; }

Model Lognormal(double sigma) {
  Model model = DefaultModel();
  for (ModeModel& mode : model.modes) {
    mode.sigma = sigma;
    mode.quantiles.clear();
    mode.window_from = 0;
    mode.window_to = 1440;
  }
  model.weather_probability = model.closure_probability = model.vendor_probability = 0;
  return model;
}

Network Build(const Plan& plan, const Model& model, int32_t region = -1, const Observed* observed = nullptr) {
  Result<Network> net = Network::Build(plan, TheBoard(), model, region, observed);
  EXPECT_TRUE(net.ok()) << net.error().ToString();
  return std::move(net).value();
}

// Legs by car from the village for every TPS of `village` the plan text does not reach yet.
std::string OtherTpsOf(const std::string& village, const std::string& text) {
  std::string rows;
  const geo::RegionSet& regions = TheBoard().regions();
  for (size_t t = 0; t < TheBoard().tps_count(); ++t) {
    const std::string code = geo::TpsCode(regions, TheBoard().tps(t));
    if (code.starts_with(village + ".") && text.find("\n" + code + ",") == std::string::npos) {
      rows += code + "," + village + ",car,2,2024-02-13T07:00+07:00,,\n";
    }
  }
  return rows;
}

// The refusal of sim/model.toml with its first `from` replaced by `to` ("" when it reads).
std::string BuiltInModelRefusal(std::string_view from, std::string_view to) {
  std::string text = testing::ReadText((testing::SourceDir() / "sim/model.toml").string());
  const size_t at = text.find(from);
  EXPECT_NE(std::string::npos, at) << from;
  if (at == std::string::npos) return "";
  text.replace(at, from.size(), to);
  Result<Model> read = ParseModel("m.toml", text);
  return read.ok() ? "" : read.error().ToString();
}

// The plan with the changes of a what-if file's text applied.
Plan Changed(const Plan& plan, const std::string& what_if) {
  Result<std::vector<Change>> changes = ParseChanges("w.toml", what_if, TheBoard().regions());
  EXPECT_TRUE(changes.ok()) << changes.error().ToString();
  Plan changed = plan;
  const Status applied = ApplyChanges(changes.value(), changed);
  EXPECT_TRUE(applied.ok()) << applied.error().ToString();
  return changed;
}

}  // namespace

TEST(ModelTest, BuiltInModelReadsAndCoversEveryMode) {
  const Model& model = DefaultModel();
  EXPECT_EQ("default", model.name);
  for (int m = 1; m < kModes; ++m) EXPECT_GT(model.modes[m].speed_kmh, 0) << ModeName(static_cast<Mode>(m));
  EXPECT_EQ(390, model.modes[static_cast<int>(Mode::kHelicopter)].window_from);
  EXPECT_TRUE(model.WeatherBound(Mode::kBoat));
  EXPECT_FALSE(model.WeatherBound(Mode::kTruck));
  EXPECT_TRUE(model.ClosureBound(Mode::kCar));
  // A lognormal table has median 1 and the right spread; an empirical one interpolates its quantiles.
  const auto tables = model.Tables();
  const auto& heli = tables[static_cast<int>(Mode::kHelicopter)];
  EXPECT_NEAR(1.0, heli[kTableSize / 2], 1e-3);
  EXPECT_NEAR(std::exp(0.4 * NormalQuantile(0.9)), heli[static_cast<int>(0.9 * kTableSize)], 1e-3);
  const auto& speedboat = tables[static_cast<int>(Mode::kSpeedboat)];
  EXPECT_NEAR(0.85, speedboat.front(), 0.01);
  EXPECT_NEAR(4.5, speedboat.back(), 0.01);
  EXPECT_NEAR(1.0, speedboat[3 * kTableSize / 10], 0.01);
}

TEST(ModelTest, NormalQuantileIsAccurate) {
  EXPECT_NEAR(0.0, NormalQuantile(0.5), 1e-12);
  EXPECT_NEAR(1.959963984540054, NormalQuantile(0.975), 1e-9);
  EXPECT_NEAR(-3.090232306167813, NormalQuantile(0.001), 1e-9);
}

TEST(ModelTest, BadModelIsRefusedWithLineAndField) {
  std::string text = R"(name = "x"
[mode.truck]
speed_kmh = -3
[weather]
probability = 2
modes = ["boat", "rocket"]
)";
  Result<Model> model = ParseModel("m.toml", text);
  ASSERT_FALSE(model.ok());
  const std::string message = model.error().ToString();
  EXPECT_NE(std::string::npos, message.find("m.toml:3")) << message;
  EXPECT_NE(std::string::npos, message.find("mode.truck.speed_kmh")) << message;
  EXPECT_NE(std::string::npos, message.find("weather.probability")) << message;
  EXPECT_NE(std::string::npos, message.find("rocket")) << message;
  EXPECT_NE(std::string::npos, message.find("mode.car")) << message;  // missing
}

TEST(ModelTest, QuantilesAreFiniteMultipliers) {
  // Confirmed with fuzz/model_fuzzer (fuzz/corpus/model/nan-quantile.toml, inf-quantile.toml): TOML's nan and inf were
  // taken as multipliers, and the travel-time table held them.
  const std::string quantiles = "quantiles = [0.85, 0.92, 0.97, 1.0, 1.05, 1.12, 1.25, 1.5, 2.0, 3.0, 4.5]";
  for (const char* bad : {"quantiles = [0.85, nan, 4.5]", "quantiles = [0.85, inf]"}) {
    EXPECT_NE(std::string::npos, BuiltInModelRefusal(quantiles, bad)
                                     .find("mode.speedboat.quantiles: expected positive multipliers in increasing"))
        << bad;
  }
}

TEST(ModelTest, ShockDaysAreWholeNumbers) {
  // The toml++ conversion election_fuzzer found in synthetic counts (DefinitionTest.SyntheticCountsAreWholeNumbers),
  // here in a shock's days (fuzz/corpus/model/float-days.toml): a float beyond int64's range was cast (undefined
  // behaviour, seen under UBSan), and 1.0 was read as 1.
  for (const char* bad : {"days = [1e30, 2]", "days = [1.0, 4.0]"}) {
    EXPECT_NE(std::string::npos,
              BuiltInModelRefusal("days = [1, 4]", bad).find("weather.days: expected [fewest, most] whole days"))
        << bad;
  }
}

TEST(PlanTest, GeneratedPlanReachesEveryTpsAndReadsBack) {
  const Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  const Network net = Build(plan, DefaultModel());
  EXPECT_EQ(TheBoard().tps_count(), net.tps());
  std::string csv;
  WritePlanCsv(plan, csv);
  Result<Plan> read = ParsePlanCsv("plan.csv", csv, TheBoard());
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  std::string again;
  WritePlanCsv(read.value(), again);
  EXPECT_EQ(csv, again);
  // Remote places: helicopters, aircraft and porters in Papua Pegunungan; trips of several stops in Surabaya.
  std::map<Mode, int> modes;
  int trips = 0;
  for (const Leg& leg : plan.legs) {
    modes[leg.mode]++;
    trips += leg.stop > 1;
  }
  EXPECT_GT(modes[Mode::kHelicopter], 0);
  EXPECT_GT(modes[Mode::kFoot], 0);
  EXPECT_GT(modes[Mode::kCar], 0);
  EXPECT_GT(trips, 0);
  // With nominal times every TPS is reached before its deadline: the plan keeps its buffers.
  const std::vector<double> timeline = net.Timeline();
  for (size_t j = 0; j < net.legs(); ++j) {
    const int32_t tps = net.leg_tps(j);
    if (tps < 0) continue;
    const auto slot = std::find(net.tps_list().begin(), net.tps_list().end(), tps) - net.tps_list().begin();
    EXPECT_LE(timeline[j], net.deadline(slot)) << net.leg_code(j);
  }
}

TEST(PlanTest, BadRowsAreNamedAndNothingIsRead) {
  const std::string text =
      "to,from,mode,km,dispatch_at\n"
      "35.78,,ready,0,2024-02-06T07:00+07:00\n"
      "35.78.01,35.78,truck,12,2024-02-08T07:00+07:00\n"
      "35.78.01.1001,35.78.02,truck,5,2024-02-11T07:00+07:00\n"
      "35.78.01.1001.001,35.78.01.1001,rocket,1,2024-02-13T07:00+07:00\n"
      "35.78.01.1001.002,35.78.01.1001,car,1,2024-02-13 07:00\n"
      "99.99.99.9999.001,35.78.01.1001,car,1,2024-02-13T07:00+07:00\n"
      "35.78.01,35.78,truck,12,2024-02-08T07:00+07:00\n";
  Result<Plan> plan = ParsePlanCsv("p.csv", text, TheBoard());
  ASSERT_FALSE(plan.ok());
  const std::string message = plan.error().ToString();
  EXPECT_NE(std::string::npos, message.find("p.csv:4: from")) << message;
  EXPECT_NE(std::string::npos, message.find("p.csv:5: mode")) << message;
  EXPECT_NE(std::string::npos, message.find("p.csv:6: dispatch_at")) << message;
  EXPECT_NE(std::string::npos, message.find("p.csv:7: to")) << message;
  EXPECT_NE(std::string::npos, message.find("p.csv:8: to: 35.78.01 already has a leg, at line 3")) << message;
}

TEST(PlanTest, ATripsStopComesFromAPlaceOfItsOwnLevel) {
  // Found by fuzz/plan_fuzzer (fuzz/corpus/plan/long-trip-from.csv): a `from` of the right parent but no code's shape
  // passed as a stop before, and its key overflowed (RegionKey) when looked up.
  const std::string text =
      "to,from,mode,km,dispatch_at,trip,stop\n"
      "35.78,,ready,0,2024-02-06T07:00+07:00,,\n"
      "35.78.01,35.78,truck,35,2024-02-06T07:00+07:00,,\n"
      "35.78.01.1001,35.78.01,truck,3,2024-02-11T07:00+07:00,T1,1\n"
      "35.78.01.1002,35.78.01.100199999999999999999,truck,3,,T1,2\n";
  Result<Plan> plan = ParsePlanCsv("p.csv", text, TheBoard());
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(std::string::npos,
            plan.error().ToString().find("p.csv:5: from: the goods for 35.78.01.1002 come from 35.78.01 (or, on a "
                                         "trip, from another stop of it), not from 35.78.01.100199999999999999999"))
      << plan.error().ToString();
}

TEST(WhatIfTest, AnEmptyChangeKindOrPlaceIsRefused) {
  // Found by fuzz/whatif_fuzzer (fuzz/corpus/whatif/empty-what.toml): `what = ""` read as an advance of nothing, which
  // written back was refused; and `leg = ""` read as a place.
  Result<std::vector<Change>> changes =
      ParseChanges("w.toml", "[[change]]\nwhat = \"\"\nleg = \"\"\n", TheBoard().regions());
  ASSERT_FALSE(changes.ok());
  const std::string message = changes.error().ToString();
  EXPECT_NE(std::string::npos,
            message.find("w.toml:2: change[1].what: unknown change '' (expected advance, mode, close or vendor_delay)"))
      << message;
  EXPECT_NE(std::string::npos, message.find("w.toml:3: change[1].leg: unknown region ''")) << message;
}

TEST(WhatIfTest, AChangeOfModeTakesNoDuration) {
  // Shown by fuzz/whatif_fuzzer: `days` on a change of mode was read and ignored.
  Result<std::vector<Change>> changes = ParseChanges(
      "w.toml", "[[change]]\nwhat = \"mode\"\nleg = \"35.78\"\nto = \"helicopter\"\ndays = 2\n", TheBoard().regions());
  ASSERT_FALSE(changes.ok());
  EXPECT_NE(std::string::npos, changes.error().ToString().find("change[1].days: a change of mode lasts the whole plan"))
      << changes.error().ToString();
}

TEST(WhatIfTest, WrittenChangesReadBackAsTheSameChanges) {
  // Confirmed with fuzz/whatif_fuzzer (fuzz/corpus/whatif/days-and-hours.toml): 60 days and 1,440 hours were written as
  // 120 days, which a what-if may not give, and a time not of whole seconds of an hour lost seconds (6 digits).
  const std::string text =
      "[[change]]\nwhat = \"advance\"\nregion = \"35.78\"\ndays = 60\nhours = 1440\n"
      "[[change]]\nwhat = \"vendor_delay\"\nleg = \"35.78\"\ndays = 59.99999\nhours = 1439.9999\n"
      "[[change]]\nwhat = \"close\"\nregion = \"35.78.01\"\nfrom = \"2024-02-10T00:00+07:00\"\nhours = 12\n";
  const std::vector<Change> changes = ParseChanges("w.toml", text, TheBoard().regions()).value();
  const std::string written = WriteChanges(changes);
  EXPECT_NE(std::string::npos, written.find("days = 60\nhours = 1440\n")) << written;
  EXPECT_NE(std::string::npos, written.find("days = 60\nhours = 1439.9997222222223\n")) << written;
  EXPECT_NE(std::string::npos, written.find("\nhours = 12\n")) << written;
  Result<std::vector<Change>> again = ParseChanges("w.toml", written, TheBoard().regions());
  ASSERT_TRUE(again.ok()) << again.error().ToString() << "\n" << written;
  ASSERT_EQ(3u, again.value().size());
  for (size_t i = 0; i < changes.size(); ++i) EXPECT_EQ(changes[i].seconds, again.value()[i].seconds) << i;
  EXPECT_EQ(60 * 86400 + 1440 * 3600, again.value()[0].seconds);
}

TEST(SimTest, TimelineFollowsDeparturesTripsAndWindows) {
  // One regency's chain by hand: ready 07:00 WIB, truck 35 km at 35 km/h + 60 min handling = 120 min; the PPS leg
  // leaves at its planned time; the TPS is reached on foot (window 05:30-15:00 WIB): arriving 16:00 at the PPS, the
  // porters leave the next morning at 05:30.
  const std::string text =
      "to,from,mode,km,dispatch_at,trip,stop\n"
      "35.78,,ready,0,2024-02-06T07:00+07:00,,\n"
      "35.78.01,35.78,truck,35,2024-02-06T07:00+07:00,,\n"
      "35.78.01.1001,35.78.01,truck,35,2024-02-12T14:00+07:00,,\n"
      "35.78.01.1001.001,35.78.01.1001,foot,6,,,\n";
  Plan plan = ParsePlanCsv("p.csv", text + OtherTpsOf("35.78.01.1001", text), TheBoard()).value();
  const Network net = Build(plan, DefaultModel(), TheBoard().regions().Find("35.78.01.1001"));
  const std::vector<double> timeline = net.Timeline();
  ASSERT_EQ("35.78.01.1001.001", net.leg_code(3));
  EXPECT_EQ("2024-02-06T09:00:00+07:00", FormatInstant(net.ToSeconds(timeline[1]), 420));
  EXPECT_EQ("2024-02-12T16:00:00+07:00", FormatInstant(net.ToSeconds(timeline[2]), 420));
  // 6 km on foot at 3 km/h + 30 min handling: 150 min after 05:30.
  EXPECT_EQ("2024-02-13T08:00:00+07:00", FormatInstant(net.ToSeconds(timeline[3]), 420));
}

TEST(SimTest, ZeroVarianceReproducesTheTimelineExactly) {
  const Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  // Tighten the plan so that some TPS are late by plan: every TPS leg leaves two days later.
  Plan late = plan;
  for (Leg& leg : late.legs) {
    if (geo::LevelOfCode(leg.to) == geo::Level::kTps && leg.dispatch_at != 0) leg.dispatch_at += 2 * 86400;
  }
  const Model model = Deterministic(DefaultModel());
  const Network net = Build(late, model);
  const std::vector<double> timeline = net.Timeline();
  const Outcome outcome = Simulate(net, {.scenarios = 40, .seed = 3, .threads = 2});
  int late_tps = 0;
  for (size_t j = 0; j < net.legs(); ++j) {
    if (net.leg_tps(j) < 0) continue;
    const size_t slot =
        std::find(net.tps_list().begin(), net.tps_list().end(), net.leg_tps(j)) - net.tps_list().begin();
    const TpsOutcome& o = outcome.tps[slot];
    const double lateness = std::max(0.0, timeline[j] - net.deadline(slot));
    EXPECT_EQ(lateness > 0 ? 40 : 0, o.late) << net.leg_code(j);
    EXPECT_DOUBLE_EQ(40 * lateness, o.lateness_minutes) << net.leg_code(j);
    late_tps += lateness > 0;
    // Every scenario falls in the same bin, the timeline's, and every percentile is the timeline's arrival.
    EXPECT_EQ(40u, *std::max_element(o.histogram.begin(), o.histogram.end())) << net.leg_code(j);
    for (double q : {0.05, 0.5, 0.95}) EXPECT_EQ(timeline[j], ArrivalQuantile(net, slot, o, 40, q)) << net.leg_code(j);
  }
  EXPECT_GT(late_tps, 0);
  EXPECT_EQ(late_tps, outcome.regions.front().expected_late);
  EXPECT_EQ(0, outcome.regions.front().sd_late);
  // And the arrivals themselves, scenario by scenario.
  const std::vector<float> arrivals = net.Arrivals(3, 0, 16);
  for (size_t j = 0; j < net.legs(); ++j) {
    for (int l = 0; l < 16; ++l) ASSERT_EQ(static_cast<float>(timeline[j]), arrivals[j * 16 + l]) << net.leg_code(j);
  }
}

TEST(SimTest, ChainOfLognormalLegsHasTheRightMean) {
  // Eight legs in a row, each lognormal with sigma 0.5 around its nominal time and leaving as soon as the one
  // before arrives: the last arrival's mean is the sum of nominal × exp(sigma² / 2).
  std::string text =
      "to,from,mode,km,dispatch_at,trip,stop\n"
      "35.78,,ready,0,2024-02-06T07:00+07:00,,\n"
      "35.78.01,35.78,truck,70,2024-02-06T07:00+07:00,,\n"
      "35.78.01.1001,35.78.01,truck,35,,,\n";
  const geo::RegionSet& regions = TheBoard().regions();
  std::vector<std::string> chain;
  for (size_t t = 0; t < TheBoard().tps_count() && chain.size() < 6; ++t) {
    const std::string code = geo::TpsCode(regions, TheBoard().tps(t));
    if (code.starts_with("35.78.01.1001.")) chain.push_back(code);
  }
  ASSERT_EQ(6u, chain.size());
  for (size_t k = 0; k < chain.size(); ++k) {
    text += chain[k] + "," + (k == 0 ? std::string("35.78.01.1001") : chain[k - 1]) + ",car,10,,v," +
            std::to_string(k + 1) + "\n";
  }
  text += OtherTpsOf("35.78.01.1001", text);
  Plan plan = ParsePlanCsv("chain.csv", text, TheBoard()).value();
  const double sigma = 0.5;
  const Model model = Lognormal(sigma);
  const Network net = Build(plan, model, regions.Find("35.78.01.1001"));
  // The chain's legs, in order.
  std::vector<size_t> legs = {0, 1, 2};
  for (const std::string& code : chain) {
    for (size_t j = 0; j < net.legs(); ++j) {
      if (net.leg_code(j) == code) legs.push_back(j);
    }
  }
  ASSERT_EQ(9u, legs.size());
  auto nominal_of = [&](size_t k) {
    return model.NominalMinutes(net.leg_mode(legs[k]), k == 1 ? 70 : k == 2 ? 35 : 10);
  };
  double nominal = 0;
  for (size_t k = 1; k < legs.size(); ++k) nominal += nominal_of(k);
  const double expected = nominal * std::exp(sigma * sigma / 2);
  const int n = 32000;
  const std::vector<float> arrivals = net.Arrivals(11, 0, n);
  const size_t last = legs.back();
  const double start = arrivals[0];
  double sum = 0, sumsq = 0;
  for (int s = 0; s < n; ++s) {
    const double x = arrivals[last * n + s] - start;
    sum += x;
    sumsq += x * x;
  }
  const double mean = sum / n, sd = std::sqrt(sumsq / n - mean * mean);
  EXPECT_NEAR(expected, mean, 4 * sd / std::sqrt(n)) << "sd " << sd;
  // And the spread of a sum of independent lognormals.
  double variance = 0;
  for (size_t k = 1; k < legs.size(); ++k) {
    const double m = nominal_of(k);
    variance += m * m * (std::exp(sigma * sigma) - 1) * std::exp(sigma * sigma);
  }
  EXPECT_NEAR(std::sqrt(variance), sd, 0.05 * std::sqrt(variance));
}

TEST(SimTest, SameSeedSameOutcomeWhateverTheThreads) {
  const Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  const Network net = Build(plan, DefaultModel());
  const Outcome one = Simulate(net, {.scenarios = 200, .seed = 5, .threads = 1});
  const Outcome two = Simulate(net, {.scenarios = 200, .seed = 5, .threads = 2});
  const Outcome other = Simulate(net, {.scenarios = 200, .seed = 6, .threads = 2});
  EXPECT_EQ(one.late_by_scenario, two.late_by_scenario);
  EXPECT_EQ(one.blame, two.blame);
  ASSERT_EQ(one.tps.size(), two.tps.size());
  for (size_t i = 0; i < one.tps.size(); ++i) {
    EXPECT_EQ(one.tps[i].late, two.tps[i].late);
    EXPECT_EQ(one.tps[i].lateness_minutes, two.tps[i].lateness_minutes);
    EXPECT_EQ(one.tps[i].histogram, two.tps[i].histogram);
  }
  ASSERT_EQ(one.regions.size(), two.regions.size());
  for (size_t i = 0; i < one.regions.size(); ++i) {
    EXPECT_EQ(one.regions[i].expected_late, two.regions[i].expected_late);
    EXPECT_EQ(one.regions[i].sd_late, two.regions[i].sd_late);
  }
  // Some TPS are at risk in the highlands, and another seed draws other scenarios.
  EXPECT_GT(one.regions.front().expected_late, 0);
  EXPECT_NE(one.late_by_scenario, other.late_by_scenario);
}

TEST(SimTest, AgreesWithTheStraightforwardComputation) {
  // Without windows and shocks both compute the same thing with different random numbers: the late TPS of each
  // agree within Monte Carlo error.
  // TPS legs leave so that their nominal arrival is near the deadline, where the chance of being late is neither
  // 0 nor 1.
  const Model model = Lognormal(0.4);
  Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  int k = 0;
  for (Leg& leg : plan.legs) {
    if (geo::LevelOfCode(leg.to) != geo::Level::kTps || leg.dispatch_at == 0) continue;
    const int64_t deadline = TheBoard().Deadline(TheBoard().FindTps(leg.to));
    leg.dispatch_at =
        deadline - static_cast<int64_t>(model.NominalMinutes(leg.mode, leg.km)) * 60 + (k++ % 5 - 2) * 900;
  }
  const Network net = Build(plan, model);
  const int64_t n = 4000;
  const Outcome fast = Simulate(net, {.scenarios = n, .seed = 1, .threads = 2});
  const std::vector<int64_t> slow = SimulateStraightforward(net, model, {.scenarios = n, .seed = 1, .threads = 1});
  double fast_total = 0, slow_total = 0, variance = 0;
  int compared = 0;
  for (size_t i = 0; i < net.tps(); ++i) {
    const double a = static_cast<double>(fast.tps[i].late) / n, b = static_cast<double>(slow[i]) / n;
    fast_total += a;
    slow_total += b;
    variance += a * (1 - a) / n + b * (1 - b) / n;
    if (a > 0.05 && a < 0.95) {
      EXPECT_NEAR(a, b, 5 * std::sqrt(a * (1 - a) / n * 2)) << i;
      ++compared;
    }
  }
  EXPECT_GT(compared, 5);
  EXPECT_NEAR(fast_total, slow_total, 5 * std::sqrt(variance) + 0.5);
}

TEST(SimTest, WhatIfThatCannotMatterChangesNothingAndOneThatDoesIsMeasured) {
  const Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  const Network base_net = Build(plan, DefaultModel());
  const Options options{.scenarios = 500, .seed = 9, .threads = 2};
  const Outcome base = Simulate(base_net, options);
  const geo::RegionSet& regions = TheBoard().regions();
  // Roads closed after every deadline: nothing changes, scenario by scenario.
  const Plan closed = Changed(plan, R"([[change]]
what = "close"
region = "95"
from = "2024-12-01T00:00+09:00"
days = 3
modes = ["truck", "car", "motorbike", "foot"]
)");
  const Outcome same = Simulate(Build(closed, DefaultModel()), options);
  EXPECT_EQ(base.late_by_scenario, same.late_by_scenario);
  EXPECT_EQ(0, Compare(base, same).mean);
  // Papua Pegunungan two days earlier: fewer late TPS, and the interval says so.
  const Plan advanced = Changed(plan, R"([[change]]
what = "advance"
region = "95"
days = 2
)");
  const Difference d = Compare(base, Simulate(Build(advanced, DefaultModel()), options));
  EXPECT_LT(d.high, 0) << d.mean;
  // A vendor five days late: more late TPS.
  const Plan delayed = Changed(plan, R"([[change]]
what = "vendor_delay"
region = "95.01"
days = 5
)");
  EXPECT_GT(Compare(base, Simulate(Build(delayed, DefaultModel()), options)).low, 0);
  // Advancing one regency (whose kits are the first ready, so the plan's epoch moves) leaves every other regency's
  // scenarios as they were: the same storms, the same travel times.
  const Plan moved = Changed(plan, "[[change]]\nwhat = \"advance\"\nregion = \"95.01\"\ndays = 3\n");
  const Outcome after_one = Simulate(Build(moved, DefaultModel()), options);
  std::map<int32_t, double> before_late;
  for (const RegionOutcome& r : base.regions) before_late[r.region] = r.expected_late;
  int compared = 0;
  for (const RegionOutcome& r : after_one.regions) {
    if (r.region < 0 || regions.at(r.region).level != geo::Level::kRegency || regions.at(r.region).code == "95.01")
      continue;
    EXPECT_EQ(before_late[r.region], r.expected_late) << regions.at(r.region).code;
    ++compared;
  }
  EXPECT_GT(compared, 5);
  // A change that selects no leg is refused, not read as "no effect".
  std::vector<Change> none = ParseChanges("w.toml", R"([[change]]
what = "mode"
region = "35.78"
modes = ["helicopter"]
to = "boat"
)",
                                          regions)
                                 .value();
  Plan unchanged = plan;
  EXPECT_FALSE(ApplyChanges(none, unchanged).ok());
}

TEST(SimTest, ObservedArrivalsAndTheClockShapeTheProjection) {
  const Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  const geo::RegionSet& regions = TheBoard().regions();
  const int32_t regency = regions.Find("95.01");
  const Network before = Build(plan, DefaultModel(), regency);
  const Outcome base = Simulate(before, {.scenarios = 300, .seed = 2, .threads = 2});
  // At H-2 noon: one TPS has its kit, another's kit is on its way since the morning, nothing else has moved.
  Observed observed;
  const size_t arrived = 0, departed = 1;
  const int64_t deadline = TheBoard().Deadline(before.tps_list()[arrived]);
  observed.now = deadline - 36 * 3600;
  observed.arrived[geo::TpsCode(regions, TheBoard().tps(before.tps_list()[arrived]))] = observed.now - 3600;
  observed.departed[geo::TpsCode(regions, TheBoard().tps(before.tps_list()[departed]))] = observed.now - 4 * 3600;
  const Network live = Build(plan, DefaultModel(), regency, &observed);
  const Outcome now = Simulate(live, {.scenarios = 300, .seed = 2, .threads = 2});
  EXPECT_EQ(0, now.tps[arrived].late);
  // Its arrival is the one observed, in every percentile.
  EXPECT_EQ(live.ToSeconds(ArrivalQuantile(live, arrived, now.tps[arrived], 300, 0.05)), observed.now - 3600);
  EXPECT_EQ(live.ToSeconds(ArrivalQuantile(live, arrived, now.tps[arrived], 300, 0.95)), observed.now - 3600);
  // Everything else leaves no earlier than now, later than planned: more TPS are at risk.
  EXPECT_GT(now.regions.front().expected_late, base.regions.front().expected_late);
  // After every deadline, what has not arrived is late for sure.
  observed.now = deadline + 3600;
  const Outcome after = Simulate(Build(plan, DefaultModel(), regency, &observed), {.scenarios = 50, .seed = 2});
  EXPECT_EQ(0, after.tps[arrived].late);
  for (size_t i = 1; i < after.tps.size(); ++i) EXPECT_EQ(50, after.tps[i].late) << i;
}

TEST(SimTest, MitigationChoosesChangesThatHelp) {
  const Plan plan = GeneratePlan(TheBoard(), DefaultModel());
  const Network net = Build(plan, DefaultModel());
  const Options options{.scenarios = 400, .seed = 4, .threads = 2};
  const Outcome base = Simulate(net, options);
  Result<std::vector<Mitigation>> chosen = Mitigate(plan, TheBoard(), DefaultModel(), net, base, -1, 5, 24, options);
  ASSERT_TRUE(chosen.ok()) << chosen.error().ToString();
  ASSERT_FALSE(chosen.value().empty());
  std::vector<Change> changes;
  double claimed = 0;
  for (const Mitigation& m : chosen.value()) {
    EXPECT_GT(m.reduction, 0) << m.change.label;
    changes.push_back(m.change);
    claimed += m.reduction;
  }
  // Given back as a what-if file, the changes reduce late TPS by what was claimed (same scenarios).
  const Plan mitigated = Changed(plan, WriteChanges(changes));
  const Difference d = Compare(base, Simulate(Build(mitigated, DefaultModel()), options));
  EXPECT_NEAR(-claimed, d.mean, 1e-9);
  EXPECT_LT(d.mean, 0);
}

TEST(SimTest, StatisticsHelpers) {
  auto [low, high] = Wilson95(0, 100);
  EXPECT_EQ(0, low);
  EXPECT_NEAR(0.037, high, 0.001);
  std::tie(low, high) = Wilson95(50, 100);
  EXPECT_NEAR(0.404, low, 0.001);
  EXPECT_NEAR(0.596, high, 0.001);
}

}  // namespace tepat::sim
