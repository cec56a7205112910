// A readable listing of lowered interpreter code, for tests and dumps.
// Operands print as numbers (slot byte offsets, immediates, branch offsets);
// register forms are marked "<r" (reads r) and ">r" (writes r).
#include "interp/interp.h"

#include <string>
#include <unordered_map>

namespace tandem::interp {
namespace {

std::string_view iop_name(uint32_t iop) {
  static constexpr std::string_view kInternal[] = {
#define IOP(id, n) #id,
#include "interp/internal_ops.def"
#undef IOP
  };
  if (iop < kNumInternalOps) return kInternal[iop];
  return op_name(Op((iop - kNumInternalOps) % kOpCount));
}

uint32_t operand_count(uint32_t iop, const uint32_t* at) {
  if (iop < kNumInternalOps) {
    uint32_t n = kInternalOperands[iop];
    if (IOp(iop) == IOp::br_table || IOp(iop) == IOp::br_table_r) n += at[2] + 1;
    return n;
  }
  Op op{};
  RegForm form;
  decode_form(iop, op, form);
  switch (form.family) {
  case Family::Imm: return 4;
  case Family::Branch: return 3;
  case Family::BranchImm: return 4;
  case Family::Direct: break;
  }
  return direct_operands(op);
}

// "/imm", "/br" or "/br_imm" for the family, then "<r" when the instruction
// reads the register r and ">r" when it writes it.
std::string form_suffix(uint32_t iop) {
  Op op{};
  RegForm form;
  if (!decode_form(iop, op, form)) return "";
  static constexpr std::string_view kFamily[] = {"", "/imm", "/br", "/br_imm"};
  std::string out(kFamily[uint32_t(form.family)]);
  if (form.from_r) out += "<r";
  if (form.to_r) out += ">r";
  return out;
}

uint32_t decode_header(uint32_t header) {
  static const std::unordered_map<uint32_t, uint32_t> reverse = [] {
    std::unordered_map<uint32_t, uint32_t> m;
    for (uint32_t i = 0; i < kNumIOps; ++i) m.emplace(encode_header(i), i);
    return m;
  }();
  auto it = reverse.find(header);
  return it == reverse.end() ? kNumIOps : it->second;
}

} // namespace

std::string disassemble(const InterpCode& code) {
  std::string out = "params " + std::to_string(code.num_params) + " locals " +
                    std::to_string(code.num_locals) + " results " +
                    std::to_string(code.num_results) + " frame " +
                    std::to_string(code.frame_slots) + "\n";
  const std::vector<uint32_t>& c = code.code;
  size_t pc = 0;
  while (pc < c.size()) {
    uint32_t iop = decode_header(c[pc]);
    if (iop >= kNumIOps) {
      out += std::to_string(pc) + ": <bad header>\n";
      break;
    }
    uint32_t n = operand_count(iop, &c[pc]);
    out += std::to_string(pc) + ": " + std::string(iop_name(iop));
    out += form_suffix(iop);
    for (uint32_t i = 1; i <= n && pc + i < c.size(); ++i) out += " " + std::to_string(c[pc + i]);
    out += "\n";
    pc += 1 + n;
  }
  return out;
}

} // namespace tandem::interp
