// The macro-assembler: x86-64 code in wasm terms, on top of asmjit's
// x86::Assembler (the encoder; no hand-written instruction bytes).
//
// Register conventions of compiled code (all functions alike):
//   r12  ExecContext*            (pinned; callee-saved, survives helper calls)
//   r13  frame: RawValue* slot 0 (pinned)
//   r14  base of memory 0        (set by the internal entry, and again after
//                                a call that may reach another instance;
//                                memories never move)
//   ebp  the call depth          (pinned; ExecContext::depth is written back
//                                before a call through an EntryFn)
//   r11, xmm15                   scratch, never allocated
//   rsp                          16-byte aligned everywhere in the body, so
//                                helpers are called without adjustment (no
//                                frame pointer: rbp holds the depth)
//   rbx r15                      register locals only (codegen.cc; saved
//                                by the prologue when used)
//   r10 r9 r8                    register locals first, else the value stack's
//   rax rcx rdx rsi rdi, xmm0-xmm14: the value stack's registers
//
// Frame: slot i of the function's value-stack frame is at [r13 + 16 * i];
// locals are slots [0, num_locals), the operand stack follows.
//
// Batches: one MacroAssembler holds the code of a batch of functions in one
// asmjit buffer (one holder, one label space, one copy into code memory).
// Each function is framed by begin_function() ... finish(); a function the
// code generator gives up on is closed by abandon_function() instead (its
// labels are bound in place so no link dangles; its bytes stay as dead code
// and nothing refers to them).
//
// Entries: a function's code starts with its C-ABI entry, an rt::EntryFn
// (FuncInst::entry): a wrapper that saves r12, r14 and rbp, pins r12 (ctx)
// and ebp (ExecContext::depth) and calls the internal entry. The internal
// entry (FuncInst::jit_entry) expects r12 and ebp pinned, takes the frame
// in rdx and sets r14; it is what compiled code calls, so a
// compiled-to-compiled call saves neither, and the call depth never goes
// through memory. The wrapper writes the depth back on the way out; a call
// through an EntryFn writes it first (codegen_calls.cc). A tail call jumps
// to the internal entry, or to the EntryFn of a callee without compiled
// code; when the function itself was entered through its wrapper, that
// EntryFn call is made by the wrapper (tail_call_entry_fn), so tail calls
// use no stack in any direction, across tiers too.
//
// Exits: every function has one epilogue. `exit_true` returns true (results
// already in frame[0..n)), `exit_false` returns false (error pending). Trap
// stubs (one per trap kind used, plus the out-of-bounds stub the signal
// handler resumes at) call calls::raise_trap and continue at exit_false. The
// epilogue decrements the depth (ebp), which the internal entry incremented.
#pragma once

#include "base/result.h"
#include "jit/code_memory.h"
#include "jit/trap_handler.h"
#include "runtime/objects.h"
#include "wasm/traps.h"

#include <asmjit/x86.h>

#include <array>
#include <memory>
#include <span>
#include <vector>

namespace tandem::jit {

namespace x86 = asmjit::x86;
using asmjit::Imm;
using asmjit::Label;
using asmjit::Operand;

// The 64-bit or 32-bit view of a general-purpose register.
inline x86::Gp sized(const x86::Gp& r, bool is64) {
  if (is64) return r.r64();
  return r.r32();
}

inline constexpr x86::Gp kCtxReg = x86::r12;
inline constexpr x86::Gp kFrameReg = x86::r13;
inline constexpr x86::Gp kMem0BaseReg = x86::r14;
inline constexpr x86::Gp kScratch = x86::r11;
inline constexpr x86::Gp kDepthReg = x86::ebp;
inline constexpr x86::Xmm kScratchXmm = x86::xmm15;

class MacroAssembler;

// An on-stack-replacement entry of a compiled function (see
// MacroAssembler::add_osr_point): an rt::EntryFn resuming at a loop header.
struct OsrEntry {
  uint32_t wasm_offset = 0; // decoder offset of the `loop` opcode
  uintptr_t address = 0;
};

// Finished machine code of a batch of functions: one W^X mapping holding
// each function's code (16-byte aligned), registered with the trap handler
// in one update for as long as the batch lives.
class CodeBatch {
public:
  // Copies the finished functions of `masm` (in the order they were
  // finished) into a new mapping, makes it executable and registers their
  // trap sites. Fails if `masm` holds no finished function.
  static Result<std::shared_ptr<CodeBatch>> create(MacroAssembler& masm);
  ~CodeBatch();
  CodeBatch(const CodeBatch&) = delete;
  CodeBatch& operator=(const CodeBatch&) = delete;

