// Component text encoder, component level: the public entry points (whole
// forms, binary and quote forms, annotation filtering), scopes and name
// resolution (including implicit inline-export and outer aliases), section
// output, and every component field except types and canonical functions
// (component_types.cc, component_canon.cc).
#include "wast/component_encoder.h"

#include "base/leb128.h"
#include "wast/component_internal.h"
#include "wast/numbers.h"
#include "wast/strings.h"
#include "wast/wat_module.h"

namespace tandem::wast::comp {

// ---------------------------------------------------------------- basics

void write_sort(std::vector<uint8_t>& out, Sort s) {
  out.push_back(sort_info(s).sort);
  if (is_core_sort(s)) out.push_back(sort_info(s).core);
}

void Pending::u32(uint32_t v) {
  write_uleb(bytes, v);
}

void Pending::name(std::string_view s) {
  wat::write_name(bytes, s);
}

void Pending::append(Pending&& p) {
  size_t base = bytes.size();
  for (Slot& s : p.slots) {
    s.offset += base;
    slots.push_back(std::move(s));
  }
  bytes.insert(bytes.end(), p.bytes.begin(), p.bytes.end());
}

Error unexpected(const Token& t) {
  if (t.kind == TokKind::Eof) return error_at(t, "unexpected end of input");
  return error_at(t, "unexpected token");
}

Result<std::string> token_name(const Token& t) {
  if (!t.is(TokKind::String)) return unexpected(t);
  return decode_name(t);
}

size_t form_end(std::span<const Token> toks, size_t i) {
  int depth = 0;
  for (; i < toks.size(); ++i) {
    TokKind k = toks[i].kind;
    if (k == TokKind::LParen || k == TokKind::LParenAnnot) {
      ++depth;
    } else if (k == TokKind::RParen) {
      if (--depth == 0) return i + 1;
    } else if (k == TokKind::Eof) {
      break;
    }
  }
  return toks.size(); // unclosed: past the end, so toks[result - 1] is not a `)`
}

namespace {

bool is_outer_aliasable(Sort s) {
  return s == Sort::CoreModule || s == Sort::CoreType || s == Sort::Type || s == Sort::Component;
}

} // namespace

Status ComponentEncoder::enter(const Token& at) {
  if (++depth_ > kMaxComponentNesting) return error_at(at, "nesting too deep");
  return {};
}

// ---------------------------------------------------------------- scopes and names

void ComponentEncoder::push_scope(ScopeKind kind, const Token* id) {
  auto s = std::make_unique<Scope>();
  s->kind = kind;
  if (id) {
    auto key = wat::id_key(*id);
    if (key.ok()) {
      s->has_id = true;
      s->id = std::move(key.value());
    }
  }
  stack_.push_back(std::move(s));
}

std::unique_ptr<Scope> ComponentEncoder::pop_scope() {
  std::unique_ptr<Scope> s = std::move(stack_.back());
  stack_.pop_back();
  return s;
}

Result<uint32_t> ComponentEncoder::define(Sort s, const Token* id) {
  Scope& sc = cur();
  uint32_t index = sc.counts[size_t(s)]++;
  if (id) {
    TANDEM_ASSIGN(std::string key, wat::id_key(*id));
    if (!sc.names[size_t(s)].emplace(std::move(key), index).second)
      return error_at(*id, std::string("duplicate ") + sort_info(s).name + " identifier");
  }
  return index;
}

Result<uint32_t> ComponentEncoder::resolve_ns(Sort s, const Token& tok) {
  if (tok.is(TokKind::Nat)) {
    TANDEM_ASSIGN(uint64_t v, parse_uint(tok, 32));
    return uint32_t(v);
  }
  if (!tok.is(TokKind::Id)) return unexpected(tok);
  TANDEM_ASSIGN(std::string key, wat::id_key(tok));
  // Module types resolve their core types locally only.
  size_t limit = cur().kind == ScopeKind::ModuleType ? 1 : stack_.size();
  for (size_t depth = 0; depth < limit; ++depth) {
    Scope& sc = *stack_[stack_.size() - 1 - depth];
    auto it = sc.names[size_t(s)].find(key);
    if (it == sc.names[size_t(s)].end()) continue;
    if (depth == 0) return it->second;
    // Found in an enclosing scope: alias it in, under the same name.
    if (!is_outer_aliasable(s))
      return error_at(tok, "outer item `" + key + "` is not a module, type, or component");
    std::vector<uint8_t> a;
    write_sort(a, s);
    a.push_back(0x02);
    write_uleb(a, depth);
    write_uleb(a, it->second);
    emit(Entry::Alias, a);
    return define(s, &tok);
  }
  return error_at(tok, std::string("unknown ") + sort_info(s).name + ": failed to find name `$" +
                           key + "`");
}

Result<uint32_t> ComponentEncoder::resolve_ref(const ItemRef& r) {
  if (r.fixed) return r.index;
  if (r.names.empty()) return resolve_ns(r.sort, *r.tok);
  if (is_core_sort(r.sort) && r.sort != Sort::CoreModule) {
    // A core instance export: `(func $i "name")`.
    if (r.sort == Sort::CoreType || r.sort == Sort::CoreInstance || r.names.size() != 1)
      return unexpected(*r.tok);
    TANDEM_ASSIGN(uint32_t inst, resolve_ns(Sort::CoreInstance, *r.tok));
    std::vector<uint8_t> a;
    write_sort(a, r.sort);
    a.push_back(0x01);
    write_uleb(a, inst);
    wat::write_name(a, r.names[0]);
    emit(Entry::Alias, a);
    return define(r.sort, nullptr);
  }
  // A component instance export path: `(func $i "a" "b")`.
  TANDEM_ASSIGN(uint32_t index, resolve_ns(Sort::Instance, *r.tok));
  for (size_t k = 0; k < r.names.size(); ++k) {
    Sort s = k + 1 == r.names.size() ? r.sort : Sort::Instance;
    std::vector<uint8_t> a;
    write_sort(a, s);
    a.push_back(0x00);
    write_uleb(a, index);
    wat::write_name(a, r.names[k]);
    emit(Entry::Alias, a);
    TANDEM_ASSIGN(index, define(s, nullptr));
  }
  return index;
}

Result<std::vector<uint8_t>> ComponentEncoder::finish(Pending&& p) {
  std::vector<uint8_t> out;
  out.reserve(p.bytes.size() + 4 * p.slots.size());
  size_t pos = 0;
  for (const Pending::Slot& s : p.slots) {
    out.insert(out.end(), p.bytes.begin() + long(pos), p.bytes.begin() + long(s.offset));
    TANDEM_ASSIGN(uint32_t index, resolve_ref(s.ref));
    if (s.sleb)
      write_sleb(out, int64_t(index));
    else
      write_uleb(out, index);
    pos = s.offset;
  }
  out.insert(out.end(), p.bytes.begin() + long(pos), p.bytes.end());
  return out;
}

// ---------------------------------------------------------------- output

void ComponentEncoder::flush_section(Scope& s) {
  if (s.open_section < 0) return;
  std::vector<uint8_t> body;
  write_uleb(body, s.open_count);
  body.insert(body.end(), s.open_body.begin(), s.open_body.end());
  s.sections.push_back(uint8_t(s.open_section));
  write_uleb(s.sections, body.size());
  s.sections.insert(s.sections.end(), body.begin(), body.end());
  s.open_section = -1;
  s.open_count = 0;
  s.open_body.clear();
}

void ComponentEncoder::emit_section(uint8_t id, const std::vector<uint8_t>& body) {
  Scope& s = cur();
  flush_section(s);
  s.sections.push_back(id);
  write_uleb(s.sections, body.size());
  s.sections.insert(s.sections.end(), body.begin(), body.end());
}

void ComponentEncoder::emit(Entry e, const std::vector<uint8_t>& bytes) {
  Scope& s = cur();
  uint8_t tag = 0;
  switch (s.kind) {
  case ScopeKind::Component: {
    uint8_t id = 0;
    switch (e) {
    case Entry::CoreInstance: id = kSecCoreInstance; break;
    case Entry::CoreType: id = kSecCoreType; break;
    case Entry::Instance: id = kSecInstance; break;
    case Entry::Alias: id = kSecAlias; break;
    case Entry::Type: id = kSecType; break;
    case Entry::Canon: id = kSecCanon; break;
    case Entry::Import: id = kSecImport; break;
    case Entry::Export: id = kSecExport; break;
    }
    if (s.open_section != id) {
      flush_section(s);
      s.open_section = id;
    }
    ++s.open_count;
    s.open_body.insert(s.open_body.end(), bytes.begin(), bytes.end());
    return;
  }
  case ScopeKind::ComponentType:
  case ScopeKind::InstanceType:
    switch (e) {
    case Entry::CoreType: tag = 0x00; break;
    case Entry::Type: tag = 0x01; break;
    case Entry::Alias: tag = 0x02; break;
    case Entry::Import: tag = 0x03; break;
    default: tag = 0x04; break; // Export
    }
    break;
  case ScopeKind::ModuleType:
    switch (e) {
    case Entry::Import: tag = 0x00; break;
    case Entry::CoreType: tag = 0x01; break;
    case Entry::Alias: tag = 0x02; break;
    default: tag = 0x03; break; // Export
    }
    break;
  }
  s.decls.push_back(tag);
  s.decls.insert(s.decls.end(), bytes.begin(), bytes.end());
  ++s.decl_count;
}

Result<std::vector<uint8_t>> ComponentEncoder::finish_component(Scope& s) {
  for (const Scope::Appended& a : s.appended) {
    std::vector<uint8_t> e;
    e.push_back(0x00);
    wat::write_name(e, a.name);
    write_sort(e, a.sort);
    write_uleb(e, a.index);
    e.push_back(0x00); // no type ascription
    emit(Entry::Export, e);
    TANDEM_TRY(define(a.sort, nullptr));
  }
  s.appended.clear();
  flush_section(s);
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};
  out.insert(out.end(), s.sections.begin(), s.sections.end());
  append_component_names(s, out);
  return out;
}

