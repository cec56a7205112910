// CodeGenerator driver: function setup, prologue, the decode loop, and the
// variable, select and helper-call plumbing (see codegen.h), including the
// choice of register locals and their write-back and reload around calls.
#include "jit/codegen.h"

#include "jit/runtime_layout.h"
#include "runtime/module_impl.h"

#include <iterator>

namespace tandem::jit {

namespace {
// Registers for register locals, in order of preference: callee-saved ones
// first (they survive calls, and the prologue saves them anyway), then
// caller-saved ones outside rax/rcx/rdx (which division, shifts and calls
// need), written back around calls. The value stack keeps the rest.
constexpr uint8_t kLocalRegs[] = {3 /*rbx*/, 15 /*r15*/, 10 /*r10*/, 9 /*r9*/, 8 /*r8*/};
constexpr uint32_t kCalleeSavedLocalRegs = 2;
// Float and v128 locals: xmm8..xmm13 (all caller-saved); the value stack
// keeps xmm0..xmm7 and xmm14.
constexpr uint8_t kLocalXmms[] = {8, 9, 10, 11, 12, 13};
static_assert(std::size(kLocalRegs) == CodeGenerator::kMaxGpLocals &&
              std::size(kLocalXmms) == CodeGenerator::kMaxXmmLocals);
// Frames beyond this many slots are left to the interpreter (addressing
// stays within 32-bit displacements with a wide margin).
constexpr uint64_t kMaxFrameSlots = uint64_t(1) << 24;
} // namespace

CodeGenerator::CodeGenerator(rt::ModuleInst& inst, MacroAssembler& masm, bool osr_points)
    : inst_(inst), m_(inst.module->module), masm_(masm), a_(masm.as()), stack_(masm),
      osr_points_(osr_points) {}

Status CodeGenerator::unsupported(Op op) {
  return Error::make(ErrorKind::Unsupported,
                     "the JIT does not support " + std::string(op_name(op)) + " yet");
}

Status CodeGenerator::run(uint32_t func_index) {
  func_index_ = func_index;
  local_kinds_.clear();
  osr_loads_.clear();
  entry_fn_calls_.clear();
  result_kinds_.clear();
  ctrls_.clear();
  saved_entries_.clear();
  unwind_stubs_.clear();
  dead_depth_ = 0;
  offset_ = 0;
  const wasm::FunctionBody& body = m_.body_of(func_index_);
  const FuncType& type = m_.func_type_of(func_index_);
  num_params_ = uint32_t(type.params.size());
  uint64_t locals = uint64_t(type.params.size()) + body.num_locals;
  if (locals > kMaxFrameSlots)
    return Error::make(ErrorKind::Unsupported, "too many locals for the JIT");
  num_locals_ = uint32_t(locals);
  for (ValType t : type.params) local_kinds_.push_back(t.kind());
  for (const wasm::LocalGroup& g : body.locals)
    local_kinds_.insert(local_kinds_.end(), g.count, g.type.kind());
  for (ValType t : type.results) result_kinds_.push_back(t.kind());

  stack_.reset(num_locals_, num_locals_);
  // Register locals: the first integer locals (params included). Compilers
  // number locals by first use, so the low ones are the busy ones.
  num_reg_locals_ = num_xmm_locals_ = 0;
  for (uint32_t x = 0; x < num_locals_; ++x) {
    ValKind k = local_kinds_[x];
    if ((k == ValKind::I32 || k == ValKind::I64) && num_reg_locals_ < std::size(kLocalRegs)) {
      stack_.set_local_reg(x, k, kLocalRegs[num_reg_locals_]);
      reg_locals_[num_reg_locals_++] = x;
    } else if (is_xmm_kind(k) && num_xmm_locals_ < std::size(kLocalXmms)) {
      stack_.set_local_reg(x, k, kLocalXmms[num_xmm_locals_]);
      xmm_locals_[num_xmm_locals_++] = x;
    }
  }
  Ctrl fn;
  fn.kind = CtrlKind::Function;
  fn.num_results = uint32_t(type.results.size());
  fn.result_types = type.results.data();
  ctrls_.push_back(fn);

  uint32_t extra_saved = 0;
  if (num_reg_locals_ > 0) extra_saved |= ValueStack::mask(x86::rbx);
  if (num_reg_locals_ > 1) extra_saved |= ValueStack::mask(x86::r15);
  masm_.prologue(inst_.memories.empty() ? nullptr : inst_.memories[0], extra_saved);
  // Declared locals start at zero (8 bytes covers every scalar and
  // reference): register locals below, the others in their slots.
  bool wide = false;
  uint32_t in_slots = 0;
  for (uint32_t x = num_params_; x < num_locals_; ++x) {
    wide |= local_kinds_[x] == ValKind::V128;
    in_slots += !stack_.local_in_reg(x);
  }
  if (in_slots > 16) {
    masm_.zero_slots(num_params_, num_locals_, wide);
  } else {
    for (uint32_t x = num_params_; x < num_locals_; ++x) {
      if (stack_.local_in_reg(x)) continue;
      a_.mov(MacroAssembler::slot(x), Imm(0));
      if (local_kinds_[x] == ValKind::V128)
        a_.mov(x86::qword_ptr(kFrameReg, int32_t(x) * 16 + 8), Imm(0));
    }
  }
  for (uint32_t i = 0; i < num_reg_locals_; ++i) {
    uint32_t x = reg_locals_[i];
    if (x < num_params_) {
      load_local(x);
    } else {
      x86::Gp r = stack_.local_reg(x, local_kinds_[x]);
      a_.xor_(r.r32(), r.r32());
    }
  }
  for (uint32_t i = 0; i < num_xmm_locals_; ++i) {
    uint32_t x = xmm_locals_[i];
    if (x < num_params_)
      load_local(x);
    else
      a_.xorps(stack_.local_xmm(x), stack_.local_xmm(x));
  }

  Reader reader(m_.bytes.data(), m_.bytes.data() + body.code.offset,
                m_.bytes.data() + body.code.end());
  DecodeEnv env;
  env.features = inst_.module->features;
  TANDEM_TRY((decode_instructions<DecodeChecks::None>(reader, *this, env)));
  if (stack_.failed()) return Error::make(ErrorKind::Internal, "JIT: value stack inconsistency");
  uint64_t frame_slots = uint64_t(num_locals_) + stack_.max_height() + 1;
  if (frame_slots > kMaxFrameSlots)
    return Error::make(ErrorKind::Unsupported, "frame too large for the JIT");
  emit_unwind_stubs();
  emit_osr_loads();
  emit_entry_fn_calls();
  masm_.finish(uint32_t(frame_slots));
  return masm_.status();
}

// ---- locals and globals ------------------------------------------------------------

Status CodeGenerator::local_get(uint32_t x) {
  stack_.push_local(local_kinds_[x], x);
  return {};
}

Status CodeGenerator::local_set(uint32_t x, bool tee) {
  const Entry& top = stack_.top();
  if (top.loc == Loc::Local && top.local == x) {
    if (!tee) stack_.drop(1);
    return {};
  }
  stack_.materialize_local(x);
  if (stack_.local_in_reg(x)) {
    Entry e = stack_.pop();
    if (is_xmm_kind(e.kind)) {
      stack_.load(e, stack_.height(), stack_.local_xmm(x));
    } else {
      x86::Gp r = stack_.local_reg(x, e.kind);
      if (e.loc == Loc::Const)
        masm_.mov_imm(r.r64(), e.bits); // i32 constants are stored zero-extended
      else
        stack_.load(e, stack_.height(), r);
    }
    stack_.release(e);
    if (tee) stack_.push_local(e.kind, x);
    return {};
  }
  Entry e = stack_.pop();
  stack_.store(e, stack_.height(), ValueStack::local_mem(x));
  if (!tee) {
    stack_.release(e);
    return {};
  }
  if (e.loc == Loc::Reg) {
    if (is_xmm_kind(e.kind))
      stack_.push_xmm(e.kind, x86::xmm(e.reg));
    else
      stack_.push_gp(e.kind, x86::gpq(e.reg));
  } else if (e.loc == Loc::Const) {
    stack_.push_const(e.kind, e.bits);
  } else {
    stack_.push_local(e.kind, x);
  }
  return {};
}

Status CodeGenerator::global_get(uint32_t index) {
  rt::GlobalInst* g = inst_.globals[index];
  ValKind k = g->type.kind();
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&g->value));
  if (is_xmm_kind(k)) {
    x86::Xmm r = stack_.alloc_xmm();
    if (k == ValKind::V128)
      a_.movdqu(r, x86::xmmword_ptr(kScratch));
    else if (k == ValKind::F32)
      a_.movss(r, x86::dword_ptr(kScratch));
    else
      a_.movsd(r, x86::qword_ptr(kScratch));
    stack_.push_xmm(k, r);
  } else {
    x86::Gp r = stack_.alloc_gp();
    if (k == ValKind::I32)
      a_.mov(r.r32(), x86::dword_ptr(kScratch));
    else
      a_.mov(r, x86::qword_ptr(kScratch));
    stack_.push_gp(k, r);
  }
  return {};
}

