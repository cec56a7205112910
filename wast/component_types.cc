// Component text encoder, types: defined value types (records, variants,
// lists incl. fixed-length, tuples, flags, enums, options, results, own,
// borrow, streams, futures, maps), function types, component and instance
// types with their declarators, resource types, type uses and extern
// descriptors, and core types (core definitions and rec groups through the
// core WAT encoder; core module types with their declarators).
//
// An inline value type `(list u8)` in a value-type position, and an inline
// type use `(func (param ...))`, define a fresh type in the current scope at
// once (the caller's entry is still pending), exactly where the wast crate's
// expansion puts it.
#include "base/leb128.h"
#include "wast/component_internal.h"
#include "wast/numbers.h"
#include "wast/strings.h"

namespace tandem::wast::comp {

namespace {

struct Primitive {
  std::string_view name;
  uint8_t code;
};
constexpr Primitive kPrimitives[] = {
    {"bool", 0x7F},    {"s8", 0x7E},   {"u8", 0x7D},      {"s16", 0x7C},
    {"u16", 0x7B},     {"s32", 0x7A},  {"u32", 0x79},     {"s64", 0x78},
    {"u64", 0x77},     {"f32", 0x76},  {"float32", 0x76}, {"f64", 0x75},
    {"float64", 0x75}, {"char", 0x74}, {"string", 0x73},  {"error-context", 0x64},
};

std::optional<uint8_t> primitive_code(const Token& t) {
  if (t.kind != TokKind::Keyword) return std::nullopt;
  for (const Primitive& p : kPrimitives)
    if (p.name == t.text) return p.code;
  return std::nullopt;
}

// `(type idx name*)` (a reference) rather than an inline definition.
bool at_type_ref(const wat::Cursor& c) {
  return c.at_open("type") && (c.at(TokKind::Nat, 2) || c.at(TokKind::Id, 2)) &&
         (c.at(TokKind::RParen, 3) || c.at(TokKind::String, 3));
}

} // namespace

// ---------------------------------------------------------------- value types

Status ComponentEncoder::parse_valtype(Pending& p) {
  const Token& t = c_.peek();
  if (at_index()) {
    TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::Type));
    p.ref(std::move(r), /*sleb=*/true);
    return {};
  }
  if (auto code = primitive_code(t)) {
    c_.next();
    p.byte(*code);
    return {};
  }
  if (!t.is(TokKind::LParen)) return unexpected(t);
  TANDEM_ASSIGN(uint32_t index, define_inline_valtype());
  write_sleb(p.bytes, int64_t(index));
  return {};
}

Result<uint32_t> ComponentEncoder::define_inline_valtype() {
  TANDEM_TRY(enter(c_.peek()));
  DepthGuard guard{*this};
  c_.next();
  const Token& kw = c_.next();
  Pending dp;
  TANDEM_TRY(parse_defvaltype_body(dp, kw));
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(dp)));
  emit(Entry::Type, bytes);
  return define(Sort::Type, nullptr);
}

