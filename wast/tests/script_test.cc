// Script parser tests: every command form, module sources (text ranges,
// binary bytes, quote text), annotations, the inline-module file form, error
// positions and hostile nesting.
#include "wast/script.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tandem::wast {
namespace {

Script parse_ok(std::string_view src) {
  auto r = parse_script(src, "t.wast");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : format_error(r.error(), "t.wast")) << " in "
                      << src.substr(0, 200);
  if (!r.ok()) return Script{};
  return std::move(r).value();
}

std::string parse_err(std::string_view src) {
  auto r = parse_script(src, "t.wast");
  EXPECT_FALSE(r.ok()) << "expected an error for: " << src.substr(0, 200);
  return r.ok() ? "" : format_error(r.error(), "t.wast");
}

std::string text_of(const Script& s, std::span<const Token> toks) {
  std::string out;
  for (const Token& t : toks) {
    if (!out.empty()) out += ' ';
    if (t.kind == TokKind::LParenAnnot) out += "(@";
    out += t.text;
  }
  return out;
}

TEST(Script, TextModules) {
  Script s = parse_ok(
      "(module $m (func (export \"f\")))\n(module)\n( module (@a) $\"n\" (@b) (memory 1))");
  ASSERT_EQ(s.commands.size(), 3u);
  const Command& c0 = s.commands[0];
  EXPECT_EQ(c0.kind, CommandKind::Module);
  EXPECT_EQ(c0.module.form, ModuleForm::Text);
  EXPECT_EQ(c0.module.kind, ModuleKind::Core);
  EXPECT_FALSE(c0.module.definition);
  EXPECT_EQ(c0.module.id, "m");
  EXPECT_EQ(text_of(s, s.body_tokens(c0.module)), "( func ( export \"f\" ) )");
  EXPECT_EQ(text_of(s, s.form_tokens(c0.module)), "( module $m ( func ( export \"f\" ) ) )");
  EXPECT_EQ(c0.loc.line, 1u);
  EXPECT_EQ(c0.loc.column, 1u);
  EXPECT_TRUE(s.body_tokens(s.commands[1].module).empty());
  EXPECT_FALSE(s.commands[1].module.id.has_value());
  const Command& c2 = s.commands[2];
  EXPECT_EQ(c2.module.id, "n");
  // Annotations after the id belong to the body.
  EXPECT_EQ(text_of(s, s.body_tokens(c2.module)), "(@b ) ( memory 1 )");
  EXPECT_EQ(c2.loc.line, 3u);
}

TEST(Script, AnnotationsBeforeModuleKeyword) {
  Script s = parse_ok("((@a) module (@a) $m (@a) (func))\n(@x y) (module (@custom \"c\" \"d\"))");
  ASSERT_EQ(s.commands.size(), 2u);
  EXPECT_EQ(s.commands[0].module.id, "m");
  EXPECT_EQ(text_of(s, s.body_tokens(s.commands[0].module)), "(@a ) ( func )");
  // Without an id, leading annotations stay in the body.
  EXPECT_EQ(text_of(s, s.body_tokens(s.commands[1].module)), "(@custom \"c\" \"d\" )");
}

TEST(Script, BinaryAndQuoteModules) {
  Script s = parse_ok("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
                      "(module $b binary \"\\00asm\\01\\00\\00\\00\")\n"
                      "(module quote \"(func\" \" $f)\" \"\")\n"
                      "(module definition $d binary \"\")\n"
                      "(module definition (memory 65536))\n"
                      "(module instance $i $d)\n(module instance $d)\n(module instance)");
  ASSERT_EQ(s.commands.size(), 8u);
  EXPECT_EQ(s.commands[0].module.form, ModuleForm::Binary);
  EXPECT_EQ(s.commands[0].module.bytes, std::string("\0asm\1\0\0\0", 8));
  EXPECT_EQ(s.commands[1].module.id, "b");
  EXPECT_EQ(s.commands[1].module.bytes.size(), 8u);
  EXPECT_EQ(s.commands[2].module.form, ModuleForm::Quote);
  EXPECT_EQ(s.commands[2].module.text, "(func $f)");
  EXPECT_TRUE(s.commands[3].module.definition);
  EXPECT_EQ(s.commands[3].module.form, ModuleForm::Binary);
  EXPECT_EQ(s.commands[3].module.id, "d");
  EXPECT_TRUE(s.commands[4].module.definition);
  EXPECT_EQ(text_of(s, s.body_tokens(s.commands[4].module)), "( memory 65536 )");
  const ModuleSource& i5 = s.commands[5].module;
  EXPECT_EQ(i5.form, ModuleForm::Instance);
  EXPECT_EQ(i5.id, "i");
  EXPECT_EQ(i5.instance_of, "d");
  EXPECT_FALSE(s.commands[6].module.id.has_value());
  EXPECT_EQ(s.commands[6].module.instance_of, "d");
  EXPECT_FALSE(s.commands[7].module.instance_of.has_value());
}

