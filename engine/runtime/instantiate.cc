// Module instantiation: import matching, allocation of the instance's
// functions, tables, memories, globals and tags, constant expressions,
// element and data segment initialisation, and the start function.
//
// Order follows the spec: link checks first (nothing is allocated for a
// module that does not link), then allocation, then active element segments
// in order, active data segments in order, then the start function. A trap in
// a segment leaves the effects of earlier segments (visible through imported
// tables and memories) in place.
#include "runtime/handles.h"
#include "runtime/memory.h"
#include "runtime/module_impl.h"
#include "wasm/opcodes.h"

#include "base/byte_reader.h"

namespace tandem::rt {

Extern make_extern(ExternKind kind, void* object) { return HandleAccess::make(kind, object); }

void* extern_object(const Extern& e) {
  switch (e.kind) {
  case ExternKind::Func: return e.func.raw();
  case ExternKind::Table: return e.table.raw();
  case ExternKind::Memory: return e.memory.raw();
  case ExternKind::Global: return e.global.raw();
  case ExternKind::Tag: return e.tag.raw();
  }
  return nullptr;
}

namespace {

Error unlinkable(std::string msg) { return Error::make(ErrorKind::Unlinkable, std::move(msg)); }
Error trap(TrapKind k) { return Error::make(ErrorKind::Trap, std::string(trap_message(k))); }

bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.is64 != expected.is64) return false;
  if (actual.min < expected.min) return false;
  if (expected.max) {
    if (!actual.max || *actual.max > *expected.max) return false;
  }
  return true;
}

// The constant-expression evaluator. Expressions are validated, so the
// reader only walks immediates; anything unexpected is an internal error.
class ConstEvaluator {
public:
  ConstEvaluator(StoreImpl& store, ModuleInst& inst) : store_(store), inst_(inst) {}

  Result<RawValue> run(std::span<const uint8_t> code, uint64_t base_offset) {
    ByteReader r(code.data(), code.data() + code.size(), base_offset);
    while (!r.at_end()) {
      TANDEM_ASSIGN(uint8_t b, r.u8());
      uint32_t sub = 0;
      if (is_prefix_byte(b)) {
        TANDEM_ASSIGN(sub, r.uleb32());
      }
      std::optional<Op> op = is_prefix_byte(b) ? op_by_code(b, sub) : op_by_code(0, b);
      if (!op) return internal("unknown opcode in constant expression");
      switch (*op) {
      case Op::end:
        if (stack_.size() != 1) return internal("constant expression arity");
        return stack_.back();
      case Op::i32_const: {
        TANDEM_ASSIGN(int32_t v, r.sleb32());
        push(RawValue::of(uint32_t(v)));
        break;
      }
      case Op::i64_const: {
        TANDEM_ASSIGN(int64_t v, r.sleb64());
        push(RawValue::of(uint64_t(v)));
        break;
      }
      case Op::f32_const: {
        TANDEM_ASSIGN(uint32_t v, r.u32_fixed());
        push(RawValue::of(v));
        break;
      }
      case Op::f64_const: {
        TANDEM_ASSIGN(uint64_t v, r.u64_fixed());
        push(RawValue::of(v));
        break;
      }
      case Op::v128_const: {
        TANDEM_ASSIGN(const uint8_t* p, r.bytes(16));
        RawValue v;
        std::memcpy(&v, p, 16);
        push(v);
        break;
      }
      case Op::ref_null: {
        TANDEM_TRY(r.sleb33());
        push(RawValue::of(uintptr_t(0)));
        break;
      }
      case Op::ref_func: {
        TANDEM_ASSIGN(uint32_t idx, r.uleb32());
        if (idx >= inst_.funcs.size()) return internal("ref.func index");
        push(RawValue::of(reinterpret_cast<uintptr_t>(inst_.funcs[idx])));
        break;
      }
      case Op::global_get: {
        TANDEM_ASSIGN(uint32_t idx, r.uleb32());
        if (idx >= inst_.globals.size()) return internal("global.get index");
        push(inst_.globals[idx]->value);
        break;
      }
      case Op::i32_add: bin32([](uint32_t a, uint32_t b) { return a + b; }); break;
      case Op::i32_sub: bin32([](uint32_t a, uint32_t b) { return a - b; }); break;
      case Op::i32_mul: bin32([](uint32_t a, uint32_t b) { return a * b; }); break;
      case Op::i64_add: bin64([](uint64_t a, uint64_t b) { return a + b; }); break;
      case Op::i64_sub: bin64([](uint64_t a, uint64_t b) { return a - b; }); break;
      case Op::i64_mul: bin64([](uint64_t a, uint64_t b) { return a * b; }); break;
      case Op::any_convert_extern:
      case Op::extern_convert_any:
        break; // references keep their representation across the conversion
      default:
        return Error::make(ErrorKind::Unsupported,
                           "constant expression uses " + std::string(op_name(*op)) +
                               ", which the runtime does not evaluate yet");
      }
      if (stack_.size() > 64) return internal("constant expression too deep");
    }
    return internal("constant expression without end");
  }

private:
  void push(RawValue v) { stack_.push_back(v); }
  template <typename F> void bin32(F f) {
    if (stack_.size() < 2) return;
    uint32_t b = stack_.back().get<uint32_t>();
    stack_.pop_back();
    uint32_t a = stack_.back().get<uint32_t>();
    stack_.back() = RawValue::of(uint32_t(f(a, b)));
  }
  template <typename F> void bin64(F f) {
    if (stack_.size() < 2) return;
    uint64_t b = stack_.back().get<uint64_t>();
    stack_.pop_back();
    uint64_t a = stack_.back().get<uint64_t>();
    stack_.back() = RawValue::of(uint64_t(f(a, b)));
  }
  static Error internal(const char* what) { return Error::make(ErrorKind::Internal, what); }