// The body of `(kw ...)` for a defined value type; the cursor is after kw.
Status ComponentEncoder::parse_defvaltype_body(Pending& p, const Token& kw) {
  if (kw.kind != TokKind::Keyword) return unexpected(kw);
  std::string_view k = kw.text;
  if (k == "record") {
    p.byte(0x72);
    Pending fields;
    uint32_t n = 0;
    while (c_.at_open("field")) {
      c_.next();
      c_.next();
      TANDEM_ASSIGN(std::string label, token_name(c_.peek()));
      c_.next();
      fields.name(label);
      TANDEM_TRY(parse_valtype(fields));
      TANDEM_TRY(expect_rparen());
      ++n;
    }
    p.u32(n);
    p.append(std::move(fields));
    return {};
  }
  if (k == "variant") {
    p.byte(0x71);
    Pending cases;
    uint32_t n = 0;
    while (c_.at_open("case")) {
      c_.next();
      c_.next();
      if (c_.at(TokKind::Id)) c_.next();
      TANDEM_ASSIGN(std::string label, token_name(c_.peek()));
      c_.next();
      cases.name(label);
      if (c_.at(TokKind::RParen) || c_.at_open("refines")) {
        cases.byte(0x00);
      } else {
        cases.byte(0x01);
        TANDEM_TRY(parse_valtype(cases));
      }
      if (c_.at_open("refines"))
        return error_at(c_.peek(1), "variant case refinements are "
                                    "not supported");
      cases.byte(0x00);
      TANDEM_TRY(expect_rparen());
      ++n;
    }
    p.u32(n);
    p.append(std::move(cases));
    return {};
  }
  if (k == "list") {
    Pending elem;
    TANDEM_TRY(parse_valtype(elem));
    if (c_.at(TokKind::Nat)) {
      TANDEM_ASSIGN(uint64_t len, parse_uint(c_.peek(), 32));
      c_.next();
      p.byte(0x67);
      p.append(std::move(elem));
      p.u32(uint32_t(len));
    } else {
      p.byte(0x70);
      p.append(std::move(elem));
    }
    return {};
  }
  if (k == "tuple") {
    p.byte(0x6F);
    Pending elems;
    uint32_t n = 0;
    while (!c_.at(TokKind::RParen) && !c_.at_eof()) {
      TANDEM_TRY(parse_valtype(elems));
      ++n;
    }
    p.u32(n);
    p.append(std::move(elems));
    return {};
  }
  if (k == "flags" || k == "enum") {
    p.byte(k == "flags" ? 0x6E : 0x6D);
    std::vector<std::string> labels;
    while (c_.at(TokKind::String)) {
      TANDEM_ASSIGN(std::string label, token_name(c_.next()));
      labels.push_back(std::move(label));
    }
    p.u32(uint32_t(labels.size()));
    for (const std::string& l : labels) p.name(l);
    return {};
  }
  if (k == "option") {
    p.byte(0x6B);
    return parse_valtype(p);
  }
  if (k == "result") {
    p.byte(0x6A);
    if (!c_.at(TokKind::RParen) && !c_.at_open("error")) {
      p.byte(0x01);
      TANDEM_TRY(parse_valtype(p));
    } else {
      p.byte(0x00);
    }
    if (c_.at_open("error")) {
      c_.next();
      c_.next();
      p.byte(0x01);
      TANDEM_TRY(parse_valtype(p));
      TANDEM_TRY(expect_rparen());
    } else {
      p.byte(0x00);
    }
    return {};
  }
  if (k == "own" || k == "borrow") {
    p.byte(k == "own" ? 0x69 : 0x68);
    TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::Type));
    p.ref(std::move(r));
    return {};
  }
  if (k == "stream" || k == "future") {
    p.byte(k == "stream" ? 0x66 : 0x65);
    if (c_.at(TokKind::RParen)) {
      p.byte(0x00);
      return {};
    }
    p.byte(0x01);
    return parse_valtype(p);
  }
  if (k == "map") {
    p.byte(0x63);
    TANDEM_TRY(parse_valtype(p));
    return parse_valtype(p);
  }
  return unexpected(kw);
}

// ---------------------------------------------------------------- type definitions

// `async? (param "l" t)* (result t)?`, up to (not including) what follows.
Status ComponentEncoder::parse_functype_body(Pending& p) {
  bool async = false;
  if (c_.at_keyword("async")) {
    c_.next();
    async = true;
  }
  p.byte(async ? 0x43 : 0x40);
  Pending params;
  uint32_t n = 0;
  while (c_.at_open("param")) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(std::string label, token_name(c_.peek()));
    c_.next();
    params.name(label);
    TANDEM_TRY(parse_valtype(params));
    TANDEM_TRY(expect_rparen());
    ++n;
  }
  p.u32(n);
  p.append(std::move(params));
  if (c_.at_open("result")) {
    c_.next();
    c_.next();
    if (c_.at(TokKind::String)) return unexpected(c_.peek()); // named results are gone
    p.byte(0x00);
    TANDEM_TRY(parse_valtype(p));
    TANDEM_TRY(expect_rparen());
    if (c_.at_open("result")) return unexpected(c_.peek(1));
  } else {
    p.byte(0x01);
    p.byte(0x00);
  }
  return {};
}

// The declarators of a component or instance type, up to the closing `)`.
Status ComponentEncoder::parse_component_type_body(Pending& p, bool instance, const Token* id) {
  TANDEM_TRY(enter(c_.peek()));
  DepthGuard guard{*this};
  push_scope(instance ? ScopeKind::InstanceType : ScopeKind::ComponentType, id);
  Status st = parse_decls(!instance);
  std::unique_ptr<Scope> s = pop_scope();
  TANDEM_TRY(st);
  p.byte(instance ? 0x42 : 0x41);
  p.u32(s->decl_count);
  p.bytes.insert(p.bytes.end(), s->decls.begin(), s->decls.end());
  return {};
}

