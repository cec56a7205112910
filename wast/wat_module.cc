// WAT encoder, module level: the public entry points (module wrapper, binary
// and quote forms, annotation filtering), the name scan (pass 1) and the
// encoding of every module field except types and instructions (pass 2).
// Fields are encoded in textual order, so entries of each section keep the
// order of the text, and implicit function types are appended in order of
// first use.
#include "wast/wat_module.h"

#include "base/leb128.h"
#include "wast/numbers.h"
#include "wast/strings.h"
#include "wast/wat_parser.h"

namespace tandem::wast {
namespace wat {

// ---------------------------------------------------------------- cursor

Status Cursor::expect(TokKind k) {
  if (!at(k)) return unexpected(peek());
  next();
  return {};
}

Status Cursor::expect_keyword(std::string_view kw) {
  if (!at_keyword(kw)) return unexpected(peek());
  next();
  return {};
}

Status Cursor::open(std::string_view kw) {
  if (!at_open(kw)) return unexpected(at(TokKind::LParen) ? peek(1) : peek());
  next();
  next();
  return {};
}

bool is_known_keyword(std::string_view kw) {
  static const std::string_view kSyntax[] = {"module",
                                             "type",
                                             "func",
                                             "param",
                                             "result",
                                             "local",
                                             "global",
                                             "table",
                                             "memory",
                                             "elem",
                                             "data",
                                             "start",
                                             "import",
                                             "export",
                                             "offset",
                                             "item",
                                             "declare",
                                             "mut",
                                             "ref",
                                             "null",
                                             "rec",
                                             "sub",
                                             "final",
                                             "struct",
                                             "array",
                                             "field",
                                             "shared",
                                             "unshared",
                                             "then",
                                             "else",
                                             "end",
                                             "block",
                                             "loop",
                                             "if",
                                             "try",
                                             "do",
                                             "catch",
                                             "catch_all",
                                             "catch_ref",
                                             "catch_all_ref",
                                             "delegate",
                                             "try_table",
                                             "tag",
                                             "i8",
                                             "i16",
                                             "i32",
                                             "i64",
                                             "f32",
                                             "f64",
                                             "v128",
                                             "funcref",
                                             "externref",
                                             "anyref",
                                             "eqref",
                                             "i31ref",
                                             "structref",
                                             "arrayref",
                                             "nullref",
                                             "nullfuncref",
                                             "nullexternref",
                                             "exnref",
                                             "nullexnref",
                                             "extern",
                                             "any",
                                             "eq",
                                             "i31",
                                             "none",
                                             "nofunc",
                                             "noextern",
                                             "exn",
                                             "noexn",
                                             "i8x16",
                                             "i16x8",
                                             "i32x4",
                                             "i64x2",
                                             "f32x4",
                                             "f64x2",
                                             "binary",
                                             "quote",
                                             "definition",
                                             "instance",
                                             "pagesize",
                                             "exact",
                                             "describes",
                                             "descriptor",
                                             "cont",
                                             "first",
                                             "last",
                                             "before",
                                             "after",
                                             "code",
                                             "datacount",
                                             "get",
                                             "invoke",
                                             "register",
                                             "nan:canonical",
                                             "nan:arithmetic"};
  for (std::string_view s : kSyntax)
    if (s == kw) return true;
  if (op_by_name(kw) && kw.find(' ') == std::string_view::npos) return true;
  for (std::string_view prefix : {"offset=", "align="})
    if (kw.starts_with(prefix)) return parse_uint(kw.substr(prefix.size()), 64).ok();
  return false;
}

Error unexpected(const Token& t) {
  if (t.kind == TokKind::Eof) return error_at(t, "unexpected end of input");
  if (t.kind == TokKind::Reserved) return error_at(t, "unknown operator " + std::string(t.text));
  if (t.kind == TokKind::Keyword && !is_known_keyword(t.text))
    return error_at(t, "unknown operator " + std::string(t.text));
  return error_at(t, "unexpected token");
}

Error error_at_token(const Token& t, std::string msg) {
  return error_at(t, std::move(msg));
}

Result<std::string> id_key(const Token& t) {
  if (t.text.size() >= 2 && t.text[1] == '"') return decode_id(t);
  return std::string(t.text.substr(1));
}

const char* space_name(Space s) {
  switch (s) {
  case Space::Type: return "type";
  case Space::Func: return "function";
  case Space::Table: return "table";
  case Space::Memory: return "memory";
  case Space::Global: return "global";
  case Space::Tag: return "tag";
  case Space::Elem: return "elem segment";
  case Space::Data: return "data segment";
  default: return "index";
  }
}

const char* space_duplicate_name(Space s) {
  switch (s) {
  case Space::Type: return "type";
  case Space::Func: return "func";
  case Space::Table: return "table";
  case Space::Memory: return "memory";
  case Space::Global: return "global";
  case Space::Tag: return "tag";
  case Space::Elem: return "elem";
  case Space::Data: return "data";
  default: return "index";
  }
}

void write_name(std::vector<uint8_t>& out, std::string_view s) {
  write_uleb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// ---------------------------------------------------------------- indices

Result<uint32_t> ModuleEncoder::resolve_index(Space s, const Token& t) {
  if (t.kind == TokKind::Nat) {
    TANDEM_ASSIGN(uint64_t v, parse_uint(t, 32));
    return uint32_t(v);
  }
  if (t.kind == TokKind::Id) {
    TANDEM_ASSIGN(std::string key, id_key(t));
    const NameSpace& ns = spaces_[size_t(s)];
    auto it = ns.names.find(key);
    if (it == ns.names.end())
      return error_at(t, std::string("unknown ") + space_name(s) + " " + std::string(t.text));
    return it->second;
  }
  return unexpected(t);
}

Result<uint32_t> ModuleEncoder::parse_index(Space s) {
  const Token& t = c_.peek();
  TANDEM_ASSIGN(uint32_t v, resolve_index(s, t));
  c_.next();
  return v;
}

Status ModuleEncoder::define_name(Space s, const Token& id, uint32_t index) {
  TANDEM_ASSIGN(std::string key, id_key(id));
  if (!spaces_[size_t(s)].names.emplace(std::move(key), index).second)
    return error_at(id, std::string("duplicate ") + space_duplicate_name(s) + " " +
                            std::string(id.text));
  return {};
}

// ---------------------------------------------------------------- pass 1

namespace {

// Index of the token after the form that starts at toks[i] (a `(`).
size_t skip_form(std::span<const Token> toks, size_t i) {
  int depth = 0;
  for (; i < toks.size(); ++i) {
    TokKind k = toks[i].kind;
    if (k == TokKind::LParen || k == TokKind::LParenAnnot) {
      ++depth;
    } else if (k == TokKind::RParen) {
      if (--depth == 0) return i + 1;
    } else if (k == TokKind::Eof) {
      return i;
    }
  }
  return i;
}

bool is_lparen_kw(std::span<const Token> toks, size_t i, std::string_view kw) {
  return i + 1 < toks.size() && toks[i].kind == TokKind::LParen && toks[i + 1].is_keyword(kw);
}

} // namespace

Status ModuleEncoder::scan_fields() {
  bool defined[5] = {}; // func, table, memory, global, tag definitions seen
  static const char* const kAfter[5] = {"import after function", "import after table",
                                        "import after memory", "import after global",
                                        "import after tag"};
  auto check_import_order = [&](const Token& at) -> Status {
    // The reference interpreter checks functions, globals, tables, memories.
    static const int kOrder[5] = {0, 3, 1, 2, 4};
    for (int k : kOrder)
      if (defined[k]) return error_at(at, kAfter[k]);
    return {};
  };
  auto space_of = [](std::string_view kw, int& slot) -> std::optional<Space> {
    if (kw == "func") return slot = 0, Space::Func;
    if (kw == "table") return slot = 1, Space::Table;
    if (kw == "memory") return slot = 2, Space::Memory;
    if (kw == "global") return slot = 3, Space::Global;
    if (kw == "tag") return slot = 4, Space::Tag;
    return std::nullopt;
  };

  size_t i = 0;
  while (toks_[i].kind != TokKind::Eof) {
    const Token& t = toks_[i];
    if (t.kind == TokKind::LParenAnnot) { // @custom, handled in pass 2
      field_starts_.push_back(i);
      i = skip_form(toks_, i);
      continue;
    }
    if (t.kind != TokKind::LParen) return unexpected(t);
    size_t end = skip_form(toks_, i);
    if (toks_[end - 1].kind != TokKind::RParen) return unexpected(toks_[end]);
    field_starts_.push_back(i);
    const Token& kw = toks_[i + 1];
    if (kw.kind != TokKind::Keyword) return unexpected(kw);
    size_t j = i + 2;
    int slot = 0;
    if (kw.text == "type") {
      uint32_t index = spaces_[size_t(Space::Type)].count++;
      if (toks_[j].kind == TokKind::Id) TANDEM_TRY(define_name(Space::Type, toks_[j], index));
    } else if (kw.text == "rec") {
      while (j < end - 1) {
        if (is_lparen_kw(toks_, j, "type")) {
          uint32_t index = spaces_[size_t(Space::Type)].count++;
          if (toks_[j + 2].kind == TokKind::Id)
            TANDEM_TRY(define_name(Space::Type, toks_[j + 2], index));
        }
        j = toks_[j].kind == TokKind::LParen ? skip_form(toks_, j) : j + 1;
      }
    } else if (auto space = space_of(kw.text, slot)) {
      uint32_t index = spaces_[size_t(*space)].count++;
      if (toks_[j].kind == TokKind::Id) {
        TANDEM_TRY(define_name(*space, toks_[j], index));
        ++j;
      }
      while (is_lparen_kw(toks_, j, "export")) j = skip_form(toks_, j);
      if (is_lparen_kw(toks_, j, "import")) {
        TANDEM_TRY(check_import_order(toks_[j]));
      } else {
        defined[slot] = true;
        // Inline element / data segments.
        for (size_t k = j; k < end - 1;) {
          if (*space == Space::Table && is_lparen_kw(toks_, k, "elem"))
            ++spaces_[size_t(Space::Elem)].count;
          if (*space == Space::Memory && is_lparen_kw(toks_, k, "data"))
            ++spaces_[size_t(Space::Data)].count;
          k = toks_[k].kind == TokKind::LParen ? skip_form(toks_, k) : k + 1;
        }
      }
    } else if (kw.text == "import") {
      TANDEM_TRY(check_import_order(kw));
      // (import "m" "n" (kind $id? ...))
      size_t d = j;
      while (d < end - 1 && toks_[d].kind == TokKind::String) ++d;
      if (d < end - 1 && toks_[d].kind == TokKind::LParen &&
          toks_[d + 1].kind == TokKind::Keyword) {
        if (auto sp = space_of(toks_[d + 1].text, slot)) {
          uint32_t index = spaces_[size_t(*sp)].count++;
          if (toks_[d + 2].kind == TokKind::Id) TANDEM_TRY(define_name(*sp, toks_[d + 2], index));
        }
      }
    } else if (kw.text == "elem") {
      uint32_t index = spaces_[size_t(Space::Elem)].count++;
      if (toks_[j].kind == TokKind::Id) TANDEM_TRY(define_name(Space::Elem, toks_[j], index));
    } else if (kw.text == "data") {
      uint32_t index = spaces_[size_t(Space::Data)].count++;
      if (toks_[j].kind == TokKind::Id) TANDEM_TRY(define_name(Space::Data, toks_[j], index));
    } else if (kw.text == "export" || kw.text == "start") {
      // nothing to index
    } else {
      return unexpected(kw);
    }
    i = end;
  }
  return {};
}

// ---------------------------------------------------------------- pass 2

Status ModuleEncoder::parse_type_fields() {
  for (size_t start : field_starts_) {
    c_.seek(start);
    if (c_.at_open("type")) {
      type_group_sizes_.push_back(1);
      TANDEM_TRY(parse_type_field(false, uint32_t(types_.size()), 1));
    } else if (c_.at_open("rec")) {
      TANDEM_TRY(parse_rec_field());
    }
  }
  num_explicit_types_ = uint32_t(types_.size());
  return {};
}

Status ModuleEncoder::parse_other_fields() {
  for (size_t start : field_starts_) {
    c_.seek(start);
    if (c_.at_open("type") || c_.at_open("rec")) continue;
    TANDEM_TRY(parse_field());
  }
  return {};
}

Status ModuleEncoder::parse_field() {
  if (c_.at(TokKind::LParenAnnot)) return parse_custom();
  std::string_view kw = c_.peek(1).text;
  if (kw == "func") return parse_func();
  if (kw == "table") return parse_table();
  if (kw == "memory") return parse_memory();
  if (kw == "global") return parse_global();
  if (kw == "tag") return parse_tag();
  if (kw == "import") return parse_import();
  if (kw == "export") return parse_export();
  if (kw == "start") return parse_start();
  if (kw == "elem") return parse_elem();
  if (kw == "data") return parse_data();
  return unexpected(c_.peek(1));
}

Status ModuleEncoder::parse_inline_exports(ExternKind kind, uint32_t index) {
  while (c_.at_open("export")) {
    c_.next();
    c_.next();
    const Token& name = c_.peek();
    if (name.kind != TokKind::String) return unexpected(name);
    TANDEM_ASSIGN(std::string s, decode_name(name));
    c_.next();
    TANDEM_TRY(c_.expect_rparen());
    write_name(exports_, s);
    exports_.push_back(uint8_t(kind));
    write_uleb(exports_, index);
    ++num_exports_;
  }
  return {};
}

// `(import "m" "n")` inside a func/table/... field: writes the names.
static Status parse_inline_import(ModuleEncoder& m) {
  Cursor& c = m.c_;
  TANDEM_TRY(c.open("import"));
  for (int k = 0; k < 2; ++k) {
    const Token& s = c.peek();
    if (s.kind != TokKind::String) return unexpected(s);
    TANDEM_ASSIGN(std::string name, decode_name(s));
    c.next();
    write_name(m.imports_, name);
  }
  return c.expect_rparen();
}

// Address type keyword (i32/i64) of a table or memory, if present.
static bool parse_addrtype(Cursor& c) {
  if (c.at_keyword("i64")) {
    c.next();
    return true;
  }
  if (c.at_keyword("i32")) c.next();
  return false;
}

Status ModuleEncoder::parse_func_body(const TypeUse& use, uint32_t func_index,
                                      std::vector<uint8_t>& body) {
  LocalScope locals;
  // Parameters: named inline params, or the params of the referenced type.
  if (use.has_inline || !use.index) {
    for (const std::string& name : use.param_names) {
      if (!name.empty() && !locals.names.emplace(name, locals.count).second)
        return error_at(*use.at, "duplicate local $" + name);
      ++locals.count;
    }
  } else if (const TFuncType* ft = func_type_at(*use.index)) {
    locals.count = uint32_t(ft->params.size());
  }
  // Locals: runs of equal types are grouped.
  std::vector<std::pair<uint32_t, TVal>> runs;
  while (c_.at_open("local")) {
    c_.next();
    c_.next();
    auto add = [&](const TVal& v) {
      if (!runs.empty() && runs.back().second == v)
        ++runs.back().first;
      else
        runs.emplace_back(1, v);
      ++locals.count;
    };
    if (c_.at(TokKind::Id)) {
      const Token& id = c_.next();
      TANDEM_ASSIGN(std::string key, id_key(id));
      if (!locals.names.emplace(std::move(key), locals.count).second)
        return error_at(id, "duplicate local " + std::string(id.text));
      TANDEM_ASSIGN(TVal v, parse_valtype());
      add(v);
    } else {
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(TVal v, parse_valtype());
        add(v);
      }
    }
    TANDEM_TRY(c_.expect_rparen());
  }
  body.clear();
  write_uleb(body, runs.size());
  for (const auto& [n, v] : runs) {
    write_uleb(body, n);
    write_valtype(body, v);
  }
  labels_.clear();
  label_index_.clear();
  pending_hints_.clear();
  body_base_ = 0;
  TANDEM_TRY(encode_instrs(body, &locals));
  body.push_back(0x0B);
  if (!pending_hints_.empty()) {
    write_uleb(branch_hints_, func_index);
    write_uleb(branch_hints_, pending_hints_.size());
    for (const BranchHint& h : pending_hints_) {
      write_uleb(branch_hints_, h.offset);
      write_name(branch_hints_, h.payload);
    }
    ++num_hinted_funcs_;
  }
  return {};
}

Status ModuleEncoder::parse_func() {
  TANDEM_TRY(c_.open("func"));
  if (c_.at(TokKind::Id)) c_.next();
  uint32_t index = next_func_++;
  TANDEM_TRY(parse_inline_exports(ExternKind::Func, index));
  bool is_import = c_.at_open("import");
  if (is_import) TANDEM_TRY(parse_inline_import(*this));
  bool exact = false;
  if (is_import && c_.at_open("exact")) {
    c_.next();
    c_.next();
    exact = true;
  }
  TANDEM_ASSIGN(TypeUse use, parse_typeuse(!is_import));
  TANDEM_ASSIGN(uint32_t type_index, resolve_typeuse(use));
  if (is_import) {
    if (exact) TANDEM_TRY(c_.expect_rparen());
    imports_.push_back(exact ? 0x20 : 0x00);
    write_uleb(imports_, type_index);
    ++num_imports_;
    return c_.expect_rparen();
  }
  func_type_indices_.push_back(type_index);
  std::vector<uint8_t> body;
  TANDEM_TRY(parse_func_body(use, index, body));
  TANDEM_TRY(c_.expect_rparen());
  write_uleb(code_, body.size());
  code_.insert(code_.end(), body.begin(), body.end());
  ++num_bodies_;
  return {};
}

static Status parse_tabletype(ModuleEncoder& m, std::vector<uint8_t>& out, bool& is64) {
  is64 = parse_addrtype(m.c_);
  Limits lim;
  TANDEM_TRY(m.parse_limits(lim, is64, false, false));
  TANDEM_ASSIGN(TVal elem, m.parse_reftype());
  m.write_valtype(out, elem);
  m.write_limits(out, lim);
  return {};
}

static Status parse_memtype(ModuleEncoder& m, std::vector<uint8_t>& out, bool& is64) {
  is64 = parse_addrtype(m.c_);
  Limits lim;
  TANDEM_TRY(m.parse_limits(lim, is64, true, true));
  m.write_limits(out, lim);
  return {};
}

static Status parse_globaltype(ModuleEncoder& m, std::vector<uint8_t>& out) {
  bool mut = false;
  if (m.c_.at_open("mut")) {
    m.c_.next();
    m.c_.next();
    mut = true;
  }
  TANDEM_ASSIGN(TVal v, m.parse_valtype());
  if (mut) TANDEM_TRY(m.c_.expect_rparen());
  m.write_valtype(out, v);
  out.push_back(mut ? 1 : 0);
  return {};
}

Status ModuleEncoder::parse_table() {
  TANDEM_TRY(c_.open("table"));
  if (c_.at(TokKind::Id)) c_.next();
  uint32_t index = next_table_++;
  TANDEM_TRY(parse_inline_exports(ExternKind::Table, index));
  if (c_.at_open("import")) {
    TANDEM_TRY(parse_inline_import(*this));
    imports_.push_back(0x01);
    bool is64 = false;
    TANDEM_TRY(parse_tabletype(*this, imports_, is64));
    ++num_imports_;
    return c_.expect_rparen();
  }
  size_t save = c_.pos();
  bool is64 = parse_addrtype(c_);
  if (at_reftype()) {
    // (table at? reftype (elem ...)): limits from the element count.
    TANDEM_ASSIGN(TVal elem_type, parse_reftype());
    TANDEM_TRY(c_.open("elem"));
    std::vector<uint8_t> items, funcs;
    uint32_t count = 0;
    bool all_funcs = true;
    // Bare function indices are `ref.func x` items of the table's type
    // (reference interpreter), not an element kind.
    TANDEM_TRY(parse_elem_list(items, count, all_funcs, funcs, true));
    TANDEM_TRY(c_.expect_rparen());
    TANDEM_TRY(c_.expect_rparen());
    Limits lim;
    lim.is64 = is64;
    lim.min = count;
    lim.max = count;
    write_valtype(tables_, elem_type);
    write_limits(tables_, lim);
    ++num_tables_;
    // The element segment: active, this table, offset 0, the table's type.
    std::vector<uint8_t> offset = {uint8_t(is64 ? 0x42 : 0x41), 0x00, 0x0B};
    TVal funcref;
    funcref.kind = ValKind::Ref;
    funcref.nullable = true;
    funcref.abstract = true;
    funcref.abs = AbsHeap::Func;
    bool short_form = index == 0 && elem_type == funcref;
    elems_.push_back(short_form ? 0x04 : 0x06);
    if (!short_form) write_uleb(elems_, index);
    elems_.insert(elems_.end(), offset.begin(), offset.end());
    if (!short_form) write_valtype(elems_, elem_type);
    write_uleb(elems_, count);
    elems_.insert(elems_.end(), items.begin(), items.end());
    ++num_elems_;
    return {};
  }
  c_.seek(save);
  std::vector<uint8_t> type;
  TANDEM_TRY(parse_tabletype(*this, type, is64));
  if (!c_.at(TokKind::RParen)) {
    // Table with an initialiser expression.
    tables_.push_back(0x40);
    tables_.push_back(0x00);
    tables_.insert(tables_.end(), type.begin(), type.end());
    TANDEM_TRY(encode_const_expr(tables_));
  } else {
    tables_.insert(tables_.end(), type.begin(), type.end());
  }
  ++num_tables_;
  return c_.expect_rparen();
}

Status ModuleEncoder::parse_memory() {
  TANDEM_TRY(c_.open("memory"));
  if (c_.at(TokKind::Id)) c_.next();
  uint32_t index = next_memory_++;
  TANDEM_TRY(parse_inline_exports(ExternKind::Memory, index));
  if (c_.at_open("import")) {
    TANDEM_TRY(parse_inline_import(*this));
    imports_.push_back(0x02);
    bool is64 = false;
    TANDEM_TRY(parse_memtype(*this, imports_, is64));
    ++num_imports_;
    return c_.expect_rparen();
  }
  size_t save = c_.pos();
  bool is64 = parse_addrtype(c_);
  std::optional<uint32_t> page_log2;
  if (c_.at_open("pagesize")) {
    // (memory (pagesize N) (data ...)): only consumed when data follows.
    size_t before = c_.pos();
    c_.next();
    c_.next();
    if (c_.at(TokKind::Nat) && c_.at(TokKind::RParen, 1) && c_.peek(2).kind == TokKind::LParen &&
        c_.peek(3).is_keyword("data")) {
      auto v = parse_uint(c_.peek(), 64);
      if (!v.ok() || v.value() == 0 || (v.value() & (v.value() - 1)) != 0)
        return error_at(c_.peek(), "invalid custom page size");
      uint32_t log2 = 0;
      while ((uint64_t(1) << log2) != v.value()) ++log2;
      page_log2 = log2;
      c_.next();
      c_.next();
    } else {
      c_.seek(before);
    }
  }
  if (c_.at_open("data")) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(std::string bytes, parse_data_strings());
    TANDEM_TRY(c_.expect_rparen());
    TANDEM_TRY(c_.expect_rparen());
    Limits lim;
    lim.is64 = is64;
    uint64_t page = uint64_t(1) << page_log2.value_or(16);
    uint64_t pages = (uint64_t(bytes.size()) + page - 1) / page;
    lim.min = pages;
    lim.max = pages;
    lim.page_size_log2 = page_log2;
    write_limits(memories_, lim);
    ++num_memories_;
    if (index == 0) {
      datas_.push_back(0x00);
    } else {
      datas_.push_back(0x02);
      write_uleb(datas_, index);
    }
    datas_.push_back(is64 ? 0x42 : 0x41);
    datas_.push_back(0x00);
    datas_.push_back(0x0B);
    write_name(datas_, bytes);
    ++num_datas_;
    return {};
  }
  c_.seek(save);
  TANDEM_TRY(parse_memtype(*this, memories_, is64));
  ++num_memories_;
  return c_.expect_rparen();
}

Status ModuleEncoder::parse_global() {
  TANDEM_TRY(c_.open("global"));
  if (c_.at(TokKind::Id)) c_.next();
  uint32_t index = next_global_++;
  TANDEM_TRY(parse_inline_exports(ExternKind::Global, index));
  if (c_.at_open("import")) {
    TANDEM_TRY(parse_inline_import(*this));
    imports_.push_back(0x03);
    TANDEM_TRY(parse_globaltype(*this, imports_));
    ++num_imports_;
    return c_.expect_rparen();
  }
  TANDEM_TRY(parse_globaltype(*this, globals_));
  TANDEM_TRY(encode_const_expr(globals_));
  ++num_globals_;
  return c_.expect_rparen();
}

Status ModuleEncoder::parse_tag() {
  TANDEM_TRY(c_.open("tag"));
  if (c_.at(TokKind::Id)) c_.next();
  uint32_t index = next_tag_++;
  TANDEM_TRY(parse_inline_exports(ExternKind::Tag, index));
  bool is_import = c_.at_open("import");
  if (is_import) TANDEM_TRY(parse_inline_import(*this));
  TANDEM_ASSIGN(TypeUse use, parse_typeuse(false));
  TANDEM_ASSIGN(uint32_t type_index, resolve_typeuse(use));
  std::vector<uint8_t>& out = is_import ? imports_ : tags_;
  if (is_import) {
    out.push_back(0x04);
    ++num_imports_;
  } else {
    ++num_tags_;
  }
  out.push_back(0x00);
  write_uleb(out, type_index);
  return c_.expect_rparen();
}

Status ModuleEncoder::parse_import() {
  TANDEM_TRY(c_.open("import"));
  for (int k = 0; k < 2; ++k) {
    const Token& s = c_.peek();
    if (s.kind != TokKind::String) return unexpected(s);
    TANDEM_ASSIGN(std::string name, decode_name(s));
    c_.next();
    write_name(imports_, name);
  }
  if (!c_.at(TokKind::LParen)) return unexpected(c_.peek());
  const Token& kind = c_.peek(1);
  c_.next();
  c_.next();
  if (c_.at(TokKind::Id)) c_.next();
  if (kind.is_keyword("func")) {
    next_func_++;
    bool exact = false;
    if (c_.at_open("exact")) {
      c_.next();
      c_.next();
      exact = true;
    }
    TANDEM_ASSIGN(TypeUse use, parse_typeuse(true));
    TANDEM_ASSIGN(uint32_t type_index, resolve_typeuse(use));
    if (exact) TANDEM_TRY(c_.expect_rparen());
    imports_.push_back(exact ? 0x20 : 0x00);
    write_uleb(imports_, type_index);
  } else if (kind.is_keyword("table")) {
    next_table_++;
    imports_.push_back(0x01);
    bool is64 = false;
    TANDEM_TRY(parse_tabletype(*this, imports_, is64));
  } else if (kind.is_keyword("memory")) {
    next_memory_++;
    imports_.push_back(0x02);
    bool is64 = false;
    TANDEM_TRY(parse_memtype(*this, imports_, is64));
  } else if (kind.is_keyword("global")) {
    next_global_++;
    imports_.push_back(0x03);
    TANDEM_TRY(parse_globaltype(*this, imports_));
  } else if (kind.is_keyword("tag")) {
    next_tag_++;
    TANDEM_ASSIGN(TypeUse use, parse_typeuse(false));
    TANDEM_ASSIGN(uint32_t type_index, resolve_typeuse(use));
    imports_.push_back(0x04);
    imports_.push_back(0x00);
    write_uleb(imports_, type_index);
  } else {
    return unexpected(kind);
  }
  ++num_imports_;
  TANDEM_TRY(c_.expect_rparen());
  return c_.expect_rparen();
}

Status ModuleEncoder::parse_export() {
  TANDEM_TRY(c_.open("export"));
  const Token& name = c_.peek();
  if (name.kind != TokKind::String) return unexpected(name);
  TANDEM_ASSIGN(std::string s, decode_name(name));
  c_.next();
  if (!c_.at(TokKind::LParen)) return unexpected(c_.peek());
  const Token& kind = c_.peek(1);
  ExternKind k;
  Space space;
  if (kind.is_keyword("func"))
    k = ExternKind::Func, space = Space::Func;
  else if (kind.is_keyword("table"))
    k = ExternKind::Table, space = Space::Table;
  else if (kind.is_keyword("memory"))
    k = ExternKind::Memory, space = Space::Memory;
  else if (kind.is_keyword("global"))
    k = ExternKind::Global, space = Space::Global;
  else if (kind.is_keyword("tag"))
    k = ExternKind::Tag, space = Space::Tag;
  else
    return unexpected(kind);
  c_.next();
  c_.next();
  TANDEM_ASSIGN(uint32_t index, parse_index(space));
  TANDEM_TRY(c_.expect_rparen());
  TANDEM_TRY(c_.expect_rparen());
  write_name(exports_, s);
  exports_.push_back(uint8_t(k));
  write_uleb(exports_, index);
  ++num_exports_;
  return {};
}

Status ModuleEncoder::parse_start() {
  const Token& at = c_.peek();
  TANDEM_TRY(c_.open("start"));
  TANDEM_ASSIGN(uint32_t f, parse_index(Space::Func));
  TANDEM_TRY(c_.expect_rparen());
  if (start_) return error_at(at, "multiple start sections");
  start_ = f;
  return {};
}

// Element expressions: `(item expr)` or a single folded instruction, each
// encoded with its `end`. Sets all_funcs when every item is one ref.func
// (then `func_indices` holds the indices).
Status ModuleEncoder::parse_elem_list(std::vector<uint8_t>& out, uint32_t& count, bool& all_funcs,
                                      std::vector<uint8_t>& func_indices, bool allow_bare_indices) {
  all_funcs = true;
  while (!c_.at(TokKind::RParen)) {
    if (allow_bare_indices && at_index()) {
      TANDEM_ASSIGN(uint32_t f, parse_index(Space::Func));
      out.push_back(0xD2);
      write_uleb(out, f);
      out.push_back(0x0B);
      write_uleb(func_indices, f);
      ++count;
      continue;
    }
    if (!c_.at(TokKind::LParen)) return unexpected(c_.peek());
    size_t start = out.size();
    if (c_.at_open("item")) {
      c_.next();
      c_.next();
      TANDEM_TRY(encode_const_expr(out));
      TANDEM_TRY(c_.expect_rparen());
    } else {
      // One folded instruction: encode just that form.
      TANDEM_TRY(encode_const_expr_single(out));
    }
    ++count;
    // Is it exactly `ref.func x end`?
    const uint8_t* p = out.data() + start;
    size_t n = out.size() - start;
    bool is_ref_func = n >= 3 && p[0] == 0xD2 && p[n - 1] == 0x0B;
    if (is_ref_func) {
      // The index LEB must span exactly the bytes between.
      size_t k = 1;
      while (k < n - 1 && (p[k] & 0x80)) ++k;
      is_ref_func = k == n - 2;
    }
    if (is_ref_func) {
      func_indices.insert(func_indices.end(), p + 1, p + n - 1);
    } else {
      all_funcs = false;
    }
  }
  return {};
}

Status ModuleEncoder::parse_elem() {
  TANDEM_TRY(c_.open("elem"));
  if (c_.at(TokKind::Id)) c_.next();
  enum class Mode { Passive, Active, Declarative } mode = Mode::Passive;
  uint32_t table = 0;
  bool explicit_table = false;
  std::vector<uint8_t> offset;
  if (c_.at_keyword("declare")) {
    c_.next();
    mode = Mode::Declarative;
  } else {
    if (c_.at_open("table")) {
      c_.next();
      c_.next();
      TANDEM_ASSIGN(table, parse_index(Space::Table));
      TANDEM_TRY(c_.expect_rparen());
      explicit_table = true;
      mode = Mode::Active;
    } else if (at_index() && c_.at(TokKind::LParen, 1)) {
      // MVP form: (elem tableidx offset funcidx*)
      TANDEM_ASSIGN(table, parse_index(Space::Table));
      explicit_table = true;
      mode = Mode::Active;
    }
    if (c_.at_open("offset")) {
      c_.next();
      c_.next();
      TANDEM_TRY(encode_const_expr(offset));
      TANDEM_TRY(c_.expect_rparen());
      mode = Mode::Active;
    } else if (c_.at(TokKind::LParen) && !c_.at_open("ref") && !c_.at_open("item")) {
      TANDEM_TRY(encode_const_expr_single(offset));
      mode = Mode::Active;
    } else if (explicit_table) {
      return unexpected(c_.peek());
    }
  }
  (void)explicit_table;
  // Element list: `func x*`, `reftype expr*`, or (active only) bare `x*`.
  bool kind_func = false;
  TVal type;
  std::vector<uint8_t> items, funcs;
  uint32_t count = 0;
  bool all_funcs = true;
  if (c_.at_keyword("func")) {
    c_.next();
    kind_func = true;
    while (at_index()) {
      TANDEM_ASSIGN(uint32_t f, parse_index(Space::Func));
      write_uleb(funcs, f);
      ++count;
    }
  } else if (at_reftype()) {
    TANDEM_ASSIGN(type, parse_reftype());
    TANDEM_TRY(parse_elem_list(items, count, all_funcs, funcs, false));
  } else if (mode == Mode::Active) {
    kind_func = true;
    while (at_index()) {
      TANDEM_ASSIGN(uint32_t f, parse_index(Space::Func));
      write_uleb(funcs, f);
      ++count;
    }
  } else {
    return unexpected(c_.peek());
  }
  TANDEM_TRY(c_.expect_rparen());

  TVal funcref;
  funcref.kind = ValKind::Ref;
  funcref.nullable = true;
  funcref.abstract = true;
  funcref.abs = AbsHeap::Func;
  TVal ref_func = funcref;
  ref_func.nullable = false;
  // The reference interpreter writes indices only for element kind (ref func).
  bool as_indices = kind_func || (type == ref_func && all_funcs);
  std::vector<uint8_t>& out = elems_;
  if (as_indices) {
    switch (mode) {
    case Mode::Passive: out.push_back(0x01), out.push_back(0x00); break;
    case Mode::Declarative: out.push_back(0x03), out.push_back(0x00); break;
    case Mode::Active:
      if (table == 0) {
        out.push_back(0x00);
        out.insert(out.end(), offset.begin(), offset.end());
      } else {
        out.push_back(0x02);
        write_uleb(out, table);
        out.insert(out.end(), offset.begin(), offset.end());
        out.push_back(0x00);
      }
      break;
    }
    write_uleb(out, count);
    out.insert(out.end(), funcs.begin(), funcs.end());
  } else {
    switch (mode) {
    case Mode::Passive:
      out.push_back(0x05);
      write_valtype(out, type);
      break;
    case Mode::Declarative:
      out.push_back(0x07);
      write_valtype(out, type);
      break;
    case Mode::Active:
      if (table == 0 && type == funcref) {
        out.push_back(0x04);
        out.insert(out.end(), offset.begin(), offset.end());
      } else {
        out.push_back(0x06);
        write_uleb(out, table);
        out.insert(out.end(), offset.begin(), offset.end());
        write_valtype(out, type);
      }
      break;
    }
    write_uleb(out, count);
    out.insert(out.end(), items.begin(), items.end());
  }
  ++num_elems_;
  return {};
}

Result<std::string> ModuleEncoder::parse_data_strings() {
  std::string bytes;
  while (c_.at(TokKind::String)) {
    TANDEM_ASSIGN(std::string s, decode_string(c_.peek()));
    bytes += s;
    c_.next();
  }
  return bytes;
}

Status ModuleEncoder::parse_data() {
  TANDEM_TRY(c_.open("data"));
  if (c_.at(TokKind::Id)) c_.next();
  uint32_t memory = 0;
  bool active = false;
  std::vector<uint8_t> offset;
  if (c_.at_open("memory")) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(memory, parse_index(Space::Memory));
    TANDEM_TRY(c_.expect_rparen());
    active = true;
  } else if (at_index() && c_.at(TokKind::LParen, 1)) {
    // MVP form: (data memidx offset "..."*)
    TANDEM_ASSIGN(memory, parse_index(Space::Memory));
    active = true;
  }
  if (c_.at_open("offset")) {
    c_.next();
    c_.next();
    TANDEM_TRY(encode_const_expr(offset));
    TANDEM_TRY(c_.expect_rparen());
    active = true;
  } else if (c_.at(TokKind::LParen)) {
    TANDEM_TRY(encode_const_expr_single(offset));
    active = true;
  } else if (active) {
    return unexpected(c_.peek());
  }
  TANDEM_ASSIGN(std::string bytes, parse_data_strings());
  TANDEM_TRY(c_.expect_rparen());
  if (!active) {
    datas_.push_back(0x01);
  } else if (memory == 0) {
    datas_.push_back(0x00);
    datas_.insert(datas_.end(), offset.begin(), offset.end());
  } else {
    datas_.push_back(0x02);
    write_uleb(datas_, memory);
    datas_.insert(datas_.end(), offset.begin(), offset.end());
  }
  write_name(datas_, bytes);
  ++num_datas_;
  return {};
}

