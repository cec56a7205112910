// Randomly generated programs, run on both tiers and compared: results,
// trap messages and the final memory contents. The generator makes valid,
// terminating modules (bounded loops, calls only to earlier functions) that
// mix everything the code generator's value stack and control flow must get
// right: constants, locals, tees, nested blocks with early exits, if/else
// with values, br_if, br_table, loops, select, compares feeding branches,
// loads, stores, trapping arithmetic and calls with live values around them;
// f32 next to f64 (xmm values of both widths, promote/demote, reinterpret),
// mutable globals, call_indirect, memory.size/grow, early returns and
// multi-value blocks. Some shapes match the interpreter's fused forms: an
// address plus a constant, multiply-adds (a factor loaded or constant), and
// a local updated by a constant.
#include "jit/tests/tier_rig.h"

#include <cstdlib>
#include <random>
#include <sstream>

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

class ProgramGenerator {
public:
  explicit ProgramGenerator(uint64_t seed) : rng_(seed) {}

  std::string module(int num_funcs) {
    std::ostringstream m;
    m << "(module (memory (export \"mem\") 1 4)\n"
      << "(type $t (func (param i32 i64 f64) (result i32)))\n"
      << "(global $g (mut i64) (i64.const 7)) (global $h (mut f32) (f32.const 1.5))\n"
      << "(table funcref (elem";
    for (int f = 0; f < num_funcs; ++f) m << " $f" << f;
    m << "))\n";
    for (int f = 0; f < num_funcs; ++f) {
      func_ = f;
      loop_depth_ = 0;
      m << "(func $f" << f << " (export \"f" << f << "\") (type $t)\n"
        << "  (local i32 i32 i64 f64 i32 i32 i32 i32 f32)\n";
      int n = 2 + pick(5);
      for (int i = 0; i < n; ++i) m << "  " << stmt(3) << "\n";
      m << "  (i32.add (i32.xor (local.get 0) (local.get 3))\n"
        << "    (i32.add (i32.wrap_i64 (i64.xor (local.get 1) (local.get 5)))\n"
        << "      (i32.add (local.get 4) (i32.trunc_sat_f64_s (f64.add (local.get 2) (local.get "
           "6))))))\n"
        << "  (i32.add (i32.trunc_sat_f32_s (local.get 11)) (i32.wrap_i64 (global.get $g)))\n"
        << "  (i32.add))\n";
    }
    m << ")";
    return m.str();
  }

private:
  int pick(int n) { return int(rng_() % uint64_t(n)); }
  bool chance(int percent) { return pick(100) < percent; }

  // Locals: 0 i32, 1 i64, 2 f64 (params); 3,4 i32; 5 i64; 6 f64; 7..10 loop
  // counters; 11 f32. Value types: 'i' i32, 'I' i64, 'F' f64, 'f' f32.
  std::string local_of(char t) {
    switch (t) {
    case 'i': {
      static const int xs[] = {0, 3, 4};
      return std::to_string(xs[pick(3)]);
    }
    case 'I': return pick(2) ? "1" : "5";
    case 'f': return "11";
    default: return pick(2) ? "2" : "6";
    }
  }
  std::string i32c() {
    static const int64_t vs[] = {
        0, 1, 2, 3, 7, -1, -2, 31, 32, 255, 65535, 0x7fffffff, -0x7fffffff - 1};
    return "(i32.const " + std::to_string(pick(3) ? vs[pick(13)] : int32_t(rng_())) + ")";
  }
  std::string i64c() {
    static const int64_t vs[] = {0, 1, 2, -1, 63, 64, 0x100000000ll, INT64_MIN, INT64_MAX};
    return "(i64.const " + std::to_string(pick(3) ? vs[pick(9)] : int64_t(rng_())) + ")";
  }
  std::string f32c() {
    static const char* vs[] = {"0",    "-0",     "1",   "-2.5", "0.5",
                               "3e38", "-1e-40", "inf", "nan",  "16777217"};
    return std::string("(f32.const ") + vs[pick(10)] + ")";
  }
  std::string f64c() {
    static const char* vs[] = {"0",       "-0",  "1",    "-1.5", "2.5", "1e300",
                               "-1e-300", "inf", "-inf", "nan",  "0.1", "4294967296"};
    return std::string("(f64.const ") + vs[pick(12)] + ")";
  }
  std::string address(int d) {
    if (chance(3)) return expr('i', d); // occasionally out of bounds
    std::string a = "(i32.and " + expr('i', d) + " (i32.const 0xfff0))";
    if (chance(60)) return a;
    // The constant wraps below 0 or reaches the page end now and then.
    static const int32_t adds[] = {4, 8, 12, 0x100, -4, 0xfff8, 0xfffc};
    return "(i32.add " + a + " (i32.const " + std::to_string(adds[pick(7)]) + "))";
  }
  // x + a * b or x - a * b, a factor loaded or constant.
  std::string mul_add(char t, int d) {
    std::string p = t == 'i' ? "i32." : "i64.";
    std::string a = chance(50) ? "(" + p + "load " + address(d - 1) + ")" : expr(t, d - 1);
    std::string b = chance(50) ? (t == 'i' ? i32c() : i64c()) : expr(t, d - 1);
    return "(" + p + (chance(70) ? "add " : "sub ") + expr(t, d - 1) + " (" + p + "mul " + a + " " +
           b + "))";
  }

