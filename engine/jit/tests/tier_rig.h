// Test support: a store on a chosen tier, modules written in the text
// format, and calls with typed results. Every JIT test module is run on
// both tiers (Tier::Interp and Tier::Jit) and the results must agree with
// the expectations written in the test, so the two tiers agree with each
// other too.
#pragma once

#include "jit/jit.h"
#include "tandem/tandem.h"
#include "wast/wat_module.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::jit::testing {

inline EngineConfig config_for(Tier tier) {
  EngineConfig c;
  c.tier = tier;
  return c;
}

inline const char* tier_name(Tier t) {
  switch (t) {
  case Tier::Interp: return "Interp";
  case Tier::Jit: return "Jit";
  case Tier::Tiered: return "Tiered";
  }
  return "?";
}

// Signature letters used by the generated test modules: 'i' i32, 'I' i64,
// 'f' f32, 'F' f64, 'v' v128.
inline const char* sig_type_name(char c) {
  switch (c) {
  case 'v': return "v128";
  case 'i': return "i32";
  case 'I': return "i64";
  case 'f': return "f32";
  default: return "f64";
  }
}

// A scalar Value of signature letter `c` from its bit pattern.
inline Value scalar_from_bits(char c, uint64_t bits) {
  switch (c) {
  case 'i': return Value::i32(uint32_t(bits));
  case 'I': return Value::i64(bits);
  case 'f': return Value::f32_bits(uint32_t(bits));
  default: return Value::f64_bits(bits);
  }
}

struct TierRig {
  explicit TierRig(Tier t) : tier(t), engine(config_for(t)), store(engine) {}
  explicit TierRig(const EngineConfig& c) : tier(c.tier), engine(c), store(engine) {}

  // Compiles and instantiates `wat` (a module form or bare fields).
  bool load(std::string_view wat, std::vector<Extern> imports = {}) {
    Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(wat);
    if (!bytes.ok()) {
      ADD_FAILURE() << "wat: " << bytes.error().message;
      return false;
    }
    Result<Module> m = Module::compile(engine, *bytes);
    if (!m.ok()) {
      ADD_FAILURE() << "compile: " << m.error().message;
      return false;
    }
    Result<Instance> i = Instance::instantiate(store, *m, imports);
    if (!i.ok()) {
      ADD_FAILURE() << "instantiate: " << i.error().message;
      return false;
    }
    inst = *i;
    return true;
  }

  Func func(const std::string& name) {
    std::optional<Extern> e = inst.get_export(store, name);
    EXPECT_TRUE(e.has_value()) << name;
    return e ? e->func : Func();
  }

  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args = {}) {
    return func(name).call(store, args);
  }

  // A call that must succeed (results ignored).
  void run(const std::string& name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
  }

  // The single result's bits (i32/f32 zero-extended), or a failure.
  uint64_t bits(const std::string& name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (!r.ok()) {
      ADD_FAILURE() << name << ": " << r.error().message;
      return 0xdeadbeefdeadbeefull;
    }
    if (r->size() != 1) {
      ADD_FAILURE() << name << ": " << r->size() << " results";
      return 0xdeadbeefdeadbeefull;
    }
    const Value& v = (*r)[0];
    switch (v.type().kind()) {
    case ValKind::I32: return v.i32();
    case ValKind::I64: return v.i64();
    case ValKind::F32: return v.f32_bits();
    case ValKind::F64: return v.f64_bits();
    case ValKind::Ref: return v.ref().bits;
    default: return 0;
    }
  }

  // The trap (or other error) message of a call that must fail.
  std::string error(const std::string& name, std::vector<Value> args = {},
                    ErrorKind kind = ErrorKind::Trap) {
    auto r = call(name, std::move(args));
    if (r.ok()) {
      ADD_FAILURE() << name << ": expected an error";
      return "";
    }
    EXPECT_EQ(r.error().kind, kind) << name << ": " << r.error().message;
    return r.error().message;
  }

  // Under Tier::Jit, the export must run compiled code (not the fallback).
  void expect_compiled(const std::string& name) {
    if (tier != Tier::Jit) return;
    Func f = func(name);
    if (f) {
      EXPECT_TRUE(jit::is_compiled(f.raw())) << name << " fell back to the interpreter";
    }
  }

  Tier tier;
  Engine engine;
  Store store;
  Instance inst;
};

inline Value i32(uint32_t v) {
  return Value::i32(v);
}
inline Value i64(uint64_t v) {
  return Value::i64(v);
}
inline Value f32(float v) {
  uint32_t b;
  std::memcpy(&b, &v, 4);
  return Value::f32_bits(b);
}
inline Value f64(double v) {
  uint64_t b;
  std::memcpy(&b, &v, 8);
  return Value::f64_bits(b);
}

} // namespace tandem::jit::testing
