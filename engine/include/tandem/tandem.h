// Tandem's public embedding API. The harness and the CLI use only this header.
//
// Object model (close to the wasm-c-api and wasmtime's): an Engine holds the
// configuration (features, tier policy); a Store owns all runtime objects
// (functions, tables, memories, globals, tags, instances, GC objects) and they
// live as long as the Store. Func, Table, Memory, Global, Tag and Instance are
// cheap handles into a Store. A Module is decoded and validated once and may be
// instantiated many times, in any Store of a compatible Engine.
//
// Errors come back as Result<T> with an Error{kind, offset, message}; traps are
// ErrorKind::Trap with the spec's wording (engine/wasm/traps.def), and stack
// exhaustion is ErrorKind::Exhaustion ("call stack exhausted").
//
// STATUS: sketch agreed between the runtime and the harness. The runtime owns
// this file; extend it, but do not change existing signatures without updating
// every caller.
#pragma once

#include "base/result.h"
#include "wasm/features.h"
#include "wasm/traps.h"
#include "wasm/types.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

namespace rt {
struct StoreImpl;
struct FuncInst;
struct TableInst;
struct MemoryInst;
struct GlobalInst;
struct TagInst;
struct ModuleInst;
struct ModuleImpl;
struct HandleAccess; // builds handles from runtime objects
} // namespace rt

enum class Tier : uint8_t { Interp, Jit, Tiered };

struct EngineConfig {
  FeatureSet features = FeatureSet::defaults();
  Tier tier = Tier::Tiered;
  // Tier-up thresholds (calls + loop back-edges) used by Tier::Tiered.
  uint32_t tierup_threshold = 1000;
  // Maximum wasm call depth before "call stack exhausted".
  uint32_t max_call_depth = 10000;
  // Test-only fault injection, honoured only in builds with TANDEM_ASSERTIONS
  // (compiled out of release builds): the JIT miscompiles the operator with
  // this text name (e.g. "i32.add"; integer results only) by flipping the low
  // bit of its result. Proves that differential execution catches a real tier
  // difference. Empty: off.
  std::string debug_jit_miscompile;
};

struct V128 {
  uint8_t bytes[16] = {};
  bool operator==(const V128&) const = default;
};

// An opaque reference value: 0 is null. Its meaning depends on the Store.
struct RefBits {
  uintptr_t bits = 0;
  bool is_null() const { return bits == 0; }
  bool operator==(const RefBits&) const = default;
};

// A tagged value for the API, the harness and constant expressions. Floats are
// held as bits so that NaN payloads survive every copy.
class Value {
public:
  Value() = default;
  static Value i32(uint32_t v) { return Value(kI32, v); }
  static Value i64(uint64_t v) { return Value(kI64, v); }
  static Value f32_bits(uint32_t v) { return Value(kF32, v); }
  static Value f64_bits(uint64_t v) { return Value(kF64, v); }
  static Value v128(V128 v) {
    Value r(kV128, 0);
    r.v128_ = v;
    return r;
  }
  static Value ref(ValType t, RefBits r) {
    Value v(t, 0);
    v.ref_ = r;
    return v;
  }
  static Value null(ValType t) { return ref(t, RefBits{}); }

  ValType type() const { return type_; }
  uint32_t i32() const { return uint32_t(scalar_); }
  uint64_t i64() const { return scalar_; }
  uint32_t f32_bits() const { return uint32_t(scalar_); }
  uint64_t f64_bits() const { return scalar_; }
  V128 v128() const { return v128_; }
  RefBits ref() const { return ref_; }

private:
  Value(ValType t, uint64_t s) : type_(t), scalar_(s) {}
  ValType type_ = kI32;
  uint64_t scalar_ = 0;
  V128 v128_{};
  RefBits ref_{};
};

// What a reference points at, for result matching in the harness.
enum class RefKind : uint8_t { Null, Func, Extern, HostAny, I31, Struct, Array, Exn, Other };
struct RefDescription {
  RefKind kind = RefKind::Null;
  AbsHeap hierarchy = AbsHeap::Any; // top type of its hierarchy: Func, Extern, Any or Exn
  std::optional<uint32_t> host_id;  // for ref.extern n / ref.host n
};

class Engine {
public:
  explicit Engine(EngineConfig config = {});
  const EngineConfig& config() const { return config_; }

private:
  EngineConfig config_;
};

class Func;
class Table;
class Memory;
class Global;
class Tag;