// The `component-name` custom section (wasm-tools layout: subsection 1 =
// sort names, one per sort): the $ids of component instances and core
// instances, which the runtime uses for instance paths ("/virtA") and the
// isolation audit for naming instances.
void ComponentEncoder::append_component_names(const Scope& s, std::vector<uint8_t>& out) {
  std::vector<uint8_t> body;
  wat::write_name(body, "component-name");
  bool any = false;
  for (Sort sort : {Sort::CoreInstance, Sort::Instance}) {
    const auto& names = s.names[size_t(sort)];
    if (names.empty()) continue;
    std::map<uint32_t, std::string_view> by_index;
    for (const auto& [name, index] : names) by_index.emplace(index, name);
    std::vector<uint8_t> sub;
    write_sort(sub, sort);
    write_uleb(sub, by_index.size());
    for (const auto& [index, name] : by_index) {
      write_uleb(sub, index);
      wat::write_name(sub, name);
    }
    body.push_back(0x01);
    write_uleb(body, sub.size());
    body.insert(body.end(), sub.begin(), sub.end());
    any = true;
  }
  if (!any) return;
  out.push_back(kSecCustom);
  write_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

Result<std::vector<uint8_t>> ComponentEncoder::run(std::optional<std::string> id, bool wrapped) {
  auto s = std::make_unique<Scope>();
  if (id) {
    s->has_id = true;
    s->id = *id;
  }
  stack_.push_back(std::move(s));
  TANDEM_TRY(parse_component_fields());
  if (wrapped) TANDEM_TRY(expect_rparen());
  if (!c_.at_eof()) return unexpected(c_.peek());
  return finish_component(cur());
}

// ---------------------------------------------------------------- references

Result<ItemRef> ComponentEncoder::parse_index_ref(Sort s) {
  if (!at_index()) return unexpected(c_.peek());
  ItemRef r;
  r.sort = s;
  r.tok = &c_.next();
  return r;
}

namespace {

// The sort named by the keyword(s) at the cursor, in component context
// (`func` is a component func, core sorts need `core`), or in core context
// (`func` is a core func, `core` optional). Consumes the keywords.
std::optional<Sort> take_sort(wat::Cursor& c, bool core_context) {
  bool core = false;
  if (c.at_keyword("core")) {
    core = true;
    c.next();
  }
  const Token& k = c.peek();
  if (k.kind != TokKind::Keyword) return std::nullopt;
  std::string_view t = k.text;
  std::optional<Sort> s;
  if (core || core_context) {
    if (t == "func")
      s = Sort::CoreFunc;
    else if (t == "table")
      s = Sort::CoreTable;
    else if (t == "memory")
      s = Sort::CoreMemory;
    else if (t == "global")
      s = Sort::CoreGlobal;
    else if (t == "tag")
      s = Sort::CoreTag;
    else if (t == "type")
      s = Sort::CoreType;
    else if (t == "module")
      s = Sort::CoreModule;
    else if (t == "instance")
      s = Sort::CoreInstance;
  } else {
    if (t == "func")
      s = Sort::Func;
    else if (t == "value")
      s = Sort::Value;
    else if (t == "type")
      s = Sort::Type;
    else if (t == "component")
      s = Sort::Component;
    else if (t == "instance")
      s = Sort::Instance;
    else if (t == "module")
      s = Sort::CoreModule; // `(instantiate (module $i "m"))`
  }
  if (s) c.next();
  return s;
}

} // namespace

Result<ItemRef> ComponentEncoder::parse_item_ref(Sort s) {
  TANDEM_TRY(expect(TokKind::LParen));
  const Token& kw = c_.peek();
  auto got = take_sort(c_, false);
  if (!got || *got != s) return unexpected(kw);
  TANDEM_ASSIGN(ItemRef r, parse_index_ref(s));
  while (c_.at(TokKind::String)) {
    TANDEM_ASSIGN(std::string n, token_name(c_.next()));
    r.names.push_back(std::move(n));
  }
  TANDEM_TRY(expect_rparen());
  return r;
}

Result<ItemRef> ComponentEncoder::parse_core_item_ref(Sort s) {
  TANDEM_TRY(expect(TokKind::LParen));
  const Token& kw = c_.peek();
  auto got = take_sort(c_, true);
  if (!got || *got != s) return unexpected(kw);
  TANDEM_ASSIGN(ItemRef r, parse_index_ref(s));
  if (c_.at(TokKind::String)) {
    TANDEM_ASSIGN(std::string n, token_name(c_.next()));
    r.names.push_back(std::move(n));
  }
  TANDEM_TRY(expect_rparen());
  return r;
}

Result<ItemRef> ComponentEncoder::parse_index_or_item_ref(Sort s) {
  if (at_index()) return parse_index_ref(s);
  return parse_item_ref(s);
}

Result<ItemRef> ComponentEncoder::parse_index_or_core_ref(Sort s) {
  if (at_index()) return parse_index_ref(s);
  return parse_core_item_ref(s);
}

Result<ItemRef> ComponentEncoder::parse_extern_idx() {
  if (!c_.at(TokKind::LParen)) return unexpected(c_.peek());
  size_t save = c_.pos();
  c_.next();
  const Token& kw = c_.peek();
  auto s = take_sort(c_, false);
  if (!s || (is_core_sort(*s) && *s != Sort::CoreModule)) return unexpected(kw);
  c_.seek(save);
  return parse_item_ref(*s);
}

// ---------------------------------------------------------------- fields

Status ComponentEncoder::parse_component_fields() {
  while (c_.at(TokKind::LParen)) TANDEM_TRY(parse_field());
  return {};
}

Status ComponentEncoder::parse_field() {
  const Token& k = c_.peek(1);
  if (k.is_keyword("core")) {
    const Token& k2 = c_.peek(2);
    if (k2.is_keyword("module")) return parse_core_module();
    if (k2.is_keyword("instance")) return parse_core_instance();
    if (k2.is_keyword("type") || k2.is_keyword("rec")) return parse_core_type_field();
    if (k2.is_keyword("func")) return parse_core_func();
    if (k2.is_keyword("alias")) return parse_alias(true);
    return unexpected(k2);
  }
  if (k.is_keyword("component")) return parse_nested_component();
  if (k.is_keyword("instance")) return parse_instance();
  if (k.is_keyword("alias")) return parse_alias(false);
  if (k.is_keyword("type")) return parse_type_field();
  if (k.is_keyword("canon")) return parse_canon();
  if (k.is_keyword("func")) return parse_func();
  if (k.is_keyword("import")) return parse_import();
  if (k.is_keyword("export")) return parse_export();
  if (k.is_keyword("start")) return parse_start();
  if (k.is_keyword("value")) return error_at(k, "value definitions are not supported");
  return error_at(k, "expected valid component field");
}

Status ComponentEncoder::parse_inline_exports(std::vector<std::string>& names) {
  while (c_.at_open("export") && c_.at(TokKind::String, 2) && c_.at(TokKind::RParen, 3)) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(std::string n, token_name(c_.next()));
    names.push_back(std::move(n));
    c_.next();
  }
  return {};
}

