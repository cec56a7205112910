// WAT encoder, types: value/reference/heap types, type definitions (func,
// struct, array, sub, rec, custom-descriptor clauses), type uses with the
// implicit-type rule, and limits. Type names are all known before any of this
// runs (scan_fields), so references may point forward.
#include "wast/numbers.h"
#include "wast/strings.h"
#include "wast/wat_parser.h"

namespace tandem::wast::wat {
namespace {

struct AbsName {
  std::string_view name;
  AbsHeap abs;
};
constexpr AbsName kHeapNames[] = {
    {"func", AbsHeap::Func},     {"extern", AbsHeap::Extern},
    {"any", AbsHeap::Any},       {"eq", AbsHeap::Eq},
    {"i31", AbsHeap::I31},       {"struct", AbsHeap::Struct},
    {"array", AbsHeap::Array},   {"none", AbsHeap::None},
    {"nofunc", AbsHeap::NoFunc}, {"noextern", AbsHeap::NoExtern},
    {"exn", AbsHeap::Exn},       {"noexn", AbsHeap::NoExn},
};

// `funcref` style shorthands: the heap type name + "ref", always nullable.
constexpr AbsName kRefShorthands[] = {
    {"funcref", AbsHeap::Func},       {"externref", AbsHeap::Extern},
    {"anyref", AbsHeap::Any},         {"eqref", AbsHeap::Eq},
    {"i31ref", AbsHeap::I31},         {"structref", AbsHeap::Struct},
    {"arrayref", AbsHeap::Array},     {"nullref", AbsHeap::None},
    {"nullfuncref", AbsHeap::NoFunc}, {"nullexternref", AbsHeap::NoExtern},
    {"exnref", AbsHeap::Exn},         {"nullexnref", AbsHeap::NoExn},
};

std::optional<AbsHeap> abs_heap_by_name(std::string_view s) {
  for (const AbsName& n : kHeapNames)
    if (n.name == s) return n.abs;
  return std::nullopt;
}

std::optional<AbsHeap> ref_shorthand(std::string_view s) {
  for (const AbsName& n : kRefShorthands)
    if (n.name == s) return n.abs;
  return std::nullopt;
}

std::optional<ValKind> num_type(std::string_view s) {
  if (s == "i32") return ValKind::I32;
  if (s == "i64") return ValKind::I64;
  if (s == "f32") return ValKind::F32;
  if (s == "f64") return ValKind::F64;
  if (s == "v128") return ValKind::V128;
  return std::nullopt;
}

TVal abstract_ref(AbsHeap a, bool nullable) {
  TVal v;
  v.kind = ValKind::Ref;
  v.nullable = nullable;
  v.abstract = true;
  v.abs = a;
  return v;
}

} // namespace

bool ModuleEncoder::at_valtype() const {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Keyword) return num_type(t.text) || ref_shorthand(t.text);
  return c_.at_open("ref");
}

bool ModuleEncoder::at_reftype() const {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Keyword) return ref_shorthand(t.text).has_value();
  return c_.at_open("ref");
}

Result<TVal> ModuleEncoder::parse_valtype() {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Keyword) {
    if (auto k = num_type(t.text)) {
      c_.next();
      TVal v;
      v.kind = *k;
      return v;
    }
  }
  return parse_reftype();
}

Result<TVal> ModuleEncoder::parse_reftype() {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Keyword) {
    if (auto a = ref_shorthand(t.text)) {
      c_.next();
      return abstract_ref(*a, true);
    }
    return unexpected(t);
  }
  if (!c_.at_open("ref")) return unexpected(t);
  c_.next();
  c_.next();
  TVal v;
  v.kind = ValKind::Ref;
  if (c_.at_keyword("null")) {
    c_.next();
    v.nullable = true;
  }
  TANDEM_TRY(parse_heaptype(v));
  TANDEM_TRY(c_.expect_rparen());
  return v;
}

