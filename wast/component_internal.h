// Internal to the component text encoder (component_*.cc): sorts, scopes
// (index spaces with their $names and their output), deferred references and
// the ComponentEncoder that turns component fields into binary.
//
// Processing model (mirrors the wast crate's expand + resolve passes):
//  * Fields are parsed one at a time into a Pending: the field's bytes plus
//    "slots" for every index it references, left unresolved.
//  * Inline items a field needs (type definitions for inline type uses,
//    instances for inline `(instance (export ...))` arguments) are defined
//    as soon as the parser meets them, so they are emitted, in post-order,
//    before the field.
//  * When the field is fully parsed its slots are resolved in textual order.
//    Resolving may emit aliases (inline export paths, implicit outer
//    aliases) into the current scope, so they land after the inline items
//    and just before the field, which is then emitted and registered.
//  * Scopes form a stack: components, component types, instance types and
//    core module types. Each owns its index spaces and its output.
//
// Invariant: the token vector ends with an Eof token, so the cursor never
// reads past the end; annotations have been removed from it.
#pragma once

#include "base/result.h"
#include "wasm/component_sorts.h"
#include "wast/token.h"
#include "wast/wat_parser.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem::wast::comp {

// The sorts and their codes: wasm/component_sorts.h.
using Sort = ComponentSort;
inline constexpr size_t kSortCount = kComponentSortCount;

// "unexpected token" at `t` ("unexpected end of input" at Eof).
Error unexpected(const Token& t);

// A component-level `sort`: 0x00 core:sort, or func 0x01 ... instance 0x05.
void write_sort(std::vector<uint8_t>& out, Sort s);

// Section ids of the component binary format.
enum SectionId : uint8_t {
  kSecCustom = 0,
  kSecCoreModule = 1,
  kSecCoreInstance = 2,
  kSecCoreType = 3,
  kSecComponent = 4,
  kSecInstance = 5,
  kSecAlias = 6,
  kSecType = 7,
  kSecCanon = 8,
  kSecStart = 9,
  kSecImport = 10,
  kSecExport = 11,
};

// What an emitted entry is; scopes map it to a section or a declarator.
enum class Entry : uint8_t { CoreInstance, CoreType, Instance, Alias, Type, Canon, Import, Export };

enum class ScopeKind : uint8_t { Component, ComponentType, InstanceType, ModuleType };

// What an inline type use defines when it is not `(type idx)`.
enum class UseKind : uint8_t { Func, Component, Instance };

struct Scope {
  ScopeKind kind = ScopeKind::Component;
  bool has_id = false;
  std::string id; // without `$`
  std::array<std::unordered_map<std::string, uint32_t>, kSortCount> names;
  std::array<uint32_t, kSortCount> counts{};

  // Component output: finished sections, plus the vector section being filled.
  std::vector<uint8_t> sections;
  int open_section = -1;
  uint32_t open_count = 0;
  std::vector<uint8_t> open_body;

  // Type scopes: the declarators.
  uint32_t decl_count = 0;
  std::vector<uint8_t> decls;

  // Inline `(export "n")` clauses, exported at the end of the component.
  struct Appended {
    std::string name;
    Sort sort;
    uint32_t index;
  };
  std::vector<Appended> appended;

  // Module types: encoded core func type -> index, for implicit type uses.
  std::map<std::vector<uint8_t>, uint32_t> func_types;
};

// A reference to an item, resolved when its field is complete.
struct ItemRef {
  Sort sort = Sort::Type;
  const Token* tok = nullptr;     // Nat or Id (null when fixed)
  std::vector<std::string> names; // inline export path `$i "a" "b"`
  bool fixed = false;             // already an index (an inline definition)
  uint32_t index = 0;
  static ItemRef of(Sort s, uint32_t index) {
    ItemRef r;
    r.sort = s;
    r.fixed = true;
    r.index = index;
    return r;
  }
};

// Bytes of an entry with index slots still to fill in.
struct Pending {
  struct Slot {
    size_t offset;
    bool sleb; // valtype indices are s33
    ItemRef ref;
  };
  std::vector<uint8_t> bytes;
  std::vector<Slot> slots;

  void byte(uint8_t b) { bytes.push_back(b); }
  void sort(Sort s) { write_sort(bytes, s); }
  void u32(uint32_t v);
  void name(std::string_view s);
  void ref(ItemRef r, bool sleb = false) { slots.push_back({bytes.size(), sleb, std::move(r)}); }
  void append(Pending&& p);
};

class ComponentEncoder {
public:
  // `tokens` are the filtered tokens (Eof-terminated); `orig` the original
  // ones and `orig_index[i]` the position in `orig` of tokens[i] (core
  // modules are handed to the core encoder with their annotations).
  ComponentEncoder(std::span<const Token> tokens, std::span<const Token> orig,
                   std::vector<uint32_t> orig_index)
      : c_(tokens), toks_(tokens), orig_(orig), orig_index_(std::move(orig_index)), core_(tokens) {}

  // Encodes the fields at the cursor as a component named `id`; they end at
  // Eof, or at a `)` then Eof when `wrapped`.
  Result<std::vector<uint8_t>> run(std::optional<std::string> id, bool wrapped);

  // Cursor helpers with this encoder's error wording.
  Status expect(TokKind k) {
    if (!c_.at(k)) return unexpected(c_.peek());
    c_.next();
    return {};
  }
  Status expect_rparen() { return expect(TokKind::RParen); }
  Status expect_keyword(std::string_view kw) {
    if (!c_.at_keyword(kw)) return unexpected(c_.peek());
    c_.next();
    return {};
  }
  // Consumes `(` kw.
  Status open(std::string_view kw) {
    if (!c_.at_open(kw)) return unexpected(c_.at(TokKind::LParen) ? c_.peek(1) : c_.peek());
    c_.next();
    c_.next();
    return {};
  }