Status ComponentEncoder::parse_decls(bool component_type) {
  while (c_.at(TokKind::LParen)) {
    const Token& k = c_.peek(1);
    if (k.is_keyword("core") && (c_.at_keyword("type", 2) || c_.at_keyword("rec", 2))) {
      TANDEM_TRY(parse_core_type_field());
    } else if (k.is_keyword("type")) {
      TANDEM_TRY(parse_type_field());
    } else if (k.is_keyword("alias")) {
      TANDEM_TRY(parse_alias(false));
    } else if (k.is_keyword("import") && component_type) {
      TANDEM_TRY(parse_import(Entry::Import));
    } else if (k.is_keyword("export")) {
      TANDEM_TRY(parse_import(Entry::Export));
    } else {
      return unexpected(k.is_keyword("core") ? c_.peek(2) : k);
    }
  }
  return {};
}

Status ComponentEncoder::parse_resource_body(Pending& p) {
  p.byte(0x3F);
  TANDEM_TRY(open("rep"));
  TANDEM_ASSIGN(uint8_t rep, parse_core_valtype_byte());
  p.byte(rep);
  TANDEM_TRY(expect_rparen());
  if (c_.at_open("dtor")) {
    c_.next();
    c_.next();
    p.byte(0x01);
    TANDEM_ASSIGN(ItemRef r, parse_index_or_core_ref(Sort::CoreFunc));
    p.ref(std::move(r));
    TANDEM_TRY(expect_rparen());
  } else {
    p.byte(0x00);
  }
  return {};
}

Result<uint8_t> ComponentEncoder::parse_core_valtype_byte() {
  const Token& t = c_.peek();
  uint8_t b = 0;
  if (t.is_keyword("i32"))
    b = 0x7F;
  else if (t.is_keyword("i64"))
    b = 0x7E;
  else if (t.is_keyword("f32"))
    b = 0x7D;
  else if (t.is_keyword("f64"))
    b = 0x7C;
  else
    return unexpected(t);
  c_.next();
  return b;
}

// A deftype: a primitive keyword or `(func|component|instance|resource|defvaltype ...)`.
Status ComponentEncoder::parse_deftype(Pending& p, const Token* id) {
  const Token& t = c_.peek();
  if (auto code = primitive_code(t)) {
    c_.next();
    p.byte(*code);
    return {};
  }
  if (!t.is(TokKind::LParen)) return unexpected(t);
  TANDEM_TRY(enter(t));
  DepthGuard guard{*this};
  c_.next();
  const Token& kw = c_.next();
  if (kw.is_keyword("func"))
    TANDEM_TRY(parse_functype_body(p));
  else if (kw.is_keyword("component"))
    TANDEM_TRY(parse_component_type_body(p, false, id));
  else if (kw.is_keyword("instance"))
    TANDEM_TRY(parse_component_type_body(p, true, id));
  else if (kw.is_keyword("resource"))
    TANDEM_TRY(parse_resource_body(p));
  else
    TANDEM_TRY(parse_defvaltype_body(p, kw));
  return expect_rparen();
}

// `(type $id? (export "n")* deftype)`.
Status ComponentEncoder::parse_type_field() {
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  std::vector<std::string> exports;
  TANDEM_TRY(parse_inline_exports(exports));
  Pending p;
  TANDEM_TRY(parse_deftype(p, id));
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(Entry::Type, bytes);
  TANDEM_ASSIGN(uint32_t index, define(Sort::Type, id));
  return add_appended(exports, Sort::Type, index);
}

// ---------------------------------------------------------------- uses and descriptors

Status ComponentEncoder::parse_type_use(Pending& p, UseKind kind) {
  if (at_type_ref(c_)) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::Type));
    while (c_.at(TokKind::String)) {
      TANDEM_ASSIGN(std::string n, token_name(c_.next()));
      r.names.push_back(std::move(n));
    }
    TANDEM_TRY(expect_rparen());
    p.ref(std::move(r));
    return {};
  }
  Pending tp;
  switch (kind) {
  case UseKind::Func: TANDEM_TRY(parse_functype_body(tp)); break;
  case UseKind::Component: TANDEM_TRY(parse_component_type_body(tp, false, nullptr)); break;
  case UseKind::Instance: TANDEM_TRY(parse_component_type_body(tp, true, nullptr)); break;
  }
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(tp)));
  emit(Entry::Type, bytes);
  TANDEM_ASSIGN(uint32_t index, define(Sort::Type, nullptr));
  p.u32(index);
  return {};
}

