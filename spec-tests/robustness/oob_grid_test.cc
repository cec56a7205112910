// Out-of-bounds grid on both tiers (interpreter and JIT), checked against a
// model of the spec written here (not against the other tier):
//  * memory: sizes 0, 1, 2 pages and each after memory.grow by one page;
//    every load and store of widths 1..16 (i32, i64, f32, f64, v128 plain,
//    extending, splat, zero and lane forms); offsets 0, 1, 0xffff; effective
//    addresses len-width-1 .. len+1 and a few far ones; memory32 and
//    memory64. In-bounds loads must return the model's bytes, stores must
//    write exactly their bytes, out-of-bounds accesses must trap with
//    "out of bounds memory access" and write nothing.
//  * bulk memory: memory.fill / copy / init with destinations, sources and
//    lengths around the end (no partial writes).
//  * tables (table32 and table64): sizes 0, 1, 3 and after table.grow;
//    table.get / set / fill / copy / init and call_indirect at indices
//    size-1, size, size+1 ("out of bounds table access", "undefined element",
//    "uninitialized element"), the whole table compared after every op.
// Each test prints its case and mismatch counts; the expectation is 0.
#include "tandem/tandem.h"
#include "wast/wat_module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem {
namespace {

constexpr uint64_t kPage = 65536;
const std::string kMemOob = "out of bounds memory access";
const std::string kTableOob = "out of bounds table access";

// One call's observation: a trap message or the result bytes (LE).
struct Observed {
  std::optional<std::string> trap;
  std::vector<uint8_t> bytes;
};

std::string show(const Observed& o) {
  if (o.trap) return "trap '" + *o.trap + "'";
  std::string s = "value";
  char buf[4];
  for (uint8_t b : o.bytes) {
    std::snprintf(buf, sizeof buf, " %02x", b);
    s += buf;
  }
  return s;
}

// A store on one tier with one instance; counts cases and mismatches.
struct Grid {
  explicit Grid(Tier tier) : engine(config(tier)), store(engine) {}
  static EngineConfig config(Tier tier) {
    EngineConfig c;
    c.tier = tier;
    return c;
  }

  bool load(const std::string& wat) {
    Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(wat);
    if (!bytes.ok()) {
      ADD_FAILURE() << "wat: " << bytes.error().message << "\n" << wat;
      return false;
    }
    Result<Module> m = Module::compile(engine, bytes.value());
    if (!m.ok()) {
      ADD_FAILURE() << "compile: " << m.error().message << "\n" << wat;
      return false;
    }
    Result<Instance> i = Instance::instantiate(store, m.value(), {});
    if (!i.ok()) {
      ADD_FAILURE() << "instantiate: " << i.error().message;
      return false;
    }
    inst = i.value();
    funcs.clear();
    return true;
  }

  Observed call(const std::string& name, std::vector<Value> args) {
    auto it = funcs.find(name);
    if (it == funcs.end()) {
      std::optional<Extern> e = inst.get_export(store, name);
      it = funcs.emplace(name, e ? e->func : Func()).first;
    }
    Observed o;
    if (!it->second) {
      o.trap = "no export " + name;
      return o;
    }
    Result<std::vector<Value>> r = it->second.call(store, args);
    if (!r.ok()) {
      o.trap = r.error().kind == ErrorKind::Trap ? r.error().message
                                                 : "non-trap error: " + r.error().message;
      return o;
    }
    for (const Value& v : r.value()) {
      if (v.type().kind() == ValKind::V128) {
        V128 x = v.v128();
        o.bytes.insert(o.bytes.end(), x.bytes, x.bytes + 16);
      } else {
        uint64_t bits = v.type().kind() == ValKind::I32 ? v.i32() : v.i64();
        for (int i = 0; i < 8; ++i) o.bytes.push_back(uint8_t(bits >> (8 * i)));
      }
    }
    return o;
  }

  // Records one case: what the spec model says against what the tier did.
  void expect(const Observed& want, const Observed& got, const std::string& what) {
    ++cases;
    if (want.trap == got.trap && (want.trap || want.bytes == got.bytes)) return;
    ++mismatches;
    if (mismatches <= 20) ADD_FAILURE() << what << ": want " << show(want) << ", got " << show(got);
  }

