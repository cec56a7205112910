// Binary module generator for the Google Benchmark programs: a tiny writer
// for the few sections the benchmarks need (type, function, memory, export,
// code) and generators for the benchmark modules. Opcodes come from the one
// opcode table (wasm/opcodes.def via op_info), never from literals here.
//
// Invariant: every generated module is valid MVP wasm; the benchmarks check
// Module::compile and stop with a clear message if it is not.
#pragma once

#include "base/leb128.h"
#include "wasm/opcodes.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tandem::bench {

using Bytes = std::vector<uint8_t>;

// One function body under construction.
class BodyWriter {
public:
  BodyWriter& op(Op o) {
    const OpInfo& info = op_info(o);
    if (info.prefix != 0) {
      out_.push_back(info.prefix);
      write_uleb(out_, info.code);
    } else {
      out_.push_back(uint8_t(info.code));
    }
    return *this;
  }
  BodyWriter& u(uint64_t v) {
    write_uleb(out_, v);
    return *this;
  }
  BodyWriter& s(int64_t v) {
    write_sleb(out_, v);
    return *this;
  }
  BodyWriter& byte(uint8_t b) {
    out_.push_back(b);
    return *this;
  }
  BodyWriter& f64(double d) {
    uint8_t raw[8];
    std::memcpy(raw, &d, 8);
    out_.insert(out_.end(), raw, raw + 8);
    return *this;
  }
  BodyWriter& local_get(uint32_t i) { return op(Op::local_get).u(i); }
  BodyWriter& local_set(uint32_t i) { return op(Op::local_set).u(i); }
  BodyWriter& local_tee(uint32_t i) { return op(Op::local_tee).u(i); }
  BodyWriter& i32_const(int32_t v) { return op(Op::i32_const).s(v); }
  BodyWriter& i64_const(int64_t v) { return op(Op::i64_const).s(v); }
  BodyWriter& call(uint32_t f) { return op(Op::call).u(f); }
  // memarg: alignment exponent, offset (memory 0).
  BodyWriter& mem(Op o, uint32_t align_log2, uint32_t offset) {
    return op(o).u(align_log2).u(offset);
  }
  const Bytes& bytes() const { return out_; }

private:
  Bytes out_;
};

struct FuncDef {
  uint32_t type_index = 0;
  // Local declarations as (count, valtype byte) runs.
  std::vector<std::pair<uint32_t, uint8_t>> locals;
  Bytes body;              // instructions, without the final `end`
  std::string export_name; // empty: not exported
};

inline constexpr uint8_t kI32Byte = 0x7F, kI64Byte = 0x7E, kF64Byte = 0x7C;

// "f<i>", the export name of generated function i. (Built with += rather than
// "f" + std::to_string(i), which trips GCC 12's -Wrestrict false positive at -O3.)
inline std::string generated_func_name(uint32_t i) {
  std::string name(1, 'f');
  name += std::to_string(i);
  return name;
}

struct FuncSig {
  std::vector<uint8_t> params, results;
};

