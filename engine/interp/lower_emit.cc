// Lowering (lowerer.h): slots and the abstract stack, emission, the
// register forms, and the fusions (compare-and-branch, address add,
// multiply-add, load of a factor).
#include "interp/lowerer.h"

namespace tandem::interp::lowering {

uint32_t Lowerer::slot_of(uint32_t h) const {
  const Entry& e = stack_[h];
  if (e.is_const) return kNoSlot;
  return e.is_local ? local_slot(e.local) : temp_slot(h);
}

void Lowerer::emit_value_to(uint32_t h, uint32_t dst) {
  const Entry& e = stack_[h];
  const Emitted* p = producer();
  bool over_producer = p && p->at + 1 < code().size() && code()[p->at + 1] == dst;
  materializing_ = (e.is_const || e.is_local) && !over_producer;
  if (e.is_const) {
    if (e.is64)
      emit(IOp::const64, {dst, uint32_t(e.value), uint32_t(e.value >> 32)});
    else
      emit(IOp::const32, {dst, uint32_t(e.value)});
  } else if (uint32_t s = slot_of(h); s != dst) {
    emit(IOp::copy, {dst, s});
  }
  materializing_ = false;
}

void Lowerer::push_const(uint64_t value, bool is64) {
  Entry e;
  e.is_const = true;
  e.is64 = is64;
  e.value = value;
  stack_.push_back(e);
  if (height() > max_height_) max_height_ = height();
}

void Lowerer::materialize(uint32_t h) {
  Entry& e = stack_[h];
  if (!e.is_local && !e.is_const) return;
  emit_value_to(h, temp_slot(h));
  stack_[h] = Entry{};
}

size_t Lowerer::emit_header(uint32_t iop) {
#ifndef NDEBUG
  Op form_op{};
  RegForm form;
  assert(!decode_form(iop, form_op, form) || (!form.from_r && !form.to_r) ||
         has_reg_form(form_op, form));
#endif
  size_t at = code().size();
  if (recent_.size() == kRecent) recent_.erase(recent_.begin());
  recent_.push_back(Emitted{at, iop});
  last_header_ = at;
  last_iop_ = iop;
  if (!materializing_) note_emitted(at, iop);
  code().push_back(encode_header(iop));
  retarget_pos_ = kNone;
  compare_pos_ = kNone;
  return at;
}

size_t Lowerer::emit(IOp op, std::initializer_list<uint32_t> operands) {
  size_t at = emit_header(iop_of(op));
  code().insert(code().end(), operands.begin(), operands.end());
  return at;
}

void Lowerer::emit_ptr(const void* p) {
  uintptr_t v = reinterpret_cast<uintptr_t>(p);
  code().push_back(uint32_t(v));
  code().push_back(uint32_t(uint64_t(v) >> 32));
}

void Lowerer::allow_retarget(size_t unit) {
  retarget_pos_ = unit;
  retarget_start_ = last_header_;
  retarget_end_ = code().size();
}

size_t Lowerer::bind() {
  retarget_pos_ = kNone;
  compare_pos_ = kNone;
  last_header_ = kNone;
  recent_.clear();
  forget_producer();
  return code().size();
}

uint32_t Lowerer::with_result_in_register(uint32_t iop) {
  Op op{};
  RegForm f;
  if (decode_form(iop, op, f)) {
    RegForm g{f.family, f.from_r, true};
    return !f.to_r && has_reg_form(op, g) ? iop_form(op, g) : kNoForm;
  }
  MulAddForm m;
  if (decode_mul_add(iop, m) && !m.to_r) {
    m.to_r = true;
    return iop_of(mul_add_op(m));
  }
  return kNoForm;
}

bool Lowerer::reads_register(uint32_t iop) {
  Op op{};
  RegForm f;
  MulAddForm m;
  if (decode_form(iop, op, f)) return f.from_r;
  if (decode_mul_add(iop, m)) return m.from_r;
  return false;
}

bool Lowerer::switch_to_register(Emitted& e, uint32_t slot) {
  uint32_t g = with_result_in_register(e.iop);
  if (g == kNoForm || code()[e.at + 1] != slot) return false;
  e.iop = g;
  code()[e.at] = encode_header(g);
  if (last_header_ == e.at) last_iop_ = g;
  for (Emitted& r : recent_)
    if (r.at == e.at) r.iop = g;
  return true;
}

bool Lowerer::take_register(uint32_t h) {
  const Entry& e = stack_[h];
  Emitted* p = producer();
  if (!p || e.is_local || e.is_const || !switch_to_register(*p, temp_slot(h))) return false;
  retarget_pos_ = kNone;
  compare_pos_ = kNone;
  return true;
}

void Lowerer::note_compare(size_t at, Op op, bool imm) {
  compare_pos_ = at;
  compare_op_ = op;
  compare_imm_ = imm;
  compare_from_r_ = last_reads_register();
}

bool Lowerer::take_compare(Compare& c) {
  if (compare_pos_ == kNone || retarget_pos_ != compare_pos_ + 1 || retarget_end_ != code().size())
    return false;
  const Entry& top = stack_.back();
  if (top.is_local || top.is_const || code()[compare_pos_ + 1] != temp_slot(height() - 1))
    return false;
  const uint32_t* ops = &code()[compare_pos_];
  c.op = compare_op_;
  c.imm = compare_imm_;
  c.from_r = compare_from_r_;
  c.a = ops[2];
  if (c.imm) {
    c.b_lo = ops[3];
    c.b_hi = ops[4];
  } else if (op_info(c.op).shape == Shape::Compare) {
    c.b_lo = ops[3];
  }
  truncate(compare_pos_);
  forget_producer();
  compare_pos_ = kNone;
  retarget_pos_ = kNone;
  return true;
}

Fixup Lowerer::cond_branch(IOp op, uint32_t cond, bool from_r) {
  if (from_r) return branch_fixup(op == IOp::br_if_nz ? IOp::br_if_nz_r : IOp::br_if_z_r, cond);
  size_t at = last_header_;
  if (just_emitted(iop_of(Op::i32_load)) && code().size() == at + 4 && code()[at + 1] == cond) {
    code()[at] =
        encode_header(iop_of(op == IOp::br_if_nz ? IOp::i32_load_br_nz : IOp::i32_load_br_z));
    code().push_back(0);
    last_header_ = kNone;
    forget_producer();
    retarget_pos_ = kNone;
    return Fixup{at, at + 4};
  }
  return branch_fixup(op, cond);
}

Fixup Lowerer::emit_compare_branch(const Compare& c, bool negate) {
  if (op_info(c.op).shape == Shape::Test) { // eqz
    // br_if_nz tests 32 bits: a negated i64.eqz must test all 64
    // (fuzz/findings/s4242_m00722: 0xfffc000000000000 has zero low bits).
    if (negate && c.op == Op::i64_eqz) {
      size_t at = emit_header(iop_form(Op::i64_ne, RegForm{Family::BranchImm, c.from_r, false}));
      code().insert(code().end(), {c.a, 0, 0, 0});
      return Fixup{at, at + 4};
    }
    if (negate) return branch_fixup(c.from_r ? IOp::br_if_nz_r : IOp::br_if_nz, c.a);
    size_t at = emit_header(iop_form(c.op, RegForm{Family::Branch, c.from_r, false}));
    code().insert(code().end(), {c.a, 0, 0});
    return Fixup{at, at + 3};
  }
  Op op = negate ? inverse_compare(c.op) : c.op;
  if (c.imm) {
    size_t at = emit_header(iop_form(op, RegForm{Family::BranchImm, c.from_r, false}));
    code().insert(code().end(), {c.a, c.b_lo, c.b_hi, 0});
    return Fixup{at, at + 4};
  }
  size_t at = emit_header(iop_form(op, RegForm{Family::Branch, c.from_r, false}));
  code().insert(code().end(), {c.a, c.b_lo, 0});
  return Fixup{at, at + 3};
}

bool Lowerer::fuse_mul_add() {
  size_t mul = last_header_;
  bool from_r = last_reads_register();
  bool imm = just_emitted(iop_form(Op::i32_mul, RegForm{Family::Imm, from_r, false}));
  if (!(imm || just_emitted(iop_form(Op::i32_mul, RegForm{Family::Direct, from_r, false}))) ||
      retarget_pos_ != mul + 1 || retarget_end_ != code().size())
    return false;
  uint32_t h = height();
  for (uint32_t product : {h - 1, h - 2}) {
    uint32_t other = product == h - 1 ? h - 2 : h - 1;
    const Entry& p = stack_[product];
    if (p.is_local || p.is_const || stack_[other].is_const) continue;
    if (code()[mul + 1] != temp_slot(product)) continue;
    uint32_t a = code()[mul + 2], b = code()[mul + 3];
    uint32_t x = slot_of(other);
    MulAddForm form{imm, from_r, false};
    size_t start = mul;
    uint32_t addr[3] = {};
    if (from_r && loaded_into_register(mul, a, start, addr)) {
      // The load and the mul go; x may then come through r from the
      // instruction before them (a chain of multiply-adds keeps its sum in r).
      form.load = true;
      form.from_r = !stack_[other].is_local && x_from_register(start, x);
    }
    truncate(start);
    last_header_ = kNone;
    forget_producer();
    retarget_pos_ = kNone;
    pop(2);
    size_t at = form.load
                    ? emit(mul_add_op(form), {temp_slot(height()), x, addr[0], addr[1], addr[2], b})
                    : emit(mul_add_op(form), {temp_slot(height()), x, a, b});
    push_temp();
    allow_retarget(at + 1);
    return true;
  }
  return false;
}

bool Lowerer::loaded_into_register(size_t mul, uint32_t a, size_t& at, uint32_t (&addr)[3]) {
  Op op{};
  RegForm f;
  size_t n = recent_.size();
  if (n < 2 || recent_[n - 1].at != mul) return false;
  const Emitted& load = recent_[n - 2];
  if (!decode_form(load.iop, op, f) || op != Op::i32_load || !f.to_r || f.from_r) return false;
  bool with_add = f.family == Family::Imm;
  if (!with_add && f.family != Family::Direct) return false;
  size_t len = with_add ? 5 : 4;
  if (load.at + len != mul || code()[load.at + 1] != a) return false;
  at = load.at;
  addr[0] = code()[at + 2];
  addr[1] = with_add ? code()[at + 3] : 0;
  addr[2] = code()[at + len - 1];
  return true;
}

bool Lowerer::x_from_register(size_t load, uint32_t x) {
  size_t n = recent_.size();
  if (n < 3 || recent_[n - 2].at != load) return false;
  Emitted e = recent_[n - 3];
  if (code()[e.at] != encode_header(e.iop)) return false;
  return switch_to_register(e, x);
}

void Lowerer::truncate(size_t end) {
  code().resize(end);
  while (!recent_.empty() && recent_.back().at >= end) recent_.pop_back();
}

bool Lowerer::take_addr_add(uint32_t h, uint32_t& base, uint32_t& add, bool allow_r, bool& from_r) {
  size_t at = last_header_;
  bool reads_r = last_reads_register();
  if (reads_r && !allow_r) return false;
  RegForm form{Family::Imm, reads_r, false};
  bool sub = just_emitted(iop_form(Op::i32_sub, form));
  if (!(sub || just_emitted(iop_form(Op::i32_add, form))) || retarget_pos_ != at + 1 ||
      retarget_end_ != code().size())
    return false;
  const Entry& e = stack_[h];
  if (e.is_local || e.is_const || code()[at + 1] != temp_slot(h)) return false;
  base = code()[at + 2];
  add = code()[at + 3];
  if (sub) add = 0u - add; // base - c == base + (-c) modulo 2^32
  from_r = reads_r;
  truncate(at);
  last_header_ = kNone;
  forget_producer();
  retarget_pos_ = kNone;
  return true;
}

uint32_t Lowerer::call_args(const FuncType& type) {
  uint32_t n = uint32_t(type.params.size());
  materialize_top(n);
  uint32_t base = temp_slot(height() - n);
  pop(n);
  return base;
}

} // namespace tandem::interp::lowering