  Engine engine;
  Store store;
  Instance inst;
  std::map<std::string, Func> funcs;
  size_t cases = 0;
  size_t mismatches = 0;
};

Observed trap(const std::string& msg) {
  Observed o;
  o.trap = msg;
  return o;
}
Observed value_u64(uint64_t v) {
  Observed o;
  for (int i = 0; i < 8; ++i) o.bytes.push_back(uint8_t(v >> (8 * i)));
  return o;
}
Observed value_bytes(std::vector<uint8_t> b) {
  Observed o;
  o.bytes = std::move(b);
  return o;
}
Observed nothing() {
  return Observed{};
}

Value at(uint64_t a, bool is64) {
  return is64 ? Value::i64(a) : Value::i32(uint32_t(a));
}

// ---------------------------------------------------------------- memory

enum class Form { Scalar, V128, Extend, Splat, Zero, Lane };
enum class Res { I32, I64, F32, F64, V128 };

struct MemOp {
  const char* instr;
  uint32_t width; // bytes touched in memory
  Form form;
  Res res;           // loads: result type; stores: stored type
  bool sign = false; // scalar sign-extension, or signed extend load
  bool store = false;
};

const MemOp kOps[] = {
    {"i32.load8_s", 1, Form::Scalar, Res::I32, true},
    {"i32.load8_u", 1, Form::Scalar, Res::I32},
    {"i32.load16_s", 2, Form::Scalar, Res::I32, true},
    {"i32.load16_u", 2, Form::Scalar, Res::I32},
    {"i32.load", 4, Form::Scalar, Res::I32},
    {"i64.load8_s", 1, Form::Scalar, Res::I64, true},
    {"i64.load16_u", 2, Form::Scalar, Res::I64},
    {"i64.load32_s", 4, Form::Scalar, Res::I64, true},
    {"i64.load32_u", 4, Form::Scalar, Res::I64},
    {"i64.load", 8, Form::Scalar, Res::I64},
    {"f32.load", 4, Form::Scalar, Res::F32},
    {"f64.load", 8, Form::Scalar, Res::F64},
    {"v128.load", 16, Form::V128, Res::V128},
    {"v128.load8x8_s", 8, Form::Extend, Res::V128, true},
    {"v128.load16x4_u", 8, Form::Extend, Res::V128},
    {"v128.load32x2_s", 8, Form::Extend, Res::V128, true},
    {"v128.load8_splat", 1, Form::Splat, Res::V128},
    {"v128.load16_splat", 2, Form::Splat, Res::V128},
    {"v128.load32_splat", 4, Form::Splat, Res::V128},
    {"v128.load64_splat", 8, Form::Splat, Res::V128},
    {"v128.load32_zero", 4, Form::Zero, Res::V128},
    {"v128.load64_zero", 8, Form::Zero, Res::V128},
    {"v128.load8_lane", 1, Form::Lane, Res::V128},
    {"v128.load16_lane", 2, Form::Lane, Res::V128},
    {"v128.load32_lane", 4, Form::Lane, Res::V128},
    {"v128.load64_lane", 8, Form::Lane, Res::V128},
    {"i32.store8", 1, Form::Scalar, Res::I32, false, true},
    {"i32.store16", 2, Form::Scalar, Res::I32, false, true},
    {"i32.store", 4, Form::Scalar, Res::I32, false, true},
    {"i64.store8", 1, Form::Scalar, Res::I64, false, true},
    {"i64.store16", 2, Form::Scalar, Res::I64, false, true},
    {"i64.store32", 4, Form::Scalar, Res::I64, false, true},
    {"i64.store", 8, Form::Scalar, Res::I64, false, true},
    {"f32.store", 4, Form::Scalar, Res::F32, false, true},
    {"f64.store", 8, Form::Scalar, Res::F64, false, true},
    {"v128.store", 16, Form::V128, Res::V128, false, true},
    {"v128.store8_lane", 1, Form::Lane, Res::V128, false, true},
    {"v128.store16_lane", 2, Form::Lane, Res::V128, false, true},
    {"v128.store32_lane", 4, Form::Lane, Res::V128, false, true},
    {"v128.store64_lane", 8, Form::Lane, Res::V128, false, true},
};
constexpr uint8_t kLaneBase = 0xaa; // the vector a lane load starts from
const char* const kLaneBaseText = "(v128.const i32x4 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa)";

std::string memory_module(uint32_t pages, uint64_t offset, bool is64) {
  std::string a = is64 ? "i64" : "i32";
  std::string mem = " offset=" + std::to_string(offset) + " ";
  std::string m = "(module (memory " + std::string(is64 ? "i64 " : "") + std::to_string(pages) +
                  ")\n(data $d \"\\01\\02\\03\\04\\05\\06\\07\\08\")\n";
  for (size_t i = 0; i < std::size(kOps); ++i) {
    const MemOp& op = kOps[i];
    std::string name = (op.store ? "s" : "l") + std::to_string(i);
    std::string lane = op.form == Form::Lane ? "1 " : "";
    if (!op.store) {
      std::string load = "(" + std::string(op.instr) + mem + lane + "(local.get 0)" +
                         (op.form == Form::Lane ? std::string(" ") + kLaneBaseText : "") + ")";
      std::string body = op.res == Res::I32 ? "(i64.extend_i32_u " + load + ")"
                         : op.res == Res::F32
                             ? "(i64.extend_i32_u (i32.reinterpret_f32 " + load + "))"
                         : op.res == Res::F64 ? "(i64.reinterpret_f64 " + load + ")"
                                              : load;
      m += "(func (export \"" + name + "\") (param " + a + ") (result " +
           (op.res == Res::V128 ? "v128" : "i64") + ") " + body + ")\n";
    } else {
      std::string value = op.res == Res::I32   ? "(i32.wrap_i64 (local.get 1))"
                          : op.res == Res::I64 ? "(local.get 1)"
                          : op.res == Res::F32
                              ? "(f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))"
                          : op.res == Res::F64 ? "(f64.reinterpret_i64 (local.get 1))"
                                               : "(local.get 2)";
      m += "(func (export \"" + name + "\") (param " + a + " i64 v128) (" + op.instr + mem + lane +
           "(local.get 0) " + value + "))\n";
    }
  }
  m += "(func (export \"byte\") (param " + a + ") (result i32) (i32.load8_u (local.get 0)))\n";
  m += "(func (export \"setbyte\") (param " + a +
       " i32) (i32.store8 (local.get 0) (local.get 1)))\n";
  m +=
      "(func (export \"grow\") (param " + a + ") (result " + a + ") (memory.grow (local.get 0)))\n";
  m += "(func (export \"fill\") (param " + a + " i32 " + a +
       ") (memory.fill (local.get 0) (local.get 1) (local.get 2)))\n";
  m += "(func (export \"copy\") (param " + a + " " + a + " " + a +
       ") (memory.copy (local.get 0) (local.get 1) (local.get 2)))\n";
  m += "(func (export \"init\") (param " + a +
       " i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))\n";
  return m + ")";
}

// The spec model of one linear memory: a sparse byte map and a length.
struct MemModel {
  uint64_t len = 0;
  std::map<uint64_t, uint8_t> bytes;
  uint8_t get(uint64_t a) const {
    auto it = bytes.find(a);
    return it == bytes.end() ? 0 : it->second;
  }
  // ea = a + offset + width <= len, without overflow.
  bool in_bounds(uint64_t a, uint64_t offset, uint64_t width) const {
    unsigned __int128 end = (unsigned __int128)a + offset + width;
    return end <= len;
  }
};

Observed model_load(const MemOp& op, const MemModel& mem, uint64_t ea) {
  std::vector<uint8_t> m(op.width);
  for (uint32_t i = 0; i < op.width; ++i) m[i] = mem.get(ea + i);
  uint64_t raw = 0;
  for (uint32_t i = 0; i < op.width && i < 8; ++i) raw |= uint64_t(m[i]) << (8 * i);
  switch (op.form) {
  case Form::Scalar: {
    uint64_t v = raw;
    if (op.sign && op.width < 8) {
      uint64_t sign = uint64_t(1) << (8 * op.width - 1);
      v = (raw ^ sign) - sign;
    }
    if (op.res == Res::I32 || op.res == Res::F32) v &= 0xffffffffu;
    return value_u64(v);
  }
  case Form::V128: return value_bytes(m);
  case Form::Extend: {
    // 8 bytes: lanes of n bytes widened to 2n bytes.
    uint32_t n = op.instr[9] == '8' ? 1 : op.instr[9] == '1' ? 2 : 4;
    std::vector<uint8_t> out;
    for (uint32_t lane = 0; lane < 8 / n; ++lane) {
      bool negative = op.sign && (m[lane * n + n - 1] & 0x80);
      for (uint32_t i = 0; i < n; ++i) out.push_back(m[lane * n + i]);
      for (uint32_t i = 0; i < n; ++i) out.push_back(negative ? 0xff : 0);
    }
    return value_bytes(out);
  }
  case Form::Splat: {
    std::vector<uint8_t> out;
    for (uint32_t i = 0; i < 16; ++i) out.push_back(m[i % op.width]);
    return value_bytes(out);
  }
  case Form::Zero: {
    std::vector<uint8_t> out(16, 0);
    for (uint32_t i = 0; i < op.width; ++i) out[i] = m[i];
    return value_bytes(out);
  }
  case Form::Lane: {
    std::vector<uint8_t> out(16, kLaneBase);
    for (uint32_t i = 0; i < op.width; ++i) out[op.width + i] = m[i];
    return value_bytes(out);
  }
  }
  return nothing();
}

// The bytes a store writes at ea: scalar value bits or vector/lane bytes.
std::vector<uint8_t> stored_bytes(const MemOp& op, uint64_t value, const V128& vec) {
  std::vector<uint8_t> out;
  for (uint32_t i = 0; i < op.width; ++i) {
    if (op.form == Form::Scalar)
      out.push_back(uint8_t(value >> (8 * i)));
    else if (op.form == Form::V128)
      out.push_back(vec.bytes[i]);
    else
      out.push_back(vec.bytes[op.width + i]); // lane 1
  }
  return out;
}

// Compares the bytes near the end of memory and at its start with the model.
void check_window(Grid& g, const MemModel& mem, bool is64, const std::string& what) {
  std::vector<uint64_t> addrs;
  for (uint64_t a = mem.len >= 40 ? mem.len - 40 : 0; a < mem.len; ++a) addrs.push_back(a);
  for (uint64_t a = 0; a < 8 && a < mem.len; ++a) addrs.push_back(a);
  for (uint64_t a : addrs)
    g.expect(value_u64(mem.get(a)), g.call("byte", {at(a, is64)}),
             what + " byte " + std::to_string(a));
}

void seed_window(Grid& g, MemModel& mem, bool is64) {
  for (uint64_t a = mem.len >= 40 ? mem.len - 40 : 0; a < mem.len; ++a) {
    uint8_t v = uint8_t((a * 37 + 11) & 0xff);
    g.call("setbyte", {at(a, is64), Value::i32(v)});
    mem.bytes[a] = v;
  }
  for (uint64_t a = 0; a < 8 && a < mem.len; ++a) {
    uint8_t v = uint8_t(0x80 + a);
    g.call("setbyte", {at(a, is64), Value::i32(v)});
    mem.bytes[a] = v;
  }
}

void memory_grid_at(Grid& g, MemModel& mem, uint64_t offset, bool is64) {
  std::string where = "len=" + std::to_string(mem.len) + " offset=" + std::to_string(offset);
  for (size_t i = 0; i < std::size(kOps); ++i) {
    const MemOp& op = kOps[i];
    std::vector<uint64_t> addrs;
    uint64_t lo = mem.len >= op.width + 1 ? mem.len - op.width - 1 : 0;
    for (uint64_t ea = lo; ea <= mem.len + 1; ++ea)
      if (ea >= offset) addrs.push_back(ea - offset);
    for (uint64_t far : {uint64_t(0xffffffffu), uint64_t(0xfffffff0u), uint64_t(0x80000000u)})
      addrs.push_back(far);
    if (is64)
      for (uint64_t far : {uint64_t(1) << 32, ~uint64_t(0), ~uint64_t(0) - offset})
        addrs.push_back(far);
    for (uint64_t a : addrs) {
      std::string what = where + " " + op.instr + " addr=" + std::to_string(a);
      bool in = mem.in_bounds(a, offset, op.width);
      uint64_t ea = a + offset;
      std::string name = (op.store ? "s" : "l") + std::to_string(i);
      if (!op.store) {
        g.expect(in ? model_load(op, mem, ea) : trap(kMemOob), g.call(name, {at(a, is64)}), what);
        continue;
      }
      uint64_t value = 0x8877665544332211ull ^ (ea * 0x0101010101010101ull);
      V128 vec;
      for (int k = 0; k < 16; ++k) vec.bytes[k] = uint8_t(ea + 13 * k);
      g.expect(in ? nothing() : trap(kMemOob),
               g.call(name, {at(a, is64), Value::i64(value), Value::v128(vec)}), what);
      if (in) {
        std::vector<uint8_t> b = stored_bytes(op, value, vec);
        for (uint32_t k = 0; k < op.width; ++k) mem.bytes[ea + k] = b[k];
      }
      check_window(g, mem, is64, what);
    }
  }
}

void bulk_grid_at(Grid& g, MemModel& mem, bool is64) {
  const uint64_t len = mem.len;
  std::vector<uint64_t> dests = {0};
  for (uint64_t d : {len - 2, len - 1, len, len + 1})
    if (d <= len + 1 && d != 0) dests.push_back(d); // len - k wraps when len < k
  const uint64_t data_len = 8;
  for (uint64_t d : dests) {
    for (uint64_t n : {0, 1, 2}) {
      std::string where =
          "len=" + std::to_string(len) + " d=" + std::to_string(d) + " n=" + std::to_string(n);
      bool d_in = d + n <= len;
      uint8_t fill = uint8_t(0x40 + d + n);
      g.expect(d_in ? nothing() : trap(kMemOob),
               g.call("fill", {at(d, is64), Value::i32(fill), at(n, is64)}), where + " fill");
      if (d_in)
        for (uint64_t k = 0; k < n; ++k) mem.bytes[d + k] = fill;
      check_window(g, mem, is64, where + " fill");
      for (uint64_t s : {uint64_t(0), len - 1, len, len + 1}) {
        if (s > len + 1) continue;
        bool ok = d_in && s + n <= len;
        g.expect(ok ? nothing() : trap(kMemOob),
                 g.call("copy", {at(d, is64), at(s, is64), at(n, is64)}),
                 where + " copy s=" + std::to_string(s));
        if (ok) {
          std::vector<uint8_t> tmp;
          for (uint64_t k = 0; k < n; ++k) tmp.push_back(mem.get(s + k));
          for (uint64_t k = 0; k < n; ++k) mem.bytes[d + k] = tmp[k];
        }
        check_window(g, mem, is64, where + " copy s=" + std::to_string(s));
      }
      for (uint64_t s : {0, 6, 7, 8, 9}) {
        bool ok = d_in && s + n <= data_len;
        g.expect(ok ? nothing() : trap(kMemOob),
                 g.call("init", {at(d, is64), Value::i32(uint32_t(s)), Value::i32(uint32_t(n))}),
                 where + " init s=" + std::to_string(s));
        if (ok)
          for (uint64_t k = 0; k < n; ++k) mem.bytes[d + k] = uint8_t(s + k + 1);
        check_window(g, mem, is64, where + " init s=" + std::to_string(s));
      }
    }
  }
}

struct GridParam {
  Tier tier;
  bool is64;
};

std::string param_name(const testing::TestParamInfo<GridParam>& info) {
  return std::string(info.param.tier == Tier::Jit ? "Jit" : "Interp") +
         (info.param.is64 ? "_64" : "_32");
}

class OobGrid : public testing::TestWithParam<GridParam> {};

TEST_P(OobGrid, MemoryAccessesMatchTheSpec) {
  GridParam p = GetParam();
  size_t cases = 0, mismatches = 0;
  for (uint32_t pages : {0u, 1u, 2u}) {
    for (uint64_t offset : {uint64_t(0), uint64_t(1), uint64_t(0xffff)}) {
      Grid g(p.tier);
      ASSERT_TRUE(g.load(memory_module(pages, offset, p.is64)));
      MemModel mem;
      mem.len = pages * kPage;
      seed_window(g, mem, p.is64);
      memory_grid_at(g, mem, offset, p.is64);
      g.expect(value_u64(pages), g.call("grow", {at(1, p.is64)}), "grow");
      mem.len += kPage;
      seed_window(g, mem, p.is64);
      memory_grid_at(g, mem, offset, p.is64);
      cases += g.cases;
      mismatches += g.mismatches;
    }
  }
  std::printf("oob grid memory %s: %zu cases, %zu mismatches\n",
              param_name({GetParam(), 0}).c_str(), cases, mismatches);
  EXPECT_EQ(mismatches, 0u);
}

TEST_P(OobGrid, BulkMemoryMatchesTheSpec) {
  GridParam p = GetParam();
  size_t cases = 0, mismatches = 0;
  for (uint32_t pages : {0u, 1u, 2u}) {
    Grid g(p.tier);
    ASSERT_TRUE(g.load(memory_module(pages, 0, p.is64)));
    MemModel mem;
    mem.len = pages * kPage;
    seed_window(g, mem, p.is64);
    bulk_grid_at(g, mem, p.is64);
    g.expect(value_u64(pages), g.call("grow", {at(1, p.is64)}), "grow");
    mem.len += kPage;
    seed_window(g, mem, p.is64);
    bulk_grid_at(g, mem, p.is64);
    cases += g.cases;
    mismatches += g.mismatches;
  }
  std::printf("oob grid bulk memory %s: %zu cases, %zu mismatches\n",
              param_name({GetParam(), 0}).c_str(), cases, mismatches);
  EXPECT_EQ(mismatches, 0u);
}

// ---------------------------------------------------------------- tables

// $f<k> returns k; the passive segment $e holds $f0 $f1 $f2.
std::string table_module(uint32_t size, bool is64) {
  std::string a = is64 ? "i64" : "i32";
  std::string m = "(module (type $t (func (result i32)))\n";
  m += "(table $tab " + std::string(is64 ? "i64 " : "") + std::to_string(size) + " funcref)\n";
  for (int k = 0; k < 3; ++k)
    m += "(func $f" + std::to_string(k) + " (type $t) (i32.const " + std::to_string(k) + "))\n";
  if (size > 0) {
    m += "(elem (table $tab) (" + a + ".const 0) func";
    for (uint32_t k = 0; k < size && k < 3; ++k) m += " $f" + std::to_string(k);
    m += ")\n";
  }
  m += "(elem $e func $f0 $f1 $f2)\n";
  m += "(func (export \"get\") (param " + a +
       ") (result i32) (ref.is_null (table.get $tab (local.get 0))))\n";
  m += "(func (export \"set\") (param " + a + ") (table.set $tab (local.get 0) (ref.func $f1)))\n";
  m += "(func (export \"setnull\") (param " + a +
       ") (table.set $tab (local.get 0) (ref.null func)))\n";
  m += "(func (export \"fill\") (param " + a + " " + a +
       ") (table.fill $tab (local.get 0) (ref.func $f2) (local.get 1)))\n";
  m += "(func (export \"copy\") (param " + a + " " + a + " " + a +
       ") (table.copy $tab $tab (local.get 0) (local.get 1) (local.get 2)))\n";
  m += "(func (export \"init\") (param " + a +
       " i32 i32) (table.init $tab $e (local.get 0) (local.get 1) (local.get 2)))\n";
  m += "(func (export \"call\") (param " + a +
       ") (result i32) (call_indirect $tab (type $t) (local.get 0)))\n";
  m += "(func (export \"size\") (result " + a + ") (table.size $tab))\n";
  m += "(func (export \"grow\") (param " + a + ") (result " + a +
       ") (table.grow $tab (ref.null func) (local.get 0)))\n";
  return m + ")";
}

// The spec model: entry k = index of $fk, -1 = null.
void check_table(Grid& g, const std::vector<int>& table, bool is64, const std::string& what) {
  g.expect(value_u64(table.size()), g.call("size", {}), what + " size");
  for (uint64_t i = 0; i < table.size() + 2; ++i) {
    Observed want = i >= table.size() ? trap("undefined element")
                    : table[i] < 0    ? trap("uninitialized element")
                                      : value_u64(uint64_t(table[i]));
    g.expect(want, g.call("call", {at(i, is64)}), what + " call_indirect " + std::to_string(i));
  }
}

void table_grid_at(Grid& g, std::vector<int>& table, bool is64) {
  const uint64_t size = table.size();
  std::string where = "size=" + std::to_string(size);
  std::vector<uint64_t> idx = {0};
  for (uint64_t i : {size - 1, size, size + 1})
    if (i <= size + 1 && i != 0) idx.push_back(i);
  idx.push_back(0xffffffffu);
  for (uint64_t i : idx) {
    std::string w = where + " i=" + std::to_string(i);
    bool in = i < size;
    g.expect(in ? value_u64(table[i] < 0) : trap(kTableOob), g.call("get", {at(i, is64)}),
             w + " table.get");
    g.expect(in ? nothing() : trap(kTableOob), g.call("setnull", {at(i, is64)}), w + " setnull");
    if (in) table[i] = -1;
    check_table(g, table, is64, w + " setnull");
    g.expect(in ? nothing() : trap(kTableOob), g.call("set", {at(i, is64)}), w + " table.set");
    if (in) table[i] = 1;
    check_table(g, table, is64, w + " table.set");
    for (uint64_t n : {0, 1, 2}) {
      std::string wn = w + " n=" + std::to_string(n);
      bool d_in = i + n <= size;
      g.expect(d_in ? nothing() : trap(kTableOob), g.call("fill", {at(i, is64), at(n, is64)}),
               wn + " table.fill");
      if (d_in)
        for (uint64_t k = 0; k < n; ++k) table[i + k] = 2;
      check_table(g, table, is64, wn + " table.fill");
      for (uint64_t s : {uint64_t(0), size - 1, size, size + 1}) {
        if (s > size + 1) continue;
        bool ok = d_in && s + n <= size;
        g.expect(ok ? nothing() : trap(kTableOob),
                 g.call("copy", {at(i, is64), at(s, is64), at(n, is64)}),
                 wn + " table.copy s=" + std::to_string(s));
        if (ok) {
          std::vector<int> tmp(table.begin() + long(s), table.begin() + long(s + n));
          for (uint64_t k = 0; k < n; ++k) table[i + k] = tmp[k];
        }
        check_table(g, table, is64, wn + " table.copy");
      }
      for (uint64_t s : {0, 1, 2, 3, 4}) {
        bool ok = d_in && s + n <= 3;
        g.expect(ok ? nothing() : trap(kTableOob),
                 g.call("init", {at(i, is64), Value::i32(uint32_t(s)), Value::i32(uint32_t(n))}),
                 wn + " table.init s=" + std::to_string(s));
        if (ok)
          for (uint64_t k = 0; k < n; ++k) table[i + k] = int(s + k);
        check_table(g, table, is64, wn + " table.init");
      }
    }
  }
}

TEST_P(OobGrid, TableOperationsMatchTheSpec) {
  GridParam p = GetParam();
  size_t cases = 0, mismatches = 0;
  for (uint32_t size : {0u, 1u, 3u}) {
    Grid g(p.tier);
    ASSERT_TRUE(g.load(table_module(size, p.is64)));
    std::vector<int> table(size, -1);
    for (uint32_t k = 0; k < size && k < 3; ++k) table[k] = int(k);
    check_table(g, table, p.is64, "initial");
    table_grid_at(g, table, p.is64);
    g.expect(value_u64(size), g.call("grow", {at(2, p.is64)}), "table.grow");
    table.resize(size + 2, -1);
    table_grid_at(g, table, p.is64);
    cases += g.cases;
    mismatches += g.mismatches;
  }
  std::printf("oob grid tables %s: %zu cases, %zu mismatches\n",
              param_name({GetParam(), 0}).c_str(), cases, mismatches);
  EXPECT_EQ(mismatches, 0u);
}

INSTANTIATE_TEST_SUITE_P(Tiers, OobGrid,
                         testing::Values(GridParam{Tier::Interp, false},
                                         GridParam{Tier::Jit, false}, GridParam{Tier::Interp, true},
                                         GridParam{Tier::Jit, true}),
                         param_name);

} // namespace
} // namespace tandem
