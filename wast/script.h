// The .wast script AST and its parser (docs/wast-script-language.md, sections
// 2-9 and 11-12). A Script owns its source text and token vector; commands
// refer to module text by token index ranges into Script::tokens, so the core
// and component encoders can take a std::span<const Token>.
//
// What the parser decides and what it leaves to the runner:
//  * Text modules are NOT encoded here: the command keeps the token range.
//    `binary` bodies are decoded to bytes (strings concatenated); `quote`
//    bodies are joined into one text (see ModuleSource::text). Neither is
//    decoded/parsed as a module: that happens when the command runs.
//  * Names (`$id`) are stored decoded and without the `$` (`$"x"` == `$x`).
//    Re-binding a name is not an error here (component scripts do it).
//  * Values are stored bit-exactly (floats and NaN payloads as bits, v128 as
//    16 little-endian bytes). Component values are a neutral tree; a top-level
//    f32.const/f64.const argument is a core value (the runner may convert it
//    for a component callee, doc section 9).
//  * Annotations `(@...)` are skipped wherever the script grammar is parsed
//    (before `module`, between arguments, ...), except a top-level
//    `(@isolation ...)`: the annotation form of `assert_isolated`. Inside a
//    text module's token range they are kept for the encoder.
//  * The parser never recurses per nesting level of module text (forms are
//    skipped with a precomputed paren match). Nested values (`either`,
//    component lists, ...) and `thread` blocks recurse with a depth limit of
//    kMaxValueDepth / kMaxThreadDepth ("nesting too deep").
#pragma once

#include "base/result.h"
#include "wasm/types.h"
#include "wast/token.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tandem::wast {

inline constexpr unsigned kMaxValueDepth = 256;
inline constexpr unsigned kMaxThreadDepth = 16;

// Source position of a command or value (1-based line and byte column).
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
};

// ---------------------------------------------------------------------------
// Modules and components

enum class ModuleKind : uint8_t { Core, Component };

enum class ModuleForm : uint8_t {
  Text,     // (module $id? field*): token ranges below
  Binary,   // (module $id? binary "..."*): `bytes`
  Quote,    // (module $id? quote "..."*): `text`
  Instance, // (module instance $inst? $mod?): `id` = $inst, `instance_of` = $mod
};

// A module or component as written in a command or assertion.
struct ModuleSource {
  ModuleKind kind = ModuleKind::Core;
  ModuleForm form = ModuleForm::Text;
  // `(module definition ...)`: define and validate only, do not instantiate.
  bool definition = false;
  // Text/Binary/Quote: the binding name. Instance: the new instance's name.
  std::optional<std::string> id;
  // Instance form only: the module (or component definition) to instantiate.
  // Per the reference interpreter, a single name is the MODULE name:
  // `(module instance $m)` gives id = nullopt, instance_of = "m".
  std::optional<std::string> instance_of;
  Location loc; // of the opening `(`

  // Text form: [form_begin, form_end) is the whole `(module ...)` form,
  // parens included; [body_begin, body_end) is just the fields (after
  // `module`, `definition` and `$id`), i.e. up to but excluding the closing
  // `)`. For the inline-module file form (a file that is only fields) both
  // ranges are all tokens of the file except Eof. Encoders should use the
  // body range (plus `id` for a name section).
  uint32_t form_begin = 0, form_end = 0;
  uint32_t body_begin = 0, body_end = 0;

  // Binary form: the decoded strings concatenated (arbitrary bytes).
  std::string bytes;

  // Quote form. Core: the decoded strings concatenated with no separator
  // (reference interpreter); may be bare fields or a full `(module ...)`.
  // Component: the wast crate's text, `(component` + each string followed by
  // one space + `)`, i.e. always a full `(component ...)`. Not checked for
  // UTF-8 here: lexing the text reports "malformed UTF-8 encoding".
  std::string text;
};

// ---------------------------------------------------------------------------
// Values