Status ComponentEncoder::parse_type_bound(Pending& p) {
  if (c_.at_open("eq")) {
    c_.next();
    c_.next();
    p.byte(0x00);
    TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::Type));
    p.ref(std::move(r));
    return expect_rparen();
  }
  if (c_.at_open("sub")) {
    c_.next();
    c_.next();
    TANDEM_TRY(expect_keyword("resource"));
    p.byte(0x01);
    return expect_rparen();
  }
  return unexpected(c_.at(TokKind::LParen) ? c_.peek(1) : c_.peek());
}

// An extern descriptor `(sort $id? ...)`: writes the externtype.
Status ComponentEncoder::parse_item_sig(Pending& p, Sort& sort, const Token** id, bool allow_id) {
  TANDEM_TRY(expect(TokKind::LParen));
  const Token& kw = c_.peek();
  if (kw.is_keyword("core")) {
    c_.next();
    TANDEM_TRY(expect_keyword("module"));
    sort = Sort::CoreModule;
  } else if (kw.is_keyword("func")) {
    sort = Sort::Func;
  } else if (kw.is_keyword("component")) {
    sort = Sort::Component;
  } else if (kw.is_keyword("instance")) {
    sort = Sort::Instance;
  } else if (kw.is_keyword("value")) {
    sort = Sort::Value;
  } else if (kw.is_keyword("type")) {
    sort = Sort::Type;
  } else {
    return unexpected(kw);
  }
  if (sort != Sort::CoreModule) c_.next();
  if (c_.at(TokKind::Id)) {
    if (!allow_id) return unexpected(c_.peek());
    *id = &c_.next();
  }
  switch (sort) {
  case Sort::CoreModule:
    p.sort(Sort::CoreModule);
    if (c_.at_open("type") && (c_.at(TokKind::Nat, 2) || c_.at(TokKind::Id, 2)) &&
        c_.at(TokKind::RParen, 3)) {
      c_.next();
      c_.next();
      TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::CoreType));
      TANDEM_TRY(expect_rparen());
      p.ref(std::move(r));
    } else {
      Pending mt;
      TANDEM_TRY(parse_module_type_body(mt, nullptr));
      TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(mt)));
      emit(Entry::CoreType, bytes);
      TANDEM_ASSIGN(uint32_t index, define(Sort::CoreType, nullptr));
      p.u32(index);
    }
    break;
  case Sort::Func:
    p.byte(0x01);
    TANDEM_TRY(parse_type_use(p, UseKind::Func));
    break;
  case Sort::Component:
    p.byte(0x04);
    TANDEM_TRY(parse_type_use(p, UseKind::Component));
    break;
  case Sort::Instance:
    p.byte(0x05);
    TANDEM_TRY(parse_type_use(p, UseKind::Instance));
    break;
  case Sort::Value:
    p.byte(0x02);
    if (c_.at_open("eq")) {
      c_.next();
      c_.next();
      p.byte(0x00);
      TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::Value));
      p.ref(std::move(r));
      TANDEM_TRY(expect_rparen());
    } else if (at_type_ref(c_)) {
      c_.next();
      c_.next();
      p.byte(0x01);
      TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::Type));
      p.ref(std::move(r), /*sleb=*/true);
      TANDEM_TRY(expect_rparen());
    } else {
      p.byte(0x01);
      TANDEM_TRY(parse_valtype(p));
    }
    break;
  default: // Type
    p.byte(0x03);
    TANDEM_TRY(parse_type_bound(p));
    break;
  }
  return expect_rparen();
}

// ---------------------------------------------------------------- core types

Status ComponentEncoder::parse_core_typedef_tokens(size_t form_begin, bool core_prefix, bool rec,
                                                   std::vector<uint8_t>& out) {
  size_t end = form_end(toks_, form_begin);
  if (end <= form_begin + 1 || !toks_[end - 1].is(TokKind::RParen)) return unexpected(toks_.back());
  // `(` + the form without `core` + Eof, for the core encoder.
  std::vector<Token> copy;
  copy.reserve(end - form_begin + 1);
  copy.push_back(toks_[form_begin]);
  for (size_t k = form_begin + (core_prefix ? 2 : 1); k < end; ++k) copy.push_back(toks_[k]);
  Token eof = toks_[end - 1];
  eof.kind = TokKind::Eof;
  eof.text = {};
  copy.push_back(eof);
  wat::ModuleEncoder enc(copy);
  wat::NameSpace& ns = enc.spaces_[size_t(wat::Space::Type)];
  ns.names = cur().names[size_t(Sort::CoreType)];
  ns.count = cur().counts[size_t(Sort::CoreType)];
  if (rec)
    TANDEM_TRY(enc.parse_rec_field());
  else
    TANDEM_TRY(enc.parse_type_field(false, 0, 1));
  if (!enc.c_.at_eof()) return unexpected(enc.c_.peek());
  if (rec) {
    out.push_back(0x4E);
    write_uleb(out, enc.types_.size());
    for (const wat::TTypeDef& t : enc.types_) enc.write_typedef(out, t);
  } else {
    const wat::TTypeDef& t = enc.types_.front();
    // A non-final `sub` (0x50) would read as a module type here: prefix 0x00.
    if (t.has_sub && !t.final) out.push_back(0x00);
    enc.write_typedef(out, t);
  }
  c_.seek(end);
  return {};
}