Status ComponentEncoder::add_appended(const std::vector<std::string>& names, Sort s,
                                      uint32_t index) {
  if (names.empty()) return {};
  if (cur().kind != ScopeKind::Component)
    return error_at(c_.peek(), "inline exports are only allowed in components");
  for (const std::string& n : names) cur().appended.push_back({n, s, index});
  return {};
}

// `"name" attribute*`: nameattributes.
Status ComponentEncoder::parse_extern_name(Pending& p) {
  const Token& nt = c_.peek();
  if (nt.is_keyword("interface")) return unexpected(nt);
  TANDEM_ASSIGN(std::string name, token_name(nt));
  c_.next();
  std::vector<uint8_t> attrs;
  uint32_t count = 0;
  bool seen[3] = {false, false, false};
  for (;;) {
    int kind = -1;
    if (c_.at_open("implements"))
      kind = 0;
    else if (c_.at_open("versionsuffix"))
      kind = 1;
    else if (c_.at_open("external-id"))
      kind = 2;
    if (kind < 0) break;
    const Token& kw = c_.peek(1);
    if (seen[kind]) return unexpected(kw);
    seen[kind] = true;
    c_.next();
    c_.next();
    const Token& v = c_.peek();
    if (!v.is(TokKind::String)) return unexpected(v);
    TANDEM_ASSIGN(std::string value, decode_name(v));
    c_.next();
    TANDEM_TRY(expect_rparen());
    attrs.push_back(uint8_t(kind));
    wat::write_name(attrs, value);
    ++count;
  }
  if (count == 0) {
    p.byte(0x00);
    p.name(name);
    return {};
  }
  p.byte(0x02);
  p.name(name);
  p.u32(count);
  p.bytes.insert(p.bytes.end(), attrs.begin(), attrs.end());
  return {};
}

