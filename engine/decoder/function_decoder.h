// The one instruction decoder: a template over a visitor, used for function
// bodies and constant expressions. The validator, the interpreter's lowering
// and the JIT are visitors over it.
//
// ---------------------------------------------------------------------------
// The visitor contract (concept FunctionVisitor)
//
//   template <Op op> Status visit(const ImmFor<op>& imm, uint32_t offset);
//
// is called once per instruction, in order, with the opcode as a template
// argument and its decoded immediate (immediates.h; ImmFor<op> is the C++
// type for op_info(op).imm). `offset` is the byte offset of the opcode in the
// module. Returning an error stops decoding and the error is returned as is.
//
// A visitor usually dispatches at compile time on the table:
//
//   template <Op op> Status visit(const ImmFor<op>& imm, uint32_t off) {
//     constexpr OpInfo info = op_info(op);
//     if constexpr (info.shape == Shape::Binary) return binary<op>();
//     else if constexpr (info.shape == Shape::Load) return load<op>(imm);
//     else if constexpr (op == Op::block) ...
//   }
//
// Structured instructions arrive as themselves: block/loop/if/try/try_table
// open a construct, `else`, `catch`, `catch_all` switch arms, `end` and
// `delegate` close one. The decoder checks only the nesting syntax (an `else`
// outside an `if` is malformed); labels, types and stack heights are the
// visitor's business. The last `end` (the one that closes the function or
// constant expression) is visited like any other, and decoding stops after it.
//
// Immediates that are spans (br_table, select t, try_table) are only valid
// during the call.
//
// The `Checks` template parameter is the validation policy: with
// DecodeChecks::Full the decoder rejects instructions of disabled features
// (ErrorKind::Unsupported, "feature 'gc' is not supported") and bulk-memory
// segment instructions without a data count section; DecodeChecks::None
// trusts a module that already passed validation. Malformed encodings are
// always errors (ErrorKind::Malformed, reference-interpreter wording), and
// the decoder never reads past the module's end.
// ---------------------------------------------------------------------------
#pragma once

#include "decoder/immediates.h"
#include "decoder/reader.h"
#include "wasm/features.h"
#include "wasm/opcodes.h"

#include <concepts>
#include <cstdio>
#include <string>
#include <vector>

