// The interpreter's dispatch loop.
//
// Every handler is written once, in the handler files included below, with
// the macros HANDLER / NEXT / TRAP. The macros expand to labels and computed
// gotos (threaded dispatch, the default) or to switch cases (CMake option
// TANDEM_INTERP_SWITCH, for debugging). Numeric, load and store handlers are
// generated from opcodes.def; their semantics come from runtime/op_semantics.h
// and wasm/numerics.h only.
//
// Wasm-to-wasm calls between interpreted functions do not recurse natively:
// a call pushes a CallFrame (runtime/objects.h) and continues in the same
// loop. Calls to other entries (host functions, compiled code) go through the
// shared EntryFn convention.
#include "decoder/immediates.h"
#include "interp/exec_helpers.h"
#include "interp/interp.h"
#include "runtime/memory.h"
#include "runtime/store.h"

#include <algorithm>

// The register of the register forms (bytecode.h, RegForm). With GCC on
// x86-64 it is r15 for the whole of this file (a global register variable):
// as a local of the large dispatch function it would live in a stack slot.
// r15 is callee-saved, so calls out of this file keep it; interp_entry saves
// and restores it for its callers, and its value only matters between two
// adjacent instructions. Elsewhere it is a local of run().
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
register uint64_t tandem_interp_reg asm("r15");
#define TANDEM_REG tandem_interp_reg
#define TANDEM_REG_GLOBAL 1
#else
#define TANDEM_REG local_reg
#define TANDEM_REG_GLOBAL 0
#endif