// `(core module $id? (export "n")* (import "n") typeuse | field*)`.
Status ComponentEncoder::parse_core_module() {
  size_t begin = c_.pos();
  TANDEM_TRY(enter(c_.peek()));
  DepthGuard guard{*this};
  c_.next();
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  std::vector<std::string> exports;
  TANDEM_TRY(parse_inline_exports(exports));
  if (at_inline_import()) {
    Pending p;
    c_.next();
    c_.next();
    TANDEM_TRY(parse_extern_name(p));
    TANDEM_TRY(expect_rparen());
    p.sort(Sort::CoreModule);
    if (c_.at_open("type") && (c_.at(TokKind::Nat, 2) || c_.at(TokKind::Id, 2))) {
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
      TANDEM_ASSIGN(uint32_t ti, define(Sort::CoreType, nullptr));
      p.u32(ti);
    }
    TANDEM_TRY(expect_rparen());
    TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
    emit(Entry::Import, bytes);
    TANDEM_ASSIGN(uint32_t index, define(Sort::CoreModule, id));
    return add_appended(exports, Sort::CoreModule, index);
  }
  if (cur().kind != ScopeKind::Component) return unexpected(toks_[begin + 1]);
  size_t close = form_end(toks_, begin) - 1;
  if (close >= toks_.size() || !toks_[close].is(TokKind::RParen)) return unexpected(toks_.back());
  // The fields in the original tokens (annotations included), after the
  // last token consumed here and before the closing `)`.
  size_t from = orig_index_[c_.pos() - 1] + 1;
  size_t to = orig_index_[close];
  TANDEM_ASSIGN(std::vector<uint8_t> module, encode_wat_module(orig_.subspan(from, to - from)));
  emit_section(kSecCoreModule, module);
  c_.seek(close);
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(uint32_t index, define(Sort::CoreModule, id));
  return add_appended(exports, Sort::CoreModule, index);
}

