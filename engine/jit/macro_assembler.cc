// MacroAssembler: prologue/epilogue, exits, trap stubs, constants and
// finalisation into W^X code memory (see macro_assembler.h).
#include "jit/macro_assembler.h"

#include "jit/runtime_calls.h"
#include "jit/runtime_layout.h"

#include <algorithm>
#include <bit>
#include <iterator>

namespace tandem::jit {

Result<std::shared_ptr<CodeBatch>> CodeBatch::create(MacroAssembler& masm) {
  size_t n = masm.function_count();
  if (n == 0) return Error::make(ErrorKind::Internal, "JIT: empty code batch");
  TANDEM_TRY(masm.prepare());
  size_t total = masm.code_size();
  std::shared_ptr<CodeBatch> batch(new CodeBatch);
  TANDEM_ASSIGN(batch->memory_, CodeMemory::allocate(total));
  uint8_t* base = batch->memory_->data();
  TANDEM_TRY(masm.emit_into(base, uint64_t(uintptr_t(base))));
  batch->regions_.resize(n);
  batch->internal_.resize(n);
  batch->osr_.resize(n);
  for (size_t i = 0; i < n; ++i)
    masm.describe(i, uint64_t(uintptr_t(base)), batch->regions_[i], batch->internal_[i],
                  batch->osr_[i]);
  TANDEM_TRY(batch->memory_->make_executable());
  batch->code_bytes_ = total;
  std::vector<const CodeRegion*> regions;
  regions.reserve(n);
  for (const CodeRegion& r : batch->regions_) regions.push_back(&r);
  register_code_regions(regions);
  return batch;
}

rt::EntryFn CodeBatch::osr_entry(size_t i, uint32_t wasm_offset) const {
  const std::vector<OsrEntry>& v = osr_[i];
  auto it = std::lower_bound(v.begin(), v.end(), wasm_offset,
                             [](const OsrEntry& e, uint32_t off) { return e.wasm_offset < off; });
  if (it == v.end() || it->wasm_offset != wasm_offset) return nullptr;
  return reinterpret_cast<rt::EntryFn>(it->address);
}

CodeBatch::~CodeBatch() {
  if (!memory_ || !memory_->executable()) return; // never registered
  std::vector<const CodeRegion*> regions;
  for (const CodeRegion& r : regions_) regions.push_back(&r);
  unregister_code_regions(regions);
}

void MacroAssembler::ErrorRecorder::handleError(asmjit::Error err, const char* msg,
                                                asmjit::BaseEmitter*) {
  if (first == asmjit::kErrorOk) {
    first = err;
    message = msg ? msg : "encoder error";
  }
}

MacroAssembler::MacroAssembler() {
  code_.init(asmjit::Environment::host());
  code_.attach(&asm_);
  asm_.setErrorHandler(&errors_);
}

void MacroAssembler::reserve(size_t bytes) {
  asmjit::CodeBuffer& buf = code_.textSection()->buffer();
  size_t want = asm_.offset() + bytes;
  if (want > buf.capacity()) code_.reserveBuffer(&buf, want);
}

void MacroAssembler::begin_function() {
  if (open_) abandon_function();
  errors_.first = asmjit::kErrorOk;
  errors_.message.clear();
  asm_.align(asmjit::AlignMode::kCode, 16);
  function_start_ = asm_.offset();
  first_label_ = code_.labelCount();
  exit_true_ = asm_.newLabel();
  exit_false_ = asm_.newLabel();
  exit_common_ = asm_.newLabel();
  trap_common_ = asm_.newLabel();
  oob_stub_ = asm_.newLabel();
  trap_used_.fill(false);
  sites_.clear();
  pool_.clear();
  exits_bound_ = false;
  osr_points_.clear();
  frame_patch_offsets_.clear();
  memory0_ = nullptr;
  open_ = true;
}

void MacroAssembler::abandon_function() {
  if (!open_) return;
  // Bind every label of the function still unbound here: each pending
  // link is resolved now, inside the dead bytes, and none is left for
  // prepare(). Nothing outside the function refers to its labels.
  for (uint32_t id = first_label_; id < code_.labelCount(); ++id)
    if (!code_.isLabelBound(id)) asm_.bind(Label(id));
  errors_.first = asmjit::kErrorOk;
  errors_.message.clear();
  open_ = false;
}

Status MacroAssembler::status() const {
  if (errors_.first == asmjit::kErrorOk) return {};
  return Error::make(ErrorKind::Internal, "JIT encoder error: " + errors_.message);
}

void MacroAssembler::mov_imm(const x86::Gp& r, uint64_t v) {
  if (v <= 0xffffffffu) {
    asm_.mov(r.r32(), uint32_t(v)); // zero-extends
  } else if (int64_t(v) >= INT32_MIN && int64_t(v) <= INT32_MAX) {
    asm_.mov(r.r64(), Imm(int64_t(v)));
  } else {
    asm_.movabs(r.r64(), Imm(int64_t(v)));
  }
}

void MacroAssembler::store_imm(const x86::Mem& dst, uint64_t v, uint32_t bytes) {
  x86::Mem m = dst;
  if (bytes == 4) {
    m.setSize(4);
    asm_.mov(m, Imm(uint32_t(v)));
    return;
  }
  m.setSize(8);
  if (int64_t(v) >= INT32_MIN && int64_t(v) <= INT32_MAX) {
    asm_.mov(m, Imm(int64_t(v)));
  } else {
    mov_imm(kScratch, v);
    asm_.mov(m, kScratch);
  }
}

void MacroAssembler::copy_mem(const x86::Mem& dst, const x86::Mem& src, uint32_t bytes) {
  x86::Mem s = src, d = dst;
  if (bytes == 16) {
    s.setSize(16);
    d.setSize(16);
    asm_.movdqu(kScratchXmm, s);
    asm_.movdqu(d, kScratchXmm);
    return;
  }
  s.setSize(8);
  d.setSize(8);
  asm_.mov(kScratch, s);
  asm_.mov(d, kScratch);
}

x86::Mem MacroAssembler::const128(const uint8_t bytes[16]) {
  for (const PoolConst& c : pool_)
    if (std::equal(c.bytes.begin(), c.bytes.end(), bytes)) return x86::xmmword_ptr(c.label);
  PoolConst c;
  std::copy(bytes, bytes + 16, c.bytes.begin());
  c.label = asm_.newLabel();
  pool_.push_back(c);
  return x86::xmmword_ptr(c.label);
}

Label MacroAssembler::trap_label(TrapKind kind) {
  size_t k = size_t(kind);
  if (!trap_used_[k]) {
    trap_labels_[k] = asm_.newLabel();
    trap_used_[k] = true;
  }
  return trap_labels_[k];
}

void MacroAssembler::check_call_result(Label on_false) {
  asm_.test(x86::al, x86::al);
  asm_.jz(on_false);
}

void MacroAssembler::check_helper_trap() {
  asm_.cmp(x86::eax, uint32_t(TrapKind::kCount));
  asm_.jne(trap_common_); // the trap kind is in eax; trap_common moves it to esi
}

void MacroAssembler::note_trap_site(const rt::MemoryInst* memory) {
  sites_.push_back(TrapSite{uint32_t(asm_.offset() - function_start_), memory});
}

void MacroAssembler::call_address(const void* fn) {
  asm_.mov(kScratch, Imm(reinterpret_cast<uint64_t>(fn)));
  asm_.call(kScratch);
}

void MacroAssembler::c_abi_wrapper() {
  // Entered with the internal entry to call in r11.
  x86::Assembler& a = asm_;
  Label tail = a.newLabel();
  a.push(kCtxReg);
  a.push(kMem0BaseReg);
  a.push(kDepthReg.r64()); // three pushes: the call below leaves rsp as a caller's would
  a.mov(kCtxReg, x86::rdi);
  a.mov(kDepthReg, x86::dword_ptr(kCtxReg, layout::kCtxDepth));
  a.call(kScratch);
  a.bind(wrapper_return_);
  a.mov(x86::dword_ptr(kCtxReg, layout::kCtxDepth), kDepthReg); // back to the caller's depth
  a.mov(x86::rsi, x86::qword_ptr(kCtxReg, layout::kCtxTailCallee));
  a.test(x86::rsi, x86::rsi);
  a.jnz(tail);
  a.pop(kDepthReg.r64());
  a.pop(kMem0BaseReg);
  a.pop(kCtxReg);
  a.ret();
  // The function tail-called an EntryFn (see tail_call_entry_fn): make that
  // call in its place, with its frame still in rdx, so that a cycle of tail
  // calls between tiers does not pile up wrappers.
  a.bind(tail);
  a.mov(x86::qword_ptr(kCtxReg, layout::kCtxTailCallee), 0);
  a.mov(x86::rdi, kCtxReg);
  a.pop(kDepthReg.r64());
  a.pop(kMem0BaseReg);
  a.pop(kCtxReg);
  a.jmp(x86::qword_ptr(x86::rsi, layout::kFuncEntry));
}

void MacroAssembler::tail_call_entry_fn() {
  // After leave_frame: [rsp] is the return address, rsi the callee, rdx
  // the frame, ebp the caller's depth.
  x86::Assembler& a = asm_;
  Label plain = a.newLabel();
  a.lea(kScratch, x86::ptr(wrapper_return_));
  a.cmp(x86::qword_ptr(x86::rsp), kScratch);
  a.jne(plain);
  a.mov(x86::qword_ptr(kCtxReg, layout::kCtxTailCallee), x86::rsi); // the wrapper calls it
  a.mov(x86::eax, 1);
  a.ret();
  a.bind(plain); // a compiled caller: the callee returns to it
  a.mov(x86::dword_ptr(kCtxReg, layout::kCtxDepth), kDepthReg);
  a.mov(x86::rdi, kCtxReg);
  a.jmp(x86::qword_ptr(x86::rsi, layout::kFuncEntry));
}

void MacroAssembler::entry_checks() {
  x86::Assembler& a = asm_;
  for (const x86::Gp& r : kSavable)
    if (saved_ & (1u << r.id())) a.push(r);
  if (pad_) a.sub(x86::rsp, 8); // 16-byte alignment for the body
  a.mov(kFrameReg, x86::rdx);
  // Call depth: the same limit and wording as the interpreter.
  a.add(kDepthReg, 1);
  a.cmp(kDepthReg, x86::dword_ptr(kCtxReg, layout::kCtxMaxDepth));
  trap_if(x86::CondCode::kA, TrapKind::CallStackExhausted);
  // Value-stack room for the whole frame (size patched by finish()).
  frame_patch_offsets_.push_back(a.offset());
  a.mov(kScratch.r32(), uint32_t(0x7fffffff)); // always imm32: patchable in place
  a.add(kScratch, kFrameReg);
  a.cmp(kScratch, x86::qword_ptr(kCtxReg, layout::kCtxStackLimit));
  trap_if(x86::CondCode::kA, TrapKind::CallStackExhausted);
  // Native stack (0 when the store does not set a limit).
  a.cmp(x86::rsp, x86::qword_ptr(kCtxReg, layout::kCtxNativeStackLimit));
  trap_if(x86::CondCode::kB, TrapKind::CallStackExhausted);
  reload_memory_base();
}

void MacroAssembler::reload_memory_base() {
  // Memory 0's base (memories never move); r14 is not preserved across
  // internal calls (each callee sets its own instance's).
  if (memory0_) mov_imm(kMem0BaseReg, reinterpret_cast<uint64_t>(memory0_->base));
}

void MacroAssembler::prologue(const rt::MemoryInst* memory0, uint32_t extra_saved) {
  memory0_ = memory0;
  // r13 always; rbx and r15 when asked. (r12, r14 and rbp belong to the
  // C-ABI wrapper.)
  saved_ = (1u << kFrameReg.id()) | extra_saved;
  // The caller's call left rsp 8 below a 16-byte boundary.
  pad_ = (std::popcount(saved_) % 2) == 0;
  internal_entry_ = asm_.newLabel();
  wrapper_ = asm_.newLabel();
  wrapper_return_ = asm_.newLabel();
  asm_.lea(kScratch, x86::ptr(internal_entry_));
  asm_.bind(wrapper_);
  c_abi_wrapper();
  asm_.align(asmjit::AlignMode::kCode, 16);
  asm_.bind(internal_entry_);
  entry_checks();
}

void MacroAssembler::zero_slots(uint32_t from, uint32_t to, bool wide) {
  x86::Assembler& a = asm_;
  Label loop = a.newLabel();
  a.lea(x86::rax, slot(from));
  a.mov(x86::ecx, to - from);
  a.xor_(x86::edx, x86::edx);
  a.bind(loop);
  a.mov(x86::qword_ptr(x86::rax), x86::rdx);
  if (wide) a.mov(x86::qword_ptr(x86::rax, 8), x86::rdx);
  a.add(x86::rax, 16);
  a.sub(x86::ecx, 1);
  a.jnz(loop);
}

void MacroAssembler::add_osr_point(uint32_t wasm_offset, Label target) {
  osr_points_.push_back(OsrPoint{wasm_offset, target, asm_.newLabel()});
}

void MacroAssembler::leave_frame() {
  x86::Assembler& a = asm_;
  if (pad_) a.add(x86::rsp, 8);
  for (size_t i = std::size(kSavable); i-- > 0;)
    if (saved_ & (1u << kSavable[i].id())) a.pop(kSavable[i]);
}

void MacroAssembler::bind_exits() {
  if (exits_bound_) return;
  exits_bound_ = true;
  x86::Assembler& a = asm_;
  a.bind(exit_true_);
  a.mov(x86::eax, 1);
  a.bind(exit_common_);
  a.sub(kDepthReg, 1);
  leave_frame();
  a.ret();
  a.bind(exit_false_);
  a.xor_(x86::eax, x86::eax);
  a.jmp(exit_common_);
}

void MacroAssembler::finish(uint32_t frame_slots) {
  x86::Assembler& a = asm_;
  // OSR entries: each stub puts its index in ecx (free in the EntryFn
  // convention) and joins one copy of the prologue checks, which dispatches.
  if (!osr_points_.empty()) {
    Label common = a.newLabel();
    for (size_t i = 0; i < osr_points_.size(); ++i) {
      a.bind(osr_points_[i].stub);
      a.mov(x86::ecx, uint32_t(i));
      a.jmp(common);
    }
    a.bind(common);
    Label internal = a.newLabel();
    a.lea(kScratch, x86::ptr(internal));
    a.jmp(wrapper_); // keeps ecx
    a.bind(internal);
    entry_checks(); // keeps ecx
    for (size_t i = 0; i + 1 < osr_points_.size(); ++i) {
      a.cmp(x86::ecx, uint32_t(i));
      a.je(osr_points_[i].target);
    }
    a.jmp(osr_points_.back().target);
  }
  bind_exits();
  // The signal handler resumes here after a guard-page fault.
  a.bind(oob_stub_);
  a.mov(x86::eax, uint32_t(TrapKind::MemoryOutOfBounds));
  a.jmp(trap_common_);
  for (size_t k = 0; k < trap_labels_.size(); ++k) {
    if (!trap_used_[k]) continue;
    a.bind(trap_labels_[k]);
    a.mov(x86::eax, uint32_t(k));
    a.jmp(trap_common_);
  }
  a.bind(trap_common_);
  a.mov(x86::esi, x86::eax);
  a.mov(x86::rdi, kCtxReg);
  call_address(reinterpret_cast<const void*>(&calls::raise_trap));
  a.jmp(exit_false_);
  if (!pool_.empty()) {
    a.align(asmjit::AlignMode::kData, 16);
    for (const PoolConst& c : pool_) {
      a.bind(c.label);
      a.embed(c.bytes.data(), 16);
    }
  }
  // Patch the frame size into the prologues' stack checks.
  size_t end = a.offset();
  for (size_t at : frame_patch_offsets_) {
    a.setOffset(at);
    a.mov(kScratch.r32(), uint32_t(frame_slots) * uint32_t(layout::kSlotBytes));
  }
  a.setOffset(end);
  if (errors_.first != asmjit::kErrorOk) { // unusable: the caller reports status()
    asmjit::Error err = errors_.first;
    std::string message = std::move(errors_.message);
    abandon_function();
    errors_.first = err;
    errors_.message = std::move(message);
    return;
  }
  FunctionCode f;
  f.start = function_start_;
  f.internal = internal_entry_;
  f.end = end;
  f.oob_stub = oob_stub_;
  f.sites = std::move(sites_);
  f.osr_points = std::move(osr_points_);
  sites_.clear();
  osr_points_.clear();
  functions_.push_back(std::move(f));
  open_ = false;
}

Status MacroAssembler::prepare() {
  if (open_) abandon_function();
  if (prepared_) return {};
  if (code_.flatten() != asmjit::kErrorOk || code_.resolveUnresolvedLinks() != asmjit::kErrorOk)
    return Error::make(ErrorKind::Internal, "JIT: cannot resolve labels");
  prepared_ = true;
  return {};
}

Status MacroAssembler::emit_into(uint8_t* dst, uint64_t base) {
  size_t size = code_.codeSize();
  if (code_.relocateToBase(base) != asmjit::kErrorOk ||
      code_.copyFlattenedData(dst, size) != asmjit::kErrorOk)
    return Error::make(ErrorKind::Internal, "JIT: cannot relocate code");
  return {};
}

void MacroAssembler::describe(size_t i, uint64_t base, CodeRegion& region, uintptr_t& internal,
                              std::vector<OsrEntry>& osr) {
  FunctionCode& f = functions_[i];
  region.start = uintptr_t(base + f.start);
  region.end = uintptr_t(base + f.end);
  region.oob_stub = uintptr_t(base + code_.labelOffsetFromBase(f.oob_stub));
  internal = uintptr_t(base + code_.labelOffsetFromBase(f.internal));
  region.sites = std::move(f.sites);
  std::sort(region.sites.begin(), region.sites.end(),
            [](const TrapSite& x, const TrapSite& y) { return x.offset < y.offset; });
  osr.clear();
  osr.reserve(f.osr_points.size());
  for (const OsrPoint& p : f.osr_points)
    osr.push_back(OsrEntry{p.wasm_offset, uintptr_t(base + code_.labelOffsetFromBase(p.stub))});
  std::sort(osr.begin(), osr.end(),
            [](const OsrEntry& x, const OsrEntry& y) { return x.wasm_offset < y.wasm_offset; });
}

} // namespace tandem::jit