// Assembles a module. Result: the bytes; *code_section_bytes gets the size of
// the code section's contents (what the compile-speed benchmarks divide by).
inline Bytes assemble_module(const std::vector<FuncSig>& types, const std::vector<FuncDef>& funcs,
                             uint32_t memory_pages, size_t* code_section_bytes = nullptr) {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  auto section = [&out](uint8_t id, const Bytes& payload) {
    out.push_back(id);
    write_uleb(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
  };
  Bytes sec;
  write_uleb(sec, types.size());
  for (const FuncSig& t : types) {
    sec.push_back(0x60);
    write_uleb(sec, t.params.size());
    sec.insert(sec.end(), t.params.begin(), t.params.end());
    write_uleb(sec, t.results.size());
    sec.insert(sec.end(), t.results.begin(), t.results.end());
  }
  section(1, sec);
  sec.clear();
  write_uleb(sec, funcs.size());
  for (const FuncDef& f : funcs) write_uleb(sec, f.type_index);
  section(3, sec);
  if (memory_pages > 0) {
    sec = {0x01, 0x00};
    write_uleb(sec, memory_pages);
    section(5, sec);
  }
  sec.clear();
  uint32_t exports = 0;
  for (const FuncDef& f : funcs) exports += f.export_name.empty() ? 0 : 1;
  write_uleb(sec, exports);
  for (uint32_t i = 0; i < funcs.size(); ++i) {
    const std::string& n = funcs[i].export_name;
    if (n.empty()) continue;
    write_uleb(sec, n.size());
    sec.insert(sec.end(), n.begin(), n.end());
    sec.push_back(0x00); // func
    write_uleb(sec, i);
  }
  section(7, sec);
  sec.clear();
  write_uleb(sec, funcs.size());
  Bytes entry;
  for (const FuncDef& f : funcs) {
    entry.clear();
    write_uleb(entry, f.locals.size());
    for (auto [count, type] : f.locals) {
      write_uleb(entry, count);
      entry.push_back(type);
    }
    entry.insert(entry.end(), f.body.begin(), f.body.end());
    entry.push_back(uint8_t(op_info(Op::end).code));
    write_uleb(sec, entry.size());
    sec.insert(sec.end(), entry.begin(), entry.end());
  }
  if (code_section_bytes) *code_section_bytes = sec.size();
  section(10, sec);
  return out;
}

// The compile-speed module: `count` functions of type (i32, i32) -> i32,
// each about `chunks` pieces of typical compiled-C code (integer and float
// arithmetic, loads and stores, if/else, a counted loop, calls to earlier
// functions). Every function is exported as "f<i>" so a benchmark can reach
// its FuncInst. Deterministic for given arguments. Chunk kinds whose bit is
// set in `skip_kinds` (bit k = case k below) are replaced by i32 arithmetic.
inline Bytes generate_large_module(uint32_t count, uint32_t chunks, uint32_t skip_kinds = 0,
                                   size_t* code_section_bytes = nullptr) {
  // Locals: 0,1 params; 2,3,4 i32; 5,6 i64; 7 f64.
  std::vector<FuncSig> types = {{{kI32Byte, kI32Byte}, {kI32Byte}}};
  std::vector<FuncDef> funcs(count);
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
  };
  for (uint32_t i = 0; i < count; ++i) {
    BodyWriter w;
    for (uint32_t c = 0; c < chunks; ++c) {
      int32_t k = int32_t(next() % 1000) + 1;
      uint32_t a = next() % 5, b = next() % 5, d = 2 + next() % 3;
      uint32_t kind = next() % 8;
      switch ((skip_kinds >> kind) & 1 ? 0 : kind) {
      case 0: // i32 arithmetic
        w.local_get(a).local_get(b).op(Op::i32_add).i32_const(k).op(Op::i32_mul).local_set(d);
        break;
      case 1: // i64 arithmetic
        w.local_get(a).op(Op::i64_extend_i32_u).local_get(5).op(Op::i64_xor).i64_const(k);
        w.op(Op::i64_rotl).local_tee(5).local_get(6).op(Op::i64_add).local_set(6);
        break;
      case 2: // load
        w.local_get(a).i32_const(4095).op(Op::i32_and).mem(Op::i32_load, 2, uint32_t(k) * 4);
        w.local_get(b).op(Op::i32_xor).local_set(d);
        break;
      case 3: // store
        w.local_get(a).i32_const(4095).op(Op::i32_and).local_get(b);
        w.mem(Op::i32_store, 2, uint32_t(k) * 4);
        break;
      case 4: // if/else with a result
        w.local_get(a).i32_const(1).op(Op::i32_and).op(Op::if_).byte(kI32Byte);
        w.local_get(b).i32_const(k % 31).op(Op::i32_shl).op(Op::else_);
        w.local_get(d).i32_const(k % 29).op(Op::i32_shr_u).op(Op::end).local_set(d);
        break;
      case 5: // counted loop
        w.i32_const(0).local_set(4).op(Op::block).byte(0x40).op(Op::loop).byte(0x40);
        w.local_get(4).i32_const(1).op(Op::i32_add).local_tee(4).i32_const(8);
        w.op(Op::i32_ge_u).op(Op::br_if).u(1);
        w.local_get(a).local_get(4).op(Op::i32_add).local_set(a == 4 ? 2 : a);
        w.op(Op::br).u(0).op(Op::end).op(Op::end);
        break;
      case 6: // call an earlier function (or itself for the first)
        w.local_get(a).local_get(b).call(i == 0 ? 0 : next() % i).local_set(d);
        break;
      default: // f64
        w.local_get(a).op(Op::f64_convert_i32_s).local_get(7).op(Op::f64_mul);
        w.op(Op::f64_const).f64(1.5).op(Op::f64_add).local_set(7);
        break;
      }
    }
    w.local_get(2).local_get(3).op(Op::i32_add).local_get(4).op(Op::i32_xor);
    funcs[i].locals = {{3, kI32Byte}, {2, kI64Byte}, {1, kF64Byte}};
    funcs[i].body = w.bytes();
    funcs[i].export_name = generated_func_name(i);
  }
  return assemble_module(types, funcs, 1, code_section_bytes);
}

} // namespace tandem::bench