enum class LaneShape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };
unsigned lane_count(LaneShape s);         // 16, 8, 4, 2, 4, 2
unsigned lane_bytes(LaneShape s);         // 1, 2, 4, 8, 4, 8
const char* lane_shape_name(LaneShape s); // "i8x16", ...

// A core argument value (doc section 5).
struct CoreValue {
  enum class Kind : uint8_t {
    I32,       // bits: zero-extended 32-bit pattern
    I64,       // bits
    F32,       // bits: IEEE bits (payloads preserved)
    F64,       // bits
    V128,      // v128 (+ shape as written)
    RefNull,   // heap: the heap type written (abstract or index)
    RefExtern, // bits: host value n, passed as an externref
    RefHost,   // bits: host value n, passed as an anyref (GC)
  };
  Kind kind = Kind::I32;
  uint64_t bits = 0;
  std::array<uint8_t, 16> v128{}; // little-endian lane bytes
  LaneShape shape = LaneShape::I32x4;
  HeapType heap{};
  Location loc;
};

enum class NanPattern : uint8_t {
  None,       // compare bits exactly
  Canonical,  // nan:canonical
  Arithmetic, // nan:arithmetic
};

// An expected core result (doc section 6).
struct ResultPattern {
  enum class Kind : uint8_t {
    I32,       // bits
    I64,       // bits
    F32,       // bits, or nan != None
    F64,       // bits, or nan != None
    V128,      // shape, v128 and lane_nan (float lanes may be NaN patterns)
    RefNull,   // has_heap ? `ref.null heap` : bare `ref.null` (any null)
    RefExtern, // has_host_id ? `ref.extern n` : bare `ref.extern`
    RefHost,   // `ref.host n` (has_host_id always true)
    RefFunc,   // `ref.func` (or wast-crate `ref.func $f`/`ref.func n`: func_index kept, unchecked)
    RefStruct, // `ref.struct`
    RefArray,  // `ref.array`
    RefEq,     // `ref.eq`
    RefI31,    // `ref.i31`
    RefI31Shared, // `ref.i31_shared` (wast crate)
    RefAny,       // `ref.any` (wast crate)
    RefExn,       // `ref.exn` (reference interpreter)
    Ref,          // `ref` (reference interpreter: any non-function reference)
    Either,       // `either`: at least one of `alternatives` must match
  };
  Kind kind = Kind::I32;
  uint64_t bits = 0;
  NanPattern nan = NanPattern::None;
  LaneShape shape = LaneShape::I32x4;
  std::array<uint8_t, 16> v128{};
  std::array<NanPattern, 16> lane_nan{}; // per lane of `shape`; None for integer lanes
  bool has_heap = false;
  HeapType heap{};
  bool has_host_id = false;
  uint32_t host_id = 0;
  std::optional<std::string> func_index;   // `ref.func $f` / `ref.func 3`, as written
  std::vector<ResultPattern> alternatives; // Either
  Location loc;
};

// A component value (doc section 9), used for arguments and results alike.
struct CompValue {
  enum class Kind : uint8_t {
    Bool, // bits 0/1
    U8,
    S8,
    U16,
    S16,
    U32,
    S32,
    U64,
    S64, // bits: the value (signed ones sign-extended to 64)
    F32,
    F64,        // bits: IEEE bits
    Char,       // bits: the Unicode scalar value
    String,     // text (valid UTF-8)
    List,       // items
    Tuple,      // items
    Record,     // names[i] is the field name of items[i]
    Variant,    // text: case name; items: 0 or 1 payload
    Enum,       // text: case name
    OptionNone, //
    OptionSome, // items: 1 payload
    ResultOk,   // items: 0 or 1 payload
    ResultErr,  // items: 0 or 1 payload
    Flags,      // names: the flags, in written order (compare as a set)
  };
  Kind kind = Kind::Bool;
  uint64_t bits = 0;
  std::string text;
  std::vector<CompValue> items;
  std::vector<std::string> names;
  Location loc;
};

// An argument: a core value or a component value.
using Arg = std::variant<CoreValue, CompValue>;
// An expected result: a core pattern or a component value.
using Expected = std::variant<ResultPattern, CompValue>;

