// Unit tests for the module decoder (sections, index spaces, malformed
// messages) and the function-body decoder (visitor calls, immediates,
// nesting syntax, feature gating).
#include "decoder/function_decoder.h"
#include "decoder/module_decoder.h"
#include "decoder/tests/wasm_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::test;

namespace {

std::string decode_error(Bytes b, FeatureSet f = FeatureSet::all()) {
  auto r = decode_module(std::move(b), f);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed) << r.error().message;
  return r.error().message;
}

} // namespace

TEST(ModuleDecoder, EmptyModule) {
  auto r = decode_module(module({}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->types.empty());
  EXPECT_EQ(r->bytes.size(), 8u);
}

TEST(ModuleDecoder, HeaderErrors) {
  EXPECT_EQ(decode_error({}), "unexpected end of section or function");
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73}), "unexpected end of section or function");
  EXPECT_EQ(decode_error({0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0}), "magic header not detected");
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0}), "unknown binary version");
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0}), "unknown binary version");
}

TEST(ModuleDecoder, SectionFraming) {
  EXPECT_EQ(decode_error(module({{0x0e, 0x00}})), "malformed section id");
  EXPECT_EQ(decode_error(module({section(1, vec({})), section(1, vec({}))})),
            "unexpected content after last section");
  EXPECT_EQ(decode_error(module({section(10, vec({})), section(3, vec({}))})),
            "unexpected content after last section");
  // Size larger than the rest of the module.
  EXPECT_EQ(decode_error(module({{0x01, 0x07, 0x00}})), "length out of bounds");
  // One type declared but two given.
  Bytes two = cat({{0x01}, func_type({}, {}), func_type({}, {})});
  EXPECT_EQ(decode_error(module({section(1, two)})), "section size mismatch");
  // Tag section (13) goes between memory (5) and global (6).
  EXPECT_EQ(decode_error(module({section(6, vec({})), section(13, vec({}))})),
            "unexpected content after last section");
  EXPECT_EQ(decode_error(module({section(5, vec({})), section(13, vec({})), section(6, vec({}))})),
            "ok");
}

TEST(ModuleDecoder, LebErrors) {
  EXPECT_EQ(decode_error(module({{0x01, 0x06, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00}})),
            "integer representation too long");
  EXPECT_EQ(decode_error(module({{0x01, 0x05, 0x80, 0x80, 0x80, 0x80, 0x10}})),
            "integer too large");
}

TEST(ModuleDecoder, TypesImportsAndIndexSpaces) {
  Bytes types = section(1, vec({func_type({0x7f, 0x7e}, {0x7d})}));
  Bytes imports = section(2, vec({
                                 cat({name("m"), name("f"), {0x00, 0x00}}),
                                 cat({name("m"), name("t"), {0x01, 0x70, 0x00, 0x01}}),
                                 cat({name("m"), name("mem"), {0x02, 0x01, 0x01, 0x02}}),
                                 cat({name("m"), name("g"), {0x03, 0x7f, 0x01}}),
                                 cat({name("m"), name("e"), {0x04, 0x00, 0x00}}),
                             }));
  Bytes funcs = section(3, vec({{0x00}}));
  Bytes code = section(10, vec({body({0x00}, {0x0b})}));
  auto r = decode_module(module({types, imports, funcs, code}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const wasm::Module& m = *r;
  ASSERT_EQ(m.types.size(), 1u);
  EXPECT_EQ(m.types[0].comp.func.params, (std::vector<ValType>{kI32, kI64}));
  EXPECT_EQ(m.types[0].comp.func.results, (std::vector<ValType>{kF32}));
  EXPECT_EQ(m.imports.size(), 5u);
  EXPECT_EQ(m.num_imported_funcs, 1u);
  EXPECT_EQ(m.funcs.size(), 2u);
  EXPECT_EQ(m.num_imported_tables, 1u);
  EXPECT_EQ(m.tables[0].type.limits.min, 1u);
  EXPECT_EQ(m.memories[0].limits.max, std::optional<uint64_t>(2));
  EXPECT_TRUE(m.globals[0].type.mut);
  EXPECT_EQ(m.tags.size(), 1u);
  EXPECT_TRUE(m.features_used.has(Feature::exceptions));
  EXPECT_EQ(m.bodies.size(), 1u);
  EXPECT_EQ(m.body_of(1).code.size, 1u);
}

TEST(ModuleDecoder, MalformedEntries) {
  EXPECT_EQ(decode_error(module({section(2, vec({cat({name("m"), name("x"), {0x05, 0x00}})}))})),
            "malformed import kind");
  EXPECT_EQ(decode_error(module({section(5, vec({{0x08, 0x00}}))}), FeatureSet::defaults()),
            "malformed limits flags");
  EXPECT_EQ(decode_error(module({section(6, vec({{0x7f, 0x02, 0x41, 0x00, 0x0b}}))})),
            "malformed mutability");
  Bytes bad_name = {0x01, 0xff};
  EXPECT_EQ(decode_error(module({section(0, bad_name)})), "malformed UTF-8 encoding");
  EXPECT_EQ(decode_error(module({section(9, vec({cat({{0x05, 0x7f}, vec({})})}))})),
            "malformed reference type");
}

TEST(ModuleDecoder, CodeSection) {
  Bytes t = func_type({}, {});
  EXPECT_EQ(decode_error(module({section(1, vec({t})), section(3, vec({{0x00}}))})),
            "function and code section have inconsistent lengths");
  // Locals: 2 x i32, 3 x f64.
  auto r = decode_module(one_func(t, {0x0b}, vec({{0x02, 0x7f}, {0x03, 0x7c}})));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->bodies[0].num_locals, 5u);
  ASSERT_EQ(r->bodies[0].locals.size(), 2u);
  EXPECT_EQ(r->bodies[0].locals[1].type, kF64);
  // 2^32 locals in total.
  Bytes many = vec({cat({uleb(0xffffffffu), {0x7f}}), {0x01, 0x7f}});
  EXPECT_EQ(decode_error(one_func(t, {0x0b}, many)), "too many locals");
  // Missing end at the end of the module.
  EXPECT_EQ(decode_error(one_func(t, {0x01})), "unexpected end of section or function");
  EXPECT_EQ(decode_error(one_func(t, {0x00, 0xff, 0x0b})), "illegal opcode ff");
  EXPECT_EQ(decode_error(one_func(t, {0x05, 0x0b})), "END opcode expected");
  // Data count must match the data section.
  EXPECT_EQ(decode_error(module({section(12, uleb(1))})),
            "data count and data section have inconsistent lengths");
}

// ---- function decoder --------------------------------------------------------

namespace {

struct Recorder {
  std::vector<Op> ops;
  std::vector<uint32_t> offsets;
  MemArgImm last_mem;
  std::vector<uint32_t> br_targets;
  int64_t last_i64 = 0;
  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t off) {
    ops.push_back(op);
    offsets.push_back(off);
    if constexpr (op_info(op).imm == Imm::MemArg) last_mem = imm;
    if constexpr (op == Op::br_table)
      br_targets.assign(imm.targets.begin(), imm.targets.end()),
          br_targets.push_back(imm.default_target);
    if constexpr (op == Op::i64_const) last_i64 = imm.value;
    return {};
  }
};
static_assert(FunctionVisitor<Recorder>);

Status run(const Bytes& code, Recorder& rec, DecodeEnv env = {}) {
  Reader r(code.data(), code.data(), code.data() + code.size());
  return decode_instructions(r, rec, env);
}

} // namespace