class Store {
public:
  explicit Store(const Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  const Engine& engine() const;
  rt::StoreImpl* impl() { return impl_.get(); }

  // Host references: ref.extern n as an externref, ref.host n as an anyref.
  Value extern_ref(uint32_t host_id);
  Value host_any_ref(uint32_t host_id);
  RefDescription describe(const Value& v) const;

private:
  std::unique_ptr<rt::StoreImpl> impl_;
};

struct ImportDesc {
  std::string module;
  std::string name;
  ExternKind kind;
};
struct ExportDesc {
  std::string name;
  ExternKind kind;
};

class Module {
public:
  // Decode and validate a binary module with the engine's features.
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> bytes);
  // Decode only (for assert_malformed classification); validation not run.
  static Status decode_only(const Engine& engine, std::span<const uint8_t> bytes);
  // Decodes and validates the custom sections the engine understands (name,
  // metadata.code.branch_hint). Their errors never make a module unusable.
  Status check_custom_sections() const;
  std::vector<ImportDesc> imports() const;
  std::vector<ExportDesc> exports() const;
  const std::shared_ptr<const rt::ModuleImpl>& impl() const { return impl_; }

private:
  friend struct rt::HandleAccess;
  std::shared_ptr<const rt::ModuleImpl> impl_;
};

class Func {
public:
  using HostCallback = std::function<Status(std::span<const Value> args, std::span<Value> results)>;
  Func() = default;
  static Func host(Store& store, FuncType type, HostCallback cb);
  FuncType type(const Store& store) const;
  // Calls the function; arguments are checked against its type.
  Result<std::vector<Value>> call(Store& store, std::span<const Value> args) const;
  rt::FuncInst* raw() const { return f_; }
  explicit operator bool() const { return f_ != nullptr; }

private:
  friend struct rt::StoreImpl;
  friend struct rt::HandleAccess;
  explicit Func(rt::FuncInst* f) : f_(f) {}
  rt::FuncInst* f_ = nullptr;
};

class Table {
public:
  Table() = default;
  static Result<Table> create(Store& store, TableType type, Value init);
  TableType type(const Store& store) const;
  uint64_t size(const Store& store) const;
  rt::TableInst* raw() const { return t_; }

private:
  friend struct rt::StoreImpl;
  friend struct rt::HandleAccess;
  explicit Table(rt::TableInst* t) : t_(t) {}
  rt::TableInst* t_ = nullptr;
};

class Memory {
public:
  Memory() = default;
  static Result<Memory> create(Store& store, MemoryType type);
  MemoryType type(const Store& store) const;
  std::span<uint8_t> data(Store& store) const;
  rt::MemoryInst* raw() const { return m_; }

private:
  friend struct rt::StoreImpl;
  friend struct rt::HandleAccess;
  explicit Memory(rt::MemoryInst* m) : m_(m) {}
  rt::MemoryInst* m_ = nullptr;
};

class Global {
public:
  Global() = default;
  static Result<Global> create(Store& store, GlobalType type, Value init);
  GlobalType type(const Store& store) const;
  Value get(const Store& store) const;
  rt::GlobalInst* raw() const { return g_; }

private:
  friend struct rt::StoreImpl;
  friend struct rt::HandleAccess;
  explicit Global(rt::GlobalInst* g) : g_(g) {}
  rt::GlobalInst* g_ = nullptr;
};

class Tag {
public:
  Tag() = default;
  rt::TagInst* raw() const { return t_; }

private:
  friend struct rt::StoreImpl;
  friend struct rt::HandleAccess;
  explicit Tag(rt::TagInst* t) : t_(t) {}
  rt::TagInst* t_ = nullptr;
};

struct Extern {
  ExternKind kind = ExternKind::Func;
  Func func;
  Table table;
  Memory memory;
  Global global;
  Tag tag;
};

class Instance {
public:
  Instance() = default;
  // Instantiates `module` with `imports` given in the module's import order.
  // Type mismatches are ErrorKind::Unlinkable ("incompatible import type").
  // A trap during initialisation is ErrorKind::Trap; effects on imported
  // objects made before the trap stay visible, as the spec requires.
  static Result<Instance> instantiate(Store& store, const Module& module,
                                      std::span<const Extern> imports);
  std::optional<Extern> get_export(const Store& store, std::string_view name) const;
  std::vector<std::pair<std::string, Extern>> exports(const Store& store) const;
  rt::ModuleInst* raw() const { return inst_; }

private:
  friend struct rt::StoreImpl;
  friend struct rt::HandleAccess;
  explicit Instance(rt::ModuleInst* i) : inst_(i) {}
  rt::ModuleInst* inst_ = nullptr;
};

} // namespace tandem
