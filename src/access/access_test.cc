// Roles, scopes by region-code prefix, who may post what, and login throttling.
#include "access/access.h"

#include <gtest/gtest.h>

namespace tepat::access {

namespace {

ledger::Document Doc(ledger::DocKind kind, std::string node, std::string to = "") {
  ledger::Document doc;
  doc.kind = kind;
  doc.node = std::move(node);
  doc.to = std::move(to);
  return doc;
}

Principal Kpu(std::string scope) { return {1, "officer", Role::kKpu, std::move(scope)}; }

}  // namespace

TEST(AccessTest, ScopeIsARegionCodePrefixAtSegmentBoundaries) {
  EXPECT_TRUE(WithinScope("", "35.78.01.1001.001"));
  EXPECT_TRUE(WithinScope("35.78", "35.78"));
  EXPECT_TRUE(WithinScope("35.78", "35.78.01.1001.001"));
  EXPECT_FALSE(WithinScope("35.7", "35.78"));  // not a whole segment
  EXPECT_FALSE(WithinScope("35.78", "35.7"));
  EXPECT_FALSE(WithinScope("35.78.01", "35.78.02.1001"));
  EXPECT_TRUE(WithinScope("35.78.01.1001.001", "35.78.01.1001.001"));
}

TEST(AccessTest, CheckScopeFitsTheRole) {
  EXPECT_TRUE(CheckScope(Role::kKpu, "").ok());
  EXPECT_TRUE(CheckScope(Role::kKpu, "35.78.01.1001.001").ok());
  EXPECT_TRUE(CheckScope(Role::kBawaslu, "35").ok());
  EXPECT_FALSE(CheckScope(Role::kKpu, "35.7").ok());
  EXPECT_FALSE(CheckScope(Role::kKpu, "kpu:35").ok());
  EXPECT_FALSE(CheckScope(Role::kAdmin, "35").ok());
  EXPECT_TRUE(CheckScope(Role::kVendor, "vendor:tahap1-perlengkapan").ok());
  EXPECT_FALSE(CheckScope(Role::kVendor, "35.78").ok());
  EXPECT_FALSE(CheckScope(Role::kPublic, "").ok());
  EXPECT_EQ(Role::kBawaslu, ParseRole("bawaslu"));
  EXPECT_FALSE(ParseRole("root").has_value());
}

TEST(AccessTest, ADistrictOfficerDispatchesOnlyFromItsDistrictAndReceivesOnlyIntoIt) {
  const Principal district = Kpu("35.78.01");
  EXPECT_TRUE(MayPost(district, Doc(ledger::DocKind::kDispatch, "ppk:35.78.01", "pps:35.78.01.1001")).ok());
  EXPECT_TRUE(MayPost(district, Doc(ledger::DocKind::kReceipt, "ppk:35.78.01")).ok());
  // The return after voting goes up to the regency, outside the district: allowed, it is the chain's next level.
  EXPECT_TRUE(MayPost(district, Doc(ledger::DocKind::kDispatch, "ppk:35.78.01", "kpu:35.78")).ok());
  const Status from_other = MayPost(district, Doc(ledger::DocKind::kDispatch, "ppk:35.78.02", "pps:35.78.02.1001"));
  ASSERT_FALSE(from_other.ok());
  EXPECT_EQ("node: ppk:35.78.02 is outside the scope of officer (kpu of 35.78.01)", from_other.error().message());
  // The regency warehouse is above the district: its dispatches are not the district officer's to sign.
  EXPECT_FALSE(MayPost(district, Doc(ledger::DocKind::kDispatch, "kpu:35.78", "ppk:35.78.01")).ok());
  EXPECT_FALSE(MayPost(district, Doc(ledger::DocKind::kReceipt, "kpps:35.78.02.1001.001")).ok());
  // A regency officer sending to another regency's PPK is refused on `to`.
  const Status elsewhere = MayPost(Kpu("35.78"), Doc(ledger::DocKind::kDispatch, "kpu:35.78", "ppk:35.01.01"));
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(0u, elsewhere.error().message().find("to: ppk:35.01.01 is outside"));
}

TEST(AccessTest, BawasluVendorsAndThePublicPostNoLogisticsDocumentsOfOthers) {
  const ledger::Document bast = Doc(ledger::DocKind::kDispatch, "kpu:35.78", "ppk:35.78.01");
  EXPECT_FALSE(MayPost({2, "pengawas", Role::kBawaslu, ""}, bast).ok());
  EXPECT_FALSE(MayPost({}, bast).ok());
  EXPECT_FALSE(MayPost({3, "vendor", Role::kVendor, "vendor:tahap1-perlengkapan"}, bast).ok());
  EXPECT_TRUE(MayPost({4, "root", Role::kAdmin, ""}, bast).ok());
  EXPECT_TRUE(MayPost(Kpu(""), bast).ok());
}

TEST(AccessTest, ReadingDetailsNeedsALoginAndAScope) {
  EXPECT_FALSE(MayReadDetailsOf({}, "35.78"));
  EXPECT_TRUE(MayReadDetailsOf({1, "b", Role::kBawaslu, "35"}, "35.78.01.1001.001"));
  EXPECT_FALSE(MayReadDetailsOf({1, "b", Role::kBawaslu, "35"}, "34.71"));
  EXPECT_FALSE(MayReadDetailsOf({1, "v", Role::kVendor, "vendor:x"}, "35.78"));
  EXPECT_TRUE(MayReadAudit({1, "b", Role::kBawaslu, "35"}, "35.78"));
  EXPECT_FALSE(MayReadAudit(Kpu(""), ""));
  EXPECT_TRUE(MayReadRegion({}, "35.78"));
}

TEST(AccessTest, ThrottleRefusesAfterTheLimitUntilTheWindowPasses) {
  Throttle throttle(3, 300);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(0, throttle.RetryAfter("u:a", 1000 + i));
    throttle.Failed("u:a", 1000 + i);
  }
  EXPECT_EQ(297, throttle.RetryAfter("u:a", 1003));  // the oldest failure (1000) leaves the window at 1300
  EXPECT_EQ(0, throttle.RetryAfter("u:b", 1003));
  EXPECT_EQ(0, throttle.RetryAfter("u:a", 1300));
  throttle.Failed("u:c", 1);
  throttle.Succeeded("u:c");
  EXPECT_EQ(0, throttle.RetryAfter("u:c", 2));
}

TEST(AccessTest, PasswordsMustBeLongAndMixed) {
  EXPECT_FALSE(CheckPasswordStrength("short1").ok());
  EXPECT_FALSE(CheckPasswordStrength("onlyletterslong").ok());
  EXPECT_FALSE(CheckPasswordStrength("1234567890123").ok());
  EXPECT_TRUE(CheckPasswordStrength("tepat-2024-kpu").ok());
}

}  // namespace tepat::access