  std::string expr(char t, int d) {
    bool fl = t == 'F' || t == 'f';
    if (d <= 0 || chance(20)) {
      if (chance(10) && (t == 'I' || t == 'f'))
        return t == 'I' ? "(global.get $g)" : "(global.get $h)";
      if (chance(50)) return "(local.get " + local_of(t) + ")";
      return t == 'i' ? i32c() : t == 'I' ? i64c() : t == 'f' ? f32c() : f64c();
    }
    std::string p = t == 'i' ? "i32." : t == 'I' ? "i64." : t == 'f' ? "f32." : "f64.";
    switch (pick(fl ? 9 : 12)) {
    case 0:
    case 1: {
      if (fl) {
        static const char* ops[] = {"add", "sub", "mul", "div", "min", "max", "copysign"};
        return "(" + p + ops[pick(7)] + " " + expr(t, d - 1) + " " + expr(t, d - 1) + ")";
      }
      if (chance(25)) return mul_add(t, d);
      static const char* ops[] = {"add",  "sub",   "mul",   "and",   "or",
                                  "xor",  "shl",   "shr_s", "shr_u", "rotl",
                                  "rotr", "div_s", "div_u", "rem_s", "rem_u"};
      return "(" + p + ops[pick(15)] + " " + expr(t, d - 1) + " " + expr(t, d - 1) + ")";
    }
    case 2: {
      if (t != 'i') {
        if (t == 'I')
          return "(i64.extend_i32_" + std::string(pick(2) ? "s " : "u ") + expr('i', d - 1) + ")";
        if (t == 'f') {
          switch (pick(3)) {
          case 0: return "(f32.demote_f64 " + expr('F', d - 1) + ")";
          case 1: return "(f32.reinterpret_i32 " + expr('i', d - 1) + ")";
          default:
            return "(f32.convert_i32_" + std::string(pick(2) ? "s " : "u ") + expr('i', d - 1) +
                   ")";
          }
        }
        if (chance(30)) return "(f64.promote_f32 " + expr('f', d - 1) + ")";
        return "(f64.convert_i64_" + std::string(pick(2) ? "s " : "u ") + expr('I', d - 1) + ")";
      }
      static const char* cmps[] = {"eq", "ne", "lt_s", "lt_u", "gt_s", "ge_u", "le_s"};
      static const char* fcmps[] = {"eq", "ne", "lt", "gt", "le", "ge"};
      int k = pick(3);
      if (k == 2)
        return std::string("(f64.") + fcmps[pick(6)] + " " + expr('F', d - 1) + " " +
               expr('F', d - 1) + ")";
      char a = k ? 'I' : 'i';
      return std::string(k ? "(i64." : "(i32.") + cmps[pick(7)] + " " + expr(a, d - 1) + " " +
             expr(a, d - 1) + ")";
    }
    case 3:
      if (t == 'i')
        return pick(2) ? "(i32.eqz " + expr('i', d - 1) + ")"
                       : "(i64.eqz " + expr('I', d - 1) + ")";
      if (t == 'I')
        return "(i64." + std::string(pick(2) ? "clz " : "popcnt ") + expr('I', d - 1) + ")";
      if (t == 'f') {
        static const char* ops[] = {"abs", "neg", "ceil", "floor", "trunc", "sqrt"};
        return std::string("(f32.") + ops[pick(6)] + " " + expr('f', d - 1) + ")";
      }
      return "(f64." + std::string(pick(2) ? "sqrt " : "nearest ") + expr('F', d - 1) + ")";
    case 4:
      return "(select " + expr(t, d - 1) + " " + expr(t, d - 1) + " " + expr('i', d - 1) + ")";
    case 5: {
      std::string load = t == 'i'   ? (pick(2) ? "i32.load" : "i32.load8_s")
                         : t == 'I' ? (pick(2) ? "i64.load" : "i64.load16_u")
                         : t == 'f' ? "f32.load"
                                    : "f64.load";
      return "(" + load + " offset=" + std::to_string(pick(3) * 4) + " " + address(d - 1) + ")";
    }
    case 6:
      return "(block (result " + type(t) + ") (drop (br_if 0 " + expr(t, d - 1) + " " +
             expr('i', d - 1) + ")) " + expr(t, d - 1) + ")";
    case 7:
      return "(if (result " + type(t) + ") " + expr('i', d - 1) + " (then " + expr(t, d - 1) +
             ") (else " + expr(t, d - 1) + "))";
    case 8: return "(local.tee " + local_of(t) + " " + expr(t, d - 1) + ")";
    case 9:
      if (func_ > 0) {
        std::string args = expr('i', d - 1) + " " + expr('I', d - 1) + " " + expr('F', d - 1);
        // call_indirect reaches only earlier functions (index mod func_).
        std::string c = chance(30)
                            ? "(call_indirect (type $t) " + args + " (i32.rem_u " +
                                  expr('i', d - 1) + " (i32.const " + std::to_string(func_) + ")))"
                            : "(call $f" + std::to_string(pick(func_)) + " " + args + ")";
        if (t == 'i') return c;
        if (t == 'f') return "(f32.convert_i32_s " + c + ")";
        return t == 'I' ? "(i64.extend_i32_s " + c + ")" : "(f64.convert_i32_u " + c + ")";
      }
      return expr(t, d - 1);
    case 10:
      if (t == 'i') {
        switch (pick(5)) {
        case 0: return "(i32.trunc_sat_f32_s " + expr('f', d - 1) + ")";
        case 1: return "(i32.reinterpret_f32 " + expr('f', d - 1) + ")";
        case 2: return "(i32.trunc_sat_f64_u " + expr('F', d - 1) + ")";
        default: return "(i32.wrap_i64 " + expr('I', d - 1) + ")";
        }
      }
      return "(i64.trunc_sat_f64_s " + expr('F', d - 1) + ")";
    default:
      if (t == 'i') {
        if (chance(10))
          return chance(50) ? "(memory.size)"
                            : "(memory.grow (i32.and " + expr('i', d - 1) + " (i32.const 1)))";
        return "(i32." + std::string(pick(2) ? "clz " : "extend8_s ") + expr('i', d - 1) + ")";
      }
      return "(i64.rem_u " + expr('I', d - 1) + " (i64.const 7))";
    }
  }

