// Module-level validation: features, types, imports, definitions, segments,
// start and exports; function bodies through FuncValidator.
#include "validator/validator.h"

#include "base/parallel.h"
#include "decoder/binary_types.h"
#include "decoder/function_decoder.h"

#include <algorithm>
#include <set>
#include <string>

namespace tandem {
namespace {

Error unsupported(Feature f, uint32_t offset = 0) {
  Error e = Error::make(ErrorKind::Unsupported,
                        "feature '" + std::string(feature_name(f)) + "' is not supported");
  e.offset = offset;
  return e;
}

// Collects the functions named by ref.func in a constant expression.
struct RefFuncCollector {
  std::vector<bool>* declared;
  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t) {
    if constexpr (op == Op::ref_func) {
      if (imm.index < declared->size()) (*declared)[imm.index] = true;
    }
    return {};
  }
};

Reader reader_at(const wasm::Module& m, uint32_t offset) {
  return Reader(m.bytes.data(), m.bytes.data() + offset, m.bytes.data() + m.bytes.size());
}

} // namespace

ModuleValidator::ModuleValidator(const wasm::Module& m, const FeatureSet& features)
    : m_(m), features_(features), types_(m.types), env_{m, types_, features, {}, 0, {}} {}

// Function bodies of a module with at least this much code are validated in
// chunks on several threads (base/parallel.h); smaller ones on the caller's.
constexpr size_t kParallelCodeBytes = 256 * 1024;
constexpr uint32_t kFunctionsPerChunk = 64;

Status ModuleValidator::validate_all() {
  TANDEM_TRY(validate_declarations());
  uint32_t first = m_.num_imported_funcs, end = uint32_t(m_.funcs.size());
  size_t code_bytes = 0;
  for (uint32_t f = first; f < end; ++f) code_bytes += m_.body_of(f).code.size;
  if (code_bytes < kParallelCodeBytes || compile_threads() < 2) {
    for (uint32_t f = first; f < end; ++f) TANDEM_TRY(validate_function(f));
    return {};
  }
  // Each chunk stops at its first invalid function; the error reported is
  // that of the lowest-numbered one, as the sequential loop would.
  size_t chunks = (end - first + kFunctionsPerChunk - 1) / kFunctionsPerChunk;
  std::vector<Status> results(chunks);
  parallel_for(chunks, [&](size_t c) {
    uint32_t from = first + uint32_t(c) * kFunctionsPerChunk;
    uint32_t to = std::min(end, from + kFunctionsPerChunk);
    for (uint32_t f = from; f < to; ++f) {
      results[c] = validate_function(f);
      if (!results[c].ok()) return;
    }
  });
  for (Status& s : results)
    if (!s.ok()) return s;
  return {};
}

Status ModuleValidator::validate_declarations() {
  TANDEM_TRY(check_features());
  TANDEM_TRY(check_types());
  TANDEM_TRY(check_imports());
  for (uint32_t f = m_.num_imported_funcs; f < m_.funcs.size(); ++f) {
    uint32_t t = m_.funcs[f];
    if (t >= types_.size()) return Error::invalid(0, "unknown type " + std::to_string(t));
    if (!types_.is_func(t))
      return Error::invalid(0,
                            "type mismatch: type " + std::to_string(t) + " is not a function type");
  }
  TANDEM_TRY(collect_declared_funcs());
  TANDEM_TRY(check_tables());
  TANDEM_TRY(check_memories());
  TANDEM_TRY(check_tags());
  TANDEM_TRY(check_globals());
  TANDEM_TRY(check_elems());
  TANDEM_TRY(check_datas());
  TANDEM_TRY(check_start());
  TANDEM_TRY(check_exports());
  return {};
}

Status ModuleValidator::validate_function(uint32_t func_index) {
  const wasm::FunctionBody& body = m_.body_of(func_index);
  const FuncType& sig = m_.func_type_of(func_index);
  FuncValidator v(env_, sig, body);
  TANDEM_TRY(v.begin());
  Reader r = reader_at(m_, body.code.offset);
  DecodeEnv denv{features_, m_.data_count.has_value()};
  return decode_instructions(r, v, denv);
}

// ---- features and types ----------------------------------------------------

Status ModuleValidator::check_features() {
  for (const FeatureInfo& info : kFeatureTable)
    if (m_.features_used.has(info.feature) && !features_.has(info.feature))
      return unsupported(info.feature);
  if (m_.memories.size() > 1 && !features_.has(Feature::multi_memory))
    return unsupported(Feature::multi_memory);
  if (m_.tables.size() > 1 && !features_.has(Feature::reference_types))
    return unsupported(Feature::reference_types);
  return {};
}