TEST(FunctionDecoder, VisitsEveryInstruction) {
  Recorder rec;
  // i32.const 1; i64.const -1; drop; block end; i32.load (flags 0x42: align 2, memory 1
  // follows, offset 5); end
  Bytes code = {0x41, 0x01, 0x42, 0x7f, 0x1a, 0x02, 0x40, 0x0b, 0x28, 0x42, 0x01, 0x05, 0x0b};
  ASSERT_TRUE(run(code, rec).ok());
  std::vector<Op> want = {Op::i32_const, Op::i64_const, Op::drop, Op::block,
                          Op::end,       Op::i32_load,  Op::end};
  EXPECT_EQ(rec.ops, want);
  EXPECT_EQ(rec.last_i64, -1);
  EXPECT_EQ(rec.last_mem.align_log2, 2u);
  EXPECT_EQ(rec.last_mem.memory, 1u);
  EXPECT_EQ(rec.last_mem.offset, 5u);
  EXPECT_EQ(rec.offsets[1], 2u);
}

TEST(FunctionDecoder, PrefixedAndBrTable) {
  Recorder rec;
  Bytes code = {0xfc, 0x00, 0xfd, 0x0c, 0, 0, 0, 0,    0,    0,    0,    0,    0,
                0,    0,    0,    0,    0, 0, 0, 0x0e, 0x02, 0x00, 0x01, 0x02, 0x0b};
  ASSERT_TRUE(run(code, rec).ok());
  EXPECT_EQ(rec.ops[0], Op::i32_trunc_sat_f32_s);
  EXPECT_EQ(rec.ops[1], Op::v128_const);
  EXPECT_EQ(rec.ops[2], Op::br_table);
  EXPECT_EQ(rec.br_targets, (std::vector<uint32_t>{0, 1, 2}));
}

TEST(FunctionDecoder, MalformedInstructions) {
  Recorder rec;
  auto msg = [&](Bytes b) {
    Status s = run(b, rec);
    return s.ok() ? std::string("ok") : s.error().message;
  };
  EXPECT_EQ(msg({0x06, 0x40, 0x0b, 0x0b}), "ok"); // legacy try (allowed by DecodeEnv default)
  EXPECT_EQ(msg({0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b}), "END opcode expected");
  EXPECT_EQ(msg({0x07, 0x00, 0x0b}), "END opcode expected");
  EXPECT_EQ(msg({0x27}), "illegal opcode 27");
  EXPECT_EQ(msg({0xfc, 0x12}), "illegal opcode fc 12");
  EXPECT_EQ(msg({0x28, 0x80, 0x01, 0x00, 0x0b}), "malformed memop flags");
  EXPECT_EQ(msg({0xfe, 0x03, 0x01, 0x0b}), "zero byte expected");
  EXPECT_EQ(msg({0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b}), "malformed catch clause");
}

TEST(FunctionDecoder, FeatureGating) {
  Recorder rec;
  DecodeEnv env;
  env.features = FeatureSet::defaults();
  env.features.set(Feature::simd, false);
  Bytes code = {0xfd, 0x0f, 0x0b}; // i8x16.splat
  Status s = run(code, rec, env);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::Unsupported);
  EXPECT_EQ(s.error().message, "feature 'simd' is not supported");
  env.has_data_count = false;
  env.features = FeatureSet::all();
  Status d = run({0xfc, 0x09, 0x00, 0x0b}, rec, env);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "data count section required");
}

TEST(FunctionDecoder, DeepNestingIsNotRecursive) {
  Recorder rec;
  Bytes code;
  for (int i = 0; i < 200000; ++i) code.insert(code.end(), {0x02, 0x40});
  for (int i = 0; i < 200000; ++i) code.push_back(0x0b);
  code.push_back(0x0b);
  EXPECT_TRUE(run(code, rec).ok());
}