  StoreImpl& store_;
  ModuleInst& inst_;
  std::vector<RawValue> stack_;
};

Status check_import(StoreImpl& store, const wasm::Module& m, const wasm::Import& imp,
                    const Extern& ext, const std::vector<uint32_t>& type_ids) {
  if (ext.kind != imp.kind) return unlinkable("incompatible import type");
  const TypeRegistry& reg = store.types;
  switch (imp.kind) {
  case ExternKind::Func: {
    FuncInst* f = ext.func.raw();
    if (!f || !reg.is_subtype(f->type_id, type_ids[imp.type_index]))
      return unlinkable("incompatible import type");
    return {};
  }
  case ExternKind::Table: {
    TableInst* t = ext.table.raw();
    if (!t) return unlinkable("incompatible import type");
    ValType want = TypeRegistry::canon_val(imp.table.elem, type_ids);
    if (!(t->elem_type == want) || !limits_match(table_type(*t).limits, imp.table.limits))
      return unlinkable("incompatible import type");
    return {};
  }
  case ExternKind::Memory: {
    MemoryInst* mem = ext.memory.raw();
    if (!mem) return unlinkable("incompatible import type");
    MemoryType have = memory_type(*mem);
    if (!limits_match(have.limits, imp.memory.limits) ||
        have.limits.shared != imp.memory.limits.shared ||
        have.page_size() != imp.memory.page_size())
      return unlinkable("incompatible import type");
    return {};
  }
  case ExternKind::Global: {
    GlobalInst* g = ext.global.raw();
    if (!g) return unlinkable("incompatible import type");
    ValType want = TypeRegistry::canon_val(imp.global.type, type_ids);
    if (g->mut != imp.global.mut) return unlinkable("incompatible import type");
    bool ok = g->mut ? g->type == want : reg.val_subtype(g->type, want);
    if (!ok) return unlinkable("incompatible import type");
    return {};
  }
  case ExternKind::Tag: {
    TagInst* t = ext.tag.raw();
    if (!t || t->type_id != type_ids[imp.type_index]) return unlinkable("incompatible import type");
    return {};
  }
  }
  (void)m;
  return {};
}

} // namespace