// ---------------------------------------------------------------------------
// Actions and commands

struct Action {
  enum class Kind : uint8_t { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::optional<std::string> instance; // `$inst` (decoded, no `$`); nullopt = current
  std::string name;                    // export name (valid UTF-8)
  std::vector<Arg> args;               // Invoke only
  Location loc;
};

enum class CommandKind : uint8_t {
  Module,                // module: define (+ validate), instantiate unless module.definition;
                         // module.form == Instance: instantiate a previous definition
  Register,              // register_name, register_instance
  Action,                // a bare invoke/get, run for its effects
  AssertReturn,          // action, expected
  AssertTrap,            // action, message (the action must trap)
  AssertUninstantiable,  // module, message (`assert_trap` with a module: instantiation traps)
  AssertExhaustion,      // action, message
  AssertInvalid,         // module, message
  AssertMalformed,       // module, message
  AssertUnlinkable,      // module, message
  AssertException,       // action
  AssertSuspension,      // action, message
  AssertMalformedCustom, // module, message
  AssertInvalidCustom,   // module, message
  Thread,                // thread_name, shared_module, body
  Wait,                  // thread_name
  AssertIsolated,        // isolation (Tandem: `assert_isolated` or the `(@isolation ...)`
                         // annotation)
};
const char* command_kind_name(CommandKind k); // "module", "assert_return", ...

// An instance named by an isolation check: `$a/$b` (ids {"a", "b"}: nested
// instance ids inside the current root component) or a string naming a root
// import bound to a host instance (host_import, ids {name}).
struct InstanceName {
  bool host_import = false;
  std::vector<std::string> ids;
};

// `(assert_isolated CHILD (from REAL) (via VIRTUALIZER))`.
struct IsolationCheck {
  InstanceName child, real, via;
  bool annotation = false; // written as `(@isolation ...)`
};

struct Command {
  CommandKind kind = CommandKind::Module;
  Location loc; // of the command's opening `(`
  ModuleSource module;
  Action action;
  std::vector<Expected> expected; // AssertReturn
  std::string message;            // expected failure text (may be empty)
  // Register: `(register "name" $inst?)`.
  std::string register_name;
  std::optional<std::string> register_instance;
  // Thread / Wait: `(thread $t (shared (module $m))? command*)`, `(wait $t)`.
  std::string thread_name;
  std::optional<std::string> shared_module;
  std::vector<Command> body;
  IsolationCheck isolation; // AssertIsolated
};

struct Script {
  std::string file_name;
  std::shared_ptr<const std::string> source; // tokens view into this text
  std::vector<Token> tokens;                 // ends with Eof
  std::vector<Command> commands;
  // True for the inline-module file form: `commands` is then one Module
  // command whose text ranges cover the whole file.
  bool inline_module = false;

  // Tokens of a Text module: the body (fields) or the whole form.
  std::span<const Token> body_tokens(const ModuleSource& m) const {
    return std::span<const Token>(tokens).subspan(m.body_begin, m.body_end - m.body_begin);
  }
  std::span<const Token> form_tokens(const ModuleSource& m) const {
    return std::span<const Token>(tokens).subspan(m.form_begin, m.form_end - m.form_begin);
  }
  // "file:line:col" of a location.
  std::string where(Location loc) const;
};

// Lexes and parses a whole script. The source is copied into the Script.
// Errors are Malformed with line/column; format them with format_error().
Result<Script> parse_script(std::string_view source, std::string file_name);

// "file:line:col: message" (or "file: message" when the error has no line).
std::string format_error(const Error& e, std::string_view file_name);

// Counts of commands by kind (including those nested in `thread`), for tests
// and reports.
struct CommandCounts {
  std::array<uint32_t, 17> by_kind{};
  uint32_t operator[](CommandKind k) const { return by_kind[static_cast<size_t>(k)]; }
};
CommandCounts count_commands(const Script& script);

} // namespace tandem::wast