  static std::string type(char t) {
    return t == 'i' ? "i32" : t == 'I' ? "i64" : t == 'f' ? "f32" : "f64";
  }

  std::string stmts(int d, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += stmt(d) + " ";
    return s;
  }

  std::string stmt(int d) {
    int k = d <= 0 ? pick(3) : pick(13);
    switch (k) {
    case 0: {
      char t = "iIFf"[pick(4)];
      if (chance(10) && (t == 'I' || t == 'f'))
        return std::string(t == 'I' ? "(global.set $g " : "(global.set $h ") + expr(t, 3) + ")";
      return "(local.set " + local_of(t) + " " + expr(t, 3) + ")";
    }
    case 1: {
      static const char* st[] = {"i32.store", "i64.store", "f64.store", "i32.store8", "f32.store"};
      static const char st_t[] = {'i', 'I', 'F', 'i', 'f'};
      int j = pick(5);
      return std::string("(") + st[j] + " " + address(2) + " " + expr(st_t[j], 3) + ")";
    }
    case 2: return "(drop " + expr("iIFf"[pick(4)], 3) + ")";
    case 3:
      return "(if " + expr('i', 2) + " (then " + stmts(d - 1, 1 + pick(3)) + ") (else " +
             stmts(d - 1, pick(3)) + "))";
    case 4:
      return "(block " + stmts(d - 1, 1 + pick(2)) + "(br_if 0 " + expr('i', 2) + ") " +
             stmts(d - 1, 1 + pick(2)) + ")";
    case 5: {
      if (loop_depth_ >= 4) return stmt(0);
      std::string c = std::to_string(7 + loop_depth_);
      ++loop_depth_;
      std::string body = stmts(d - 1, 1 + pick(3));
      --loop_depth_;
      return "(local.set " + c + " (i32.const " + std::to_string(1 + pick(6)) + ")) (loop " + body +
             "(br_if 0 (i32.gt_s (local.tee " + c + " (i32.sub (local.get " + c +
             ") (i32.const 1))) (i32.const 0))))";
    }
    case 6:
      return "(block (block (block (br_table 0 1 2 (i32.and " + expr('i', 2) + " (i32.const 3))) " +
             stmts(d - 1, 1) + ") " + stmts(d - 1, 1) + ") " + stmts(d - 1, 1) + ")";
    case 7:
      return "(block (result i32) (local.set 3 (i32.const 9)) (br_if 0 " + expr('i', 2) + " " +
             expr('i', 2) + ") (local.set 4 (i32.const 5)) " + stmts(0, 1) + ") (local.set 3)";
    case 9: return "(if " + expr('i', 2) + " (then (return " + expr('i', 3) + ")))";
    case 10:
      // Two values through a block, out by br_if or by falling through.
      return "(block (result i32 f32) " + expr('i', 2) + " " + expr('f', 2) + " (br_if 0 " +
             expr('i', 2) + ")) (local.set 11) (local.set 4)";
    case 11: {
      std::string l = local_of('i');
      return "(local.set " + l + " (i32.add (local.get " + l + ") " + i32c() + "))";
    }
    default: return "(local.set 5 (i64.add (local.get 5) " + expr('I', 3) + "))";
    }
  }