  size_t size() const { return regions_.size(); }
  rt::EntryFn entry(size_t i) const { return reinterpret_cast<rt::EntryFn>(regions_[i].start); }
  // Function i's internal entry (FuncInst::jit_entry).
  const void* internal_entry(size_t i) const { return reinterpret_cast<const void*>(internal_[i]); }
  // Function i's OSR entry at the loop at `wasm_offset`, or null.
  rt::EntryFn osr_entry(size_t i, uint32_t wasm_offset) const;
  size_t code_bytes() const { return code_bytes_; }
  const CodeRegion& region(size_t i) const { return regions_[i]; }

private:
  CodeBatch() = default;
  std::unique_ptr<CodeMemory> memory_;
  std::vector<CodeRegion> regions_;        // never resized after registration
  std::vector<uintptr_t> internal_;        // internal entries
  std::vector<std::vector<OsrEntry>> osr_; // per function, sorted by wasm_offset
  size_t code_bytes_ = 0;
};

class MacroAssembler {
public:
  MacroAssembler();
  MacroAssembler(const MacroAssembler&) = delete;
  MacroAssembler& operator=(const MacroAssembler&) = delete;

  x86::Assembler& as() { return asm_; }

  // ---- functions of the batch -----------------------------------------------
  // Starts the next function (16-byte aligned; fresh exits and trap stubs).
  void begin_function();
  // Closes a function that will not be used (after a generation error).
  void abandon_function();
  // Functions finished so far (the batch's entries, in order).
  size_t function_count() const { return functions_.size(); }
  // Room for about `bytes` more bytes of code without regrowing the buffer.
  void reserve(size_t bytes);

  // ---- operands ------------------------------------------------------------
  static x86::Mem slot(uint32_t index, uint32_t bytes = 8) {
    return x86::ptr(kFrameReg, int32_t(index) * 16, bytes);
  }
  // The shortest move of a 64-bit constant into `r` (r's 32-bit view when it fits).
  void mov_imm(const x86::Gp& r64, uint64_t value);
  // Stores `value` (`bytes` wide: 4 or 8) to memory, through r11 when needed.
  void store_imm(const x86::Mem& dst, uint64_t value, uint32_t bytes);
  // A 16-byte constant in the function's constant pool (emitted, aligned,
  // after its code by finish()), as a rip-relative operand.
  x86::Mem const128(const uint8_t bytes[16]);
  // Copies 8 bytes (16: through xmm15) between two memory operands.
  void copy_mem(const x86::Mem& dst, const x86::Mem& src, uint32_t bytes = 8);

  // ---- traps and exits -----------------------------------------------------
  Label trap_label(TrapKind kind);
  void trap_if(x86::CondCode cc, TrapKind kind) { asm_.j(cc, trap_label(kind)); }
  void trap(TrapKind kind) { asm_.jmp(trap_label(kind)); }
  Label exit_true() const { return exit_true_; }
  Label exit_false() const { return exit_false_; }
  // After a call through the EntryFn convention: go to `on_false` (the
  // exit, or an exception handler) if it returned false.
  void check_call_result(Label on_false);
  // After a helper returning a TrapKind in eax: trap unless kCount.
  void check_helper_trap();
  // The next instruction is a guard-page trap site for `memory`.
  void note_trap_site(const rt::MemoryInst* memory);

  // ---- calls -----------------------------------------------------------------
  void call_address(const void* fn);
  // r14 = memory 0's base again (after a call through jit_entry).
  void reload_memory_base();
  // A tail call through the callee's EntryFn (rsi), after leave_frame. When
  // this function was entered through its C-ABI wrapper, the wrapper makes
  // the call (ExecContext::tail_callee) so the native stack stays flat.
  void tail_call_entry_fn();