// The core inline exports of a bundle: vec((export "name" core-sortidx)).
Status ComponentEncoder::parse_core_inline_export_bundle(Pending& p, uint32_t& count) {
  Pending entries;
  count = 0;
  while (c_.at_open("export")) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
    c_.next();
    if (!c_.at(TokKind::LParen)) return unexpected(c_.peek());
    size_t save = c_.pos();
    c_.next();
    const Token& kw = c_.peek();
    auto s = take_sort(c_, true);
    if (!s) return unexpected(kw);
    c_.seek(save);
    TANDEM_ASSIGN(ItemRef r, parse_core_item_ref(*s));
    TANDEM_TRY(expect_rparen());
    entries.name(name);
    entries.byte(sort_info(*s).core);
    entries.ref(std::move(r));
    ++count;
  }
  p.u32(count);
  p.append(std::move(entries));
  return {};
}

// `(core instance $id? (instantiate m (with "n" (instance ...))*) | export*)`.
Status ComponentEncoder::parse_core_instance() {
  c_.next();
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  Pending p;
  if (c_.at_open("instantiate")) {
    c_.next();
    c_.next();
    p.byte(0x00);
    TANDEM_ASSIGN(ItemRef m, parse_index_or_item_ref(Sort::CoreModule));
    p.ref(std::move(m));
    Pending args;
    uint32_t count = 0;
    while (c_.at_open("with")) {
      c_.next();
      c_.next();
      TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
      c_.next();
      TANDEM_TRY(open("instance"));
      args.name(name);
      args.byte(sort_info(Sort::CoreInstance).core);
      if (at_index()) {
        TANDEM_ASSIGN(ItemRef r, parse_index_ref(Sort::CoreInstance));
        args.ref(std::move(r));
      } else {
        // An inline bundle becomes a core instance defined just before.
        Pending bundle;
        bundle.byte(0x01);
        uint32_t n = 0;
        TANDEM_TRY(parse_core_inline_export_bundle(bundle, n));
        TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(bundle)));
        emit(Entry::CoreInstance, bytes);
        TANDEM_ASSIGN(uint32_t bi, define(Sort::CoreInstance, nullptr));
        args.u32(bi);
      }
      TANDEM_TRY(expect_rparen());
      TANDEM_TRY(expect_rparen());
      ++count;
    }
    p.u32(count);
    p.append(std::move(args));
    TANDEM_TRY(expect_rparen());
  } else {
    p.byte(0x01);
    uint32_t n = 0;
    TANDEM_TRY(parse_core_inline_export_bundle(p, n));
  }
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(Entry::CoreInstance, bytes);
  TANDEM_TRY(define(Sort::CoreInstance, id));
  return {};
}

// The component inline exports of a bundle: vec((export "name" attr* sortidx)).
Status ComponentEncoder::parse_inline_export_bundle(Pending& p, uint32_t& count) {
  Pending entries;
  count = 0;
  while (c_.at_open("export")) {
    c_.next();
    c_.next();
    TANDEM_TRY(parse_extern_name(entries));
    TANDEM_ASSIGN(ItemRef r, parse_extern_idx());
    write_sort(entries.bytes, r.sort);
    entries.ref(std::move(r));
    TANDEM_TRY(expect_rparen());
    ++count;
  }
  p.u32(count);
  p.append(std::move(entries));
  return {};
}

// `(component $id? (export "n")* (import "n") typeuse | field*)`.
Status ComponentEncoder::parse_nested_component() {
  TANDEM_TRY(enter(c_.peek()));
  DepthGuard guard{*this};
  c_.next();
  const Token& kw = c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  std::vector<std::string> exports;
  TANDEM_TRY(parse_inline_exports(exports));
  if (at_inline_import()) {
    Pending p;
    c_.next();
    c_.next();
    TANDEM_TRY(parse_extern_name(p));
    TANDEM_TRY(expect_rparen());
    p.byte(0x04);
    TANDEM_TRY(parse_type_use(p, UseKind::Component));
    TANDEM_TRY(expect_rparen());
    TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
    emit(Entry::Import, bytes);
    TANDEM_ASSIGN(uint32_t index, define(Sort::Component, id));
    return add_appended(exports, Sort::Component, index);
  }
  if (cur().kind != ScopeKind::Component) return unexpected(kw);
  push_scope(ScopeKind::Component, id);
  Status st = parse_component_fields();
  if (st.ok() && !c_.at(TokKind::RParen)) st = unexpected(c_.peek());
  std::vector<uint8_t> bytes;
  if (st.ok()) {
    auto r = finish_component(cur());
    if (r.ok())
      bytes = std::move(r.value());
    else
      st = std::move(r).error();
  }
  pop_scope();
  TANDEM_TRY(st);
  c_.next();
  emit_section(kSecComponent, bytes);
  TANDEM_ASSIGN(uint32_t index, define(Sort::Component, id));
  return add_appended(exports, Sort::Component, index);
}