namespace tandem::interp {

using rt::ExecContext;
using rt::FuncInst;
using rt::RawValue;

namespace {

// Tier-up (added by H8, the JIT): counts a call or loop back-edge of `f`;
// at the threshold the hook may switch f->entry to compiled code, which the
// next call takes (runtime/objects.h, TierUpHook).
inline void count_for_tier_up(ExecContext* ctx, FuncInst* f) {
  if (++f->call_count >= ctx->tierup->threshold) ctx->tierup->on_hot(ctx, f, ctx->tierup);
}

// jit (OSR): counts a loop back-edge of `f`; true when f now runs compiled
// code, so the activation may move there (the `osr` block of run()).
inline bool count_back_edge(ExecContext* ctx, FuncInst* f) {
  count_for_tier_up(ctx, f);
  return f->entry != &interp_entry;
}

// jit (OSR): the compiled entry resuming f at the loop header `pc`, or null.
rt::EntryFn osr_entry_at(ExecContext* ctx, FuncInst* f, const InterpCode* code,
                         const uint32_t* pc) {
  if (code->osr_loops.empty() || !ctx->tierup->osr_entry) return nullptr;
  uint32_t pos = uint32_t(pc - code->code.data());
  auto it = std::lower_bound(code->osr_loops.begin(), code->osr_loops.end(), pos,
                             [](const OsrLoop& l, uint32_t p) { return l.code_pos < p; });
  if (it == code->osr_loops.end() || it->code_pos != pos) return nullptr;
  return ctx->tierup->osr_entry(ctx->tierup, f, it->wasm_offset);
}

// Zeroes a callee's declared locals. Most functions declare a few, where
// inline stores beat a call of memset.
inline void zero_slots(RawValue* p, uint32_t n) {
  if (n > 4) {
    std::memset(static_cast<void*>(p), 0, n * sizeof(RawValue));
    return;
  }
  switch (n) {
  case 4: p[3] = RawValue{}; [[fallthrough]];
  case 3: p[2] = RawValue{}; [[fallthrough]];
  case 2: p[1] = RawValue{}; [[fallthrough]];
  default: p[0] = RawValue{};
  }
}

// Runs the loop. With `query` set, only returns the handler table (threaded
// build) through *table and does nothing else.
__attribute__((hot)) bool run(ExecContext* ctx, FuncInst* f, RawValue* frame,
                              const int32_t** table) {
#if TANDEM_INTERP_SWITCH
#define HANDLER(id) case uint32_t(IOp::id):
#define WASM_HANDLER(id) case iop_of(Op::id):
#define IMM_HANDLER(id) case iop_imm(Op::id):
#define BRANCH_HANDLER(id) case iop_branch(Op::id):
#define BRANCH_IMM_HANDLER(id) case iop_branch_imm(Op::id):
#define TANDEM_FORM_CASE(id, fam, a, d) case iop_form(Op::id, RegForm{Family::fam, a, d}):
#define DIRECT_A_HANDLER(id) TANDEM_FORM_CASE(id, Direct, true, false)
#define DIRECT_D_HANDLER(id) TANDEM_FORM_CASE(id, Direct, false, true)
#define DIRECT_AD_HANDLER(id) TANDEM_FORM_CASE(id, Direct, true, true)
#define IMM_A_HANDLER(id) TANDEM_FORM_CASE(id, Imm, true, false)
#define IMM_D_HANDLER(id) TANDEM_FORM_CASE(id, Imm, false, true)
#define IMM_AD_HANDLER(id) TANDEM_FORM_CASE(id, Imm, true, true)
#define BRANCH_A_HANDLER(id) TANDEM_FORM_CASE(id, Branch, true, false)
#define BRANCH_IMM_A_HANDLER(id) TANDEM_FORM_CASE(id, BranchImm, true, false)
#define DISPATCH() goto dispatch
#else
  // Label offsets from the base label (labels as values, a GCC extension).
  if (table) {
#define TANDEM_LABEL_OFFSET(label)                                                                 \
  int32_t(static_cast<char*>(&&label) - static_cast<char*>(&&L_base))
    static const int32_t kHandlerOffsets[] = {
#define IOP(id, n) TANDEM_LABEL_OFFSET(L_##id),
#include "interp/internal_ops.def"
#undef IOP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_w_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_i_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_b_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_c_##id),
#include "wasm/opcodes.def"
#undef OP
    // The register forms, in block order (bytecode.h, kFormBlock).
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_wa_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_wd_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_wad_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_ia_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_id_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_iad_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_ba_##id),
#include "wasm/opcodes.def"
#undef OP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_ca_##id),
#include "wasm/opcodes.def"
#undef OP
    };
#undef TANDEM_LABEL_OFFSET
    static_assert(sizeof(kHandlerOffsets) / sizeof(int32_t) == kNumIOps);
    *table = kHandlerOffsets;
    return true;
  }
#define HANDLER(id) L_##id:
#define WASM_HANDLER(id) L_w_##id:
#define IMM_HANDLER(id) L_i_##id:
#define BRANCH_HANDLER(id) L_b_##id:
#define BRANCH_IMM_HANDLER(id) L_c_##id:
#define DIRECT_A_HANDLER(id) L_wa_##id:
#define DIRECT_D_HANDLER(id) L_wd_##id:
#define DIRECT_AD_HANDLER(id) L_wad_##id:
#define IMM_A_HANDLER(id) L_ia_##id:
#define IMM_D_HANDLER(id) L_id_##id:
#define IMM_AD_HANDLER(id) L_iad_##id:
#define BRANCH_A_HANDLER(id) L_ba_##id:
#define BRANCH_IMM_A_HANDLER(id) L_ca_##id:
#define DISPATCH() goto*(static_cast<char*>(&&L_base) + int32_t(*pc))
#endif
#define NEXT(units)                                                                                \
  do {                                                                                             \
    pc += (units);                                                                                 \
    DISPATCH();                                                                                    \
  } while (0)
#define TRAP(kind)                                                                                 \
  do {                                                                                             \
    trap_kind = (kind);                                                                            \
    goto trap;                                                                                     \
  } while (0)

  const uint32_t entry_depth = ctx->depth;
  rt::StoreImpl* store = ctx->store;
  TrapKind trap_kind = TrapKind::Unreachable;
  const InterpCode* code = nullptr;
  rt::ModuleInst* inst = nullptr;
  rt::MemoryInst* mem = nullptr;
  char* fp = reinterpret_cast<char*>(frame);
  const uint32_t* pc = nullptr;
#if !TANDEM_REG_GLOBAL
  uint64_t local_reg = 0;
#endif
  uint64_t scratch_reg = 0; // the unused register operand of plain forms
  FuncInst* callee = nullptr;
  char* callee_fp = nullptr;
  rt::ExnObj* exn = nullptr; // the exception being thrown (do_throw)
  uint32_t throw_at = 0;     // code position of the throwing instruction

  // Entering the activation: a call from native code into `f`.
  callee = f;
  callee_fp = fp;
  f = nullptr;
  if (ctx->depth >= ctx->max_depth) TRAP(TrapKind::CallStackExhausted);
  ++ctx->depth;
  ctx->frames[ctx->depth] = rt::CallFrame{nullptr, nullptr, nullptr};
  goto enter;

  // Pushes a frame for `callee` at `callee_fp` (return address: `pc`) and
  // continues in its code; or calls a non-interpreted entry directly.
do_call:
  if (ctx->tierup && callee->entry == &interp_entry) count_for_tier_up(ctx, callee); // H8
  if (callee->entry != &interp_entry) {
    ctx->stack_top = reinterpret_cast<RawValue*>(fp) + code->frame_slots;
    if (!callee->entry(ctx, callee, reinterpret_cast<RawValue*>(callee_fp))) goto native_failed;
    DISPATCH();
  }
  if (ctx->depth >= ctx->max_depth) TRAP(TrapKind::CallStackExhausted);
  ++ctx->depth;
  ctx->frames[ctx->depth] = rt::CallFrame{pc, reinterpret_cast<RawValue*>(fp), f};
enter : {
  if (!callee->code) {
    Result<const InterpCode*> c = code_for(callee);
    if (!c.ok()) {
      store->fail(std::move(c).error());
      goto error;
    }
  }
  const InterpCode* ncode = static_cast<const InterpCode*>(callee->code);
  RawValue* nfp = reinterpret_cast<RawValue*>(callee_fp);
  if (nfp + ncode->frame_slots > ctx->stack_limit) TRAP(TrapKind::CallStackExhausted);
  if (ncode->num_locals > ncode->num_params)
    zero_slots(nfp + ncode->num_params, ncode->num_locals - ncode->num_params);
  f = callee;
  code = ncode;
  fp = callee_fp;
  inst = f->module;
  mem = inst->ctx.memory0;
  pc = code->code.data();
  DISPATCH();
}

// Continues in the caller recorded in CallFrame `fr` (do_return, osr).
#define TANDEM_RESUME_CALLER(fr)                                                                   \
  pc = static_cast<const uint32_t*>((fr).ret_pc);                                                  \
  fp = reinterpret_cast<char*>((fr).fp);                                                           \
  f = (fr).func;                                                                                   \
  code = static_cast<const InterpCode*>(f->code);                                                  \
  inst = f->module;                                                                                \
  mem = inst->ctx.memory0

do_return : {
  // Results are in fp[0..n). Pop the frame record of this call.
  rt::CallFrame fr = ctx->frames[ctx->depth];
  --ctx->depth;
  if (!fr.ret_pc) return true; // back to the native caller of the activation
  TANDEM_RESUME_CALLER(fr);
  DISPATCH();
}

  // Tail call: move the arguments to the frame base, then enter the callee
  // in place of the current function (its caller's record stays).
do_tail_call : {
  uint32_t n = callee->num_params;
  RawValue* dst = reinterpret_cast<RawValue*>(fp);
  const RawValue* src = reinterpret_cast<const RawValue*>(callee_fp);
  for (uint32_t i = 0; i < n; ++i) dst[i] = src[i];
  callee_fp = fp;
  if (ctx->tierup && callee->entry == &interp_entry) count_for_tier_up(ctx, callee); // H8
  if (callee->entry != &interp_entry) {
    if (!ctx->frames[ctx->depth].ret_pc) {
      // H8: the activation's bottom frame: return and let interp_entry make
      // the call as a sibling call (constant native stack across tiers).
      --ctx->depth;
      ctx->tail_callee = callee;
      return true;
    }
    ctx->stack_top = dst + code->frame_slots;
    if (!callee->entry(ctx, callee, dst)) goto native_failed;
    goto do_return;
  }
  goto enter;
}

  // jit (OSR): a back-edge found f compiled; `pc` is the loop header. If the
  // JIT has an entry there, the rest of this call runs compiled in the same
  // frame: its record is popped first (the compiled entry counts the depth
  // again), so on return this is do_return, and a failure is the failure of
  // a native call made by the caller (pc past the call instruction).
osr : {
  rt::EntryFn resume = osr_entry_at(ctx, f, code, pc);
  if (!resume) DISPATCH();
  rt::CallFrame fr = ctx->frames[ctx->depth];
  --ctx->depth;
  ctx->stack_top = reinterpret_cast<RawValue*>(fp) + code->frame_slots;
  bool ok = resume(ctx, f, reinterpret_cast<RawValue*>(fp));
  if (!fr.ret_pc) {
    if (!ok) goto error;
    return true; // back to the native caller of the activation
  }
  TANDEM_RESUME_CALLER(fr);
  if (!ok) goto native_failed;
  DISPATCH();
}
#undef TANDEM_RESUME_CALLER

  // A native entry failed: a wasm exception continues unwinding here, any
  // other error leaves the activation. `pc` is past the call instruction.
native_failed:
  if (store->pending.kind != ErrorKind::Exception || !ctx->exception) goto error;
  exn = ctx->exception;
  throw_at = uint32_t(pc - code->code.data()) - 1;
  goto do_throw;

  // Unwinds to the innermost try_table clause that catches `exn`, frame by
  // frame; an exception that leaves the activation is ErrorKind::Exception.
do_throw:
  for (;;) {
    const CatchEntry* hit = nullptr;
    const Handler* hit_handler = nullptr;
    uint32_t skip_to = kNoHandler; // a legacy delegate in effect
    bool leave_frame = false;
    for (const Handler& h : code->handlers) {
      if (skip_to != kNoHandler) {
        if (h.id != skip_to) continue;
        skip_to = kNoHandler;
      } else if (throw_at < h.start || throw_at >= h.end) {
        continue;
      }
      if (h.delegate) {
        if (h.delegate_to == kNoHandler) {
          leave_frame = true;
          break;
        }
        skip_to = h.delegate_to;
        continue;
      }
      for (const CatchEntry& c : h.catches) {
        if (c.tag == nullptr || c.tag == exn->tag) {
          hit = &c;
          break;
        }
      }
      if (hit) {
        hit_handler = &h;
        break;
      }
    }
    if (hit && !leave_frame) {
      if (hit->exn_slot != kNoExnSlot)
        reinterpret_cast<RawValue*>(fp + hit->exn_slot)->set(reinterpret_cast<uintptr_t>(exn));
      RawValue* dst = reinterpret_cast<RawValue*>(fp + hit_handler->slot);
      uint32_t k = 0;
      CatchKind kind = CatchKind(hit->kind);
      if (kind == CatchKind::Catch || kind == CatchKind::CatchRef)
        for (uint32_t i = 0; i < exn->num_values; ++i) dst[k++] = exn->values[i];
      if (kind == CatchKind::CatchRef || kind == CatchKind::CatchAllRef)
        dst[k++].set(reinterpret_cast<uintptr_t>(exn));
      pc = code->code.data() + hit->target;
      DISPATCH();
    }
    rt::CallFrame fr = ctx->frames[ctx->depth];
    --ctx->depth;
    if (!fr.ret_pc) {
      ctx->exception = exn;
      store->fail(Error::make(ErrorKind::Exception, "uncaught exception"));
      goto error;
    }
    pc = static_cast<const uint32_t*>(fr.ret_pc);
    fp = reinterpret_cast<char*>(fr.fp);
    f = fr.func;
    code = static_cast<const InterpCode*>(f->code);
    inst = f->module;
    mem = inst->ctx.memory0;
    throw_at = uint32_t(pc - code->code.data()) - 1;
  }

#if TANDEM_INTERP_SWITCH
dispatch:
  switch (*pc) {
#else
L_base:
  DISPATCH();
#endif

#include "interp/handlers_control.inc"
#include "interp/handlers_gc.inc"
#include "interp/handlers_numeric.inc"

#if TANDEM_INTERP_SWITCH
  default: TRAP(TrapKind::Unreachable);
  }
#endif

trap:
  store->fail(trap_kind);
error:
  ctx->depth = entry_depth;
  return false;

#undef HANDLER
#undef WASM_HANDLER
#undef IMM_HANDLER
#undef BRANCH_HANDLER
#undef BRANCH_IMM_HANDLER
#undef DIRECT_A_HANDLER
#undef DIRECT_D_HANDLER
#undef DIRECT_AD_HANDLER
#undef IMM_A_HANDLER
#undef IMM_D_HANDLER
#undef IMM_AD_HANDLER
#undef BRANCH_A_HANDLER
#undef BRANCH_IMM_A_HANDLER
#if TANDEM_INTERP_SWITCH
#undef TANDEM_FORM_CASE
#endif
#undef DISPATCH
#undef NEXT
#undef TRAP
}

} // namespace

bool interp_entry(ExecContext* ctx, FuncInst* f, RawValue* frame) {
  if (ctx->tierup && f->module) { // H8: tier-up may have compiled f
    count_for_tier_up(ctx, f);
    if (f->entry != &interp_entry) return f->entry(ctx, f, frame);
  }
#if TANDEM_REG_GLOBAL
  uint64_t saved_reg = tandem_interp_reg; // the caller's r15
  bool ok = run(ctx, f, frame, nullptr);
  tandem_interp_reg = saved_reg;
#else
  bool ok = run(ctx, f, frame, nullptr);
#endif
  if (!ok) return false;
  FuncInst* tail = ctx->tail_callee; // H8: see do_tail_call
  if (!tail) return true;
  ctx->tail_callee = nullptr;
  return tail->entry(ctx, tail, frame);
}

uint32_t encode_header(uint32_t iop) {
#if TANDEM_INTERP_SWITCH
  return iop;
#else
  static const int32_t* table = [] {
    const int32_t* t = nullptr;
    run(nullptr, nullptr, nullptr, &t);
    return t;
  }();
  return uint32_t(table[iop]);
#endif
}

} // namespace tandem::interp
