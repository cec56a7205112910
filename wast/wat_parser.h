// Internal to the WAT encoder (wat_*.cc): the token cursor, the text-level
// type representation and the ModuleEncoder that turns the fields of one
// module into binary sections.
//
// Two passes over the fields: scan_fields() assigns every index space entry
// (types, funcs, tables, memories, globals, tags, elem and data segments) its
// index and records its $name, so later references may point forward; then
// all type definitions are parsed (implicit type uses must see every explicit
// type), then the remaining fields are encoded in textual order straight into
// per-section buffers. Function bodies are encoded by an iterative parser with
// an explicit frame stack (no native recursion per nesting level).
//
// Invariant: the token vector ends with an Eof token, so peek() never reads
// past the end.
#pragma once

#include "base/result.h"
#include "wasm/opcodes.h"
#include "wasm/types.h"
#include "wast/token.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem::wast::wat {

class Cursor {
public:
  explicit Cursor(std::span<const Token> toks) : toks_(toks) {}

  const Token& peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool at(TokKind k, size_t off = 0) const { return peek(off).kind == k; }
  bool at_keyword(std::string_view kw, size_t off = 0) const { return peek(off).is_keyword(kw); }
  // `(` followed by keyword kw.
  bool at_open(std::string_view kw) const { return at(TokKind::LParen) && at_keyword(kw, 1); }
  bool at_eof() const { return at(TokKind::Eof); }
  size_t pos() const { return pos_; }
  void seek(size_t p) { pos_ = p; }

  Status expect(TokKind k);
  Status expect_keyword(std::string_view kw);
  Status expect_rparen() { return expect(TokKind::RParen); }
  // Consumes `(` kw.
  Status open(std::string_view kw);

private:
  std::span<const Token> toks_;
  size_t pos_ = 0;
};

// True for keywords of the text format (syntax words and instruction names).
bool is_known_keyword(std::string_view kw);
// "unexpected token" at a token; "unknown operator" for reserved tokens and
// unknown keywords (the reference interpreter's lexer rejects those).
Error unexpected(const Token& t);
// Error at a token with a message.
Error error_at_token(const Token& t, std::string msg);

// A value type in text-level terms: type indices stay full u32 values.
struct TVal {
  ValKind kind = ValKind::I32;
  bool nullable = false;
  bool exact = false;
  bool shared = false;
  bool abstract = false;
  AbsHeap abs = AbsHeap::Func;
  uint32_t index = 0; // heap type index when !abstract
  bool operator==(const TVal&) const = default;
};

struct TField {
  TVal type;
  Packed packed = Packed::None;
  bool mut = false;
  bool operator==(const TField&) const = default;
};

struct TFuncType {
  std::vector<TVal> params;
  std::vector<TVal> results;
  bool operator==(const TFuncType&) const = default;
};

// One type definition (a subtype) of the type index space.
struct TTypeDef {
  CompositeKind kind = CompositeKind::Func;
  bool shared = false;
  bool final = true;
  bool has_sub = false; // written as (sub ...)
  std::vector<uint32_t> supers;
  std::optional<uint32_t> describes;
  std::optional<uint32_t> descriptor;
  TFuncType func;
  std::vector<TField> fields; // struct fields, or the one array field
  uint32_t cont_type = 0;     // cont
  std::unordered_map<std::string, uint32_t> field_names;
  uint32_t rec_start = 0;
  uint32_t rec_size = 1;
  bool explicit_rec = false;
};

enum class Space : uint8_t { Type, Func, Table, Memory, Global, Tag, Elem, Data, Count };
const char* space_name(Space s);           // "type", "function", ...
const char* space_duplicate_name(Space s); // "type", "func", ...

struct NameSpace {
  std::unordered_map<std::string, uint32_t> names;
  uint32_t count = 0;
};

// A parsed type use: `(type x)? (param ...)* (result ...)*`.
struct TypeUse {
  std::optional<uint32_t> index; // explicit (type x)
  bool has_inline = false;       // any (param) or (result) present
  TFuncType inline_type;
  std::vector<std::string> param_names; // "" when unnamed; only with names allowed
  const Token* at = nullptr;
};

// The key of an Id token ($x and $"x" give "x").
Result<std::string> id_key(const Token& t);

// Local variables of a function being encoded.
struct LocalScope {
  std::unordered_map<std::string, uint32_t> names;
  uint32_t count = 0;
};

struct BranchHint {
  uint32_t offset;
  std::string payload;
};

// Where a @custom section goes: before/after a known section id, first, last.
struct CustomSection {
  std::string name;
  std::string bytes;
  int anchor = 0;    // section id, or 0 for first/last
  bool after = true; // after (or before) the anchor
  bool edge = true;  // true: "first"/"last" (anchor unused)
};

class ModuleEncoder {
public:
  // `tokens` are the module fields (no `(module` wrapper), Eof-terminated,
  // with ignorable annotations removed.
  explicit ModuleEncoder(std::span<const Token> tokens) : c_(tokens), toks_(tokens) {}

  Result<std::vector<uint8_t>> run();