Status ModuleEncoder::parse_heaptype(TVal& v) {
  const Token& t = c_.peek();
  if (t.kind == TokKind::Keyword) {
    if (auto a = abs_heap_by_name(t.text)) {
      c_.next();
      v.abstract = true;
      v.abs = *a;
      return {};
    }
    return unexpected(t);
  }
  if (t.kind == TokKind::Nat || t.kind == TokKind::Id) {
    TANDEM_ASSIGN(v.index, parse_index(Space::Type));
    v.abstract = false;
    return {};
  }
  if (c_.at_open("exact")) {
    c_.next();
    c_.next();
    v.exact = true;
    TANDEM_ASSIGN(v.index, parse_index(Space::Type));
    v.abstract = false;
    return c_.expect_rparen();
  }
  if (c_.at_open("shared")) {
    c_.next();
    c_.next();
    v.shared = true;
    const Token& a = c_.peek();
    auto abs = a.kind == TokKind::Keyword ? abs_heap_by_name(a.text) : std::nullopt;
    if (!abs) return unexpected(a);
    c_.next();
    v.abstract = true;
    v.abs = *abs;
    return c_.expect_rparen();
  }
  return unexpected(t);
}

Result<TField> ModuleEncoder::parse_fieldtype() {
  TField f;
  bool mut = false;
  if (c_.at_open("mut")) {
    c_.next();
    c_.next();
    mut = true;
  }
  const Token& t = c_.peek();
  if (t.is_keyword("i8")) {
    c_.next();
    f.packed = Packed::I8;
  } else if (t.is_keyword("i16")) {
    c_.next();
    f.packed = Packed::I16;
  } else {
    TANDEM_ASSIGN(f.type, parse_valtype());
  }
  f.mut = mut;
  if (mut) TANDEM_TRY(c_.expect_rparen());
  return f;
}

// Parses the composite type of a definition: (func ...), (struct ...),
// (array ...), (cont x), possibly wrapped in (shared ...).
static Status parse_comptype(ModuleEncoder& m, TTypeDef& def) {
  Cursor& c = m.c_;
  if (c.at_open("shared")) {
    if (def.shared) return unexpected(c.peek(1)); // one level only: no recursion
    c.next();
    c.next();
    def.shared = true;
    TANDEM_TRY(parse_comptype(m, def));
    return c.expect_rparen();
  }
  if (!c.at(TokKind::LParen)) return unexpected(c.peek());
  const Token& kw = c.peek(1);
  if (kw.is_keyword("func")) {
    c.next();
    c.next();
    def.kind = CompositeKind::Func;
    while (c.at_open("param")) {
      c.next();
      c.next();
      if (c.at(TokKind::Id)) {
        c.next();
        TANDEM_ASSIGN(TVal v, m.parse_valtype());
        def.func.params.push_back(v);
      } else {
        while (!c.at(TokKind::RParen)) {
          TANDEM_ASSIGN(TVal v, m.parse_valtype());
          def.func.params.push_back(v);
        }
      }
      TANDEM_TRY(c.expect_rparen());
    }
    while (c.at_open("result")) {
      c.next();
      c.next();
      while (!c.at(TokKind::RParen)) {
        TANDEM_ASSIGN(TVal v, m.parse_valtype());
        def.func.results.push_back(v);
      }
      TANDEM_TRY(c.expect_rparen());
    }
    return c.expect_rparen();
  }
  if (kw.is_keyword("struct")) {
    c.next();
    c.next();
    def.kind = CompositeKind::Struct;
    while (c.at_open("field")) {
      c.next();
      c.next();
      if (c.at(TokKind::Id)) {
        const Token& id = c.next();
        TANDEM_ASSIGN(std::string key, id_key(id));
        uint32_t index = uint32_t(def.fields.size());
        if (!def.field_names.emplace(std::move(key), index).second)
          return error_at_token(id, "duplicate field " + std::string(id.text));
        TANDEM_ASSIGN(TField f, m.parse_fieldtype());
        def.fields.push_back(f);
      } else {
        while (!c.at(TokKind::RParen)) {
          TANDEM_ASSIGN(TField f, m.parse_fieldtype());
          def.fields.push_back(f);
        }
      }
      TANDEM_TRY(c.expect_rparen());
    }
    return c.expect_rparen();
  }
  if (kw.is_keyword("array")) {
    c.next();
    c.next();
    def.kind = CompositeKind::Array;
    if (c.at_open("field")) { // (array (field t)) is accepted by some tools
      c.next();
      c.next();
      TANDEM_ASSIGN(TField f, m.parse_fieldtype());
      def.fields.push_back(f);
      TANDEM_TRY(c.expect_rparen());
    } else {
      TANDEM_ASSIGN(TField f, m.parse_fieldtype());
      def.fields.push_back(f);
    }
    return c.expect_rparen();
  }
  if (kw.is_keyword("cont")) {
    c.next();
    c.next();
    def.kind = CompositeKind::Cont;
    TANDEM_ASSIGN(def.cont_type, m.parse_index(Space::Type));
    return c.expect_rparen();
  }
  return unexpected(kw);
}

