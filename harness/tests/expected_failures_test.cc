// Tests of expected-failure list parsing, path matching and the xfail/xpass accounting.
#include "expected_failures.h"
#include "outcome.h"

#include <gtest/gtest.h>

namespace tandem::harness {
namespace {

TEST(ExpectedFailures, ParsesEveryForm) {
  auto r = ExpectedFailureList::parse("# comment\n"
                                      "\n"
                                      "core/i32.wast:12 interp -- wrong message\n"
                                      "f64.wast -- not yet\r\n"
                                      "  proposals/x.wast:3 -- reason with -- inside  \n",
                                      "list.txt");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& e = r->entries();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].path, "core/i32.wast");
  EXPECT_EQ(e[0].line, 12u);
  EXPECT_TRUE(e[0].applies_to(TierChoice::Interp));
  EXPECT_FALSE(e[0].applies_to(TierChoice::Jit));
  EXPECT_EQ(e[0].reason, "wrong message");
  EXPECT_EQ(e[0].list_line, 3u);
  EXPECT_EQ(e[1].path, "f64.wast");
  EXPECT_FALSE(e[1].line.has_value());
  EXPECT_TRUE(e[1].applies_to(TierChoice::Interp));
  EXPECT_TRUE(e[1].applies_to(TierChoice::Jit));
  EXPECT_TRUE(e[1].applies_to(TierChoice::Tiered));
  EXPECT_EQ(e[1].reason, "not yet");
  EXPECT_EQ(e[2].line, 3u);
  EXPECT_EQ(e[2].reason, "reason with -- inside");
}

TEST(ExpectedFailures, RejectsBadLines) {
  for (const char* bad : {"a.wast\n", "a.wast --\n", "a.wast -- \n", "a.wast:x -- r\n",
                          "a.wast:0 -- r\n", "a.wast fast -- r\n", "a.wast interp extra -- r\n",
                          ":3 -- r\n", "a.wast interp,fast -- r\n", "a.wast interp, -- r\n"}) {
    auto r = ExpectedFailureList::parse(bad, "xf.txt");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message.rfind("xf.txt:1: ", 0), 0u) << r.error().message;
  }
}

TEST(ExpectedFailures, PathMatching) {
  EXPECT_TRUE(path_matches("i32.wast", "/t/core/i32.wast"));
  EXPECT_TRUE(path_matches("core/i32.wast", "/t/core/i32.wast"));
  EXPECT_TRUE(path_matches("core/i32.wast", "core/./i32.wast"));
  EXPECT_TRUE(path_matches("/t/core/i32.wast", "/t/core/i32.wast"));
  EXPECT_FALSE(path_matches("2.wast", "/t/core/i32.wast"));
  EXPECT_FALSE(path_matches("simd/i32.wast", "/t/core/i32.wast"));
}

TEST(ExpectedFailures, ForFileFiltersByTier) {
  auto r = ExpectedFailureList::parse("a.wast:1 jit -- j\na.wast:2 -- any\nb.wast -- b\n", "l");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->for_file("x/a.wast", TierChoice::Interp).size(), 1u);
  EXPECT_EQ(r->for_file("x/a.wast", TierChoice::Jit).size(), 2u);
  EXPECT_EQ(r->for_file("x/b.wast", TierChoice::Jit).size(), 1u);
}

TEST(ExpectedFailures, TierLists) {
  auto r = ExpectedFailureList::parse("a.wast:3 interp,tiered -- r\n", "l");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ExpectedFailure& e = r->entries().at(0);
  EXPECT_TRUE(e.applies_to(TierChoice::Interp));
  EXPECT_FALSE(e.applies_to(TierChoice::Jit));
  EXPECT_TRUE(e.applies_to(TierChoice::Tiered));
}

FileOutcome sample() {
  FileOutcome f;
  f.path = "a.wast";
  f.directives = {make_outcome(1, "module", Outcome::Passed, ""),
                  make_outcome(2, "assert_return", Outcome::Failed, "bad"),
                  make_outcome(3, "assert_return", Outcome::Passed, ""),
                  make_outcome(4, "assert_trap", Outcome::Skipped, "needs gc")};
  return f;
}

ExpectedFailure entry(std::optional<uint32_t> line) {
  ExpectedFailure e;
  e.path = "a.wast";
  e.line = line;
  e.reason = "known";
  return e;
}

TEST(ExpectedFailures, ListedFailureIsXFailListedPassIsXPass) {
  FileOutcome f = sample();
  apply_expected_failures(f, {entry(2), entry(3), entry(4), entry(99)});
  Counts c = f.counts();
  EXPECT_EQ(c.passed, 1u);
  EXPECT_EQ(c.failed, 1u); // line 3: xpass
  EXPECT_EQ(c.xpass, 1u);
  EXPECT_EQ(c.skipped, 2u); // line 2 xfail + line 4 skip (a skip listed is neither)
  EXPECT_EQ(c.xfail, 1u);
  ASSERT_EQ(f.warnings.size(), 1u); // line 99 matches nothing
}

TEST(ExpectedFailures, WholeFileEntry) {
  FileOutcome f = sample();
  apply_expected_failures(f, {entry(std::nullopt)});
  Counts c = f.counts();
  EXPECT_EQ(c.failed, 0u);
  EXPECT_EQ(c.xfail, 1u);

  FileOutcome clean;
  clean.path = "a.wast";
  clean.directives = {make_outcome(1, "module", Outcome::Passed, "")};
  apply_expected_failures(clean, {entry(std::nullopt)});
  EXPECT_EQ(clean.counts().xpass, 1u);
  EXPECT_EQ(clean.counts().failed, 1u);
}

} // namespace
} // namespace tandem::harness
