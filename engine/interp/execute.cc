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
#include "interp/exec_helpers.h"
#include "interp/interp.h"
#include "runtime/memory.h"
#include "runtime/store.h"

namespace tandem::interp {

using rt::ExecContext;
using rt::FuncInst;
using rt::RawValue;

namespace {

// Runs the loop. With `query` set, only returns the handler table (threaded
// build) through *table and does nothing else.
bool run(ExecContext* ctx, FuncInst* f, RawValue* frame, const int32_t** table) {
#if TANDEM_INTERP_SWITCH
#define HANDLER(id) case uint32_t(IOp::id):
#define WASM_HANDLER(id) case iop_of(Op::id):
#define DISPATCH() goto dispatch
#else
  // Label offsets from the base label (labels as values, a GCC extension).
  if (table) {
#define TANDEM_LABEL_OFFSET(label) int32_t(static_cast<char*>(&&label) - static_cast<char*>(&&L_base))
    static const int32_t kHandlerOffsets[] = {
#define IOP(id, n) TANDEM_LABEL_OFFSET(L_##id),
#include "interp/internal_ops.def"
#undef IOP
#define OP(id, name, prefix, code, imm, shape, sig, feature) TANDEM_LABEL_OFFSET(L_w_##id),
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
#define DISPATCH() goto* (static_cast<char*>(&&L_base) + int32_t(*pc))
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
  FuncInst* callee = nullptr;
  char* callee_fp = nullptr;

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
  if (callee->entry != &interp_entry) {
    ctx->stack_top = reinterpret_cast<RawValue*>(fp) + code->frame_slots;
    if (!callee->entry(ctx, callee, reinterpret_cast<RawValue*>(callee_fp))) goto error;
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
    std::memset(static_cast<void*>(nfp + ncode->num_params), 0,
                (ncode->num_locals - ncode->num_params) * sizeof(RawValue));
  f = callee;
  code = ncode;
  fp = callee_fp;
  inst = f->module;
  mem = inst->ctx.memory0;
  pc = code->code.data();
  DISPATCH();
}

do_return : {
  // Results are in fp[0..n). Pop the frame record of this call.
  rt::CallFrame fr = ctx->frames[ctx->depth];
  --ctx->depth;
  if (!fr.ret_pc) return true; // back to the native caller of the activation
  pc = static_cast<const uint32_t*>(fr.ret_pc);
  fp = reinterpret_cast<char*>(fr.fp);
  f = fr.func;
  code = static_cast<const InterpCode*>(f->code);
  inst = f->module;
  mem = inst->ctx.memory0;
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
  if (callee->entry != &interp_entry) {
    ctx->stack_top = dst + code->frame_slots;
    if (!callee->entry(ctx, callee, dst)) goto error;
    goto do_return;
  }
  goto enter;
}

#if TANDEM_INTERP_SWITCH
dispatch:
  switch (*pc) {
#else
L_base:
  DISPATCH();
#endif

#include "interp/handlers_control.inc"
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
#undef DISPATCH
#undef NEXT
#undef TRAP
}

} // namespace

bool interp_entry(ExecContext* ctx, FuncInst* f, RawValue* frame) {
  return run(ctx, f, frame, nullptr);
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