  // ---- wat_module.cc: fields
  Status scan_fields();
  Status parse_type_fields();
  Status parse_other_fields();
  Status parse_field();
  Status parse_func();
  Status parse_table();
  Status parse_memory();
  Status parse_global();
  Status parse_tag();
  Status parse_import();
  Status parse_export();
  Status parse_start();
  Status parse_elem();
  Status parse_data();
  Status parse_custom();
  Status parse_inline_exports(ExternKind kind, uint32_t index);
  Status parse_func_body(const TypeUse& use, uint32_t func_index, std::vector<uint8_t>& body);
  Status parse_elem_list(std::vector<uint8_t>& out, uint32_t& count, bool& all_funcs,
                         std::vector<uint8_t>& func_indices, bool allow_bare_indices);
  Result<std::string> parse_data_strings();

  // ---- wat_types.cc: types
  Status parse_type_field(bool in_rec, uint32_t rec_start, uint32_t rec_size);
  Status parse_rec_field();
  Result<TVal> parse_valtype();
  bool at_valtype() const;
  Result<TVal> parse_reftype();
  bool at_reftype() const;
  // Heap type after `ref null?` or in ref.null / ref.test: keyword, index, (exact x), (shared h).
  Status parse_heaptype(TVal& v);
  Result<TField> parse_fieldtype();
  Result<TypeUse> parse_typeuse(bool allow_names);
  Result<uint32_t> resolve_typeuse(const TypeUse& use);
  Result<uint32_t> find_or_add_func_type(const TFuncType& ft);
  const TFuncType* func_type_at(uint32_t index) const;
  Status parse_limits(Limits& lim, bool is64, bool allow_shared, bool allow_page_size);

  // ---- indices
  bool at_index() const { return c_.at(TokKind::Nat) || c_.at(TokKind::Id); }
  Result<uint32_t> parse_index(Space s);
  Result<uint32_t> resolve_index(Space s, const Token& t);
  Status define_name(Space s, const Token& id, uint32_t index);

  // ---- wat_instr.cc: instructions
  // Encodes instructions up to the `)` that closes the enclosing form (not
  // consumed), or to Eof when top_level. `locals` is null in constant
  // expressions.
  Status encode_instrs(std::vector<uint8_t>& out, LocalScope* locals, bool top_level = false);
  // Encodes `expr` of a constant expression plus the final `end`.
  Status encode_const_expr(std::vector<uint8_t>& out);
  // Encodes exactly one folded instruction plus the final `end`.
  Status encode_const_expr_single(std::vector<uint8_t>& out);

  // ---- wat_writer.cc
  void write_valtype(std::vector<uint8_t>& out, const TVal& v) const;
  void write_heaptype(std::vector<uint8_t>& out, const TVal& v) const;
  void write_limits(std::vector<uint8_t>& out, const Limits& lim) const;
  void write_typedef(std::vector<uint8_t>& out, const TTypeDef& t) const;
  std::vector<uint8_t> assemble() const;

  // ---- state (public to the .cc files of the encoder)
  Cursor c_;
  std::span<const Token> toks_;
  std::vector<size_t> field_starts_; // token index of each top-level `(`
  NameSpace spaces_[size_t(Space::Count)];
  std::vector<TTypeDef> types_;
  uint32_t num_explicit_types_ = 0;
  std::vector<uint32_t> type_group_sizes_; // rec group sizes (0 for an empty rec)

  std::vector<uint8_t> imports_;
  uint32_t num_imports_ = 0;
  std::vector<uint32_t> func_type_indices_; // defined functions
  std::vector<uint8_t> tables_;
  uint32_t num_tables_ = 0;
  std::vector<uint8_t> memories_;
  uint32_t num_memories_ = 0;
  std::vector<uint8_t> globals_;
  uint32_t num_globals_ = 0;
  std::vector<uint8_t> tags_;
  uint32_t num_tags_ = 0;
  std::vector<uint8_t> exports_;
  uint32_t num_exports_ = 0;
  std::optional<uint32_t> start_;
  std::vector<uint8_t> elems_;
  uint32_t num_elems_ = 0;
  std::vector<uint8_t> datas_;
  uint32_t num_datas_ = 0;
  std::vector<uint8_t> code_;
  uint32_t num_bodies_ = 0;
  bool needs_data_count_ = false;
  std::vector<CustomSection> customs_;
  std::vector<uint8_t> branch_hints_;
  uint32_t num_hinted_funcs_ = 0;

  // Per-kind counters while encoding (index of the next definition).
  uint32_t next_func_ = 0, next_table_ = 0, next_memory_ = 0, next_global_ = 0, next_tag_ = 0;
  // Labels: names of enclosing blocks (empty = unnamed), innermost last.
  std::vector<std::string> labels_;
  std::unordered_map<std::string, std::vector<uint32_t>> label_index_;
  // Branch hints of the function being encoded.
  std::vector<BranchHint> pending_hints_;
  uint32_t body_base_ = 0; // offset of the body start inside the current out buffer
};

// Appends a name (u32 length + bytes).
void write_name(std::vector<uint8_t>& out, std::string_view s);

} // namespace tandem::wast::wat