  // ---- function frame --------------------------------------------------------
  // Prologue: the C-ABI wrapper, then the internal entry, which saves the
  // callee-saved registers the function uses (r13, and `extra_saved`: a
  // mask of rbx/r15 for register locals), takes the frame, increments the
  // call depth and checks the depth, value-stack room (patched by finish())
  // and native stack limits.
  void prologue(const rt::MemoryInst* memory0, uint32_t extra_saved);
  // Zeroes slots [from, to) (8 bytes each, or all 16 with `wide`) in a
  // loop; clobbers rax, rcx, rdx (the prologue's caller uses it for many
  // declared locals, and single stores otherwise).
  void zero_slots(uint32_t from, uint32_t to, bool wide);
  // Makes the head of a loop an on-stack-replacement point: an entry that
  // does the prologue's checks (no local zeroing: the interpreter hands over
  // its frame) and jumps to `target`, where the operand stack must be empty
  // and every local in its slot.
  void add_osr_point(uint32_t wasm_offset, Label target);
  // The epilogue sequence up to (not including) `ret`: restores registers.
  // Used by the exits and by tail calls (which then jump).
  void leave_frame();
  // Emits the exits here (else finish() does): exit_true, the shared
  // epilogue and exit_false.
  void bind_exits();
  // Emits the exits (unless bound) and the trap stubs; `frame_slots` is the function's frame
  // size, patched into the prologue's stack check. Ends the function.
  void finish(uint32_t frame_slots);

  // Resolves labels; afterwards code_size() is final (CodeBatch::create).
  Status prepare();
  size_t code_size() const { return code_.codeSize(); }
  // Relocates the whole batch to `base` and copies it to `dst` (code_size()
  // bytes).
  Status emit_into(uint8_t* dst, uint64_t base);
  // After emit_into: finished function i as the trap handler sees it (its
  // trap sites move into `region`), its internal entry, and its OSR entries
  // sorted by wasm offset.
  void describe(size_t i, uint64_t base, CodeRegion& region, uintptr_t& internal,
                std::vector<OsrEntry>& osr);

  // An encoder error seen in the current function (its code is then
  // unusable), or ok.
  Status status() const;

private:
  class ErrorRecorder : public asmjit::ErrorHandler {
  public:
    void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter*) override;
    asmjit::Error first = asmjit::kErrorOk;
    std::string message;
  };

  asmjit::CodeHolder code_;
  x86::Assembler asm_;
  ErrorRecorder errors_;
  // ---- the current function ----
  Label exit_true_, exit_false_, exit_common_, trap_common_, oob_stub_;
  std::array<Label, size_t(TrapKind::kCount)> trap_labels_{};
  std::array<bool, size_t(TrapKind::kCount)> trap_used_{};
  std::vector<TrapSite> sites_; // offsets from the start of the buffer
  struct PoolConst {
    std::array<uint8_t, 16> bytes;
    Label label;
  };
  std::vector<PoolConst> pool_; // the current function's constants
  // The C-ABI wrapper calling `internal` (shared by the entry and the OSR
  // entry), and the internal entry's saves and checks.
  void c_abi_wrapper();
  void entry_checks();
  Label internal_entry_, wrapper_, wrapper_return_;
  struct OsrPoint {
    uint32_t wasm_offset;
    Label target, stub;
  };
  std::vector<OsrPoint> osr_points_;
  const rt::MemoryInst* memory0_ = nullptr;
  // Callee-saved registers the prologue pushes, in this order (a mask of ids).
  static constexpr x86::Gp kSavable[] = {x86::rbx, x86::r13, x86::r15};
  uint32_t saved_ = 0;
  bool pad_ = false;                        // an 8-byte pad below the pushes (an even count)
  bool exits_bound_ = false;                // bind_exits() done for this function
  std::vector<size_t> frame_patch_offsets_; // of the prologues' `mov r11d, imm32`
  size_t function_start_ = 0;
  uint32_t first_label_ = 0; // labels from here on belong to the current function
  bool open_ = false;
  // ---- the finished functions ----
  struct FunctionCode {
    size_t start = 0, end = 0; // buffer offsets
    Label internal, oob_stub;
    std::vector<TrapSite> sites; // offsets from `start`
    std::vector<OsrPoint> osr_points;
  };
  std::vector<FunctionCode> functions_;
  bool prepared_ = false;
};

} // namespace tandem::jit