TEST(Script, QuoteKeepsInvalidUtf8ForLaterLexing) {
  Script s = parse_ok("(assert_malformed (module quote \"\\ff\") \"malformed UTF-8 encoding\")");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].module.text, "\xff");
  auto lexed = lex(s.commands[0].module.text);
  ASSERT_FALSE(lexed.ok());
  EXPECT_EQ(lexed.error().message, "malformed UTF-8 encoding");
}

TEST(Script, Components) {
  Script s = parse_ok("(component $C (core module $m))\n"
                      "(component definition $D (import \"x\" (func)))\n"
                      "(component instance $i $D)\n"
                      "(component binary \"\\00asm\\0d\\00\\01\\00\")\n"
                      "(assert_malformed (component quote \"(a)\" \"(b)\") \"x\")\n"
                      "(assert_invalid (component (type $t u8)) \"msg\")");
  ASSERT_EQ(s.commands.size(), 6u);
  EXPECT_EQ(s.commands[0].module.kind, ModuleKind::Component);
  EXPECT_EQ(s.commands[0].module.id, "C");
  EXPECT_EQ(text_of(s, s.body_tokens(s.commands[0].module)), "( core module $m )");
  EXPECT_TRUE(s.commands[1].module.definition);
  EXPECT_EQ(s.commands[2].module.form, ModuleForm::Instance);
  EXPECT_EQ(s.commands[2].module.kind, ModuleKind::Component);
  EXPECT_EQ(s.commands[3].module.bytes.size(), 8u);
  EXPECT_EQ(s.commands[4].module.text, "(component(a) (b) )");
  EXPECT_EQ(s.commands[5].kind, CommandKind::AssertInvalid);
  EXPECT_EQ(s.commands[5].message, "msg");
}

TEST(Script, ActionsAndAssertions) {
  Script s = parse_ok(R"wast((register "M" $m)
(register "N")
(invoke "f" (i32.const 1))
(get $m "g")
(assert_return (invoke $m "f" (i64.const -1)) (i64.const 0xffffffffffffffff) (f32.const nan:canonical))
(assert_return (get "g"))
(assert_trap (invoke "f") "unreachable")
(assert_trap (module (start 0)) "out of bounds")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_invalid (module (func (local.get 2))) "unknown local")
(assert_malformed (module quote "(func") "unexpected end")
(assert_unlinkable (module (import "spectest" "unknown" (func))) "unknown import")
(assert_exception (invoke "throw"))
(assert_suspension (invoke "s") "unhandled")
(assert_malformed_custom (module quote "(@custom)") "custom")
(assert_invalid_custom (module) "hint")
)wast");
  ASSERT_EQ(s.commands.size(), 16u);
  const auto& c = s.commands;
  EXPECT_EQ(c[0].kind, CommandKind::Register);
  EXPECT_EQ(c[0].register_name, "M");
  EXPECT_EQ(c[0].register_instance, "m");
  EXPECT_FALSE(c[1].register_instance.has_value());
  EXPECT_EQ(c[2].kind, CommandKind::Action);
  EXPECT_EQ(c[2].action.kind, Action::Kind::Invoke);
  EXPECT_EQ(c[2].action.name, "f");
  ASSERT_EQ(c[2].action.args.size(), 1u);
  EXPECT_EQ(std::get<CoreValue>(c[2].action.args[0]).bits, 1u);
  EXPECT_EQ(c[3].action.kind, Action::Kind::Get);
  EXPECT_EQ(c[3].action.instance, "m");
  EXPECT_EQ(c[4].kind, CommandKind::AssertReturn);
  EXPECT_EQ(c[4].action.instance, "m");
  ASSERT_EQ(c[4].expected.size(), 2u);
  EXPECT_EQ(std::get<ResultPattern>(c[4].expected[0]).bits, UINT64_MAX);
  EXPECT_EQ(std::get<ResultPattern>(c[4].expected[1]).nan, NanPattern::Canonical);
  EXPECT_TRUE(c[5].expected.empty());
  EXPECT_EQ(c[6].kind, CommandKind::AssertTrap);
  EXPECT_EQ(c[6].message, "unreachable");
  EXPECT_EQ(c[7].kind, CommandKind::AssertUninstantiable);
  EXPECT_EQ(c[7].module.form, ModuleForm::Text);
  EXPECT_EQ(c[8].kind, CommandKind::AssertExhaustion);
  EXPECT_EQ(c[9].kind, CommandKind::AssertInvalid);
  EXPECT_EQ(c[9].message, "unknown local");
  EXPECT_EQ(c[10].kind, CommandKind::AssertMalformed);
  EXPECT_EQ(c[10].module.text, "(func");
  EXPECT_EQ(c[11].kind, CommandKind::AssertUnlinkable);
  EXPECT_EQ(c[12].kind, CommandKind::AssertException);
  EXPECT_EQ(c[13].kind, CommandKind::AssertSuspension);
  EXPECT_EQ(c[14].kind, CommandKind::AssertMalformedCustom);
  EXPECT_EQ(c[15].kind, CommandKind::AssertInvalidCustom);
  EXPECT_EQ(c[15].loc.line, 16u);
  CommandCounts counts = count_commands(s);
  EXPECT_EQ(counts[CommandKind::Register], 2u);
  EXPECT_EQ(counts[CommandKind::AssertReturn], 2u);
}