// (@custom "name" (before|after section)? "bytes"*)
Status ModuleEncoder::parse_custom() {
  const Token& annot = c_.next();
  CustomSection cs;
  const Token& name = c_.peek();
  if (name.kind != TokKind::String)
    return error_at(name, "@custom annotation: missing section name");
  auto decoded = decode_name(name);
  if (!decoded) return error_at(name, "@custom annotation: " + decoded.error().message);
  cs.name = std::move(*decoded);
  c_.next();
  if (c_.at(TokKind::LParen)) {
    c_.next();
    const Token& where = c_.peek();
    if (!where.is_keyword("before") && !where.is_keyword("after"))
      return error_at(where, "@custom annotation: malformed placement");
    cs.after = where.is_keyword("after");
    c_.next();
    const Token& sec = c_.peek();
    static const std::pair<std::string_view, int> kSections[] = {
        {"type", 1},   {"import", 2},     {"func", 3},  {"table", 4}, {"memory", 5},
        {"global", 6}, {"export", 7},     {"start", 8}, {"elem", 9},  {"code", 10},
        {"data", 11},  {"datacount", 12}, {"tag", 13}};
    cs.edge = false;
    bool found = false;
    if (sec.is_keyword("first") && !cs.after) {
      cs.edge = true;
      found = true;
    } else if (sec.is_keyword("last") && cs.after) {
      cs.edge = true;
      found = true;
    } else if (sec.kind == TokKind::Keyword) {
      for (const auto& [kw, id] : kSections)
        if (sec.text == kw) {
          cs.anchor = id;
          found = true;
        }
    }
    if (!found) return error_at(sec, "@custom annotation: malformed section kind");
    c_.next();
    TANDEM_TRY(c_.expect_rparen());
  }
  while (c_.at(TokKind::String)) {
    TANDEM_ASSIGN(std::string s, decode_string(c_.peek()));
    cs.bytes += s;
    c_.next();
  }
  if (!c_.at(TokKind::RParen)) return error_at(c_.peek(), "@custom annotation: unexpected token");
  c_.next();
  (void)annot;
  customs_.push_back(std::move(cs));
  return {};
}

