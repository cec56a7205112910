// Lowering (lowerer.h): the driver, the per-opcode steps (templates over
// Op), and the entry points lower_function and code_for.
#include "decoder/dead_code.h"
#include "interp/lowerer.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace tandem::interp {
namespace lowering {

Result<std::unique_ptr<InterpCode>> Lowerer::run() {
  const wasm::FunctionBody& body = m_.body_of(func_index_);
  const FuncType& type = m_.func_type_of(func_index_);
  out_ = std::make_unique<InterpCode>();
  out_->num_params = uint32_t(type.params.size());
  out_->num_results = uint32_t(type.results.size());
  uint64_t locals = uint64_t(type.params.size()) + body.num_locals;
  if (locals > (uint64_t(1) << 24))
    return Error::make(ErrorKind::Unsupported, "too many locals for the interpreter");
  num_locals_ = uint32_t(locals);
  out_->num_locals = num_locals_;
  Ctrl fn;
  fn.kind = CtrlKind::Function;
  fn.num_results = out_->num_results;
  ctrls_.push_back(std::move(fn));

  Reader reader(m_.bytes.data(), m_.bytes.data() + body.code.offset,
                m_.bytes.data() + body.code.end());
  DecodeEnv env;
  env.features = inst_.module->features;
  TANDEM_TRY((decode_instructions<DecodeChecks::None>(reader, *this, env)));
  if (!error_.ok()) return error_.error();
  // Hidden slots follow the deepest operand stack.
  uint32_t hidden_base = num_locals_ + max_height_ + 1;
  for (const HiddenPatch& p : hidden_patches_) code()[p.unit] = slot_offset(hidden_base + p.index);
  for (Handler& h : out_->handlers)
    for (CatchEntry& c : h.catches)
      if (c.exn_slot != kNoExnSlot) c.exn_slot = slot_offset(hidden_base + c.exn_slot);
  out_->frame_slots = hidden_base + hidden_count_;
  return std::move(out_);
}

template <Op op> Status Lowerer::visit(const ImmFor<op>& imm, uint32_t offset) {
  constexpr OpInfo info = op_info(op);
  if (ctrls_.back().unreachable && skip_unreachable<op>(dead_depth_)) return {};
  if constexpr (info.shape == Shape::Load || info.shape == Shape::SimdLoad) {
    return load<op>(imm);
  } else if constexpr (info.shape == Shape::Store || info.shape == Shape::SimdStore) {
    return store<op>(imm);
  } else if constexpr (info.shape == Shape::SimdTernary || info.shape == Shape::SimdExtractLane ||
                       info.shape == Shape::SimdReplaceLane || info.shape == Shape::SimdShuffle ||
                       info.shape == Shape::SimdLoadLane || info.shape == Shape::SimdStoreLane) {
    return simd<op>(imm);
  } else if constexpr (is_direct(op)) {
    return numeric<op>();
  } else {
    return control<op>(imm, offset);
  }
}

template <Op op> Status Lowerer::numeric() {
  constexpr uint32_t n = direct_operands(op);
  if constexpr (n == 2) {
    uint32_t a = src(height() - 1);
    bool ra = has_reg_form(op, RegForm{Family::Direct, true, false}) && take_register(height() - 1);
    pop(1);
    size_t at = emit_header(iop_form(op, RegForm{Family::Direct, ra, false}));
    code().push_back(temp_slot(height()));
    code().push_back(a);
    push_temp();
    allow_retarget(at + 1);
    if constexpr (has_branch_form(op)) note_compare(at, op, false);
  } else if (has_imm_form(op) && stack_.back().is_const && imm_form_applies(op, stack_.back())) {
    uint64_t imm = imm_operand(op, stack_.back().value);
    pop(1);
    uint32_t a = src(height() - 1);
    bool ra = take_register(height() - 1);
    pop(1);
    size_t at = emit_header(iop_form(op, RegForm{Family::Imm, ra, false}));
    code().insert(code().end(), {temp_slot(height()), a, uint32_t(imm), uint32_t(imm >> 32)});
    push_temp();
    allow_retarget(at + 1);
    if constexpr (has_branch_form(op)) note_compare(at, op, true);
  } else {
    if constexpr (op == Op::i32_add) {
      if (fuse_mul_add()) return {};
    }
    uint32_t a = src(height() - 2), b = src(height() - 1);
    // The operand computed last goes through r: `a` as it is, `b` when
    // the operation can take its operands the other way round.
    Op emitted = op;
    bool ra = false;
    if constexpr (has_reg_form(op, RegForm{Family::Direct, true, false})) {
      constexpr Op kSwapped = swapped_operands(op);
      if (take_register(height() - 2)) {
        ra = true;
      } else if (kSwapped != kNoOp && take_register(height() - 1)) {
        ra = true;
        emitted = kSwapped;
        std::swap(a, b);
      }
    }
    pop(2);
    size_t at = emit_header(iop_form(emitted, RegForm{Family::Direct, ra, false}));
    code().push_back(temp_slot(height()));
    code().push_back(a);
    code().push_back(b);
    push_temp();
    allow_retarget(at + 1);
    if constexpr (has_branch_form(op)) note_compare(at, emitted, false);
  }
  return {};
}

template <Op op> Status Lowerer::load(const MemArgImm& imm) {
  uint32_t base = 0, add = 0;
  bool ra = false;
  constexpr bool kRegForms = has_reg_form(op, RegForm{Family::Direct, true, false});
  if (has_addr_imm_form(op) && simple_memarg(imm) &&
      take_addr_add(height() - 1, base, add, kRegForms, ra)) {
    pop(1);
    size_t at = emit_header(iop_form(op, RegForm{Family::Imm, ra, false}));
    code().insert(code().end(), {temp_slot(height()), base, add, uint32_t(imm.offset)});
    allow_retarget(at + 1);
    push_temp();
    return {};
  }
  uint32_t addr = src(height() - 1);
  if (kRegForms && simple_memarg(imm)) ra = take_register(height() - 1);
  pop(1);
  uint32_t dst = temp_slot(height());
  size_t at;
  if (simple_memarg(imm)) {
    at = emit_header(iop_form(op, RegForm{Family::Direct, ra, false}));
    code().insert(code().end(), {dst, addr, uint32_t(imm.offset)});
    allow_retarget(at + 1);
  } else {
    at = emit(IOp::load_x, {uint32_t(op), dst, addr, imm.memory, uint32_t(imm.offset),
                            uint32_t(imm.offset >> 32)});
    allow_retarget(at + 2);
  }
  push_temp();
  return {};
}

template <Op op> Status Lowerer::store(const MemArgImm& imm) {
  uint32_t base = 0, add = 0;
  bool ra = false;
  // A constant value (an integer store) is an immediate of the store.
  if (has_addr_imm_form(op) && simple_memarg(imm) && stack_.back().is_const) {
    uint64_t value = stack_.back().value;
    if (!take_addr_add(height() - 2, base, add, true, ra)) {
      base = src(height() - 2);
      ra = take_register(height() - 2);
    }
    pop(2);
    emit_header(iop_of(store_imm_op(memory_access_bytes(op), ra)));
    code().insert(code().end(),
                  {base, add, uint32_t(imm.offset), uint32_t(value), uint32_t(value >> 32)});
    return {};
  }
  if (has_addr_imm_form(op) && simple_memarg(imm) &&
      take_addr_add(height() - 2, base, add, false, ra)) {
    uint32_t value = src(height() - 1); // a pending constant is emitted after the add's removal
    pop(2);
    emit_header(iop_imm(op));
    code().insert(code().end(), {base, value, add, uint32_t(imm.offset)});
    return {};
  }
  uint32_t addr = src(height() - 2), value = src(height() - 1);
  if (has_reg_form(op, RegForm{Family::Direct, true, false}) && simple_memarg(imm))
    ra = take_register(height() - 1);
  pop(2);
  if (simple_memarg(imm)) {
    emit_header(iop_form(op, RegForm{Family::Direct, ra, false}));
    code().insert(code().end(), {addr, value, uint32_t(imm.offset)});
  } else {
    emit(IOp::store_x,
         {uint32_t(op), addr, value, imm.memory, uint32_t(imm.offset), uint32_t(imm.offset >> 32)});
  }
  return {};
}

template <Op op> Status Lowerer::control(const ImmFor<op>& imm, uint32_t offset) {
  constexpr OpInfo info = op_info(op);
  (void)offset;
  if constexpr (op == Op::nop) {
    return {};
  } else if constexpr (op == Op::unreachable) {
    emit(IOp::unreachable, {});
    set_unreachable();
    return {};
  } else if constexpr (op == Op::block) {
    materialize_all();
    open(CtrlKind::Block, imm);
    return {};
  } else if constexpr (op == Op::loop) {
    materialize_all();
    open(CtrlKind::Loop, imm);
    ctrls_.back().loop_start = bind();
    if (height() == 0) // jit: an on-stack-replacement point (no operand state)
      out_->osr_loops.push_back(OsrLoop{uint32_t(ctrls_.back().loop_start), offset});
    return {};
  } else if constexpr (op == Op::if_) {
    Compare cmp;
    bool fused = take_compare(cmp);
    uint32_t cond = src(height() - 1);
    bool rc = !fused && cond_in_register();
    pop(1);
    materialize_all(); // copies and constants only: r survives them
    open(CtrlKind::If, imm);
    Fixup f = fused ? emit_compare_branch(cmp, true) : cond_branch(IOp::br_if_z, cond, rc);
    ctrls_.back().has_else_fixup = true;
    ctrls_.back().else_fixup = f;
    return {};
  } else if constexpr (op == Op::else_) {
    Ctrl& c = ctrls_.back();
    if (!c.unreachable) {
      materialize_top(c.num_results);
      size_t at = emit(IOp::br, {0});
      c.fixups.push_back(Fixup{at, at + 1});
    }
    patch(c.else_fixup, bind());
    c.has_else_fixup = false;
    c.unreachable = false;
    stack_.resize(c.height);
    push_temps(c.num_params);
    return {};
  } else if constexpr (op == Op::end) {
    return end();
  } else if constexpr (op == Op::br) {
    branch_to(imm.index, /*last=*/true);
    set_unreachable();
    return {};
  } else if constexpr (op == Op::br_if) {
    Compare cmp;
    bool fused = take_compare(cmp);
    uint32_t cond = src(height() - 1);
    bool rc = !fused && cond_in_register();
    pop(1);
    Ctrl& c = label(imm.index);
    if (c.kind != CtrlKind::Function && !needs_copies(c)) {
      Fixup f = fused ? emit_compare_branch(cmp, false) : cond_branch(IOp::br_if_nz, cond, rc);
      if (c.kind == CtrlKind::Loop)
        patch(f, c.loop_start);
      else
        c.fixups.push_back(f);
    } else {
      Fixup skip = fused ? emit_compare_branch(cmp, true) : cond_branch(IOp::br_if_z, cond, rc);
      branch_to(imm.index);
      patch(skip, bind());
    }
    return {};
  } else if constexpr (op == Op::br_table) {
    return br_table(imm);
  } else if constexpr (op == Op::return_) {
    emit_return(/*last=*/true);
    set_unreachable();
    return {};
  } else if constexpr (op == Op::call || op == Op::return_call) {
    FuncInst* callee = inst_.funcs[imm.index];
    const FuncType& type = m_.func_type_of(imm.index);
    uint32_t base = call_args(type);
    emit_header(iop_of(op == Op::call ? IOp::call : IOp::return_call));
    emit_ptr(callee);
    code().push_back(base);
    if constexpr (op == Op::call) {
      push_temps(uint32_t(type.results.size()));
    } else {
      set_unreachable();
    }
    return {};
  } else if constexpr (op == Op::call_indirect || op == Op::return_call_indirect) {
    uint32_t index = src(height() - 1);
    pop(1);
    const FuncType& type = m_.func_type(imm.type_index);
    uint32_t base = call_args(type);
    emit_header(iop_of(op == Op::call_indirect ? IOp::call_indirect : IOp::return_call_indirect));
    emit_ptr(inst_.tables[imm.table]);
    code().push_back(inst_.type_ids[imm.type_index]);
    code().push_back(index);
    code().push_back(base);
    if constexpr (op == Op::call_indirect) {
      push_temps(uint32_t(type.results.size()));
    } else {
      set_unreachable();
    }
    return {};
  } else if constexpr (op == Op::call_ref || op == Op::return_call_ref) {
    uint32_t ref = src(height() - 1);
    pop(1);
    const FuncType& type = m_.func_type(imm.index);
    uint32_t base = call_args(type);
    emit(op == Op::call_ref ? IOp::call_ref : IOp::return_call_ref, {ref, base});
    if constexpr (op == Op::call_ref) {
      push_temps(uint32_t(type.results.size()));
    } else {
      set_unreachable();
    }
    return {};
  } else if constexpr (op == Op::drop) {
    pop(1);
    return {};
  } else if constexpr (op == Op::select || op == Op::select_t) {
    const Entry &ea = stack_[height() - 3], &eb = stack_[height() - 2];
    if (ea.is_const && eb.is_const && !ea.is64 && !eb.is64) { // i32 constants: immediates
      uint32_t t = uint32_t(ea.value), f = uint32_t(eb.value);
      uint32_t cond = src(height() - 1);
      bool rc = take_register(height() - 1);
      pop(3);
      size_t at = emit(rc ? IOp::select_imm_r : IOp::select_imm, {temp_slot(height()), cond, t, f});
      push_temp();
      allow_retarget(at + 1);
      return {};
    }
    uint32_t cond = src(height() - 1), b = src(height() - 2), a = src(height() - 3);
    bool rc = take_register(height() - 1);
    pop(3);
    size_t at = emit(rc ? IOp::select_r : IOp::select, {temp_slot(height()), a, b, cond});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::local_get) {
    stack_.push_back(Entry{true, imm.index});
    if (height() > max_height_) max_height_ = height();
    return {};
  } else if constexpr (op == Op::local_set || op == Op::local_tee) {
    return local_set(imm.index, op == Op::local_tee);
  } else if constexpr (op == Op::global_get) {
    size_t at = emit(IOp::global_get, {temp_slot(height())});
    emit_ptr(inst_.globals[imm.index]);
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::global_set) {
    uint32_t v = src(height() - 1);
    pop(1);
    emit_header(iop_of(IOp::global_set));
    emit_ptr(inst_.globals[imm.index]);
    code().push_back(v);
    return {};
  } else if constexpr (op == Op::i32_const) {
    push_const(uint32_t(imm.value), false);
    return {};
  } else if constexpr (op == Op::f32_const) {
    size_t at = emit(IOp::const32, {temp_slot(height()), imm.bits});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::i64_const) {
    push_const(uint64_t(imm.value), true);
    return {};
  } else if constexpr (op == Op::f64_const) {
    uint64_t v = imm.bits;
    size_t at = emit(IOp::const64, {temp_slot(height()), uint32_t(v), uint32_t(v >> 32)});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::v128_const) {
    uint32_t w[4];
    std::memcpy(w, imm.bytes.data(), 16);
    size_t at = emit(IOp::const128, {temp_slot(height()), w[0], w[1], w[2], w[3]});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::ref_null) {
    size_t at = emit(IOp::const64, {temp_slot(height()), 0, 0});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::ref_func) {
    size_t at = emit(IOp::ref_func, {temp_slot(height()), imm.index});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::ref_is_null) {
    uint32_t a = src(height() - 1);
    pop(1);
    size_t at = emit(IOp::ref_is_null, {temp_slot(height()), a});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::ref_as_non_null) {
    emit(IOp::ref_as_non_null, {src(height() - 1)});
    return {};
  } else if constexpr (op == Op::ref_eq) {
    uint32_t a = src(height() - 2), b = src(height() - 1);
    pop(2);
    size_t at = emit(IOp::ref_eq, {temp_slot(height()), a, b});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::br_on_null || op == Op::br_on_non_null) {
    return br_on_null(imm.index, op == Op::br_on_non_null);
  } else if constexpr (op == Op::memory_size) {
    size_t at = emit(IOp::memory_size, {temp_slot(height()), imm.index});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::memory_grow) {
    uint32_t delta = src(height() - 1);
    pop(1);
    size_t at = emit(IOp::memory_grow, {temp_slot(height()), delta, imm.index});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::memory_fill) {
    uint32_t d = src(height() - 3), v = src(height() - 2), n = src(height() - 1);
    pop(3);
    emit(IOp::memory_fill, {d, v, n, imm.index});
    return {};
  } else if constexpr (op == Op::memory_copy) {
    uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
    pop(3);
    emit(IOp::memory_copy, {d, s, n, imm.dst, imm.src});
    return {};
  } else if constexpr (op == Op::memory_init) {
    uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
    pop(3);
    emit(IOp::memory_init, {d, s, n, imm.data, imm.memory});
    return {};
  } else if constexpr (op == Op::data_drop) {
    emit(IOp::data_drop, {imm.index});
    return {};
  } else if constexpr (op == Op::table_get) {
    uint32_t i = src(height() - 1);
    pop(1);
    size_t at = emit(IOp::table_get, {temp_slot(height()), i, imm.index});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::table_set) {
    uint32_t i = src(height() - 2), v = src(height() - 1);
    pop(2);
    emit(IOp::table_set, {i, v, imm.index});
    return {};
  } else if constexpr (op == Op::table_size) {
    size_t at = emit(IOp::table_size, {temp_slot(height()), imm.index});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::table_grow) {
    uint32_t init = src(height() - 2), delta = src(height() - 1);
    pop(2);
    size_t at = emit(IOp::table_grow, {temp_slot(height()), init, delta, imm.index});
    push_temp();
    allow_retarget(at + 1);
    return {};
  } else if constexpr (op == Op::table_fill) {
    uint32_t i = src(height() - 3), v = src(height() - 2), n = src(height() - 1);
    pop(3);
    emit(IOp::table_fill, {i, v, n, imm.index});
    return {};
  } else if constexpr (op == Op::table_copy) {
    uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
    pop(3);
    emit(IOp::table_copy, {d, s, n, imm.dst, imm.src});
    return {};
  } else if constexpr (op == Op::table_init) {
    uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
    pop(3);
    emit(IOp::table_init, {d, s, n, imm.elem, imm.table});
    return {};
  } else if constexpr (op == Op::elem_drop) {
    emit(IOp::elem_drop, {imm.index});
    return {};
  } else if constexpr (op == Op::any_convert_extern || op == Op::extern_convert_any) {
    return {}; // same representation
  } else if constexpr (info.shape == Shape::RefI31 || info.shape == Shape::I31Get ||
                       info.shape == Shape::StructNew || info.shape == Shape::StructGet ||
                       info.shape == Shape::StructSet || info.shape == Shape::ArrayNew ||
                       info.shape == Shape::ArrayNewFixed || info.shape == Shape::ArrayNewData ||
                       info.shape == Shape::ArrayNewElem || info.shape == Shape::ArrayGet ||
                       info.shape == Shape::ArraySet || info.shape == Shape::ArrayLen ||
                       info.shape == Shape::ArrayFill || info.shape == Shape::ArrayCopy ||
                       info.shape == Shape::ArrayInitData || info.shape == Shape::ArrayInitElem ||
                       info.shape == Shape::RefTest || info.shape == Shape::RefCast ||
                       info.shape == Shape::BrOnCast || info.shape == Shape::RefGetDesc ||
                       info.shape == Shape::RefCastDescEq) {
    return gc<op>(imm);
  } else if constexpr (info.shape == Shape::WideArith) {
    constexpr uint32_t n = op_info(op).sig.find(':');
    uint32_t a[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < n; ++i) a[i] = src(height() - n + i);
    pop(n);
    emit(IOp::wide, {uint32_t(op), temp_slot(height()), a[0], a[1], a[2], a[3]});
    push_temps(2);
    return {};
  } else if constexpr (info.shape == Shape::AtomicFence) {
    emit(IOp::atomic, {uint32_t(op), 0, 0, 0, 0, 0, 0, 0});
    return {};
  } else if constexpr (info.shape == Shape::AtomicLoad || info.shape == Shape::AtomicStore ||
                       info.shape == Shape::AtomicRmw || info.shape == Shape::AtomicCmpxchg ||
                       info.shape == Shape::AtomicNotify || info.shape == Shape::AtomicWait) {
    constexpr std::string_view sig = op_info(op).sig;
    constexpr uint32_t n = uint32_t(sig.find(':'));
    constexpr bool has_result = sig.size() > n + 1;
    uint32_t a[3] = {0, 0, 0};
    for (uint32_t i = 0; i < n; ++i) a[i] = src(height() - n + i);
    pop(n);
    emit(IOp::atomic, {uint32_t(op), temp_slot(height()), a[0], a[1], a[2], imm.memory,
                       uint32_t(imm.offset), uint32_t(imm.offset >> 32)});
    if (has_result) push_temp();
    return {};
  } else if constexpr (op == Op::try_table) {
    return try_table(imm);
  } else if constexpr (op == Op::try_) {
    return legacy_try(imm);
  } else if constexpr (op == Op::catch_) {
    return legacy_catch(imm.index);
  } else if constexpr (op == Op::catch_all) {
    return legacy_catch(std::nullopt);
  } else if constexpr (op == Op::delegate) {
    return legacy_delegate(imm.index);
  } else if constexpr (op == Op::rethrow) {
    size_t at = emit(IOp::throw_ref, {0});
    hidden_patches_.push_back(HiddenPatch{at + 1, label(imm.index).exn_hidden});
    set_unreachable();
    return {};
  } else if constexpr (op == Op::throw_) {
    const FuncType& type = m_.func_type(m_.tags[imm.index].type_index);
    uint32_t base = call_args(type);
    emit_header(iop_of(IOp::throw_));
    emit_ptr(inst_.tags[imm.index]);
    code().push_back(base);
    set_unreachable();
    return {};
  } else if constexpr (op == Op::throw_ref) {
    emit(IOp::throw_ref, {src(height() - 1)});
    set_unreachable();
    return {};
  } else {
    return unsupported(op);
  }
}

template <Op op> Status Lowerer::simd(const ImmFor<op>& imm) {
  constexpr Shape kShape = op_info(op).shape;
  if constexpr (kShape == Shape::SimdTernary) {
    auto [a, b, c] = pop_slots<3>();
    emit_producer_direct(op, {a, b, c});
  } else if constexpr (kShape == Shape::SimdExtractLane) {
    auto [v] = pop_slots<1>();
    emit_producer_direct(op, {v, uint32_t(imm.lane)});
  } else if constexpr (kShape == Shape::SimdReplaceLane) {
    auto [v, x] = pop_slots<2>();
    emit_producer_direct(op, {v, x, uint32_t(imm.lane)});
  } else if constexpr (kShape == Shape::SimdShuffle) {
    auto [a, b] = pop_slots<2>();
    uint32_t w[4];
    std::memcpy(w, imm.lanes.data(), 16);
    emit_producer_direct(op, {a, b, w[0], w[1], w[2], w[3]});
  } else if constexpr (kShape == Shape::SimdLoadLane) {
    auto [addr, v] = pop_slots<2>();
    emit_producer_direct(op, {addr, v, imm.mem.memory, uint32_t(imm.mem.offset),
                              uint32_t(imm.mem.offset >> 32), uint32_t(imm.lane)});
  } else if constexpr (kShape == Shape::SimdStoreLane) {
    auto [addr, v] = pop_slots<2>();
    emit_header(iop_of(op));
    code().insert(code().end(), {addr, v, imm.mem.memory, uint32_t(imm.mem.offset),
                                 uint32_t(imm.mem.offset >> 32), uint32_t(imm.lane)});
  }
  return {};
}

template <Op op> Status Lowerer::gc(const ImmFor<op>& imm) {
  if constexpr (op == Op::ref_i31) {
    auto [v] = pop_slots<1>();
    emit_producer(IOp::ref_i31, {v});
  } else if constexpr (op == Op::i31_get_s || op == Op::i31_get_u) {
    auto [r] = pop_slots<1>();
    emit_producer(op == Op::i31_get_s ? IOp::i31_get_s : IOp::i31_get_u, {r});
  } else if constexpr (op == Op::struct_new) {
    uint32_t n = uint32_t(m_.types[imm.index].comp.fields.size());
    materialize_top(n);
    uint32_t base = temp_slot(height() - n);
    pop(n);
    emit_producer(IOp::struct_new, {canon(imm.index), base, n});
  } else if constexpr (op == Op::struct_new_default) {
    emit_producer(IOp::struct_new_default, {canon(imm.index)});
  } else if constexpr (op == Op::struct_new_desc) {
    // The fields and then the descriptor, in consecutive slots.
    uint32_t n = uint32_t(m_.types[imm.index].comp.fields.size());
    materialize_top(n + 1);
    uint32_t base = temp_slot(height() - n - 1);
    pop(n + 1);
    emit_producer(IOp::struct_new_desc, {canon(imm.index), base, n});
  } else if constexpr (op == Op::struct_new_default_desc) {
    auto [d] = pop_slots<1>();
    emit_producer(IOp::struct_new_default_desc, {canon(imm.index), d});
  } else if constexpr (op == Op::ref_get_desc) {
    auto [r] = pop_slots<1>();
    emit_producer(IOp::ref_get_desc, {r});
  } else if constexpr (op == Op::ref_cast_desc_eq || op == Op::ref_cast_desc_eq_null) {
    // The value stays where it is; the descriptor is consumed.
    emit(IOp::ref_cast_desc_eq,
         {src(height() - 2), src(height() - 1), op == Op::ref_cast_desc_eq_null ? 1u : 0u});
    pop(1);
  } else if constexpr (op == Op::br_on_cast_desc_eq || op == Op::br_on_cast_desc_eq_fail) {
    return br_on_cast_desc_eq(imm, op == Op::br_on_cast_desc_eq_fail);
  } else if constexpr (op == Op::struct_get || op == Op::struct_get_s || op == Op::struct_get_u) {
    const rt::StructLayout& layout = inst_.ctx.store->struct_layout(canon(imm.type_index));
    uint32_t access = layout.sizes[imm.field] | (op == Op::struct_get_s ? rt::kAccessSigned : 0);
    auto [r] = pop_slots<1>();
    emit_producer(IOp::struct_get, {r, layout.offsets[imm.field], access});
  } else if constexpr (op == Op::struct_set) {
    const rt::StructLayout& layout = inst_.ctx.store->struct_layout(canon(imm.type_index));
    auto [r, v] = pop_slots<2>();
    emit(IOp::struct_set, {r, v, layout.offsets[imm.field], layout.sizes[imm.field]});
  } else if constexpr (op == Op::array_new) {
    auto [init, len] = pop_slots<2>();
    emit_producer(IOp::array_new, {canon(imm.index), init, len});
  } else if constexpr (op == Op::array_new_default) {
    auto [len] = pop_slots<1>();
    emit_producer(IOp::array_new_default, {canon(imm.index), len});
  } else if constexpr (op == Op::array_new_fixed) {
    uint32_t n = imm.length;
    materialize_top(n);
    uint32_t base = temp_slot(height() - n);
    pop(n);
    emit_producer(IOp::array_new_fixed, {canon(imm.type_index), base, n});
  } else if constexpr (op == Op::array_new_data || op == Op::array_new_elem) {
    auto [off, len] = pop_slots<2>();
    emit_producer(op == Op::array_new_data ? IOp::array_new_data : IOp::array_new_elem,
                  {canon(imm.type_index), off, len, imm.segment});
  } else if constexpr (op == Op::array_get || op == Op::array_get_s || op == Op::array_get_u) {
    auto [r, i] = pop_slots<2>();
    emit_producer(IOp::array_get, {r, i, op == Op::array_get_s ? 1u : 0u});
  } else if constexpr (op == Op::array_set) {
    auto [r, i, v] = pop_slots<3>();
    emit(IOp::array_set, {r, i, v});
  } else if constexpr (op == Op::array_len) {
    auto [r] = pop_slots<1>();
    emit_producer(IOp::array_len, {r});
  } else if constexpr (op == Op::array_fill) {
    auto [r, off, v, n] = pop_slots<4>();
    emit(IOp::array_fill, {r, off, v, n});
  } else if constexpr (op == Op::array_copy) {
    auto [d, doff, sref, soff, n] = pop_slots<5>();
    emit(IOp::array_copy, {d, doff, sref, soff, n});
  } else if constexpr (op == Op::array_init_data || op == Op::array_init_elem) {
    auto [r, d, sofs, n] = pop_slots<4>();
    emit(op == Op::array_init_data ? IOp::array_init_data : IOp::array_init_elem,
         {r, d, sofs, n, imm.segment});
  } else if constexpr (op == Op::ref_test || op == Op::ref_test_null) {
    auto [r] = pop_slots<1>();
    emit_producer(IOp::ref_test, {r, cast_target(imm.type), op == Op::ref_test_null ? 1u : 0u});
  } else if constexpr (op == Op::ref_cast || op == Op::ref_cast_null) {
    // The value stays where it is (a cast does not change it).
    emit(IOp::ref_cast,
         {src(height() - 1), cast_target(imm.type), op == Op::ref_cast_null ? 1u : 0u});
  } else if constexpr (op == Op::br_on_cast || op == Op::br_on_cast_fail) {
    return br_on_cast(imm, op == Op::br_on_cast_fail);
  } else {
    return unsupported(op);
  }
  return {};
}

} // namespace lowering
Result<std::unique_ptr<InterpCode>> lower_function(rt::ModuleInst& inst, uint32_t func_index) {
  lowering::Lowerer lowerer(inst, func_index);
  return lowerer.run();
}

namespace {

// TANDEM_INTERP_DUMP=DIR writes each function's lowered code, as
// disassemble() prints it, to DIR/wasm-function-INDEX.txt when it is lowered.
void dump_lowered(const InterpCode& code, uint32_t func_index) {
  static const char* dir = std::getenv("TANDEM_INTERP_DUMP");
  if (!dir || !*dir) return;
  std::string path = std::string(dir) + "/wasm-function-" + std::to_string(func_index) + ".txt";
  if (std::FILE* out = std::fopen(path.c_str(), "w")) {
    std::string text = disassemble(code);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  }
}

} // namespace

Result<const InterpCode*> code_for(rt::FuncInst* f) {
  if (f->code) return static_cast<const InterpCode*>(f->code);
  if (!f->module) return Error::make(ErrorKind::Internal, "no code for a host function");
  TANDEM_ASSIGN(std::unique_ptr<InterpCode> code, lower_function(*f->module, f->func_index));
  dump_lowered(*code, f->func_index);
  std::shared_ptr<InterpCode> owned(std::move(code));
  f->code = owned.get();
  f->module->tier_data.push_back(owned);
  return static_cast<const InterpCode*>(owned.get());
}

} // namespace tandem::interp