  // ---- component_encoder.cc: scopes, names, output
  Scope& cur() { return *stack_.back(); }
  void push_scope(ScopeKind kind, const Token* id);
  std::unique_ptr<Scope> pop_scope();
  Result<uint32_t> define(Sort s, const Token* id);
  Result<uint32_t> resolve_ns(Sort s, const Token& tok);
  Result<uint32_t> resolve_ref(const ItemRef& r);
  Result<std::vector<uint8_t>> finish(Pending&& p);
  void emit(Entry e, const std::vector<uint8_t>& bytes);
  void emit_section(uint8_t id, const std::vector<uint8_t>& body);
  void flush_section(Scope& s);
  Result<std::vector<uint8_t>> finish_component(Scope& s);
  void append_component_names(const Scope& s, std::vector<uint8_t>& out);
  Status enter(const Token& at); // nesting depth check (pair with leave())
  void leave() { --depth_; }

  // ---- component_encoder.cc: fields
  Status parse_component_fields();
  Status parse_field();
  Status parse_core_module();
  Status parse_core_instance();
  Status parse_nested_component();
  Status parse_instance();
  Status parse_alias(bool core_prefixed);
  Status parse_import(Entry e = Entry::Import);
  Status parse_export();
  Status parse_start();
  Status parse_func();
  Status parse_core_func();
  Status parse_inline_exports(std::vector<std::string>& names);
  Status add_appended(const std::vector<std::string>& names, Sort s, uint32_t index);
  Status parse_extern_name(Pending& p);
  Result<ItemRef> parse_index_ref(Sort s);
  Result<ItemRef> parse_item_ref(Sort s);          // `(sort idx name*)`, sort keyword checked
  Result<ItemRef> parse_core_item_ref(Sort s);     // `(core? sort idx name?)`
  Result<ItemRef> parse_index_or_item_ref(Sort s); // `idx` or `(sort idx name*)`
  Result<ItemRef>
  parse_index_or_core_ref(Sort s);    // `idx` or `(core sort ...)` or legacy `(sort ...)`
  Result<ItemRef> parse_extern_idx(); // `(sort idx name*)` of any component sort
  Result<Sort> parse_alias_sort(bool core_context);
  Status parse_inline_export_bundle(Pending& p, uint32_t& count);
  Status parse_core_inline_export_bundle(Pending& p, uint32_t& count);

  // ---- component_types.cc
  bool at_index() const { return c_.at(TokKind::Nat) || c_.at(TokKind::Id); }
  // `(import "name")` of the inline-import sugar (not an import field).
  bool at_inline_import() const {
    return c_.at_open("import") && c_.at(TokKind::String, 2) && c_.at(TokKind::RParen, 3);
  }
  bool at_type_ref_form() const {
    return c_.at_open("type") && (c_.at(TokKind::Nat, 2) || c_.at(TokKind::Id, 2));
  }
  Status parse_type_field();
  Status parse_core_type_field();
  Status parse_valtype(Pending& p);
  Status parse_deftype(Pending& p, const Token* id);
  Status parse_defvaltype_body(Pending& p, const Token& kw);
  Status parse_functype_body(Pending& p);
  Status parse_component_type_body(Pending& p, bool instance, const Token* id);
  Status parse_module_type_body(Pending& p, const Token* id);
  Status parse_resource_body(Pending& p);
  Result<uint32_t> define_inline_valtype();
  Status parse_type_use(Pending& p, UseKind kind);
  Status parse_item_sig(Pending& p, Sort& sort, const Token** id, bool allow_id);
  Status parse_type_bound(Pending& p);
  Status parse_decls(bool component_type);
  // Encodes the core type definition `(core? type ...)` or `(core? rec ...)`
  // starting at toks_[form_begin] with the core WAT encoder; moves past it.
  Status parse_core_typedef_tokens(size_t form_begin, bool core_prefix, bool rec,
                                   std::vector<uint8_t>& out);
  Status parse_module_decl();
  Status parse_core_externtype(std::vector<uint8_t>& out);
  Result<uint32_t> parse_core_typeuse_in_module();
  Result<uint8_t> parse_core_valtype_byte();

  // ---- component_canon.cc
  Status parse_canon();
  Status parse_canon_opts(Pending& p);
  Status parse_canon_lift(Pending& p);
  Status parse_canon_lower(Pending& p);
  Status parse_canon_builtin(Pending& p, const Token& name);
  Status parse_trailing_core_func(const Token** id);

  // Decrements the nesting depth when leaving a construct entered with enter().
  struct DepthGuard {
    ComponentEncoder& e;
    ~DepthGuard() { e.leave(); }
  };

  // ---- state
  wat::Cursor c_;
  std::span<const Token> toks_;
  std::span<const Token> orig_;
  std::vector<uint32_t> orig_index_;
  wat::ModuleEncoder core_; // reused for core value types and limits
  std::vector<std::unique_ptr<Scope>> stack_;
  unsigned depth_ = 0;
};

// Decoded string literal that must be a name (UTF-8), located at the token.
Result<std::string> token_name(const Token& t);

// Index (in the token span) of the token after the form starting at `i`, or
// toks.size() if the form is not closed.
size_t form_end(std::span<const Token> toks, size_t i);

} // namespace tandem::wast::comp