Status ModuleValidator::check_val_type(ValType t, uint32_t offset) const {
  Feature f = valtype_feature(t);
  if (!features_.has(f)) return unsupported(f, offset);
  if (t.is_ref() && t.heap().is_index() && t.heap().type_index() >= types_.size())
    return Error::invalid(offset, "unknown type " + std::to_string(t.heap().type_index()));
  return {};
}

Status ModuleValidator::check_types() {
  const std::vector<SubType>& ts = m_.types;
  uint32_t i = 0;
  while (i < ts.size()) {
    uint32_t first = i, size = std::max<uint32_t>(1, ts[i].rec_size);
    uint32_t end = first + size;
    auto known = [&](uint32_t x) -> Status {
      if (x >= end) return Error::invalid(0, "unknown type " + std::to_string(x));
      return {};
    };
    auto val = [&](ValType t) -> Status {
      if (t.is_ref() && t.heap().is_index()) return known(t.heap().type_index());
      return {};
    };
    for (uint32_t k = first; k < end; ++k) {
      const SubType& st = ts[k];
      if (st.super) TANDEM_TRY(known(*st.super));
      TANDEM_TRY(check_descriptor_clauses(k, first, end));
      for (ValType t : st.comp.func.params) TANDEM_TRY(val(t));
      for (ValType t : st.comp.func.results) TANDEM_TRY(val(t));
      for (const FieldType& f : st.comp.fields) TANDEM_TRY(val(f.storage.type));
    }
    types_.add_group(first, size);
    for (uint32_t k = first; k < end; ++k) {
      const SubType& st = ts[k];
      if (!st.super) continue;
      uint32_t s = *st.super;
      std::string msg =
          "sub type " + std::to_string(k) + " does not match super type " + std::to_string(s);
      if (s >= k || ts[s].final) return Error::invalid(0, msg);
      if (!types_.comp_subtype(st.comp, ts[s].comp)) return Error::invalid(0, msg);
      TANDEM_TRY(check_descriptor_subtyping(k, s, msg));
    }
    i = end;
  }
  return {};
}

// custom-descriptors: a `descriptor y` / `describes x` clause names a struct
// type of the same rec group, the two clauses agree, and `describes` only
// points backwards (so descriptor chains have no cycles).
Status ModuleValidator::check_descriptor_clauses(uint32_t k, uint32_t first, uint32_t end) {
  const std::vector<SubType>& ts = m_.types;
  const SubType& st = ts[k];
  auto in_group = [&](uint32_t x) { return x >= first && x < end; };
  if (st.describes) {
    uint32_t x = *st.describes;
    if (!in_group(x)) return Error::invalid(0, "described type is outside rec group");
    if (x >= k) return Error::invalid(0, "forward use of described type");
  }
  if (st.descriptor && !in_group(*st.descriptor))
    return Error::invalid(0, "descriptor type is outside rec group");
  if (st.descriptor && st.comp.kind != CompositeKind::Struct)
    return Error::invalid(0, "descriptor type must be a struct");
  if (st.describes && st.comp.kind != CompositeKind::Struct)
    return Error::invalid(0, "described type must be a struct");
  if (st.descriptor && ts[*st.descriptor].describes != k)
    return Error::invalid(0, "type is not described by its descriptor");
  if (st.describes && ts[*st.describes].descriptor != k)
    return Error::invalid(0, "described type is not described by descriptor");
  return {};
}

// custom-descriptors: a subtype keeps its supertype's descriptor structure.
Status ModuleValidator::check_descriptor_subtyping(uint32_t k, uint32_t s, const std::string& msg) {
  const SubType& sub = m_.types[k];
  const SubType& super = m_.types[s];
  if (super.descriptor && !sub.descriptor) return Error::invalid(0, msg);
  if (bool(sub.describes) != bool(super.describes)) return Error::invalid(0, msg);
  auto below = [&](uint32_t a, uint32_t b) {
    return types_.heap_subtype(HeapType::index(a), HeapType::index(b));
  };
  if (sub.describes && !below(*sub.describes, *super.describes))
    return Error::invalid(0,
                          "described type " + std::to_string(*sub.describes) + " does not match");
  if (sub.descriptor && super.descriptor && !below(*sub.descriptor, *super.descriptor))
    return Error::invalid(0,
                          "descriptor type " + std::to_string(*sub.descriptor) + " does not match");
  return {};
}

// ---- definitions -------------------------------------------------------------

