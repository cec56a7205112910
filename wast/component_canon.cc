// Component text encoder, canonical definitions: `canon lift`, `canon lower`
// with their options, and every canonical built-in of Binary.md (resources,
// tasks, subtasks, streams, futures, error contexts, waitables, threads).
// The built-ins are one table: name, opcode and a little argument signature
// that drives both parsing and encoding.
#include "base/leb128.h"
#include "wast/component_internal.h"
#include "wast/numbers.h"
#include "wast/strings.h"

namespace tandem::wast::comp {

namespace {

// Argument letters, in order of appearance after the built-in's name:
//   T  component type index            A  `async`?        -> 0x00 / 0x01
//   R  `(result valtype)`? (resultlist) C  `cancellable`?  -> 0x00 / 0x01
//   O  canonical options (vec)          S  `shared`?       -> 0x00 / 0x01
//   V  core value type (i32, i64)       N  u32 literal
//   M  `(memory m)`                     Y  core type index
//   B  core table index
struct Builtin {
  std::string_view name;
  uint8_t code;
  std::string_view args;
};

constexpr Builtin kBuiltins[] = {
    {"resource.new", 0x02, "T"},
    {"resource.drop", 0x03, "T"},
    {"resource.rep", 0x04, "T"},
    {"task.cancel", 0x05, ""},
    {"subtask.cancel", 0x06, "A"},
    {"task.return", 0x09, "RO"},
    {"context.get", 0x0A, "VN"},
    {"context.set", 0x0B, "VN"},
    {"thread.yield", 0x0C, "C"},
    {"subtask.drop", 0x0D, ""},
    {"stream.new", 0x0E, "T"},
    {"stream.read", 0x0F, "TO"},
    {"stream.write", 0x10, "TO"},
    {"stream.cancel-read", 0x11, "TA"},
    {"stream.cancel-write", 0x12, "TA"},
    {"stream.drop-readable", 0x13, "T"},
    {"stream.drop-writable", 0x14, "T"},
    {"future.new", 0x15, "T"},
    {"future.read", 0x16, "TO"},
    {"future.write", 0x17, "TO"},
    {"future.cancel-read", 0x18, "TA"},
    {"future.cancel-write", 0x19, "TA"},
    {"future.drop-readable", 0x1A, "T"},
    {"future.drop-writable", 0x1B, "T"},
    {"error-context.new", 0x1C, "O"},
    {"error-context.debug-message", 0x1D, "O"},
    {"error-context.drop", 0x1E, ""},
    {"waitable-set.new", 0x1F, ""},
    {"waitable-set.wait", 0x20, "CM"},
    {"waitable-set.poll", 0x21, "CM"},
    {"waitable-set.drop", 0x22, ""},
    {"waitable.join", 0x23, ""},
    {"backpressure.inc", 0x24, ""},
    {"backpressure.dec", 0x25, ""},
    {"thread.index", 0x26, ""},
    {"thread.new-indirect", 0x27, "YB"},
    {"thread.resume-later", 0x28, ""},
    {"thread.suspend", 0x29, "C"},
    {"thread.suspend-then-resume", 0x2A, "C"},
    {"thread.yield-then-resume", 0x2B, "C"},
    {"thread.suspend-then-promote", 0x2C, "C"},
    {"thread.yield-then-promote", 0x2D, "C"},
    {"thread.spawn-ref", 0x40, "SY"},
    {"thread.spawn-indirect", 0x41, "SYB"},
    {"thread.available-parallelism", 0x42, "S"},
};

const Builtin* find_builtin(std::string_view name) {
  for (const Builtin& b : kBuiltins)
    if (b.name == name) return &b;
  return nullptr;
}

} // namespace

// `(memory m)` where m is `idx`, legacy `idx "export"`, or `(core memory idx "export"?)`.
static Result<ItemRef> parse_memory_use(ComponentEncoder& e) {
  wat::Cursor& c = e.c_;
  TANDEM_TRY(e.open("memory"));
  ItemRef r;
  if (e.at_index()) {
    TANDEM_ASSIGN(r, e.parse_index_ref(Sort::CoreMemory));
    if (c.at(TokKind::String)) {
      TANDEM_ASSIGN(std::string n, token_name(c.next()));
      r.names.push_back(std::move(n));
    }
  } else {
    TANDEM_ASSIGN(r, e.parse_core_item_ref(Sort::CoreMemory));
  }
  TANDEM_TRY(e.expect_rparen());
  return r;
}

// A core function use after an option keyword: `idx`, `(core func idx "n"?)`
// or the legacy `(func idx "n"?)`.
static Result<ItemRef> parse_core_func_use(ComponentEncoder& e) {
  return e.parse_index_or_core_ref(Sort::CoreFunc);
}

Status ComponentEncoder::parse_canon_opts(Pending& p) {
  Pending opts;
  uint32_t n = 0;
  for (;;) {
    const Token& t = c_.peek();
    if (t.is_keyword("string-encoding=utf8")) {
      c_.next();
      opts.byte(0x00);
    } else if (t.is_keyword("string-encoding=utf16")) {
      c_.next();
      opts.byte(0x01);
    } else if (t.is_keyword("string-encoding=latin1+utf16")) {
      c_.next();
      opts.byte(0x02);
    } else if (t.is_keyword("async")) {
      c_.next();
      opts.byte(0x06);
    } else if (t.is_keyword("gc")) {
      c_.next();
      opts.byte(0x09);
    } else if (c_.at_open("memory")) {
      opts.byte(0x03);
      TANDEM_ASSIGN(ItemRef r, parse_memory_use(*this));
      opts.ref(std::move(r));
    } else if (c_.at_open("realloc") || c_.at_open("post-return") || c_.at_open("callback")) {
      const Token& kw = c_.peek(1);
      opts.byte(kw.is_keyword("realloc") ? 0x04 : kw.is_keyword("post-return") ? 0x05 : 0x07);
      c_.next();
      c_.next();
      TANDEM_ASSIGN(ItemRef r, parse_core_func_use(*this));
      opts.ref(std::move(r));
      TANDEM_TRY(expect_rparen());
    } else if (c_.at_open("core-type")) {
      c_.next();
      c_.next();
      opts.byte(0x08);
      TANDEM_ASSIGN(ItemRef r, parse_index_or_core_ref(Sort::CoreType));
      opts.ref(std::move(r));
      TANDEM_TRY(expect_rparen());
    } else {
      break;
    }
    ++n;
  }
  p.u32(n);
  p.append(std::move(opts));
  return {};
}

// After `lift`: `(core func ...) opts*` (the type comes later).
Status ComponentEncoder::parse_canon_lift(Pending& p) {
  TANDEM_ASSIGN(ItemRef f, parse_core_item_ref(Sort::CoreFunc));
  p.ref(std::move(f));
  return parse_canon_opts(p);
}

// After `lower`: `(func idx name*) opts*`.
Status ComponentEncoder::parse_canon_lower(Pending& p) {
  TANDEM_ASSIGN(ItemRef f, parse_item_ref(Sort::Func));
  p.ref(std::move(f));
  return parse_canon_opts(p);
}

// A built-in at its name keyword, with its arguments.
Status ComponentEncoder::parse_canon_builtin(Pending& p, const Token& name) {
  const Builtin* b = name.kind == TokKind::Keyword ? find_builtin(name.text) : nullptr;
  if (!b) return unexpected(name);
  c_.next();
  p.byte(b->code);
  for (char a : b->args) {
    switch (a) {
    case 'T': {
      ItemRef r;
      if (at_type_ref_form()) {
        c_.next();
        c_.next();
        TANDEM_ASSIGN(r, parse_index_ref(Sort::Type));
        while (c_.at(TokKind::String)) {
          TANDEM_ASSIGN(std::string n, token_name(c_.next()));
          r.names.push_back(std::move(n));
        }
        TANDEM_TRY(expect_rparen());
      } else {
        TANDEM_ASSIGN(r, parse_index_ref(Sort::Type));
      }
      p.ref(std::move(r));
      break;
    }
    case 'A':
    case 'C':
    case 'S': {
      std::string_view kw = a == 'A' ? "async" : a == 'C' ? "cancellable" : "shared";
      bool on = c_.at_keyword(kw);
      if (on) c_.next();
      p.byte(on ? 0x01 : 0x00);
      break;
    }
    case 'R':
      if (c_.at_open("result")) {
        c_.next();
        c_.next();
        p.byte(0x00);
        TANDEM_TRY(parse_valtype(p));
        TANDEM_TRY(expect_rparen());
      } else {
        p.byte(0x01);
        p.byte(0x00);
      }
      break;
    case 'O': TANDEM_TRY(parse_canon_opts(p)); break;
    case 'V': {
      TANDEM_ASSIGN(uint8_t v, parse_core_valtype_byte());
      p.byte(v);
      break;
    }
    case 'N': {
      const Token& t = c_.peek();
      if (!t.is(TokKind::Nat)) return unexpected(t);
      TANDEM_ASSIGN(uint64_t v, parse_uint(t, 32));
      c_.next();
      p.u32(uint32_t(v));
      break;
    }
    case 'M': {
      TANDEM_ASSIGN(ItemRef r, parse_memory_use(*this));
      p.ref(std::move(r));
      break;
    }
    case 'Y': {
      ItemRef r;
      if (c_.at_open("type")) { // `(type idx)` in core context
        c_.next();
        c_.next();
        TANDEM_ASSIGN(r, parse_index_ref(Sort::CoreType));
        TANDEM_TRY(expect_rparen());
      } else {
        TANDEM_ASSIGN(r, parse_index_or_core_ref(Sort::CoreType));
      }
      p.ref(std::move(r));
      break;
    }
    case 'B': {
      TANDEM_ASSIGN(ItemRef r, parse_index_or_core_ref(Sort::CoreTable));
      p.ref(std::move(r));
      break;
    }
    default: return error_at(name, "internal: bad built-in signature");
    }
  }
  return {};
}

// The trailing `(core func $id?)` of a `canon` field.
Status ComponentEncoder::parse_trailing_core_func(const Token** id) {
  TANDEM_TRY(expect(TokKind::LParen));
  TANDEM_TRY(expect_keyword("core"));
  TANDEM_TRY(expect_keyword("func"));
  *id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  return expect_rparen();
}

// `(canon lift (core func ...) opt* (func $id? typeuse))`,
// `(canon lower (func ...) opt* (core func $id?))`, `(canon builtin ... (core func $id?))`.
Status ComponentEncoder::parse_canon() {
  c_.next();
  c_.next();
  const Token& kw = c_.peek();
  Pending p;
  const Token* id = nullptr;
  if (kw.is_keyword("lift")) {
    c_.next();
    p.byte(0x00);
    p.byte(0x00);
    TANDEM_TRY(parse_canon_lift(p));
    TANDEM_TRY(open("func"));
    id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
    TANDEM_TRY(parse_type_use(p, UseKind::Func));
    TANDEM_TRY(expect_rparen());
    TANDEM_TRY(expect_rparen());
    TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
    emit(Entry::Canon, bytes);
    TANDEM_TRY(define(Sort::Func, id));
    return {};
  }
  if (kw.is_keyword("lower")) {
    c_.next();
    p.byte(0x01);
    p.byte(0x00);
    TANDEM_TRY(parse_canon_lower(p));
  } else {
    TANDEM_TRY(parse_canon_builtin(p, kw));
  }
  TANDEM_TRY(parse_trailing_core_func(&id));
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(Entry::Canon, bytes);
  TANDEM_TRY(define(Sort::CoreFunc, id));
  return {};
}

} // namespace tandem::wast::comp