Result<std::vector<uint8_t>> ModuleEncoder::run() {
  TANDEM_TRY(scan_fields());
  TANDEM_TRY(parse_type_fields());
  TANDEM_TRY(parse_other_fields());
  return assemble();
}

} // namespace wat

// ---------------------------------------------------------------- entry points

namespace {

using wat::unexpected;

// True when the annotation group opened at in[i] is followed by an
// instruction (a keyword other than a field clause, or a folded form), the
// only place where code metadata means something.
bool precedes_instruction(std::span<const Token> in, size_t i) {
  i = group_end(in, i);
  if (i + 2 >= in.size() || in[i].kind == TokKind::Eof) return false;
  const Token& next = in[i + 1];
  const Token& kw = next.kind == TokKind::LParen ? in[i + 2] : next;
  if (kw.kind != TokKind::Keyword) return false;
  static const std::string_view kClauses[] = {"param",     "result",   "local", "type", "export",
                                              "import",    "then",     "else",  "do",   "catch",
                                              "catch_all", "delegate", "end"};
  for (std::string_view c : kClauses)
    if (kw.text == c) return false;
  return true;
}

// Copies `in` without the annotations Tandem ignores (all but @custom at
// field level `field_depth` and @metadata.code.*), appending an Eof token.
Result<std::vector<Token>> filter_annotations(std::span<const Token> in, int field_depth) {
  std::vector<Token> out;
  out.reserve(in.size() + 1);
  int depth = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const Token& t = in[i];
    if (t.kind == TokKind::Eof) break;
    if (t.kind == TokKind::LParenAnnot) {
      bool keep = (t.text == "custom" && depth == field_depth) ||
                  (t.text.starts_with("metadata.code.") && depth > field_depth &&
                   precedes_instruction(in, i));
      if (!keep) {
        i = group_end(in, i);
        if (i < in.size() && in[i].kind == TokKind::Eof) break;
        continue;
      }
    }
    if (t.kind == TokKind::LParen || t.kind == TokKind::LParenAnnot) ++depth;
    if (t.kind == TokKind::RParen) --depth;
    out.push_back(t);
  }
  Token eof;
  eof.kind = TokKind::Eof;
  if (!out.empty()) {
    eof.pos = out.back().pos;
    eof.offset = out.back().offset + uint32_t(out.back().text.size());
    eof.pos.column += uint32_t(out.back().text.size());
  }
  out.push_back(eof);
  return out;
}