Status ModuleValidator::check_limits(const Limits& l, bool is_memory) {
  if (l.max && l.min > *l.max)
    return Error::invalid(0, "size minimum must not be greater than maximum");
  if (is_memory) {
    if (l.page_size_log2 && *l.page_size_log2 != 0 && *l.page_size_log2 != 16)
      return Error::invalid(0, "invalid custom page size");
    uint32_t log2 = l.page_size_log2.value_or(16);
    uint64_t limit;
    std::string text;
    // At most 2^32 (2^64) bytes, and a page count that fits the index type.
    if (l.is64) {
      limit = log2 == 0 ? ~uint64_t(0) : uint64_t(1) << (64 - log2);
      text = log2 == 16 ? "2^48 pages" : std::to_string(limit) + " pages";
    } else {
      limit = std::min<uint64_t>((uint64_t(1) << 32) >> log2, 0xffffffffull);
      text = log2 == 16 ? "65536 pages (4GiB)" : std::to_string(limit) + " pages";
    }
    bool too_big = l.min > limit || (l.max && *l.max > limit);
    if (too_big) return Error::invalid(0, "memory size must be at most " + text);
    if (l.shared && !l.max) return Error::invalid(0, "shared memory must have maximum");
  } else if (!l.is64) {
    uint64_t limit = 0xffffffffull;
    if (l.min > limit || (l.max && *l.max > limit))
      return Error::invalid(0, "table size must be at most 2^32-1");
  }
  return {};
}

Status ModuleValidator::check_const(const wasm::ConstExpr& e, ValType type,
                                    uint32_t visible_globals) {
  env_.visible_globals = visible_globals;
  FuncValidator v(env_, type);
  Reader r = reader_at(m_, e.range.offset);
  DecodeEnv denv{features_, m_.data_count.has_value()};
  return decode_instructions(r, v, denv);
}

Status ModuleValidator::collect_declared_funcs() {
  env_.declared_funcs.assign(m_.funcs.size(), false);
  env_.inexact_funcs.assign(m_.funcs.size(), false);
  uint32_t nth_func = 0;
  for (const wasm::Import& imp : m_.imports)
    if (imp.kind == ExternKind::Func && nth_func < m_.funcs.size())
      env_.inexact_funcs[nth_func++] = !imp.exact;
  RefFuncCollector collector{&env_.declared_funcs};
  DecodeEnv denv;
  auto scan = [&](const wasm::ConstExpr& e) -> Status {
    if (e.range.empty()) return {};
    Reader r = reader_at(m_, e.range.offset);
    return decode_instructions<DecodeChecks::None>(r, collector, denv);
  };
  for (const wasm::Global& g : m_.globals) TANDEM_TRY(scan(g.init));
  for (const wasm::Table& t : m_.tables)
    if (t.init) TANDEM_TRY(scan(*t.init));
  for (const wasm::ElemSegment& s : m_.elems) {
    TANDEM_TRY(scan(s.offset));
    for (uint32_t f : s.funcs)
      if (f < env_.declared_funcs.size()) env_.declared_funcs[f] = true;
    for (const wasm::ConstExpr& e : s.exprs) TANDEM_TRY(scan(e));
  }
  for (const wasm::DataSegment& d : m_.datas) TANDEM_TRY(scan(d.offset));
  for (const wasm::Export& e : m_.exports)
    if (e.kind == ExternKind::Func && e.index < env_.declared_funcs.size())
      env_.declared_funcs[e.index] = true;
  return {};
}

Status ModuleValidator::check_imports() {
  for (const wasm::Import& im : m_.imports) {
    switch (im.kind) {
    case ExternKind::Func:
    case ExternKind::Tag: {
      uint32_t t = im.type_index;
      if (t >= types_.size()) return Error::invalid(im.offset, "unknown type " + std::to_string(t));
      if (!types_.is_func(t))
        return Error::invalid(im.offset, "type mismatch: type " + std::to_string(t) +
                                             " is not a function type");
      if (im.kind == ExternKind::Tag && !types_.type(t).comp.func.results.empty())
        return Error::invalid(im.offset, "non-empty tag result type");
      break;
    }
    case ExternKind::Table:
      TANDEM_TRY(check_val_type(im.table.elem, im.offset));
      TANDEM_TRY(check_limits(im.table.limits, false));
      break;
    case ExternKind::Memory: TANDEM_TRY(check_limits(im.memory.limits, true)); break;
    case ExternKind::Global:
      TANDEM_TRY(check_val_type(im.global.type, im.offset));
      if (im.global.mut && !features_.has(Feature::mutable_global))
        return unsupported(Feature::mutable_global, im.offset);
      break;
    }
  }
  return {};
}

