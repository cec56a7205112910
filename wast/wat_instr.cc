// WAT encoder, instructions: flat and folded forms of every instruction,
// driven by the opcode table (mnemonic -> prefix/code -> immediates by Imm
// kind). Structured and folded forms are handled by one loop over an explicit
// frame stack, so nesting depth costs heap memory, never native stack.
//
// Folded plain instructions `(op imm* folded*)` encode their own bytes into a
// LIFO arena when opened and move them to the output when their `)` arrives,
// after the operands. Labels are a stack of names with an index for lookup.
#include "base/leb128.h"
#include "wast/numbers.h"
#include "wast/strings.h"
#include "wast/wat_parser.h"

#include <cstring>

namespace tandem::wast::wat {
namespace {

enum class FrameKind : uint8_t {
  FoldedPlain,       // (op imm* folded*): arena bytes emitted at `)`
  FoldedBlock,       // (block|loop|try_table ...): end at `)`
  FoldedIfCond,      // (if label bt folded*  -- waiting for (then
  FoldedThen,        // inside (then ...)
  FoldedIfAfterThen, // (then) closed; (else ...) or `)` next
  FoldedElse,        // inside (else ...)
  FoldedIfDone,      // (else) closed; `)` next
  FoldedTry,         // (try label bt  -- waiting for (do
  FoldedTryDo,       // inside (do ...)
  FoldedTryHandlers, // (do)/(catch) closed; (catch / (catch_all / (delegate / `)` next
  FoldedCatch,       // inside (catch x ...) or (catch_all ...)
  FoldedDelegated,   // (delegate l) done; `)` next
  FlatBlock,         // block/loop/try_table ... end
  FlatIf,            // if ... else? ... end
  FlatElse,
  FlatTry, // try ... catch* catch_all? end | delegate
  FlatCatch,
};

bool is_flat(FrameKind k) {
  return k >= FrameKind::FlatBlock;
}

struct Frame {
  FrameKind kind;
  uint32_t arena_at = 0; // FoldedPlain / FoldedIfCond / FoldedTry: pending bytes
  uint32_t else_at = 0;  // output size right after an `else` opcode
  int32_t hint = -1;     // index in hint_payloads, for the pending opcode
  bool has_label = false;
  uint8_t handlers = 0; // legacy try: 0 none yet, 1 after catch, 2 after catch_all
  std::string label;
};

enum class Mode : uint8_t { Sequence, Single, TopLevel };

struct LaneShape {
  std::string_view name;
  unsigned lanes;
  unsigned bits;
  bool is_float;
};
constexpr LaneShape kShapes[] = {
    {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
    {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true},
};

void write_le(std::vector<uint8_t>& out, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

void write_opcode(std::vector<uint8_t>& out, const OpInfo& info) {
  if (info.prefix == 0) {
    out.push_back(uint8_t(info.code));
  } else {
    out.push_back(info.prefix);
    write_uleb(out, info.code);
  }
}

// The instruction encoder for one expression (function body or constant
// expression). Holds the frame stack and the pending-bytes arena.
class InstrEncoder {
public:
  InstrEncoder(ModuleEncoder& m, std::vector<uint8_t>& out, LocalScope* locals)
      : m_(m), c_(m.c_), out_(out), locals_(locals) {}

  Status run(Mode mode);

private:
  Status open_folded();
  Status close_folded();
  Status flat_instr();
  Status encode_plain(const Token& name, std::vector<uint8_t>& dst, int32_t hint);
  Status encode_immediates(Op op, const OpInfo& info, const Token& name, std::vector<uint8_t>& dst);
  Status parse_block_header(std::vector<uint8_t>& dst, Frame& f);
  Status parse_blocktype(std::vector<uint8_t>& dst);
  Status parse_catch_clauses(std::vector<uint8_t>& dst);
  Status parse_memarg(const Op op, std::vector<uint8_t>& dst, bool with_lane);
  Status parse_v128_const(std::vector<uint8_t>& dst);
  Status parse_hint();
  Status check_end_label(const Frame& f);

  void push_label(const Frame& f);
  void pop_label();
  Result<uint32_t> parse_label();
  Result<uint32_t> parse_local();
  void record_hint(int32_t hint);

  void emit_arena(const Frame& f) {
    record_hint(f.hint);
    out_.insert(out_.end(), arena_.begin() + f.arena_at, arena_.end());
    arena_.resize(f.arena_at);
  }

  ModuleEncoder& m_;
  Cursor& c_;
  std::vector<uint8_t>& out_;
  LocalScope* locals_;
  std::vector<Frame> frames_;
  std::vector<uint8_t> arena_;
  std::vector<std::string> hint_payloads_;
  int32_t pending_hint_ = -1;
};

void InstrEncoder::record_hint(int32_t hint) {
  if (hint < 0) return;
  m_.pending_hints_.push_back(
      BranchHint{uint32_t(out_.size()) - m_.body_base_, hint_payloads_[size_t(hint)]});
}

void InstrEncoder::push_label(const Frame& f) {
  m_.labels_.push_back(f.has_label ? f.label : std::string());
  if (f.has_label) m_.label_index_[f.label].push_back(uint32_t(m_.labels_.size() - 1));
}

void InstrEncoder::pop_label() {
  if (m_.labels_.empty()) return;
  const std::string& name = m_.labels_.back();
  if (!name.empty()) {
    auto it = m_.label_index_.find(name);
    if (it != m_.label_index_.end()) {
      it->second.pop_back();
      if (it->second.empty()) m_.label_index_.erase(it);
    }
  }
  m_.labels_.pop_back();
}

Result<uint32_t> InstrEncoder::parse_label() {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Nat) {
    TANDEM_ASSIGN(uint64_t v, parse_uint(t, 32));
    c_.next();
    return uint32_t(v);
  }
  if (t.kind == TokKind::Id) {
    TANDEM_ASSIGN(std::string key, id_key(t));
    auto it = m_.label_index_.find(key);
    if (it == m_.label_index_.end()) return error_at(t, "unknown label " + std::string(t.text));
    c_.next();
    return uint32_t(m_.labels_.size() - 1 - it->second.back());
  }
  return unexpected(t);
}

Result<uint32_t> InstrEncoder::parse_local() {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Nat) {
    TANDEM_ASSIGN(uint64_t v, parse_uint(t, 32));
    c_.next();
    return uint32_t(v);
  }
  if (t.kind == TokKind::Id) {
    TANDEM_ASSIGN(std::string key, id_key(t));
    if (locals_) {
      auto it = locals_->names.find(key);
      if (it != locals_->names.end()) {
        c_.next();
        return it->second;
      }
    }
    return error_at(t, "unknown local " + std::string(t.text));
  }
  return unexpected(t);
}

Status InstrEncoder::parse_hint() {
  const Token& annot = c_.next();
  if (annot.text != "metadata.code.branch_hint") {
    // Other code metadata: skip the annotation body.
    int depth = 1;
    while (depth > 0 && !c_.at_eof()) {
      const Token& t = c_.next();
      if (t.kind == TokKind::LParen || t.kind == TokKind::LParenAnnot)
        ++depth;
      else if (t.kind == TokKind::RParen)
        --depth;
    }
    return {};
  }
  std::string payload;
  while (c_.at(TokKind::String)) {
    TANDEM_ASSIGN(std::string s, decode_string(c_.peek()));
    payload += s;
    c_.next();
  }
  if (!c_.at(TokKind::RParen))
    return error_at(c_.peek(), "@metadata.code.branch_hint annotation: unexpected token");
  c_.next();
  if (pending_hint_ >= 0)
    return error_at(annot, "@metadata.code.branch_hint annotation: duplicate annotation");
  if (!locals_) return {}; // hints only apply inside function bodies
  hint_payloads_.push_back(std::move(payload));
  pending_hint_ = int32_t(hint_payloads_.size() - 1);
  return {};
}

Status InstrEncoder::check_end_label(const Frame& f) {
  if (!c_.at(TokKind::Id)) return {};
  const Token& id = c_.peek();
  TANDEM_ASSIGN(std::string key, id_key(id));
  if (!f.has_label || key != f.label) return error_at(id, "mismatching label");
  c_.next();
  return {};
}

// Block type: (type x)? (param t*)* (result t*)*.
Status InstrEncoder::parse_blocktype(std::vector<uint8_t>& dst) {
  TANDEM_ASSIGN(TypeUse use, m_.parse_typeuse(false));
  if (!use.index && use.inline_type.params.empty() && use.inline_type.results.size() <= 1) {
    if (use.inline_type.results.empty())
      dst.push_back(0x40);
    else
      m_.write_valtype(dst, use.inline_type.results[0]);
    return {};
  }
  TANDEM_ASSIGN(uint32_t index, m_.resolve_typeuse(use));
  write_sleb(dst, int64_t(index));
  return {};
}

// Label and block type after block/loop/if/try/try_table.
Status InstrEncoder::parse_block_header(std::vector<uint8_t>& dst, Frame& f) {
  if (c_.at(TokKind::Id)) {
    TANDEM_ASSIGN(f.label, id_key(c_.peek()));
    f.has_label = true;
    c_.next();
  }
  return parse_blocktype(dst);
}

// try_table catch clauses; labels resolve in the enclosing context.
Status InstrEncoder::parse_catch_clauses(std::vector<uint8_t>& dst) {
  std::vector<uint8_t> clauses;
  uint32_t count = 0;
  for (;;) {
    uint8_t kind;
    if (c_.at_open("catch"))
      kind = 0x00;
    else if (c_.at_open("catch_ref"))
      kind = 0x01;
    else if (c_.at_open("catch_all"))
      kind = 0x02;
    else if (c_.at_open("catch_all_ref"))
      kind = 0x03;
    else
      break;
    c_.next();
    c_.next();
    clauses.push_back(kind);
    if (kind <= 0x01) {
      TANDEM_ASSIGN(uint32_t tag, m_.parse_index(Space::Tag));
      write_uleb(clauses, tag);
    }
    TANDEM_ASSIGN(uint32_t label, parse_label());
    write_uleb(clauses, label);
    TANDEM_TRY(c_.expect_rparen());
    ++count;
  }
  write_uleb(dst, count);
  dst.insert(dst.end(), clauses.begin(), clauses.end());
  return {};
}

Status InstrEncoder::parse_memarg(const Op op, std::vector<uint8_t>& dst, bool with_lane) {
  uint32_t memory = 0;
  const Token& t = c_.peek();
  if (t.kind == TokKind::Id) {
    TANDEM_ASSIGN(memory, m_.parse_index(Space::Memory));
  } else if (t.kind == TokKind::Nat) {
    const Token& after = c_.peek(1);
    bool more = after.kind == TokKind::Nat ||
                (after.kind == TokKind::Keyword &&
                 (after.text.starts_with("offset=") || after.text.starts_with("align=")));
    if (!with_lane || more) {
      TANDEM_ASSIGN(memory, m_.parse_index(Space::Memory));
    }
  }
  uint64_t offset = 0;
  uint32_t natural = memory_access_bytes(op);
  uint64_t align = natural == 0 ? 1 : natural;
  if (c_.at(TokKind::Keyword) && c_.peek().text.starts_with("offset=")) {
    const Token& o = c_.peek();
    auto r = parse_uint(o.text.substr(7), 64);
    if (!r.ok()) return unexpected(o);
    offset = r.value();
    c_.next();
  }
  if (c_.at(TokKind::Keyword) && c_.peek().text.starts_with("align=")) {
    const Token& a = c_.peek();
    auto r = parse_uint(a.text.substr(6), 64);
    if (!r.ok()) return unexpected(a);
    align = r.value();
    if (align == 0 || (align & (align - 1)) != 0)
      return error_at(a, "alignment must be a power of two");
    c_.next();
  }
  uint32_t log2 = 0;
  while ((uint64_t(1) << log2) < align) ++log2;
  if (memory != 0) {
    write_uleb(dst, log2 | 0x40);
    write_uleb(dst, memory);
  } else {
    write_uleb(dst, log2);
  }
  write_uleb(dst, offset);
  if (with_lane) {
    const Token& l = c_.peek();
    if (l.kind != TokKind::Nat) return unexpected(l);
    auto r = parse_uint(l, 8);
    if (!r.ok()) return error_at(l, "i8 constant out of range");
    dst.push_back(uint8_t(r.value()));
    c_.next();
  }
  return {};
}

Status InstrEncoder::parse_v128_const(std::vector<uint8_t>& dst) {
  const Token& shape_tok = c_.peek();
  const LaneShape* shape = nullptr;
  for (const LaneShape& s : kShapes)
    if (shape_tok.is_keyword(s.name)) shape = &s;
  if (!shape) return unexpected(shape_tok);
  c_.next();
  // Count the literals first: a wrong count is reported before any value.
  unsigned count = 0;
  while (c_.peek(count).is_number()) ++count;
  const Token& stop = c_.peek(count);
  if (stop.kind == TokKind::Reserved ||
      (stop.kind == TokKind::Keyword && !is_known_keyword(stop.text)))
    return unexpected(stop);
  if (count != shape->lanes) return error_at(stop, "wrong number of lane literals");
  for (unsigned i = 0; i < shape->lanes; ++i) {
    const Token& v = c_.peek();
    if (shape->is_float) {
      if (shape->bits == 32) {
        TANDEM_ASSIGN(uint32_t bits, parse_f32_bits(v));
        write_le(dst, bits, 4);
      } else {
        TANDEM_ASSIGN(uint64_t bits, parse_f64_bits(v));
        write_le(dst, bits, 8);
      }
    } else {
      TANDEM_ASSIGN(uint64_t bits, parse_int(v, shape->bits));
      write_le(dst, bits, shape->bits / 8);
    }
    c_.next();
  }
  return {};
}

Status InstrEncoder::encode_plain(const Token& name, std::vector<uint8_t>& dst, int32_t hint) {
  std::optional<Op> op = op_by_name(name.text);
  if (!op || name.text.find(' ') != std::string_view::npos) return unexpected(name);
  const OpInfo& info = op_info(*op);
  switch (info.shape) {
  case Shape::Block:
  case Shape::If:
  case Shape::Else:
  case Shape::End:
  case Shape::Try:
  case Shape::Catch:
  case Shape::CatchAll:
  case Shape::Delegate:
  case Shape::TryTable: return unexpected(name); // only valid in their structured forms
  default: break;
  }
  // Text-level variants sharing one mnemonic.
  if (*op == Op::select && c_.at_open("result")) {
    std::vector<uint8_t> types;
    uint32_t n = 0;
    while (c_.at_open("result")) {
      c_.next();
      c_.next();
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(TVal v, m_.parse_valtype());
        m_.write_valtype(types, v);
        ++n;
      }
      c_.next();
    }
    if (&dst == &out_) record_hint(hint);
    write_opcode(dst, op_info(Op::select_t));
    write_uleb(dst, n);
    dst.insert(dst.end(), types.begin(), types.end());
    return {};
  }
  if (info.shape == Shape::RefTest || info.shape == Shape::RefCast ||
      info.shape == Shape::RefCastDescEq) {
    TANDEM_ASSIGN(TVal rt, m_.parse_reftype());
    Op chosen = *op;
    if (rt.nullable) {
      std::string qualified = std::string(op_mnemonic(*op)) + " null";
      if (auto n = op_by_name(qualified)) chosen = *n;
    }
    if (&dst == &out_) record_hint(hint);
    write_opcode(dst, op_info(chosen));
    m_.write_heaptype(dst, rt);
    return {};
  }
  if (&dst == &out_) record_hint(hint);
  write_opcode(dst, info);
  return encode_immediates(*op, info, name, dst);
}

Status InstrEncoder::encode_immediates(Op op, const OpInfo& info, const Token& name,
                                       std::vector<uint8_t>& dst) {
  auto index = [&](Space s) -> Status {
    TANDEM_ASSIGN(uint32_t i, m_.parse_index(s));
    write_uleb(dst, i);
    return {};
  };
  auto optional_index = [&](Space s) -> Status {
    uint32_t i = 0;
    if (m_.at_index()) {
      TANDEM_ASSIGN(i, m_.parse_index(s));
    }
    write_uleb(dst, i);
    return {};
  };
  switch (info.imm) {
  case Imm::None: return {};
  case Imm::Label: {
    TANDEM_ASSIGN(uint32_t l, parse_label());
    write_uleb(dst, l);
    return {};
  }
  case Imm::BrTable: {
    std::vector<uint32_t> labels;
    while (c_.at(TokKind::Nat) || c_.at(TokKind::Id)) {
      TANDEM_ASSIGN(uint32_t l, parse_label());
      labels.push_back(l);
    }
    if (labels.empty()) return unexpected(c_.peek());
    write_uleb(dst, labels.size() - 1);
    for (uint32_t l : labels) write_uleb(dst, l);
    return {};
  }
  case Imm::Func: return index(Space::Func);
  case Imm::CallIndirect: {
    uint32_t table = 0;
    if (m_.at_index()) {
      TANDEM_ASSIGN(table, m_.parse_index(Space::Table));
    }
    TANDEM_ASSIGN(TypeUse use, m_.parse_typeuse(false));
    TANDEM_ASSIGN(uint32_t type, m_.resolve_typeuse(use));
    write_uleb(dst, type);
    write_uleb(dst, table);
    return {};
  }
  case Imm::Type: return index(Space::Type);
  case Imm::Local: {
    TANDEM_ASSIGN(uint32_t l, parse_local());
    write_uleb(dst, l);
    return {};
  }
  case Imm::Global: return index(Space::Global);
  case Imm::Table: return optional_index(Space::Table);
  case Imm::TableCopy: {
    uint32_t d = 0, s = 0;
    if (m_.at_index()) {
      TANDEM_ASSIGN(d, m_.parse_index(Space::Table));
      TANDEM_ASSIGN(s, m_.parse_index(Space::Table));
    }
    write_uleb(dst, d);
    write_uleb(dst, s);
    return {};
  }
  case Imm::TableInit: {
    uint32_t table = 0;
    const Token& first = c_.peek();
    if (!m_.at_index()) return unexpected(first);
    if (c_.peek(1).kind == TokKind::Nat || c_.peek(1).kind == TokKind::Id) {
      TANDEM_ASSIGN(table, m_.parse_index(Space::Table));
    }
    TANDEM_ASSIGN(uint32_t elem, m_.parse_index(Space::Elem));
    write_uleb(dst, elem);
    write_uleb(dst, table);
    return {};
  }
  case Imm::Elem: return index(Space::Elem);
  case Imm::Data: m_.needs_data_count_ = true; return index(Space::Data);
  case Imm::MemoryInit: {
    m_.needs_data_count_ = true;
    uint32_t memory = 0;
    if (!m_.at_index()) return unexpected(c_.peek());
    if (c_.peek(1).kind == TokKind::Nat || c_.peek(1).kind == TokKind::Id) {
      TANDEM_ASSIGN(memory, m_.parse_index(Space::Memory));
    }
    TANDEM_ASSIGN(uint32_t data, m_.parse_index(Space::Data));
    write_uleb(dst, data);
    write_uleb(dst, memory);
    return {};
  }
  case Imm::Memory: return optional_index(Space::Memory);
  case Imm::MemoryCopy: {
    uint32_t d = 0, s = 0;
    if (m_.at_index()) {
      TANDEM_ASSIGN(d, m_.parse_index(Space::Memory));
      TANDEM_ASSIGN(s, m_.parse_index(Space::Memory));
    }
    write_uleb(dst, d);
    write_uleb(dst, s);
    return {};
  }
  case Imm::MemArg: return parse_memarg(op, dst, false);
  case Imm::MemArgLane: return parse_memarg(op, dst, true);
  case Imm::Lane: {
    const Token& l = c_.peek();
    if (l.kind != TokKind::Nat) return unexpected(l);
    auto r = parse_uint(l, 8);
    if (!r.ok()) return error_at(l, "i8 constant out of range");
    dst.push_back(uint8_t(r.value()));
    c_.next();
    return {};
  }
  case Imm::Shuffle: {
    for (int i = 0; i < 16; ++i) {
      const Token& l = c_.peek();
      if (!l.is_number()) return error_at(l, "invalid lane length");
      auto r = l.kind == TokKind::Nat ? parse_uint(l, 8) : Result<uint64_t>(Error{});
      if (!r.ok()) return error_at(l, "i8 constant out of range");
      dst.push_back(uint8_t(r.value()));
      c_.next();
    }
    if (c_.peek().is_number()) return error_at(c_.peek(), "invalid lane length");
    return {};
  }
  case Imm::I32: {
    const Token& v = c_.peek();
    if (!v.is_number()) return unexpected(v);
    TANDEM_ASSIGN(uint64_t bits, parse_int(v, 32));
    write_sleb(dst, int64_t(int32_t(uint32_t(bits))));
    c_.next();
    return {};
  }
  case Imm::I64: {
    const Token& v = c_.peek();
    if (!v.is_number()) return unexpected(v);
    TANDEM_ASSIGN(uint64_t bits, parse_int(v, 64));
    write_sleb(dst, int64_t(bits));
    c_.next();
    return {};
  }
  case Imm::F32: {
    const Token& v = c_.peek();
    if (!v.is_number()) return unexpected(v);
    TANDEM_ASSIGN(uint32_t bits, parse_f32_bits(v));
    write_le(dst, bits, 4);
    c_.next();
    return {};
  }
  case Imm::F64: {
    const Token& v = c_.peek();
    if (!v.is_number()) return unexpected(v);
    TANDEM_ASSIGN(uint64_t bits, parse_f64_bits(v));
    write_le(dst, bits, 8);
    c_.next();
    return {};
  }
  case Imm::V128: return parse_v128_const(dst);
  case Imm::HeapType: {
    TVal v;
    TANDEM_TRY(m_.parse_heaptype(v));
    m_.write_heaptype(dst, v);
    return {};
  }
  case Imm::SelectT: return {}; // handled in encode_plain
  case Imm::Tag: return index(Space::Tag);
  case Imm::TypeField: {
    const Token& type_tok = c_.peek();
    TANDEM_ASSIGN(uint32_t type, m_.parse_index(Space::Type));
    write_uleb(dst, type);
    const Token& f = c_.peek();
    if (f.kind == TokKind::Nat) {
      TANDEM_ASSIGN(uint64_t v, parse_uint(f, 32));
      write_uleb(dst, v);
      c_.next();
      return {};
    }
    if (f.kind != TokKind::Id) return unexpected(f);
    TANDEM_ASSIGN(std::string key, id_key(f));
    if (type < m_.types_.size()) {
      const auto& names = m_.types_[type].field_names;
      auto it = names.find(key);
      if (it != names.end()) {
        write_uleb(dst, it->second);
        c_.next();
        return {};
      }
    }
    (void)type_tok;
    return error_at(f, "unknown field " + std::string(f.text));
  }
  case Imm::TypeType: {
    TANDEM_TRY(index(Space::Type));
    return index(Space::Type);
  }
  case Imm::TypeData:
    m_.needs_data_count_ = true;
    TANDEM_TRY(index(Space::Type));
    return index(Space::Data);
  case Imm::TypeElem: TANDEM_TRY(index(Space::Type)); return index(Space::Elem);
  case Imm::TypeLen: {
    TANDEM_TRY(index(Space::Type));
    const Token& n = c_.peek();
    if (n.kind != TokKind::Nat) return unexpected(n);
    TANDEM_ASSIGN(uint64_t v, parse_uint(n, 32));
    write_uleb(dst, v);
    c_.next();
    return {};
  }
  case Imm::BrOnCast: {
    TANDEM_ASSIGN(uint32_t label, parse_label());
    TANDEM_ASSIGN(TVal r1, m_.parse_reftype());
    TANDEM_ASSIGN(TVal r2, m_.parse_reftype());
    dst.push_back(uint8_t((r1.nullable ? 1 : 0) | (r2.nullable ? 2 : 0)));
    write_uleb(dst, label);
    m_.write_heaptype(dst, r1);
    m_.write_heaptype(dst, r2);
    return {};
  }
  case Imm::ZeroByte: dst.push_back(0x00); return {};
  case Imm::BlockType:
  case Imm::TryTable: break;
  }
  return unexpected(name);
}

// `(` at the cursor: a folded instruction or a clause of one.
Status InstrEncoder::open_folded() {
  const Token& lparen = c_.next();
  const Token& kw = c_.peek();
  if (kw.kind != TokKind::Keyword) return unexpected(kw);
  Frame* top = frames_.empty() ? nullptr : &frames_.back();
  FrameKind top_kind = top ? top->kind : FrameKind::FlatBlock;
  std::string_view k = kw.text;
  int32_t hint = pending_hint_;
  pending_hint_ = -1;

  // Clauses that continue an open folded form.
  if (top_kind == FrameKind::FoldedIfCond && k == "then") {
    c_.next();
    emit_arena(*top);
    push_label(*top);
    top->kind = FrameKind::FoldedThen;
    return {};
  }
  if (top_kind == FrameKind::FoldedIfAfterThen) {
    if (k != "else") return unexpected(kw);
    c_.next();
    out_.push_back(0x05);
    top->else_at = uint32_t(out_.size());
    top->kind = FrameKind::FoldedElse;
    return {};
  }
  if (top_kind == FrameKind::FoldedTry) {
    if (k != "do") return unexpected(kw);
    c_.next();
    emit_arena(*top);
    push_label(*top);
    top->kind = FrameKind::FoldedTryDo;
    return {};
  }
  if (top_kind == FrameKind::FoldedTryHandlers) {
    if ((k == "catch" || k == "catch_all") && top->handlers == 2) return unexpected(kw);
    if (k == "delegate" && top->handlers != 0) return unexpected(kw);
    c_.next();
    if (k == "catch") {
      out_.push_back(0x07);
      TANDEM_ASSIGN(uint32_t tag, m_.parse_index(Space::Tag));
      write_uleb(out_, tag);
      top->kind = FrameKind::FoldedCatch;
      top->handlers = 1;
      return {};
    }
    if (k == "catch_all") {
      out_.push_back(0x19);
      top->kind = FrameKind::FoldedCatch;
      top->handlers = 2;
      return {};
    }
    if (k == "delegate") {
      pop_label();
      TANDEM_ASSIGN(uint32_t l, parse_label());
      out_.push_back(0x18);
      write_uleb(out_, l);
      TANDEM_TRY(c_.expect_rparen());
      top->kind = FrameKind::FoldedDelegated;
      return {};
    }
    return unexpected(kw);
  }
  if (top_kind == FrameKind::FoldedIfDone || top_kind == FrameKind::FoldedDelegated)
    return unexpected(lparen);
  (void)lparen;

  c_.next();
  Frame f;
  if (k == "block" || k == "loop") {
    record_hint(hint);
    out_.push_back(k == "block" ? 0x02 : 0x03);
    TANDEM_TRY(parse_block_header(out_, f));
    f.kind = FrameKind::FoldedBlock;
    push_label(f);
    frames_.push_back(std::move(f));
    return {};
  }
  if (k == "try_table") {
    record_hint(hint);
    out_.push_back(0x1F);
    TANDEM_TRY(parse_block_header(out_, f));
    TANDEM_TRY(parse_catch_clauses(out_));
    f.kind = FrameKind::FoldedBlock;
    push_label(f);
    frames_.push_back(std::move(f));
    return {};
  }
  if (k == "if" || k == "try") {
    f.arena_at = uint32_t(arena_.size());
    f.hint = hint;
    arena_.push_back(k == "if" ? 0x04 : 0x06);
    TANDEM_TRY(parse_block_header(arena_, f));
    f.kind = k == "if" ? FrameKind::FoldedIfCond : FrameKind::FoldedTry;
    frames_.push_back(std::move(f));
    return {};
  }
  f.kind = FrameKind::FoldedPlain;
  f.arena_at = uint32_t(arena_.size());
  f.hint = hint;
  TANDEM_TRY(encode_plain(kw, arena_, -1));
  frames_.push_back(std::move(f));
  return {};
}

// `)` at the cursor closes the innermost folded form or clause.
Status InstrEncoder::close_folded() {
  Frame& top = frames_.back();
  const Token& rparen = c_.peek();
  switch (top.kind) {
  case FrameKind::FoldedPlain:
    emit_arena(top);
    frames_.pop_back();
    break;
  case FrameKind::FoldedBlock:
  case FrameKind::FoldedIfAfterThen:
  case FrameKind::FoldedIfDone:
  case FrameKind::FoldedTryHandlers:
    out_.push_back(0x0B);
    pop_label();
    frames_.pop_back();
    break;
  case FrameKind::FoldedThen: top.kind = FrameKind::FoldedIfAfterThen; break;
  case FrameKind::FoldedElse:
    if (out_.size() == top.else_at) out_.pop_back(); // empty else: no opcode
    top.kind = FrameKind::FoldedIfDone;
    break;
  case FrameKind::FoldedTryDo:
  case FrameKind::FoldedCatch: top.kind = FrameKind::FoldedTryHandlers; break;
  case FrameKind::FoldedDelegated: frames_.pop_back(); break;
  case FrameKind::FoldedIfCond:
  case FrameKind::FoldedTry:
  default: return unexpected(rparen);
  }
  c_.next();
  return {};
}

// A keyword at the cursor: a flat instruction.
Status InstrEncoder::flat_instr() {
  const Token& kw = c_.next();
  std::string_view k = kw.text;
  int32_t hint = pending_hint_;
  pending_hint_ = -1;
  Frame* top = frames_.empty() ? nullptr : &frames_.back();
  Frame f;
  if (k == "block" || k == "loop" || k == "try_table" || k == "if" || k == "try") {
    record_hint(hint);
    if (k == "block")
      out_.push_back(0x02);
    else if (k == "loop")
      out_.push_back(0x03);
    else if (k == "if")
      out_.push_back(0x04);
    else if (k == "try")
      out_.push_back(0x06);
    else
      out_.push_back(0x1F);
    TANDEM_TRY(parse_block_header(out_, f));
    if (k == "try_table") TANDEM_TRY(parse_catch_clauses(out_));
    f.kind = k == "if" ? FrameKind::FlatIf : k == "try" ? FrameKind::FlatTry : FrameKind::FlatBlock;
    push_label(f);
    frames_.push_back(std::move(f));
    return {};
  }
  if (k == "else") {
    if (!top || top->kind != FrameKind::FlatIf) return unexpected(kw);
    TANDEM_TRY(check_end_label(*top));
    out_.push_back(0x05);
    top->else_at = uint32_t(out_.size());
    top->kind = FrameKind::FlatElse;
    return {};
  }
  if (k == "end") {
    if (!top || !is_flat(top->kind)) return unexpected(kw);
    TANDEM_TRY(check_end_label(*top));
    if (top->kind == FrameKind::FlatElse && out_.size() == top->else_at) out_.pop_back();
    out_.push_back(0x0B);
    pop_label();
    frames_.pop_back();
    return {};
  }
  if (k == "catch" || k == "catch_all") {
    if (!top || (top->kind != FrameKind::FlatTry && top->kind != FrameKind::FlatCatch) ||
        top->handlers == 2)
      return unexpected(kw);
    top->handlers = k == "catch" ? 1 : 2;
    if (k == "catch") {
      out_.push_back(0x07);
      TANDEM_ASSIGN(uint32_t tag, m_.parse_index(Space::Tag));
      write_uleb(out_, tag);
    } else {
      out_.push_back(0x19);
    }
    top->kind = FrameKind::FlatCatch;
    return {};
  }
  if (k == "delegate") {
    if (!top || top->kind != FrameKind::FlatTry) return unexpected(kw);
    pop_label();
    TANDEM_ASSIGN(uint32_t l, parse_label());
    out_.push_back(0x18);
    write_uleb(out_, l);
    frames_.pop_back();
    return {};
  }
  return encode_plain(kw, out_, hint);
}

Status InstrEncoder::run(Mode mode) {
  for (;;) {
    const Token& t = c_.peek();
    switch (t.kind) {
    case TokKind::RParen:
      if (frames_.empty()) {
        if (mode == Mode::TopLevel) return unexpected(t);
        if (mode == Mode::Single) return unexpected(t);
        if (pending_hint_ >= 0) return unexpected(t);
        return {};
      }
      TANDEM_TRY(close_folded());
      if (mode == Mode::Single && frames_.empty()) return {};
      break;
    case TokKind::Eof:
      if (frames_.empty() && mode == Mode::TopLevel) return {};
      return unexpected(t);
    case TokKind::LParenAnnot: TANDEM_TRY(parse_hint()); break;
    case TokKind::LParen: {
      if (!frames_.empty()) {
        FrameKind k = frames_.back().kind;
        if (k == FrameKind::FoldedIfDone || k == FrameKind::FoldedDelegated) return unexpected(t);
      }
      TANDEM_TRY(open_folded());
      break;
    }
    case TokKind::Keyword: {
      if (mode == Mode::Single && frames_.empty()) return unexpected(t);
      if (!frames_.empty()) {
        FrameKind k = frames_.back().kind;
        if (k == FrameKind::FoldedPlain || k == FrameKind::FoldedIfCond ||
            k == FrameKind::FoldedIfAfterThen || k == FrameKind::FoldedIfDone ||
            k == FrameKind::FoldedTry || k == FrameKind::FoldedTryHandlers ||
            k == FrameKind::FoldedDelegated)
          return unexpected(t);
      }
      TANDEM_TRY(flat_instr());
      break;
    }
    default: return unexpected(t);
    }
  }
}

} // namespace

Status ModuleEncoder::encode_instrs(std::vector<uint8_t>& out, LocalScope* locals, bool top_level) {
  InstrEncoder enc(*this, out, locals);
  return enc.run(top_level ? Mode::TopLevel : Mode::Sequence);
}

Status ModuleEncoder::encode_const_expr(std::vector<uint8_t>& out) {
  labels_.clear();
  label_index_.clear();
  InstrEncoder enc(*this, out, nullptr);
  TANDEM_TRY(enc.run(Mode::Sequence));
  out.push_back(0x0B);
  return {};
}

Status ModuleEncoder::encode_const_expr_single(std::vector<uint8_t>& out) {
  labels_.clear();
  label_index_.clear();
  InstrEncoder enc(*this, out, nullptr);
  TANDEM_TRY(enc.run(Mode::Single));
  out.push_back(0x0B);
  return {};
}

} // namespace tandem::wast::wat
