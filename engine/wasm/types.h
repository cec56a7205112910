// Value types, heap types and the type-section structures of wasm 3.0
// (function, struct and array types, subtyping, recursion groups), plus limits
// and the extern kinds. These are shared by the text encoder, the decoder, the
// validator, the runtime and both tiers.
//
// A ValType packs into 32 bits: kind, nullability and a heap type. A heap type
// is either abstract (func, extern, any, ...) or a type index; an index is
// module-relative in a decoded module. Binary codes are the spec's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

// Abstract heap types, with their binary (negative s33) codes as the low byte.
enum class AbsHeap : uint8_t {
  NoExn = 0x74,
  NoFunc = 0x73,
  NoExtern = 0x72,
  None = 0x71,
  Func = 0x70,
  Extern = 0x6f,
  Any = 0x6e,
  Eq = 0x6d,
  I31 = 0x6c,
  Struct = 0x6b,
  Array = 0x6a,
  Exn = 0x69,
};

class HeapType {
public:
  constexpr HeapType() = default;
  static constexpr HeapType abstract(AbsHeap a, bool shared = false) {
    return HeapType(kAbstractBit | (shared ? kSharedBit : 0) | uint32_t(a));
  }
  static constexpr HeapType index(uint32_t idx, bool shared = false, bool exact = false) {
    return HeapType((shared ? kSharedBit : 0) | (exact ? kExactBit : 0) | (idx & kIndexMask));
  }
  // custom-descriptors: an exact type index is inhabited by that type alone,
  // not by its strict subtypes. Only type indices can be exact.
  constexpr bool exact() const { return bits_ & kExactBit; }
  constexpr HeapType with_exact(bool e) const {
    return HeapType(e && is_index() ? (bits_ | kExactBit) : (bits_ & ~kExactBit));
  }
  constexpr bool is_abstract() const { return bits_ & kAbstractBit; }
  constexpr bool is_index() const { return !is_abstract(); }
  constexpr bool shared() const { return bits_ & kSharedBit; }
  constexpr AbsHeap abs() const { return AbsHeap(bits_ & 0xff); }
  constexpr uint32_t type_index() const { return bits_ & kIndexMask; }
  constexpr uint32_t bits() const { return bits_; }
  constexpr bool operator==(const HeapType&) const = default;

  static constexpr uint32_t kIndexMask = 0x0fffffff;

private:
  static constexpr uint32_t kAbstractBit = 0x80000000;
  static constexpr uint32_t kSharedBit = 0x40000000;
  static constexpr uint32_t kExactBit = 0x20000000;
  explicit constexpr HeapType(uint32_t b) : bits_(b) {}
  uint32_t bits_ = 0;
};

enum class ValKind : uint8_t { I32, I64, F32, F64, V128, Ref, Bot };

class ValType {
public:
  constexpr ValType() = default;
  constexpr ValType(ValKind k) : kind_(k) {}
  static constexpr ValType ref(HeapType ht, bool nullable) {
    return ValType(ValKind::Ref, nullable, ht);
  }
  static constexpr ValType ref_null(AbsHeap a) { return ref(HeapType::abstract(a), true); }

  constexpr ValKind kind() const { return kind_; }
  constexpr bool is_ref() const { return kind_ == ValKind::Ref; }
  constexpr bool is_num() const { return kind_ <= ValKind::F64; }
  constexpr bool nullable() const { return nullable_; }
  constexpr HeapType heap() const { return heap_; }
  constexpr bool operator==(const ValType&) const = default;

  // Byte size of the value in a RawValue slot / in memory.
  constexpr uint32_t byte_size() const {
    switch (kind_) {
    case ValKind::I32:
    case ValKind::F32: return 4;
    case ValKind::V128: return 16;
    default: return 8;
    }
  }

private:
  constexpr ValType(ValKind k, bool n, HeapType h) : kind_(k), nullable_(n), heap_(h) {}
  ValKind kind_ = ValKind::I32;
  bool nullable_ = false;
  HeapType heap_{};
};

inline constexpr ValType kI32{ValKind::I32};
inline constexpr ValType kI64{ValKind::I64};
inline constexpr ValType kF32{ValKind::F32};
inline constexpr ValType kF64{ValKind::F64};
inline constexpr ValType kV128{ValKind::V128};
inline constexpr ValType kFuncRef = ValType::ref_null(AbsHeap::Func);
inline constexpr ValType kExternRef = ValType::ref_null(AbsHeap::Extern);
inline constexpr ValType kExnRef = ValType::ref_null(AbsHeap::Exn);

// Packed storage types for struct/array fields.
enum class Packed : uint8_t { None, I8, I16 };

struct StorageType {
  ValType type; // the unpacked type (i32 for packed fields)
  Packed packed = Packed::None;
  bool operator==(const StorageType&) const = default;
};

struct FieldType {
  StorageType storage;
  bool mut = false;
  bool operator==(const FieldType&) const = default;
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

enum class CompositeKind : uint8_t { Func, Struct, Array, Cont };

struct CompositeType {
  CompositeKind kind = CompositeKind::Func;
  bool shared = false;
  FuncType func;                 // Func
  std::vector<FieldType> fields; // Struct (all fields) or Array (exactly one)
  uint32_t cont_type = 0;        // Cont: index of the function type
};

// One entry of the type section after flattening rec groups: index i of the
// module's type space. rec_group/rec_index locate it in its group.
struct SubType {
  bool final = true;
  std::optional<uint32_t> super;      // at most one supertype in wasm 3.0
  std::optional<uint32_t> describes;  // custom-descriptors proposal
  std::optional<uint32_t> descriptor; // custom-descriptors proposal
  CompositeType comp;
  uint32_t rec_group = 0; // index of the first type of its rec group
  uint32_t rec_size = 1;  // number of types in the rec group
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool is64 = false; // memory64 / table64 address type
  bool shared = false;
  std::optional<uint32_t> page_size_log2; // custom-page-sizes
};

struct TableType {
  ValType elem = kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;
  uint64_t page_size() const { return uint64_t(1) << limits.page_size_log2.value_or(16); }
};

struct GlobalType {
  ValType type;
  bool mut = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

const char* extern_kind_name(ExternKind k);
// "func", "extern", "any", ...: the text-format name of an abstract heap type.
const char* abs_heap_name(AbsHeap a);
std::string valtype_name(ValType t);

} // namespace tandem