Result<RawValue> eval_const(StoreImpl& store, ModuleInst& inst, const wasm::ConstExpr& expr) {
  const wasm::Module& m = inst.module->module;
  ConstEvaluator ev(store, inst);
  return ev.run(m.span(expr.range), expr.range.offset);
}

Result<ModuleInst*> instantiate(StoreImpl& store, std::shared_ptr<const ModuleImpl> module_impl,
                                std::span<const Extern> imports, EntryFn wasm_entry) {
  const wasm::Module& m = module_impl->module;
  if (imports.size() != m.imports.size())
    return unlinkable("wrong number of imports: expected " + std::to_string(m.imports.size()) +
                      ", got " + std::to_string(imports.size()));
  std::vector<uint32_t> type_ids = store.types.canonicalize(m.types);
  for (size_t i = 0; i < imports.size(); ++i)
    TANDEM_TRY(check_import(store, m, m.imports[i], imports[i], type_ids));

  ModuleInst& inst = store.instances.emplace_back();
  inst.module = module_impl;
  inst.type_ids = std::move(type_ids);
  for (size_t i = 0; i < imports.size(); ++i) {
    void* obj = extern_object(imports[i]);
    switch (imports[i].kind) {
    case ExternKind::Func: inst.funcs.push_back(static_cast<FuncInst*>(obj)); break;
    case ExternKind::Table: inst.tables.push_back(static_cast<TableInst*>(obj)); break;
    case ExternKind::Memory: inst.memories.push_back(static_cast<MemoryInst*>(obj)); break;
    case ExternKind::Global: inst.globals.push_back(static_cast<GlobalInst*>(obj)); break;
    case ExternKind::Tag: inst.tags.push_back(static_cast<TagInst*>(obj)); break;
    }
  }
  // Functions first: global and element initialisers may take ref.func.
  for (uint32_t i = m.num_imported_funcs; i < m.funcs.size(); ++i) {
    FuncInst& f = store.funcs.emplace_back();
    f.type_id = inst.type_ids[m.funcs[i]];
    f.type = &store.types.func_type(f.type_id);
    f.func_index = i;
    f.entry = wasm_entry;
    f.module = &inst;
    f.num_params = uint32_t(f.type->params.size());
    f.num_results = uint32_t(f.type->results.size());
    inst.funcs.push_back(&f);
  }
  for (uint32_t i = m.num_imported_tags; i < m.tags.size(); ++i) {
    TagInst& t = store.tags.emplace_back();
    t.type_id = inst.type_ids[m.tags[i].type_index];
    t.type = &store.types.func_type(t.type_id);
    inst.tags.push_back(&t);
  }
  for (uint32_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    MemoryInst& mem = store.memories.emplace_back();
    TANDEM_TRY(memory_create(mem, m.memories[i]));
    inst.memories.push_back(&mem);
  }
  inst.sync_context(&store);
  // Globals in order: an initialiser may read earlier globals.
  for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    inst.sync_context(&store);
    TANDEM_ASSIGN(RawValue v, eval_const(store, inst, m.globals[i].init));
    GlobalInst& g = store.globals.emplace_back();
    g.value = v;
    g.type = TypeRegistry::canon_val(m.globals[i].type.type, inst.type_ids);
    g.mut = m.globals[i].type.mut;
    inst.globals.push_back(&g);
  }
  inst.sync_context(&store);
  for (uint32_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    const wasm::Table& decl = m.tables[i];
    uintptr_t init = 0;
    if (decl.init) {
      TANDEM_ASSIGN(RawValue v, eval_const(store, inst, *decl.init));
      init = v.get<uintptr_t>();
    }
    TableType canon = decl.type;
    canon.elem = TypeRegistry::canon_val(decl.type.elem, inst.type_ids);
    TableInst& t = store.tables.emplace_back();
    TANDEM_TRY(table_create(t, canon, init));
    inst.tables.push_back(&t);
  }
  // Element segments: evaluate every item now (ref.func needs the functions).
  inst.elem_storage.resize(m.elems.size());
  inst.elems.resize(m.elems.size());
  for (size_t s = 0; s < m.elems.size(); ++s) {
    const wasm::ElemSegment& seg = m.elems[s];
    std::vector<uintptr_t>& items = inst.elem_storage[s];
    items.reserve(seg.size());
    if (seg.uses_exprs) {
      for (const wasm::ConstExpr& e : seg.exprs) {
        TANDEM_ASSIGN(RawValue v, eval_const(store, inst, e));
        items.push_back(v.get<uintptr_t>());
      }
    } else {
      for (uint32_t fi : seg.funcs)
        items.push_back(fi < inst.funcs.size() ? reinterpret_cast<uintptr_t>(inst.funcs[fi]) : 0);
    }
    inst.elems[s] = ElemSegInst{items.data(), items.size()};
  }
  inst.datas.resize(m.datas.size());
  for (size_t d = 0; d < m.datas.size(); ++d) {
    const wasm::DataSegment& seg = m.datas[d];
    inst.datas[d] = DataSegInst{m.bytes.data() + seg.init.offset, seg.init.size};
  }
  // Exports.
  for (const wasm::Export& e : m.exports) {
    void* obj = nullptr;
    switch (e.kind) {
    case ExternKind::Func: obj = inst.funcs[e.index]; break;
    case ExternKind::Table: obj = inst.tables[e.index]; break;
    case ExternKind::Memory: obj = inst.memories[e.index]; break;
    case ExternKind::Global: obj = inst.globals[e.index]; break;
    case ExternKind::Tag: obj = inst.tags[e.index]; break;
    }
    inst.exports.emplace_back(e.name, make_extern(e.kind, obj));
  }
  inst.sync_context(&store);

  // Active element segments, then active data segments (spec order).
  for (size_t s = 0; s < m.elems.size(); ++s) {
    const wasm::ElemSegment& seg = m.elems[s];
    if (seg.mode == wasm::SegmentMode::Active) {
      TANDEM_ASSIGN(RawValue off, eval_const(store, inst, seg.offset));
      TableInst* t = inst.tables[seg.table];
      uint64_t start = t->is64 ? off.get<uint64_t>() : off.get<uint32_t>();
      uint64_t n = inst.elems[s].size;
      if (!table_in_bounds(*t, start, n)) return trap(TrapKind::TableOutOfBounds);
      for (uint64_t k = 0; k < n; ++k) t->elems[start + k] = inst.elems[s].elems[k];
    }
    if (seg.mode != wasm::SegmentMode::Passive) inst.elems[s].size = 0; // elem.drop
  }
  for (size_t d = 0; d < m.datas.size(); ++d) {
    const wasm::DataSegment& seg = m.datas[d];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    TANDEM_ASSIGN(RawValue off, eval_const(store, inst, seg.offset));
    MemoryInst* mem = inst.memories[seg.memory];
    uint64_t start = mem->is64 ? off.get<uint64_t>() : off.get<uint32_t>();
    uint64_t n = inst.datas[d].size;
    if (!memory_in_bounds(*mem, start, n)) return trap(TrapKind::MemoryOutOfBounds);
    if (n) std::memcpy(mem->base + start, inst.datas[d].bytes, n);
    inst.datas[d].size = 0; // data.drop
  }
  if (m.start) {
    TANDEM_TRY(store.invoke(inst.funcs[*m.start], {}));
  }
  return &inst;
}

} // namespace tandem::rt