// `(instance $id? (export "n")* (import "n") typeuse | (instantiate ...) | export*)`.
Status ComponentEncoder::parse_instance() {
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  std::vector<std::string> exports;
  TANDEM_TRY(parse_inline_exports(exports));
  Pending p;
  if (at_inline_import()) {
    c_.next();
    c_.next();
    TANDEM_TRY(parse_extern_name(p));
    TANDEM_TRY(expect_rparen());
    p.byte(0x05);
    TANDEM_TRY(parse_type_use(p, UseKind::Instance));
    TANDEM_TRY(expect_rparen());
    TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
    emit(Entry::Import, bytes);
    TANDEM_ASSIGN(uint32_t index, define(Sort::Instance, id));
    return add_appended(exports, Sort::Instance, index);
  }
  if (c_.at_open("instantiate")) {
    c_.next();
    c_.next();
    p.byte(0x00);
    TANDEM_ASSIGN(ItemRef comp, parse_index_or_item_ref(Sort::Component));
    p.ref(std::move(comp));
    Pending args;
    uint32_t count = 0;
    while (c_.at_open("with")) {
      c_.next();
      c_.next();
      TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
      c_.next();
      args.name(name);
      if (c_.at_open("instance") && !c_.at(TokKind::Nat, 2) && !c_.at(TokKind::Id, 2)) {
        // An inline bundle becomes an instance defined just before.
        c_.next();
        c_.next();
        Pending bundle;
        bundle.byte(0x01);
        uint32_t n = 0;
        TANDEM_TRY(parse_inline_export_bundle(bundle, n));
        TANDEM_TRY(expect_rparen());
        TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(bundle)));
        emit(Entry::Instance, bytes);
        TANDEM_ASSIGN(uint32_t bi, define(Sort::Instance, nullptr));
        write_sort(args.bytes, Sort::Instance);
        args.u32(bi);
      } else {
        TANDEM_ASSIGN(ItemRef r, parse_extern_idx());
        write_sort(args.bytes, r.sort);
        args.ref(std::move(r));
      }
      TANDEM_TRY(expect_rparen());
      ++count;
    }
    p.u32(count);
    p.append(std::move(args));
    TANDEM_TRY(expect_rparen());
  } else {
    p.byte(0x01);
    uint32_t n = 0;
    TANDEM_TRY(parse_inline_export_bundle(p, n));
  }
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(Entry::Instance, bytes);
  TANDEM_ASSIGN(uint32_t index, define(Sort::Instance, id));
  return add_appended(exports, Sort::Instance, index);
}

// `(sort $id?)` closing an alias; `core_context` for core export aliases.
Result<Sort> ComponentEncoder::parse_alias_sort(bool core_context) {
  TANDEM_TRY(expect(TokKind::LParen));
  const Token& kw = c_.peek();
  auto s = take_sort(c_, core_context);
  if (!s) return unexpected(kw);
  return *s;
}

// `(alias export $i "n" (sort $id?))`, `(alias core export $i "n" (core sort
// $id?))`, `(alias outer $c $x (sort $id?))`; `(core alias ...)` is the
// legacy spelling of core aliases.
Status ComponentEncoder::parse_alias(bool core_prefixed) {
  c_.next();
  if (core_prefixed) c_.next();
  c_.next(); // alias
  bool in_module_type = cur().kind == ScopeKind::ModuleType;
  std::vector<uint8_t> a;
  Sort sort = Sort::Type;
  if (c_.at_keyword("export") || (c_.at_keyword("core") && c_.at_keyword("export", 1))) {
    bool core = core_prefixed || c_.at_keyword("core");
    if (c_.at_keyword("core")) c_.next();
    c_.next();
    if (in_module_type) return unexpected(c_.peek());
    TANDEM_ASSIGN(ItemRef inst, parse_index_ref(core ? Sort::CoreInstance : Sort::Instance));
    TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
    c_.next();
    const Token& skw = c_.peek(1);
    TANDEM_ASSIGN(sort, parse_alias_sort(core));
    bool core_item = is_core_sort(sort) && sort != Sort::CoreModule && sort != Sort::CoreType &&
                     sort != Sort::CoreInstance;
    if (core != core_item) return unexpected(skw);
    TANDEM_ASSIGN(uint32_t i, resolve_ref(inst));
    write_sort(a, sort);
    a.push_back(core ? 0x01 : 0x00);
    write_uleb(a, i);
    wat::write_name(a, name);
  } else if (c_.at_keyword("outer")) {
    c_.next();
    const Token& outer = c_.peek();
    if (!at_index()) return unexpected(outer);
    c_.next();
    const Token& index = c_.peek();
    if (!at_index()) return unexpected(index);
    c_.next();
    TANDEM_ASSIGN(sort, parse_alias_sort(core_prefixed || in_module_type));
    uint32_t depth = 0, idx = 0;
    if (outer.is(TokKind::Nat) && index.is(TokKind::Nat)) {
      TANDEM_ASSIGN(uint64_t d, parse_uint(outer, 32));
      TANDEM_ASSIGN(uint64_t x, parse_uint(index, 32));
      depth = uint32_t(d);
      idx = uint32_t(x);
    } else {
      if (outer.is(TokKind::Id)) {
        TANDEM_ASSIGN(std::string key, wat::id_key(outer));
        size_t d = 0;
        while (d < stack_.size() &&
               !(stack_[stack_.size() - 1 - d]->has_id && stack_[stack_.size() - 1 - d]->id == key))
          ++d;
        if (d == stack_.size()) return error_at(outer, "outer component `" + key + "` not found");
        depth = uint32_t(d);
      } else {
        TANDEM_ASSIGN(uint64_t d, parse_uint(outer, 32));
        if (d >= stack_.size())
          return error_at(outer, "outer count of `" + std::to_string(d) + "` is too large");
        depth = uint32_t(d);
      }
      Scope& target = *stack_[stack_.size() - 1 - depth];
      if (index.is(TokKind::Nat)) {
        TANDEM_ASSIGN(uint64_t x, parse_uint(index, 32));
        idx = uint32_t(x);
      } else {
        TANDEM_ASSIGN(std::string key, wat::id_key(index));
        auto it = target.names[size_t(sort)].find(key);
        if (it == target.names[size_t(sort)].end())
          return error_at(index, std::string("unknown ") + sort_info(sort).name +
                                     ": failed to find name `$" + key + "`");
        idx = it->second;
      }
    }
    if (in_module_type) {
      if (sort != Sort::CoreType) return unexpected(index);
      a.push_back(sort_info(Sort::CoreType).core);
      a.push_back(0x01);
    } else {
      if (!is_outer_aliasable(sort)) return unexpected(index);
      write_sort(a, sort);
      a.push_back(0x02);
    }
    write_uleb(a, depth);
    write_uleb(a, idx);
  } else {
    return unexpected(c_.peek());
  }
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  TANDEM_TRY(expect_rparen()); // (sort $id?)
  TANDEM_TRY(expect_rparen()); // (alias ...)
  emit(Entry::Alias, a);
  TANDEM_TRY(define(sort, id));
  return {};
}