Status CodeGenerator::global_set(uint32_t index) {
  rt::GlobalInst* g = inst_.globals[index];
  ValKind k = g->type.kind();
  Entry e = stack_.pop();
  if (k == ValKind::V128) {
    x86::Xmm r = e.loc == Loc::Reg ? x86::xmm(e.reg) : stack_.alloc_xmm();
    if (e.loc != Loc::Reg) stack_.load(e, stack_.height(), r);
    masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&g->value));
    a_.movdqu(x86::xmmword_ptr(kScratch), r);
    stack_.release(r);
    return {};
  }
  if (e.loc == Loc::Reg) {
    masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&g->value));
    stack_.store(e, stack_.height(), x86::ptr(kScratch));
  } else if (e.loc == Loc::Const) {
    masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&g->value));
    x86::Mem dst = x86::ptr(kScratch);
    if (kind_bytes(k) == 4 || (int64_t(e.bits) >= INT32_MIN && int64_t(e.bits) <= INT32_MAX)) {
      masm_.store_imm(dst, e.bits, kind_bytes(k));
    } else {
      x86::Gp r = stack_.alloc_gp();
      masm_.mov_imm(r, e.bits);
      a_.mov(x86::qword_ptr(kScratch), r);
      stack_.release(r);
    }
  } else {
    // Local or Slot: through a register (r11 holds the address).
    x86::Gp r = stack_.alloc_gp();
    stack_.load(e, stack_.height(), r);
    masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&g->value));
    a_.mov(x86::qword_ptr(kScratch), r);
    stack_.release(r);
  }
  stack_.release(e);
  return {};
}

