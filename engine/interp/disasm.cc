// A readable listing of lowered interpreter code, for tests and dumps.
// Slots print as s<N>, branch targets as absolute unit positions.
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
    if (IOp(iop) == IOp::br_table) n += at[2] + 1;
    return n;
  }
  uint32_t block = (iop - kNumInternalOps) / uint32_t(kOpCount);
  if (block == 1) return 4; // immediate form
  if (block == 2) return 3; // compare-and-branch form
  if (block == 3) return 4; // compare-and-branch form with an immediate
  return direct_operands(Op(iop - kNumInternalOps));
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
    if (iop >= kNumInternalOps) {
      uint32_t block = (iop - kNumInternalOps) / uint32_t(kOpCount);
      out += block == 1 ? "/imm" : block == 2 ? "/br" : block == 3 ? "/br_imm" : "";
    }
    for (uint32_t i = 1; i <= n && pc + i < c.size(); ++i) out += " " + std::to_string(c[pc + i]);
    out += "\n";
    pc += 1 + n;
  }
  return out;
}

} // namespace tandem::interp