// `(import "n" attr* (sort $id? ...))`, and export declarators of
// component and instance types: `(export "n" attr* (sort $id? ...))`.
Status ComponentEncoder::parse_import(Entry e) {
  c_.next();
  c_.next();
  Pending p;
  TANDEM_TRY(parse_extern_name(p));
  Sort sort = Sort::Func;
  const Token* id = nullptr;
  TANDEM_TRY(parse_item_sig(p, sort, &id, true));
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(e, bytes);
  TANDEM_TRY(define(sort, id));
  return {};
}

// `(export $id? "n" attr* sortidx externtype?)`.
Status ComponentEncoder::parse_export() {
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  Pending p;
  TANDEM_TRY(parse_extern_name(p));
  TANDEM_ASSIGN(ItemRef r, parse_extern_idx());
  Sort sort = r.sort;
  write_sort(p.bytes, sort);
  p.ref(std::move(r));
  if (c_.at(TokKind::LParen)) {
    p.byte(0x01);
    Sort ascribed = sort;
    TANDEM_TRY(parse_item_sig(p, ascribed, nullptr, false));
  } else {
    p.byte(0x00);
  }
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(Entry::Export, bytes);
  TANDEM_TRY(define(sort, id));
  return {};
}

// `(start f (value v)* (result (value $id?))*)`.
Status ComponentEncoder::parse_start() {
  c_.next();
  c_.next();
  Pending p;
  TANDEM_ASSIGN(ItemRef f, parse_index_or_item_ref(Sort::Func));
  p.ref(std::move(f));
  Pending args;
  uint32_t n = 0;
  while (c_.at_open("value")) {
    TANDEM_ASSIGN(ItemRef v, parse_item_ref(Sort::Value));
    args.ref(std::move(v));
    ++n;
  }
  p.u32(n);
  p.append(std::move(args));
  std::vector<const Token*> results;
  while (c_.at_open("result")) {
    c_.next();
    c_.next();
    TANDEM_TRY(open("value"));
    results.push_back(c_.at(TokKind::Id) ? &c_.next() : nullptr);
    TANDEM_TRY(expect_rparen());
    TANDEM_TRY(expect_rparen());
  }
  p.u32(uint32_t(results.size()));
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit_section(kSecStart, bytes);
  for (const Token* id : results) TANDEM_TRY(define(Sort::Value, id));
  return {};
}

// `(func $id? (export "n")* (import "n") typeuse | (alias export $i "n") |
// typeuse (canon lift ...))`.
Status ComponentEncoder::parse_func() {
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  std::vector<std::string> exports;
  TANDEM_TRY(parse_inline_exports(exports));
  Pending p;
  Entry entry = Entry::Canon;
  if (at_inline_import()) {
    c_.next();
    c_.next();
    TANDEM_TRY(parse_extern_name(p));
    TANDEM_TRY(expect_rparen());
    p.byte(0x01);
    TANDEM_TRY(parse_type_use(p, UseKind::Func));
    entry = Entry::Import;
  } else if (c_.at_open("alias")) {
    c_.next();
    c_.next();
    TANDEM_TRY(expect_keyword("export"));
    TANDEM_ASSIGN(ItemRef inst, parse_index_ref(Sort::Instance));
    TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
    c_.next();
    TANDEM_TRY(expect_rparen());
    write_sort(p.bytes, Sort::Func);
    p.byte(0x00);
    p.ref(std::move(inst));
    p.name(name);
    entry = Entry::Alias;
  } else {
    Pending type_use;
    TANDEM_TRY(parse_type_use(type_use, UseKind::Func));
    TANDEM_TRY(open("canon"));
    TANDEM_TRY(expect_keyword("lift"));
    p.byte(0x00);
    p.byte(0x00);
    TANDEM_TRY(parse_canon_lift(p));
    TANDEM_TRY(expect_rparen());
    p.append(std::move(type_use));
  }
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(entry, bytes);
  TANDEM_ASSIGN(uint32_t index, define(Sort::Func, id));
  return add_appended(exports, Sort::Func, index);
}