  std::mt19937_64 rng_;
  int func_ = 0;
  int loop_depth_ = 0;
};

std::string outcome(const Result<std::vector<Value>>& r) {
  if (!r.ok()) return "error(" + std::to_string(int(r.error().kind)) + "): " + r.error().message;
  return "i32 " + std::to_string(r.value()[0].i32());
}

TEST(RandomPrograms, BothTiersAgree) {
  // TANDEM_RANDOM_PROGRAMS=N runs more programs (stress runs).
  const char* env = std::getenv("TANDEM_RANDOM_PROGRAMS");
  const int kPrograms = env ? std::atoi(env) : 1000, kFuncs = 6;
  int compiled = 0, calls = 0, traps = 0;
  for (int p = 0; p < kPrograms; ++p) {
    ProgramGenerator gen(0x7a4d3e + p);
    std::string wat = gen.module(kFuncs);
    TierRig interp(Tier::Interp), jit(Tier::Jit);
    ASSERT_TRUE(interp.load(wat)) << wat;
    ASSERT_TRUE(jit.load(wat)) << wat;
    std::mt19937_64 args(p);
    for (int f = 0; f < kFuncs; ++f) {
      std::string name = "f" + std::to_string(f);
      for (int k = 0; k < 3; ++k) {
        uint32_t a = uint32_t(args());
        uint64_t b = args();
        double c = double(int32_t(args())) / 7.0;
        std::vector<Value> in{i32(a), i64(b), f64(c)};
        std::string want = outcome(interp.call(name, in));
        std::string got = outcome(jit.call(name, in));
        ASSERT_EQ(got, want) << "program " << p << " " << name << "\n" << wat;
        ++calls;
        traps += want.rfind("error", 0) == 0;
      }
      compiled += jit::is_compiled(jit.func(name).raw());
    }
    std::span<uint8_t> m1 = interp.inst.get_export(interp.store, "mem")->memory.data(interp.store);
    std::span<uint8_t> m2 = jit.inst.get_export(jit.store, "mem")->memory.data(jit.store);
    ASSERT_TRUE(std::equal(m1.begin(), m1.end(), m2.begin(), m2.end()))
        << "memory differs, program " << p << "\n"
        << wat;
  }
  EXPECT_EQ(compiled, kPrograms * kFuncs);
  EXPECT_GT(traps, 0);
  EXPECT_LT(traps, calls);
}

} // namespace