TEST(Script, ThreadsAndWait) {
  Script s = parse_ok(R"wast((module $Mem (memory 1 1 shared))
(thread $T1 (shared (module $Mem))
  (register "mem" $Mem)
  (module (func (export "run")))
  (invoke "run"))
(thread $T2 (invoke "x"))
(wait $T1)
(wait $T2))wast");
  ASSERT_EQ(s.commands.size(), 5u);
  EXPECT_EQ(s.commands[1].kind, CommandKind::Thread);
  EXPECT_EQ(s.commands[1].thread_name, "T1");
  EXPECT_EQ(s.commands[1].shared_module, "Mem");
  ASSERT_EQ(s.commands[1].body.size(), 3u);
  EXPECT_EQ(s.commands[1].body[2].kind, CommandKind::Action);
  EXPECT_FALSE(s.commands[2].shared_module.has_value());
  EXPECT_EQ(s.commands[3].kind, CommandKind::Wait);
  EXPECT_EQ(s.commands[4].thread_name, "T2");
  EXPECT_EQ(count_commands(s)[CommandKind::Action], 2u);
}

TEST(Script, InlineModuleFile) {
  Script s = parse_ok(";; comment\n(func) (memory 0)\n(func (export \"f\"))\n");
  EXPECT_TRUE(s.inline_module);
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].kind, CommandKind::Module);
  EXPECT_EQ(s.commands[0].loc.line, 2u);
  EXPECT_EQ(s.body_tokens(s.commands[0].module).size(), s.tokens.size() - 1);
  Script empty = parse_ok(";; nothing\n");
  EXPECT_FALSE(empty.inline_module);
  EXPECT_TRUE(empty.commands.empty());
}

TEST(Script, ErrorsHavePositions) {
  EXPECT_EQ(parse_err("(module)\n  (bogus)"), "t.wast:2:4: unknown command 'bogus'");
  EXPECT_EQ(parse_err("(module)\n(assert_return (invoke \"f\" (i32.const 0x100000000)))"),
            "t.wast:2:39: constant out of range");
  EXPECT_EQ(parse_err("(module)\n(invoke \"f\" (v128.const i32x4 1 2 3))"),
            "t.wast:2:36: wrong number of lane literals");
  EXPECT_EQ(parse_err("(module))"), "t.wast:1:9: unexpected token");
  EXPECT_EQ(parse_err("(module)\n (module"), "t.wast:2:2: unclosed parenthesis");
  EXPECT_EQ(parse_err("(module)\n\"abc"), "t.wast:2:1: unclosed string");
  EXPECT_EQ(parse_err("(invoke \"\\ff\")"), "t.wast:1:9: malformed UTF-8 encoding");
  EXPECT_EQ(parse_err("(assert_return (invoke \"f\") (i32.const 1)"),
            "t.wast:1:1: unclosed parenthesis");
  EXPECT_EQ(parse_err("(assert_trap (invoke \"f\"))"), "t.wast:1:26: unexpected token");
  EXPECT_EQ(parse_err("(register)"), "t.wast:1:10: unexpected token");
  EXPECT_EQ(parse_err("(assert_invalid (invoke \"f\") \"x\")"), "t.wast:1:18: unexpected token");
  Error no_line = Error::make(ErrorKind::Io, "cannot open");
  EXPECT_EQ(format_error(no_line, "x.wast"), "x.wast: cannot open");
}

