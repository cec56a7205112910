// Tests of the option table, the argv parser, -W feature switches and help generation.
#include "cli_options.h"

#include <gtest/gtest.h>

namespace tandem::harness {
namespace {

Result<CliOptions> parse(Subcommand s, std::vector<std::string_view> args) {
  return parse_subcommand_args(s, args);
}

TEST(CliOptions, DefaultsFollowCliMd) {
  auto r = parse(Subcommand::Wast, {"a.wast"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tier, TierChoice::Tiered);
  EXPECT_EQ(r->jobs, 1u);
  EXPECT_FALSE(r->differential);
  EXPECT_FALSE(r->progress.has_value());
  EXPECT_EQ(r->positionals, std::vector<std::string>{"a.wast"});
  EXPECT_EQ(r->features, FeatureSet::defaults());
}

TEST(CliOptions, LongOptionsWithEqualsOrSeparateValue) {
  auto r = parse(Subcommand::Wast, {"--tier=interp", "--report", "r.json", "--jobs=4", "x",
                                    "--expected-failures", "xf.txt", "--shard", "2/3", "y"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->tier, TierChoice::Interp);
  EXPECT_EQ(r->report, "r.json");
  EXPECT_EQ(r->jobs, 4u);
  EXPECT_EQ(r->expected_failures, "xf.txt");
  EXPECT_EQ(r->shard.index, 2u);
  EXPECT_EQ(r->shard.count, 3u);
  EXPECT_EQ(r->positionals, (std::vector<std::string>{"x", "y"}));
}

TEST(CliOptions, ShortOptionsAttachedOrSeparate) {
  auto r = parse(Subcommand::Wast, {"-j8", "-W", "threads", "-Wgc=n", "f"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->jobs, 8u);
  EXPECT_TRUE(r->features.has(Feature::threads));
  EXPECT_FALSE(r->features.has(Feature::gc));
}

TEST(CliOptions, BadUsageIsAnError) {
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"--bogus"},
           {"--tier=fast"},
           {"--tier"},
           {"-j", "many"},
           {"--fail-fast=yes"},
           {"--shard", "0/2"},
           {"--shard", "3/2"},
           {"--shard", "1"},
           {"-W", "no-such-feature"},
           {"-W", "simd=maybe"},
           {"--isolation=partial"},
           {"-o", "x"}, // wat2wasm only
       }) {
    auto r = parse(Subcommand::Wast, args);
    ASSERT_FALSE(r.ok()) << args[0];
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    EXPECT_NE(r.error().message.find("tandem wast: "), std::string::npos) << r.error().message;
  }
}

TEST(CliOptions, DoubleDashEndsOptions) {
  auto r = parse(Subcommand::Wast, {"--", "--tier=interp"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->positionals, std::vector<std::string>{"--tier=interp"});
}

TEST(CliOptions, RunStopsAtTheFile) {
  auto r = parse(Subcommand::Run, {"--tier=interp", "prog.wasm", "--tier=bogus", "-x"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->positionals, (std::vector<std::string>{"prog.wasm", "--tier=bogus", "-x"}));
}

TEST(FeatureSwitch, AllNamesAndLists) {
  FeatureSet f = FeatureSet::none();
  ASSERT_TRUE(apply_feature_switch("all", f).ok());
  EXPECT_EQ(f, FeatureSet::all());
  ASSERT_TRUE(apply_feature_switch("simd=n,gc=no", f).ok());
  EXPECT_FALSE(f.has(Feature::simd));
  EXPECT_FALSE(f.has(Feature::gc));
  ASSERT_TRUE(apply_feature_switch("simd", f).ok());
  EXPECT_TRUE(f.has(Feature::simd));
  ASSERT_TRUE(apply_feature_switch("all=n", f).ok());
  EXPECT_EQ(f, FeatureSet::none());
  EXPECT_FALSE(apply_feature_switch("", f).ok());
  EXPECT_FALSE(apply_feature_switch("simd,", f).ok());
}

TEST(Help, GeneratedFromTheTable) {
  std::string wast = subcommand_help(Subcommand::Wast);
  for (const auto& o : option_table()) {
    bool for_wast = o.subcommands & kForWast;
    std::string shown =
        o.long_name.empty() ? std::string("-") + o.short_name : "--" + std::string(o.long_name);
    EXPECT_EQ(wast.find(shown) != std::string::npos, for_wast) << shown;
  }
  EXPECT_NE(wast.find("tail-call"), std::string::npos); // the feature list comes from features.def
  EXPECT_NE(subcommand_help(Subcommand::Run).find("WASI preview1"), std::string::npos);
  std::string top = top_level_help();
  for (const auto& s : subcommand_table())
    EXPECT_NE(top.find(std::string(s.name)), std::string::npos);
}

} // namespace
} // namespace tandem::harness