// (describes x)? (descriptor y)? before the composite type.
static Status parse_descriptor_clauses(ModuleEncoder& m, TTypeDef& def) {
  Cursor& c = m.c_;
  if (c.at_open("describes")) {
    c.next();
    c.next();
    TANDEM_ASSIGN(uint32_t x, m.parse_index(Space::Type));
    def.describes = x;
    TANDEM_TRY(c.expect_rparen());
  }
  if (c.at_open("descriptor")) {
    c.next();
    c.next();
    TANDEM_ASSIGN(uint32_t x, m.parse_index(Space::Type));
    def.descriptor = x;
    TANDEM_TRY(c.expect_rparen());
  }
  return {};
}

// `(type $id? subtype)`, cursor at `(`. The name was bound by scan_fields.
Status ModuleEncoder::parse_type_field(bool in_rec, uint32_t rec_start, uint32_t rec_size) {
  TANDEM_TRY(c_.open("type"));
  if (c_.at(TokKind::Id)) c_.next();
  TTypeDef def;
  def.rec_start = rec_start;
  def.rec_size = rec_size;
  def.explicit_rec = in_rec;
  if (c_.at_open("sub")) {
    c_.next();
    c_.next();
    def.has_sub = true;
    def.final = false;
    if (c_.at_keyword("final")) {
      c_.next();
      def.final = true;
    }
    while (at_index()) {
      TANDEM_ASSIGN(uint32_t s, parse_index(Space::Type));
      def.supers.push_back(s);
    }
    TANDEM_TRY(parse_descriptor_clauses(*this, def));
    TANDEM_TRY(parse_comptype(*this, def));
    TANDEM_TRY(c_.expect_rparen());
  } else {
    TANDEM_TRY(parse_descriptor_clauses(*this, def));
    TANDEM_TRY(parse_comptype(*this, def));
  }
  TANDEM_TRY(c_.expect_rparen());
  types_.push_back(std::move(def));
  return {};
}

// `(rec (type ...)*)`, cursor at `(`.
Status ModuleEncoder::parse_rec_field() {
  TANDEM_TRY(c_.open("rec"));
  uint32_t start = uint32_t(types_.size());
  // Count the members first so each knows its group size.
  uint32_t size = 0;
  {
    size_t save = c_.pos();
    int depth = 0;
    for (;;) {
      const Token& t = c_.peek();
      if (t.kind == TokKind::Eof) break;
      if (t.kind == TokKind::LParen) {
        if (depth == 0 && c_.at_keyword("type", 1)) ++size;
        ++depth;
      } else if (t.kind == TokKind::RParen) {
        if (depth == 0) break;
        --depth;
      }
      c_.next();
    }
    c_.seek(save);
  }
  while (c_.at_open("type")) TANDEM_TRY(parse_type_field(true, start, size));
  TANDEM_TRY(c_.expect_rparen());
  type_group_sizes_.push_back(size);
  return {};
}