Status ModuleValidator::check_tables() {
  for (uint32_t i = m_.num_imported_tables; i < m_.tables.size(); ++i) {
    const wasm::Table& t = m_.tables[i];
    TANDEM_TRY(check_val_type(t.type.elem, 0));
    TANDEM_TRY(check_limits(t.type.limits, false));
    if (t.init) {
      // Tables precede globals: their initialisers see imported globals only.
      TANDEM_TRY(check_const(*t.init, t.type.elem, m_.num_imported_globals));
    } else if (!TypeContext::defaultable(t.type.elem)) {
      return Error::invalid(0, "type mismatch: table of a non-nullable type needs an initializer");
    }
  }
  return {};
}

Status ModuleValidator::check_memories() {
  for (uint32_t i = m_.num_imported_memories; i < m_.memories.size(); ++i)
    TANDEM_TRY(check_limits(m_.memories[i].limits, true));
  return {};
}

Status ModuleValidator::check_tags() {
  for (uint32_t i = m_.num_imported_tags; i < m_.tags.size(); ++i) {
    uint32_t t = m_.tags[i].type_index;
    if (t >= types_.size()) return Error::invalid(0, "unknown type " + std::to_string(t));
    if (!types_.is_func(t))
      return Error::invalid(0,
                            "type mismatch: type " + std::to_string(t) + " is not a function type");
    if (!types_.type(t).comp.func.results.empty())
      return Error::invalid(0, "non-empty tag result type");
  }
  return {};
}

Status ModuleValidator::check_globals() {
  for (uint32_t i = m_.num_imported_globals; i < m_.globals.size(); ++i) {
    const wasm::Global& g = m_.globals[i];
    TANDEM_TRY(check_val_type(g.type.type, g.init.range.offset));
    TANDEM_TRY(check_const(g.init, g.type.type, i));
  }
  return {};
}

Status ModuleValidator::check_elems() {
  for (const wasm::ElemSegment& s : m_.elems) {
    uint32_t off = s.offset_in_module;
    TANDEM_TRY(check_val_type(s.type, off));
    if (s.mode == wasm::SegmentMode::Active) {
      if (s.table >= m_.tables.size())
        return Error::invalid(off, "unknown table " + std::to_string(s.table));
      const TableType& tt = m_.tables[s.table].type;
      TANDEM_TRY(check_const(s.offset, tt.limits.is64 ? kI64 : kI32, uint32_t(m_.globals.size())));
      if (!types_.subtype(s.type, tt.elem))
        return Error::invalid(off, "type mismatch: element segment does not match the table");
    }
    for (uint32_t f : s.funcs)
      if (f >= m_.funcs.size()) return Error::invalid(off, "unknown function " + std::to_string(f));
    for (const wasm::ConstExpr& e : s.exprs)
      TANDEM_TRY(check_const(e, s.type, uint32_t(m_.globals.size())));
  }
  return {};
}

Status ModuleValidator::check_datas() {
  for (const wasm::DataSegment& d : m_.datas) {
    if (d.mode != wasm::SegmentMode::Active) continue;
    if (d.memory >= m_.memories.size())
      return Error::invalid(d.offset_in_module, "unknown memory " + std::to_string(d.memory));
    ValType addr = m_.memories[d.memory].limits.is64 ? kI64 : kI32;
    TANDEM_TRY(check_const(d.offset, addr, uint32_t(m_.globals.size())));
  }
  return {};
}

Status ModuleValidator::check_start() {
  if (!m_.start) return {};
  uint32_t f = *m_.start;
  if (f >= m_.funcs.size()) return Error::invalid(0, "unknown function " + std::to_string(f));
  const FuncType& ft = m_.func_type_of(f);
  if (!ft.params.empty() || !ft.results.empty()) return Error::invalid(0, "start function");
  return {};
}

Status ModuleValidator::check_exports() {
  std::set<std::string_view> names;
  for (const wasm::Export& e : m_.exports) {
    size_t limit = 0;
    const char* what = "";
    switch (e.kind) {
    case ExternKind::Func: limit = m_.funcs.size(), what = "unknown function "; break;
    case ExternKind::Table: limit = m_.tables.size(), what = "unknown table "; break;
    case ExternKind::Memory: limit = m_.memories.size(), what = "unknown memory "; break;
    case ExternKind::Global: limit = m_.globals.size(), what = "unknown global "; break;
    case ExternKind::Tag: limit = m_.tags.size(), what = "unknown tag "; break;
    }
    if (e.index >= limit) return Error::invalid(e.offset, what + std::to_string(e.index));
    if (e.kind == ExternKind::Global && m_.globals[e.index].type.mut &&
        !features_.has(Feature::mutable_global))
      return unsupported(Feature::mutable_global, e.offset);
    if (!names.insert(e.name).second) return Error::invalid(e.offset, "duplicate export name");
  }
  return {};
}

Status validate_module(const wasm::Module& m, const FeatureSet& features) {
  ModuleValidator v(m, features);
  return v.validate_all();
}

} // namespace tandem