// `(core type $id? deftype)`, `(core type $id? (module decl*))` or `(core rec ...)`.
Status ComponentEncoder::parse_core_type_field() {
  size_t begin = c_.pos();
  if (c_.at_keyword("rec", 2)) {
    size_t end = form_end(toks_, begin);
    // Name the members first: they may refer to each other.
    for (size_t k = begin + 3; k + 1 < end;) {
      if (!toks_[k].is(TokKind::LParen) || !toks_[k + 1].is_keyword("type"))
        return unexpected(toks_[k].is(TokKind::LParen) ? toks_[k + 1] : toks_[k]);
      const Token* id = toks_[k + 2].is(TokKind::Id) ? &toks_[k + 2] : nullptr;
      TANDEM_TRY(define(Sort::CoreType, id));
      k = form_end(toks_, k);
    }
    std::vector<uint8_t> out;
    TANDEM_TRY(parse_core_typedef_tokens(begin, true, true, out));
    emit(Entry::CoreType, out);
    return {};
  }
  c_.next();
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  if (c_.at_open("module")) {
    c_.next();
    c_.next();
    Pending p;
    TANDEM_TRY(parse_module_type_body(p, id));
    TANDEM_TRY(expect_rparen());
    TANDEM_TRY(expect_rparen());
    TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
    emit(Entry::CoreType, bytes);
    TANDEM_TRY(define(Sort::CoreType, id));
    return {};
  }
  TANDEM_TRY(define(Sort::CoreType, id));
  std::vector<uint8_t> out;
  TANDEM_TRY(parse_core_typedef_tokens(begin, true, false, out));
  emit(Entry::CoreType, out);
  return {};
}

// The declarators of a core module type, up to the closing `)`.
Status ComponentEncoder::parse_module_type_body(Pending& p, const Token* id) {
  TANDEM_TRY(enter(c_.peek()));
  DepthGuard guard{*this};
  push_scope(ScopeKind::ModuleType, id);
  Status st;
  while (st.ok() && c_.at(TokKind::LParen)) st = parse_module_decl();
  std::unique_ptr<Scope> s = pop_scope();
  TANDEM_TRY(st);
  p.byte(0x50);
  p.u32(s->decl_count);
  p.bytes.insert(p.bytes.end(), s->decls.begin(), s->decls.end());
  return {};
}

Status ComponentEncoder::parse_module_decl() {
  size_t begin = c_.pos();
  const Token& k = c_.peek(1);
  if (k.is_keyword("type")) {
    const Token* id = c_.at(TokKind::Id, 2) ? &c_.peek(2) : nullptr;
    TANDEM_ASSIGN(uint32_t index, define(Sort::CoreType, id));
    std::vector<uint8_t> out;
    TANDEM_TRY(parse_core_typedef_tokens(begin, false, false, out));
    if (!out.empty() && out[0] == 0x60) cur().func_types.insert_or_assign(out, index);
    emit(Entry::CoreType, out);
    return {};
  }
  if (k.is_keyword("rec")) {
    size_t end = form_end(toks_, begin);
    for (size_t j = begin + 2; j + 1 < end;) {
      if (!toks_[j].is(TokKind::LParen) || !toks_[j + 1].is_keyword("type"))
        return unexpected(toks_[j].is(TokKind::LParen) ? toks_[j + 1] : toks_[j]);
      const Token* id = toks_[j + 2].is(TokKind::Id) ? &toks_[j + 2] : nullptr;
      TANDEM_TRY(define(Sort::CoreType, id));
      j = form_end(toks_, j);
    }
    std::vector<uint8_t> out;
    TANDEM_TRY(parse_core_typedef_tokens(begin, false, true, out));
    emit(Entry::CoreType, out);
    return {};
  }
  if (k.is_keyword("alias")) return parse_alias(false);
  if (k.is_keyword("import") || k.is_keyword("export")) {
    bool import = k.is_keyword("import");
    c_.next();
    c_.next();
    std::vector<uint8_t> out;
    TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
    c_.next();
    wat::write_name(out, name);
    if (import) {
      TANDEM_ASSIGN(std::string field, token_name(c_.peek()));
      c_.next();
      wat::write_name(out, field);
    }
    TANDEM_TRY(parse_core_externtype(out));
    TANDEM_TRY(expect_rparen());
    emit(import ? Entry::Import : Entry::Export, out);
    return {};
  }
  return unexpected(k);
}