// `(core func $id? (alias core? export $i "n"))` or `(core func $id? (canon ...))`.
Status ComponentEncoder::parse_core_func() {
  c_.next();
  c_.next();
  c_.next();
  const Token* id = c_.at(TokKind::Id) ? &c_.next() : nullptr;
  Pending p;
  Entry entry = Entry::Canon;
  if (c_.at_open("alias")) {
    c_.next();
    c_.next();
    if (c_.at_keyword("core")) c_.next();
    TANDEM_TRY(expect_keyword("export"));
    TANDEM_ASSIGN(ItemRef inst, parse_index_ref(Sort::CoreInstance));
    TANDEM_ASSIGN(std::string name, token_name(c_.peek()));
    c_.next();
    write_sort(p.bytes, Sort::CoreFunc);
    p.byte(0x01);
    p.ref(std::move(inst));
    p.name(name);
    entry = Entry::Alias;
  } else {
    TANDEM_TRY(open("canon"));
    const Token& kw = c_.peek();
    if (kw.is_keyword("lower")) {
      c_.next();
      p.byte(0x01);
      p.byte(0x00);
      TANDEM_TRY(parse_canon_lower(p));
    } else {
      TANDEM_TRY(parse_canon_builtin(p, kw));
    }
  }
  TANDEM_TRY(expect_rparen());
  TANDEM_TRY(expect_rparen());
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, finish(std::move(p)));
  emit(entry, bytes);
  TANDEM_TRY(define(Sort::CoreFunc, id));
  return {};
}

} // namespace tandem::wast::comp

// ---------------------------------------------------------------- entry points

namespace tandem::wast {

namespace {

// Copies `in` without annotations, appending an Eof token; `index[i]` is the
// position in `in` of out[i].
void filter_tokens(std::span<const Token> in, std::vector<Token>& out,
                   std::vector<uint32_t>& index) {
  for (size_t i = 0; i < in.size(); ++i) {
    const Token& t = in[i];
    if (t.kind == TokKind::Eof) break;
    if (t.kind == TokKind::LParenAnnot) {
      i = group_end(in, i);
      if (i >= in.size() || in[i].kind == TokKind::Eof) break;
      continue;
    }
    out.push_back(t);
    index.push_back(uint32_t(i));
  }
  Token eof;
  eof.kind = TokKind::Eof;
  if (!out.empty()) {
    eof.pos = out.back().pos;
    eof.offset = out.back().offset + uint32_t(out.back().text.size());
    eof.pos.column += uint32_t(out.back().text.size());
  }
  out.push_back(eof);
  index.push_back(uint32_t(in.size()));
}

Result<std::vector<uint8_t>> run_encoder(std::span<const Token> orig, std::vector<Token> toks,
                                         std::vector<uint32_t> index, size_t start,
                                         std::optional<std::string> id, bool wrapped) {
  comp::ComponentEncoder enc(toks, orig, std::move(index));
  enc.c_.seek(start);
  TANDEM_ASSIGN(std::vector<uint8_t> bytes, enc.run(std::move(id), wrapped));
  return bytes;
}

} // namespace

Result<std::vector<uint8_t>> encode_wat_component(std::span<const Token> tokens) {
  std::vector<Token> toks;
  std::vector<uint32_t> index;
  filter_tokens(tokens, toks, index);
  bool whole = toks.size() >= 3 && toks[0].is(TokKind::LParen) && toks[1].is_keyword("component") &&
               comp::form_end(toks, 0) == toks.size() - 1;
  if (!whole) return run_encoder(tokens, std::move(toks), std::move(index), 0, std::nullopt, false);
  size_t i = 2;
  if (toks[i].is_keyword("definition")) ++i;
  std::optional<std::string> id;
  if (toks[i].is(TokKind::Id)) {
    TANDEM_ASSIGN(std::string key, wat::id_key(toks[i]));
    id = std::move(key);
    ++i;
  }
  if (toks[i].is_keyword("binary") || toks[i].is_keyword("quote")) {
    bool quote = toks[i].is_keyword("quote");
    std::string joined = quote ? "(component" : "";
    for (++i; toks[i].is(TokKind::String); ++i) {
      TANDEM_ASSIGN(std::string s, decode_string(toks[i]));
      joined += s;
      if (quote) joined += ' ';
    }
    if (!toks[i].is(TokKind::RParen)) return comp::unexpected(toks[i]);
    if (!quote) return std::vector<uint8_t>(joined.begin(), joined.end());
    joined += ')';
    return component_text_to_binary(joined);
  }
  return run_encoder(tokens, std::move(toks), std::move(index), i, std::move(id), true);
}

Result<std::vector<uint8_t>> encode_wat_component_fields(std::span<const Token> fields,
                                                         std::optional<std::string_view> id) {
  std::vector<Token> toks;
  std::vector<uint32_t> index;
  filter_tokens(fields, toks, index);
  std::optional<std::string> name;
  if (id) name = std::string(*id);
  return run_encoder(fields, std::move(toks), std::move(index), 0, std::move(name), false);
}

Result<std::vector<uint8_t>> component_text_to_binary(std::string_view text) {
  TANDEM_ASSIGN(std::vector<Token> toks, lex(text));
  return encode_wat_component(toks);
}

} // namespace tandem::wast