// ---- select ----------------------------------------------------------------------------

Status CodeGenerator::select() {
  x86::CondCode cc = pop_condition(); // flags set; only movs until the cmov/jcc
  Entry b = stack_.pop();
  uint32_t hb = stack_.height();
  ValKind k = b.kind;
  if (!is_xmm_kind(k)) {
    x86::Gp ra = stack_.pop_gp();
    Operand rb;
    x86::Gp tmp;
    if (b.loc == Loc::Reg) {
      rb = x86::gpq(b.reg);
    } else if (b.loc == Loc::Local && stack_.local_in_reg(b.local)) {
      rb = stack_.local_reg(b.local, k);
    } else if (stack_.in_memory(b)) {
      rb = stack_.mem_of(b, hb, 8);
    } else {
      tmp = stack_.alloc_gp();
      stack_.load(b, hb, tmp);
      rb = tmp;
    }
    x86::CondCode take_b = x86::negateCond(cc);
    if (k == ValKind::I32) {
      if (rb.isReg())
        a_.cmov(take_b, ra.r32(), rb.as<x86::Gp>().r32());
      else {
        x86::Mem m = rb.as<x86::Mem>();
        m.setSize(4);
        a_.cmov(take_b, ra.r32(), m);
      }
    } else {
      if (rb.isReg())
        a_.cmov(take_b, ra, rb.as<x86::Gp>().r64());
      else {
        x86::Mem m = rb.as<x86::Mem>();
        m.setSize(8);
        a_.cmov(take_b, ra, m);
      }
    }
    if (tmp.isValid()) stack_.release(tmp);
    stack_.release(b);
    stack_.push_gp(k, ra);
    return {};
  }
  x86::Xmm ra = stack_.pop_xmm();
  Label keep = a_.newLabel();
  a_.j(cc, keep);
  if (b.loc == Loc::Reg) {
    a_.movaps(ra, x86::xmm(b.reg));
  } else if (b.loc == Loc::Const) {
    stack_.load(b, hb, ra);
  } else {
    x86::Mem m = stack_.mem_of(b, hb, 8);
    if (b.loc == Loc::Local && stack_.local_in_reg(b.local)) {
      a_.movaps(ra, stack_.local_xmm(b.local));
    } else if (k == ValKind::F32) {
      m.setSize(4);
      a_.movss(ra, m);
    } else if (k == ValKind::V128) {
      m.setSize(16);
      a_.movdqu(ra, m);
    } else {
      a_.movsd(ra, m);
    }
  }
  a_.bind(keep);
  stack_.release(b);
  stack_.push_xmm(k, ra);
  return {};
}