// A core extern type `(func|table|memory|global|tag $id? ...)`.
Status ComponentEncoder::parse_core_externtype(std::vector<uint8_t>& out) {
  TANDEM_TRY(expect(TokKind::LParen));
  const Token& kw = c_.next();
  if (c_.at(TokKind::Id)) c_.next();
  if (kw.is_keyword("func") || kw.is_keyword("tag")) {
    if (kw.is_keyword("tag")) {
      out.push_back(0x04);
      out.push_back(0x00);
    } else {
      out.push_back(0x00);
    }
    TANDEM_ASSIGN(uint32_t index, parse_core_typeuse_in_module());
    write_uleb(out, index);
    return expect_rparen();
  }
  // Tables, memories and globals: the core encoder's own syntax.
  wat::NameSpace& ns = core_.spaces_[size_t(wat::Space::Type)];
  ns.names = cur().names[size_t(Sort::CoreType)];
  ns.count = cur().counts[size_t(Sort::CoreType)];
  core_.c_.seek(c_.pos());
  bool is64 = false;
  if (core_.c_.at_keyword("i64") || core_.c_.at_keyword("i32")) {
    is64 = core_.c_.at_keyword("i64");
    if (!kw.is_keyword("global")) core_.c_.next();
  }
  if (kw.is_keyword("table")) {
    out.push_back(0x01);
    Limits lim;
    TANDEM_TRY(core_.parse_limits(lim, is64, false, false));
    TANDEM_ASSIGN(wat::TVal rt, core_.parse_reftype());
    core_.write_valtype(out, rt);
    core_.write_limits(out, lim);
  } else if (kw.is_keyword("memory")) {
    out.push_back(0x02);
    Limits lim;
    TANDEM_TRY(core_.parse_limits(lim, is64, true, true));
    core_.write_limits(out, lim);
  } else if (kw.is_keyword("global")) {
    out.push_back(0x03);
    bool mut = false;
    if (core_.c_.at_open("mut")) {
      core_.c_.next();
      core_.c_.next();
      mut = true;
    }
    TANDEM_ASSIGN(wat::TVal v, core_.parse_valtype());
    if (mut) TANDEM_TRY(core_.c_.expect_rparen());
    core_.write_valtype(out, v);
    out.push_back(mut ? 0x01 : 0x00);
  } else {
    return unexpected(kw);
  }
  c_.seek(core_.c_.pos());
  return expect_rparen();
}

// A core type use in a module type: `(type x)? (param ...)* (result ...)*`;
// an inline signature reuses an explicit identical func type declared
// earlier in the module type, else defines a new one just before.
Result<uint32_t> ComponentEncoder::parse_core_typeuse_in_module() {
  wat::NameSpace& ns = core_.spaces_[size_t(wat::Space::Type)];
  ns.names = cur().names[size_t(Sort::CoreType)];
  ns.count = cur().counts[size_t(Sort::CoreType)];
  core_.c_.seek(c_.pos());
  TANDEM_ASSIGN(wat::TypeUse use, core_.parse_typeuse(true));
  c_.seek(core_.c_.pos());
  if (use.index) return *use.index;
  std::vector<uint8_t> key;
  key.push_back(0x60);
  write_uleb(key, use.inline_type.params.size());
  for (const wat::TVal& v : use.inline_type.params) core_.write_valtype(key, v);
  write_uleb(key, use.inline_type.results.size());
  for (const wat::TVal& v : use.inline_type.results) core_.write_valtype(key, v);
  auto it = cur().func_types.find(key);
  if (it != cur().func_types.end()) return it->second;
  emit(Entry::CoreType, key);
  return define(Sort::CoreType, nullptr);
}

} // namespace tandem::wast::comp
