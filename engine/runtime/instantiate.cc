// Module instantiation: import matching, allocation of the instance's
// functions, tables, memories, globals and tags, constant expressions,
// element and data segment initialisation, and the start function.
//
// Order follows the spec: link checks first (nothing is allocated for a
// module that does not link), then allocation, then active element segments
// in order, active data segments in order, then the start function. A trap in
// a segment leaves the effects of earlier segments (visible through imported
// tables and memories) in place.
#include "decoder/function_decoder.h"
#include "runtime/handles.h"
#include "runtime/memory.h"
#include "runtime/module_impl.h"
#include "runtime/op_semantics.h"

namespace tandem::rt {

Extern make_extern(ExternKind kind, void* object) {
  return HandleAccess::make(kind, object);
}

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

Error unlinkable(std::string msg) {
  return Error::make(ErrorKind::Unlinkable, std::move(msg));
}
Error trap(TrapKind k) {
  return Error::make(ErrorKind::Trap, std::string(trap_message(k)));
}

bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.is64 != expected.is64) return false;
  if (actual.min < expected.min) return false;
  if (expected.max) {
    if (!actual.max || *actual.max > *expected.max) return false;
  }
  return true;
}

// The constant-expression evaluator: a visitor over the shared decoder.
// Expressions are validated, so only the constant instructions arrive.
class ConstEvaluator {
public:
  ConstEvaluator(StoreImpl& store, ModuleInst& inst) : store_(store), inst_(inst) {}

  Result<RawValue> run(const wasm::Module& m, const wasm::ConstExpr& expr) {
    Reader reader(m.bytes.data(), m.bytes.data() + expr.range.offset,
                  m.bytes.data() + expr.range.end());
    DecodeEnv env;
    TANDEM_TRY((decode_instructions<DecodeChecks::None>(reader, *this, env)));
    if (stack_.size() != 1) return Error::make(ErrorKind::Internal, "constant expression arity");
    return stack_.back();
  }

  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t) {
    if constexpr (op == Op::end) {
      return {};
    } else if constexpr (op == Op::i32_const) {
      push(RawValue::of(uint32_t(imm.value)));
    } else if constexpr (op == Op::i64_const) {
      push(RawValue::of(uint64_t(imm.value)));
    } else if constexpr (op == Op::f32_const || op == Op::f64_const) {
      push(RawValue::of(imm.bits));
    } else if constexpr (op == Op::v128_const) {
      RawValue v;
      std::memcpy(&v, imm.bytes.data(), 16);
      push(v);
    } else if constexpr (op == Op::ref_null) {
      push(RawValue::of(uintptr_t(0)));
    } else if constexpr (op == Op::ref_func) {
      if (imm.index >= inst_.funcs.size()) return internal("ref.func index");
      push(RawValue::of(reinterpret_cast<uintptr_t>(inst_.funcs[imm.index])));
    } else if constexpr (op == Op::global_get) {
      if (imm.index >= inst_.globals.size()) return internal("global.get index");
      push(inst_.globals[imm.index]->value);
    } else if constexpr (op == Op::i32_add || op == Op::i32_sub || op == Op::i32_mul) {
      return binary<uint32_t, op>();
    } else if constexpr (op == Op::i64_add || op == Op::i64_sub || op == Op::i64_mul) {
      return binary<uint64_t, op>();
    } else if constexpr (op == Op::any_convert_extern || op == Op::extern_convert_any) {
      // References keep their representation across the conversion.
    } else if constexpr (op == Op::ref_i31) {
      if (stack_.empty()) return internal("constant expression stack");
      stack_.back() = RawValue::of(make_i31(stack_.back().get<uint32_t>()));
    } else if constexpr (op == Op::struct_new || op == Op::struct_new_default ||
                         op == Op::struct_new_desc || op == Op::struct_new_default_desc) {
      uint32_t type_id = inst_.type_ids[imm.index];
      const StructLayout& layout = store_.struct_layout(type_id);
      size_t n = layout.sizes.size();
      uintptr_t desc = 0;
      if constexpr (op == Op::struct_new_desc || op == Op::struct_new_default_desc) {
        if (stack_.empty()) return internal("constant expression stack");
        desc = stack_.back().get<uintptr_t>();
        stack_.pop_back();
        if (desc == 0) return trap(TrapKind::NullDescriptorReference);
      }
      StructObj* obj = store_.alloc_struct(type_id);
      if (!obj) return trap(TrapKind::ArrayAllocationTooLarge);
      if (layout.has_descriptor) obj->set_descriptor(desc);
      if constexpr (op == Op::struct_new || op == Op::struct_new_desc) {
        if (stack_.size() < n) return internal("constant expression stack");
        size_t base = stack_.size() - n;
        for (size_t i = 0; i < n; ++i)
          write_field(obj->fields() + layout.offsets[i], stack_[base + i], layout.sizes[i]);
        stack_.resize(base);
      }
      push(RawValue::of(reinterpret_cast<uintptr_t>(obj)));
    } else if constexpr (op == Op::array_new || op == Op::array_new_default ||
                         op == Op::array_new_fixed) {
      uint32_t type_id;
      uint64_t length;
      if constexpr (op == Op::array_new_fixed) {
        type_id = inst_.type_ids[imm.type_index];
        length = imm.length;
        if (stack_.size() < length) return internal("constant expression stack");
      } else {
        type_id = inst_.type_ids[imm.index];
        if (stack_.empty()) return internal("constant expression stack");
        length = stack_.back().get<uint32_t>();
        stack_.pop_back();
      }
      ArrayObj* arr = store_.alloc_array(type_id, length);
      if (!arr) return trap(TrapKind::ArrayAllocationTooLarge);
      if constexpr (op == Op::array_new) {
        if (stack_.empty()) return internal("constant expression stack");
        for (uint64_t i = 0; i < length; ++i)
          write_field(arr->data() + i * arr->elem_size, stack_.back(), arr->elem_size);
        stack_.pop_back();
      } else if constexpr (op == Op::array_new_fixed) {
        size_t base = stack_.size() - length;
        for (uint64_t i = 0; i < length; ++i)
          write_field(arr->data() + i * arr->elem_size, stack_[base + i], arr->elem_size);
        stack_.resize(base);
      }
      push(RawValue::of(reinterpret_cast<uintptr_t>(arr)));
    } else {
      return Error::make(ErrorKind::Unsupported, "constant expression uses " +
                                                     std::string(op_name(op)) +
                                                     ", which the runtime does not evaluate yet");
    }
    return {};
  }

private:
  void push(RawValue v) { stack_.push_back(v); }
  template <typename T, Op op> Status binary() {
    if (stack_.size() < 2) return internal("constant expression stack");
    T b = stack_.back().get<T>();
    stack_.pop_back();
    T a = stack_.back().get<T>();
    stack_.back() = RawValue::of(T(OpSemantics<op>::apply(a, b)));
    return {};
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
    if (imp.exact && f->type_id != type_ids[imp.type_index])
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
  ConstEvaluator ev(store, inst);
  return ev.run(inst.module->module, expr);
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