// ---- helper calls --------------------------------------------------------------------

uint32_t CodeGenerator::prepare_helper_call(uint32_t arity) {
  uint32_t base = stack_.height() - arity;
  stack_.spill_regs();
  stack_.to_slots(base);
  write_back_locals();
  return base;
}

void CodeGenerator::finish_helper_call(uint32_t arity, std::optional<ValKind> result) {
  reload_locals(/*all=*/false);
  stack_.drop(arity);
  if (result) stack_.push_slot(*result);
}

// ---- register locals around calls ------------------------------------------------------

void CodeGenerator::load_local(uint32_t x) {
  ValKind k = local_kinds_[x];
  x86::Mem m = MacroAssembler::slot(x, kind_bytes(k));
  if (k == ValKind::F32)
    a_.movss(stack_.local_xmm(x), m);
  else if (k == ValKind::F64)
    a_.movsd(stack_.local_xmm(x), m);
  else if (k == ValKind::V128)
    a_.movdqu(stack_.local_xmm(x), m);
  else
    a_.mov(stack_.local_reg(x, k), m);
}

void CodeGenerator::write_back_locals() {
  Entry e;
  e.loc = Loc::Local;
  for (uint32_t i = kCalleeSavedLocalRegs; i < num_reg_locals_; ++i) {
    e.local = reg_locals_[i];
    e.kind = local_kinds_[e.local];
    stack_.store(e, 0, ValueStack::local_mem(e.local));
  }
  for (uint32_t i = 0; i < num_xmm_locals_; ++i) {
    e.local = xmm_locals_[i];
    e.kind = local_kinds_[e.local];
    stack_.store(e, 0, ValueStack::local_mem(e.local));
  }
}

void CodeGenerator::reload_locals(bool all) {
  for (uint32_t i = all ? 0 : kCalleeSavedLocalRegs; i < num_reg_locals_; ++i)
    load_local(reg_locals_[i]);
  for (uint32_t i = 0; i < num_xmm_locals_; ++i) load_local(xmm_locals_[i]);
}

Label CodeGenerator::osr_target(Label loop_head) {
  if (num_reg_locals_ + num_xmm_locals_ == 0) return loop_head;
  Label l = a_.newLabel();
  osr_loads_.push_back({l, loop_head});
  return l;
}

void CodeGenerator::emit_osr_loads() {
  for (const auto& [entry, loop_head] : osr_loads_) {
    a_.bind(entry);
    reload_locals(/*all=*/true); // the interpreter's frame holds every local
    a_.jmp(loop_head);
  }
}

} // namespace tandem::jit