Result<std::vector<uint8_t>> encode_fields(std::span<const Token> fields) {
  wat::ModuleEncoder enc(fields);
  return enc.run();
}

} // namespace

bool is_module_form(std::span<const Token> in) {
  size_t seen = 0;
  int annot_depth = 0;
  for (const Token& t : in) {
    if (t.kind == TokKind::Eof) break;
    if (annot_depth > 0 || t.kind == TokKind::LParenAnnot) {
      if (t.kind == TokKind::LParen || t.kind == TokKind::LParenAnnot)
        ++annot_depth;
      else if (t.kind == TokKind::RParen)
        --annot_depth;
      continue;
    }
    if (seen == 0 && t.kind != TokKind::LParen) return false;
    if (seen == 1) return t.is_keyword("module");
    ++seen;
  }
  return false;
}

Result<std::vector<uint8_t>> encode_wat_module(std::span<const Token> tokens) {
  TANDEM_ASSIGN(std::vector<Token> toks, filter_annotations(tokens, is_module_form(tokens)));
  // A bare list of fields?
  if (!(toks.size() >= 2 && toks[0].kind == TokKind::LParen && toks[1].is_keyword("module")))
    return encode_fields(toks);
  size_t i = 2;
  if (toks[i].is_keyword("definition")) ++i;
  if (toks[i].kind == TokKind::Id) ++i;
  if (toks[i].is_keyword("binary") || toks[i].is_keyword("quote")) {
    bool quote = toks[i].is_keyword("quote");
    std::string joined;
    ++i;
    while (toks[i].kind == TokKind::String) {
      TANDEM_ASSIGN(std::string s, decode_string(toks[i]));
      joined += s;
      ++i;
    }
    if (toks[i].kind != TokKind::RParen) return unexpected(toks[i]);
    if (toks[i + 1].kind != TokKind::Eof) return unexpected(toks[i + 1]);
    if (!quote) return std::vector<uint8_t>(joined.begin(), joined.end());
    return wat_to_binary(joined);
  }
  // Strip `(module $id?` and the closing `)`.
  if (toks.size() < i + 2 || toks[toks.size() - 2].kind != TokKind::RParen)
    return unexpected(toks.back());
  std::vector<Token> fields(toks.begin() + long(i), toks.end() - 2);
  fields.push_back(toks.back());
  // The closing `)` must match the `(module`: fields must be balanced.
  int depth = 0;
  for (const Token& t : fields) {
    if (t.kind == TokKind::LParen || t.kind == TokKind::LParenAnnot)
      ++depth;
    else if (t.kind == TokKind::RParen && --depth < 0)
      return unexpected(t);
  }
  if (depth != 0) return unexpected(toks[toks.size() - 2]);
  return encode_fields(fields);
}

Result<std::vector<uint8_t>> wat_to_binary(std::string_view text) {
  TANDEM_ASSIGN(std::vector<Token> toks, lex(text));
  return encode_wat_module(toks);
}

} // namespace tandem::wast