namespace tandem {

template <class V>
concept FunctionVisitor = requires(V& v, const NoImm& none, const MemArgImm& mem, uint32_t off) {
  { v.template visit<Op::nop>(none, off) } -> std::same_as<Status>;
  { v.template visit<Op::i32_load>(mem, off) } -> std::same_as<Status>;
};

enum class DecodeChecks : uint8_t { Full, None };

struct DecodeEnv {
  FeatureSet features = FeatureSet::all(); // instructions outside it are Unsupported (Full)
  bool has_data_count = true;              // false: memory.init/data.drop are malformed (Full)
};

template <FunctionVisitor V, DecodeChecks Checks = DecodeChecks::Full> class FunctionDecoder {
public:
  FunctionDecoder(Reader& reader, V& visitor, const DecodeEnv& env)
      : r_(reader), v_(visitor), env_(env) {}

  // Decodes instructions from the reader's position through the `end` that
  // closes the implicit outermost block. The reader is left after that `end`.
  Status decode() {
    frames_.clear();
    frames_.push_back(Frame::Block);
    while (!frames_.empty()) TANDEM_TRY(step());
    return {};
  }

private:
  // Syntactic construct kinds, for the placement of else/catch/delegate.
  enum class Frame : uint8_t { Block, If, Else, Try, TryCatch, TryCatchAll };

  static constexpr bool kChecks = Checks == DecodeChecks::Full;

  Status step() {
    uint32_t off = r_.offset();
    TANDEM_ASSIGN(uint8_t b, r_.u8());
    // Fast path: single-byte opcodes through an inline table.
    if (!is_prefix_byte(b)) {
      auto op = op_by_single_byte(b);
      if (!op) return illegal(off, b, nullptr);
      return dispatch(*op, off);
    }
    TANDEM_ASSIGN(uint32_t code, r_.u32());
    auto op = op_by_code(b, code);
    if (!op) return illegal(off, b, &code);
    return dispatch(*op, off);
  }

  Status dispatch(Op op, uint32_t off) {
    switch (op) {
#define OP(id, name, prefix, code, imm, shape, sig, feature)                                       \
  case Op::id:                                                                                     \
    return run<Op::id>(off);
#include "wasm/opcodes.def"
#undef OP
    }
    return illegal(off, 0, nullptr);
  }

  template <Op op> Status run(uint32_t off) {
    constexpr OpInfo info = op_info(op);
    if constexpr (kChecks) {
      if (!env_.features.has(info.feature)) return unsupported(info.feature, off);
      if constexpr (op == Op::memory_init || op == Op::data_drop || op == Op::array_new_data ||
                    op == Op::array_init_data) {
        if (!env_.has_data_count) return Error::malformed(off, "data count section required");
      }
    }
    TANDEM_ASSIGN(ImmFor<op> imm, read_imm<info.imm>());
    TANDEM_TRY(nest<op>(off));
    return v_.template visit<op>(imm, off);
  }

  // Tracks the construct nesting; the outermost `end` empties the stack.
  template <Op op> Status nest(uint32_t off) {
    if constexpr (op == Op::block || op == Op::loop || op == Op::try_table) {
      frames_.push_back(Frame::Block);
    } else if constexpr (op == Op::if_) {
      frames_.push_back(Frame::If);
    } else if constexpr (op == Op::try_) {
      frames_.push_back(Frame::Try);
    } else if constexpr (op == Op::else_) {
      if (frames_.back() != Frame::If) return end_expected(off);
      frames_.back() = Frame::Else;
    } else if constexpr (op == Op::catch_) {
      Frame f = frames_.back();
      if (f != Frame::Try && f != Frame::TryCatch) return end_expected(off);
      frames_.back() = Frame::TryCatch;
    } else if constexpr (op == Op::catch_all) {
      Frame f = frames_.back();
      if (f != Frame::Try && f != Frame::TryCatch) return end_expected(off);
      frames_.back() = Frame::TryCatchAll;
    } else if constexpr (op == Op::delegate) {
      if (frames_.back() != Frame::Try || frames_.size() < 2) return end_expected(off);
      frames_.pop_back();
    } else if constexpr (op == Op::end) {
      frames_.pop_back();
    }
    return {};
  }

  // ---- immediates ----------------------------------------------------------

  template <Imm k> Result<typename ImmTypeOf<k>::type_t> read_imm() {
    using T = typename ImmTypeOf<k>::type_t;
    if constexpr (k == Imm::None) {
      return T{};
    } else if constexpr (k == Imm::ZeroByte) {
      uint32_t off = r_.offset();
      TANDEM_ASSIGN(uint8_t b, r_.u8());
      if (b != 0) return Error::malformed(off, "zero byte expected");
      return T{};
    } else if constexpr (std::is_same_v<T, IndexImm>) {
      TANDEM_ASSIGN(uint32_t x, r_.u32());
      return T{x};
    } else if constexpr (k == Imm::BlockType) {
      return read_block();
    } else if constexpr (k == Imm::BrTable) {
      TANDEM_ASSIGN(uint32_t n, r_.len32());
      targets_.clear();
      targets_.reserve(std::min<size_t>(n, r_.remaining()));
      for (uint32_t i = 0; i < n; ++i) {
        TANDEM_ASSIGN(uint32_t t, r_.u32());
        targets_.push_back(t);
      }
      TANDEM_ASSIGN(uint32_t d, r_.u32());
      return T{targets_, d};
    } else if constexpr (k == Imm::CallIndirect || k == Imm::TableCopy || k == Imm::TableInit ||
                         k == Imm::MemoryInit || k == Imm::MemoryCopy || k == Imm::TypeField ||
                         k == Imm::TypeType || k == Imm::TypeData || k == Imm::TypeElem ||
                         k == Imm::TypeLen) {
      TANDEM_ASSIGN(uint32_t a, r_.u32());
      TANDEM_ASSIGN(uint32_t b, r_.u32());
      return T{a, b};
    } else if constexpr (k == Imm::MemArg) {
      return read_memarg();
    } else if constexpr (k == Imm::MemArgLane) {
      TANDEM_ASSIGN(MemArgImm m, read_memarg());
      TANDEM_ASSIGN(uint8_t lane, r_.u8());
      return T{m, lane};
    } else if constexpr (k == Imm::Lane) {
      TANDEM_ASSIGN(uint8_t lane, r_.u8());
      return T{lane};
    } else if constexpr (k == Imm::Shuffle || k == Imm::V128) {
      TANDEM_ASSIGN(const uint8_t* p, r_.bytes(16));
      T t;
      if constexpr (k == Imm::Shuffle)
        std::copy(p, p + 16, t.lanes.begin());
      else
        std::copy(p, p + 16, t.bytes.begin());
      return t;
    } else if constexpr (k == Imm::I32) {
      TANDEM_ASSIGN(int32_t v, r_.s32());
      return T{v};
    } else if constexpr (k == Imm::I64) {
      TANDEM_ASSIGN(int64_t v, r_.s64());
      return T{v};
    } else if constexpr (k == Imm::F32) {
      TANDEM_ASSIGN(uint32_t v, r_.fixed32());
      return T{v};
    } else if constexpr (k == Imm::F64) {
      TANDEM_ASSIGN(uint64_t v, r_.fixed64());
      return T{v};
    } else if constexpr (k == Imm::HeapType) {
      uint32_t off = r_.offset();
      TANDEM_ASSIGN(HeapType h, read_heap_type(r_, env_.features));
      TANDEM_TRY(check_type(ValType::ref(h, true), off));
      return T{h};
    } else if constexpr (k == Imm::SelectT) {
      TANDEM_ASSIGN(uint32_t n, r_.len32());
      types_.clear();
      for (uint32_t i = 0; i < n; ++i) {
        uint32_t off = r_.offset();
        TANDEM_ASSIGN(ValType t, read_val_type(r_, env_.features));
        TANDEM_TRY(check_type(t, off));
        types_.push_back(t);
      }
      return T{types_};
    } else if constexpr (k == Imm::TryTable) {
      TANDEM_ASSIGN(BlockType bt, read_block());
      TANDEM_ASSIGN(uint32_t n, r_.len32());
      catches_.clear();
      for (uint32_t i = 0; i < n; ++i) {
        uint32_t off = r_.offset();
        TANDEM_ASSIGN(uint8_t kind, r_.u8());
        if (kind > 3) return Error::malformed(off, "malformed catch clause");
        CatchClause c;
        c.kind = CatchKind(kind);
        if (kind < 2) {
          TANDEM_ASSIGN(c.tag, r_.u32());
        }
        TANDEM_ASSIGN(c.label, r_.u32());
        catches_.push_back(c);
      }
      return T{bt, catches_};
    } else if constexpr (k == Imm::BrOnCast) {
      uint32_t off = r_.offset();
      TANDEM_ASSIGN(uint8_t flags, r_.u8());
      if (flags & ~3u) return Error::malformed(off, "malformed br_on_cast flags");
      T t;
      TANDEM_ASSIGN(t.label, r_.u32());
      TANDEM_ASSIGN(HeapType h1, read_heap_type(r_, env_.features));
      TANDEM_ASSIGN(HeapType h2, read_heap_type(r_, env_.features));
      t.from = ValType::ref(h1, flags & 1);
      t.to = ValType::ref(h2, flags & 2);
      return t;
    } else {
      static_assert(k == Imm::None, "unhandled immediate kind");
      return T{};
    }
  }

  Result<BlockType> read_block() {
    uint32_t off = r_.offset();
    TANDEM_ASSIGN(BlockType bt, read_block_type(r_, env_.features));
    if constexpr (kChecks) {
      if (bt.kind == BlockType::Kind::Value) TANDEM_TRY(check_type(bt.value, off));
      if (bt.kind == BlockType::Kind::TypeIndex && !env_.features.has(Feature::multi_value))
        return unsupported(Feature::multi_value, off);
    }
    return bt;
  }

  Result<MemArgImm> read_memarg() {
    uint32_t off = r_.offset();
    TANDEM_ASSIGN(uint32_t flags, r_.u32());
    if (flags >= 0x80) return Error::malformed(off, "malformed memop flags");
    MemArgImm m;
    m.align_log2 = flags & 0x3f;
    if (flags & 0x40) {
      TANDEM_ASSIGN(m.memory, r_.u32());
    }
    TANDEM_ASSIGN(m.offset, r_.u64());
    return m;
  }

  Status check_type(ValType t, uint32_t off) {
    if constexpr (kChecks) {
      Feature f = valtype_feature(t);
      if (!env_.features.has(f)) return unsupported(f, off);
    }
    return {};
  }

  // ---- errors --------------------------------------------------------------

  static Error unsupported(Feature f, uint32_t off) {
    Error e = Error::make(ErrorKind::Unsupported,
                          "feature '" + std::string(feature_name(f)) + "' is not supported");
    e.offset = off;
    return e;
  }
  static Error end_expected(uint32_t off) {
    return Error::malformed(off, "END opcode expected");
  }
  static Error illegal(uint32_t off, uint8_t b, const uint32_t* code) {
    char buf[40];
    if (code && b != 0xfd)
      std::snprintf(buf, sizeof buf, "illegal opcode %02x %02x", b, *code);
    else
      std::snprintf(buf, sizeof buf, "illegal opcode %02x", code ? *code : b);
    return Error::malformed(off, buf);
  }

  Reader& r_;
  V& v_;
  const DecodeEnv& env_;
  std::vector<Frame> frames_;
  std::vector<uint32_t> targets_;
  std::vector<ValType> types_;
  std::vector<CatchClause> catches_;
};

// Decodes one instruction sequence (a function's code or a constant
// expression) starting at the reader's position.
template <DecodeChecks Checks = DecodeChecks::Full, FunctionVisitor V>
Status decode_instructions(Reader& reader, V& visitor, const DecodeEnv& env) {
  FunctionDecoder<V, Checks> decoder(reader, visitor, env);
  return decoder.decode();
}

// A visitor that accepts everything: decoding with it checks only syntax
// (used to find the end of constant expressions).
struct SkipVisitor {
  template <Op op> Status visit(const ImmFor<op>&, uint32_t) { return {}; }
};

} // namespace tandem