// `(type x)? (param ...)* (result ...)*`.
Result<TypeUse> ModuleEncoder::parse_typeuse(bool allow_names) {
  TypeUse use;
  use.at = &c_.peek();
  if (c_.at_open("type")) {
    c_.next();
    c_.next();
    TANDEM_ASSIGN(use.index, parse_index(Space::Type));
    TANDEM_TRY(c_.expect_rparen());
  }
  while (c_.at_open("param")) {
    use.has_inline = true;
    c_.next();
    c_.next();
    if (c_.at(TokKind::Id)) {
      const Token& id = c_.next();
      if (!allow_names) return unexpected(id);
      TANDEM_ASSIGN(std::string key, id_key(id));
      TANDEM_ASSIGN(TVal v, parse_valtype());
      use.inline_type.params.push_back(v);
      use.param_names.push_back(std::move(key));
    } else {
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(TVal v, parse_valtype());
        use.inline_type.params.push_back(v);
        use.param_names.emplace_back();
      }
    }
    TANDEM_TRY(c_.expect_rparen());
  }
  while (c_.at_open("result")) {
    use.has_inline = true;
    c_.next();
    c_.next();
    while (!c_.at(TokKind::RParen)) {
      TANDEM_ASSIGN(TVal v, parse_valtype());
      use.inline_type.results.push_back(v);
    }
    TANDEM_TRY(c_.expect_rparen());
  }
  if (c_.at_open("param") || c_.at_open("type")) return unexpected(c_.peek(1));
  return use;
}

const TFuncType* ModuleEncoder::func_type_at(uint32_t index) const {
  if (index >= types_.size() || types_[index].kind != CompositeKind::Func) return nullptr;
  return &types_[index].func;
}

Result<uint32_t> ModuleEncoder::find_or_add_func_type(const TFuncType& ft) {
  for (uint32_t i = 0; i < types_.size(); ++i) {
    const TTypeDef& d = types_[i];
    if (d.kind == CompositeKind::Func && d.rec_size == 1 && d.final && d.supers.empty() &&
        !d.shared && !d.describes && !d.descriptor && d.func == ft)
      return i;
  }
  TTypeDef def;
  def.kind = CompositeKind::Func;
  def.func = ft;
  def.rec_start = uint32_t(types_.size());
  types_.push_back(std::move(def));
  type_group_sizes_.push_back(1);
  return uint32_t(types_.size() - 1);
}

Result<uint32_t> ModuleEncoder::resolve_typeuse(const TypeUse& use) {
  if (use.index) {
    if (use.has_inline) {
      const TFuncType* ft = func_type_at(*use.index);
      if (!ft) return error_at_token(*use.at, "unknown type");
      if (!(*ft == use.inline_type)) return error_at_token(*use.at, "inline function type");
    }
    return *use.index;
  }
  return find_or_add_func_type(use.inline_type);
}

// Limits after the optional address type: min max? with `shared` and
// `(pagesize N)` where allowed.
Status ModuleEncoder::parse_limits(Limits& lim, bool is64, bool allow_shared,
                                   bool allow_page_size) {
  lim.is64 = is64;
  unsigned bits = is64 ? 64 : 32;
  const Token& mn = c_.peek();
  if (mn.kind != TokKind::Nat) return unexpected(mn);
  // i32 limits above 2^32-1 still encode (validation rejects them).
  (void)bits;
  const char* range = is64 ? "i64 constant out of range" : "i32 constant out of range";
  auto mn_value = parse_uint(mn, 64);
  if (!mn_value.ok()) return error_at(mn, range);
  lim.min = mn_value.value();
  c_.next();
  if (c_.at(TokKind::Nat)) {
    auto mx = parse_uint(c_.peek(), 64);
    if (!mx.ok()) return error_at(c_.peek(), range);
    lim.max = mx.value();
    c_.next();
  }
  if (allow_shared && c_.at_keyword("shared")) {
    c_.next();
    lim.shared = true;
  } else if (allow_shared && c_.at_keyword("unshared")) {
    c_.next();
  }
  if (allow_page_size && c_.at_open("pagesize")) {
    c_.next();
    c_.next();
    const Token& p = c_.peek();
    if (p.kind != TokKind::Nat) return unexpected(p);
    TANDEM_ASSIGN(uint64_t size, parse_uint(p, 64));
    c_.next();
    if (size == 0 || (size & (size - 1)) != 0) return error_at_token(p, "invalid custom page size");
    uint32_t log2 = 0;
    while ((uint64_t(1) << log2) != size) ++log2;
    lim.page_size_log2 = log2;
    TANDEM_TRY(c_.expect_rparen());
  }
  return {};
}

} // namespace tandem::wast::wat