TEST(Script, HostileNestingIsAQuickError) {
  for (size_t depth : {100000u, 1000000u}) {
    std::string src(depth, '(');
    auto t0 = std::chrono::steady_clock::now();
    std::string err = parse_err(src);
    EXPECT_EQ(err, "t.wast:1:" + std::to_string(depth) + ": unclosed parenthesis");
    // Balanced: the first form has no command keyword, so this is the
    // inline-module file form; the parser does not descend into it.
    src += std::string(depth, ')');
    Script inline_file = parse_ok(src);
    EXPECT_TRUE(inline_file.inline_module);
    // As a command it is rejected at the second `(`.
    err = parse_err("(module)\n" + src);
    EXPECT_EQ(err, "t.wast:2:2: unexpected token");
    // Inside a module the nesting is skipped, not descended into.
    std::string mod = "(module " + std::string(depth, '(') + std::string(depth, ')') + ")";
    Script s = parse_ok(mod);
    EXPECT_EQ(s.commands.size(), 1u);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 5000.0);
  }
}

TEST(Script, DeepValuesHitTheDepthLimit) {
  std::string args;
  for (int i = 0; i < 100000; ++i) args += "(list.const ";
  args += std::string(100000, ')');
  std::string err = parse_err("(invoke \"f\" " + args + ")");
  EXPECT_NE(err.find("nesting too deep"), std::string::npos) << err;
  std::string either;
  for (int i = 0; i < 100000; ++i) either += "(either ";
  either += "(i32.const 0)" + std::string(100000, ')');
  err = parse_err("(assert_return (invoke \"f\") " + either + ")");
  EXPECT_NE(err.find("nesting too deep"), std::string::npos) << err;
  std::string unparen = "(invoke \"f\" (option.some";
  for (int i = 0; i < 100000; ++i) unparen += " option.some";
  err = parse_err(unparen + " option.none))");
  EXPECT_NE(err.find("nesting too deep"), std::string::npos) << err;
  std::string threads;
  for (int i = 0; i < 1000; ++i) threads += "(thread $t ";
  err = parse_err(threads + std::string(1000, ')'));
  EXPECT_NE(err.find("nesting too deep"), std::string::npos) << err;
}

// Robustness: truncations and byte flips of real scripts never crash (run
// this under -DTANDEM_SANITIZE=ON to also catch UB); errors carry a line.
TEST(Script, MutatedInputsFailCleanly) {
  std::string base = R"wast((module $m (func (export "f") (param i32) (result i32) (local.get 0)))
(@a x "y" (z)) (register "m" $m)
(assert_return (invoke $m "f" (i32.const -1)) (either (i32.const 1) (i32.const -1)))
(assert_return (invoke "g" (v128.const f32x4 nan:0x1 -0 1 inf)) (v128.const f32x4 nan:canonical 0 1 nan:arithmetic))
(assert_malformed (module quote "(func $\"a\" (@x))" "(;c;)") "x") ;; comment
(module binary "\00asm" "\01\00\00\00")
(component instance $i $C)
(assert_return (invoke "r") (record.const (field "a" u8.const 1) (field "b" (list.const (str.const "\u{1F600}")))))
(thread $t (shared (module $m)) (invoke "f" (ref.extern 1)))
(wait $t)
)wast";
  Script whole = parse_ok(base);
  EXPECT_EQ(whole.commands.size(), 10u);
  uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  size_t failures = 0;
  for (size_t cut = 0; cut <= base.size(); ++cut) {
    auto r = parse_script(std::string_view(base).substr(0, cut), "m.wast");
    if (!r.ok()) {
      ++failures;
      EXPECT_GT(r.error().line, 0u) << r.error().message;
    }
  }
  const char bytes[] = {'(', ')', '"', '\\', ';', '$', '@', ' ', '\n', '\0', '\xff', 'x', '0'};
  for (int i = 0; i < 4000; ++i) {
    std::string m = base;
    for (int k = 0; k < 3; ++k) m[next() % m.size()] = bytes[next() % sizeof(bytes)];
    auto r = parse_script(m, "m.wast");
    if (!r.ok()) {
      ++failures;
      EXPECT_GT(r.error().line, 0u) << r.error().message;
      continue;
    }
    for (const Command& c : r->commands)
      if (c.module.form == ModuleForm::Quote) (void)lex(c.module.text).ok();
  }
  EXPECT_GT(failures, 100u);
}

} // namespace
} // namespace tandem::wast
