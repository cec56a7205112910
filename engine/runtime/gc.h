// GC references: i31 values, struct and array objects, their layouts, and
// the run-time type test used by ref.test, ref.cast and br_on_cast.
//
// Representation of a reference (RefBits):
//  - 0 is null;
//  - an odd value is an i31: (value << 1) | 1;
//  - otherwise the address of an object starting with ObjHeader.
// Structs and arrays start with a GcHeader that carries their canonical type
// id. Fields and elements are stored packed at their storage size (i8: 1,
// i16: 2, i32/f32: 4, i64/f64/ref: 8, v128: 16 bytes) and always accessed by
// memcpy. Objects are owned by the store and freed with it (no collector yet).
#pragma once

#include "runtime/objects.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace tandem::rt {

class TypeRegistry;
struct StoreImpl;

// GcHeader::flags bits.
inline constexpr uint8_t kHasDescriptor = 1; // a struct whose type has a descriptor

struct GcHeader {
  ObjHeader header;
  uint8_t flags = 0;
  uint8_t reserved[2] = {};
  uint32_t type_id = 0; // canonical
};

// A struct whose type has a descriptor (custom-descriptors) keeps the
// descriptor reference in a hidden first 8-byte field; the declared fields
// follow it (StructLayout offsets account for it).
struct StructObj {
  GcHeader gc;
  uint8_t* fields() { return reinterpret_cast<uint8_t*>(this + 1); }
  // The descriptor reference, or 0 when the struct has none.
  uintptr_t descriptor() {
    if (!(gc.flags & kHasDescriptor)) return 0;
    uintptr_t d;
    std::memcpy(&d, fields(), sizeof d);
    return d;
  }
  void set_descriptor(uintptr_t d) { std::memcpy(fields(), &d, sizeof d); }
};

struct ArrayObj {
  GcHeader gc;
  uint32_t length = 0;
  uint32_t elem_size = 0;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
};
static_assert(sizeof(StructObj) == 8 && sizeof(ArrayObj) == 16);

// ---- i31 ----------------------------------------------------------------------
inline bool is_i31(uintptr_t ref) {
  return (ref & 1) != 0;
}
inline uintptr_t make_i31(uint32_t v) {
  return (uintptr_t(v & 0x7fffffffu) << 1) | 1;
}
inline uint32_t i31_get_u(uintptr_t ref) {
  return uint32_t(ref >> 1) & 0x7fffffffu;
}
inline uint32_t i31_get_s(uintptr_t ref) {
  return uint32_t(int32_t(uint32_t(ref)) >> 1);
}

// ---- layouts ------------------------------------------------------------------
// Access code of a field or element: low byte = size in bytes, kSigned for
// the _s variants of packed reads.
inline constexpr uint32_t kAccessSigned = 0x100;

uint32_t storage_size(const StorageType& t);

struct StructLayout {
  std::vector<uint32_t> offsets; // byte offset of each field from fields()
  std::vector<uint32_t> sizes;
  uint32_t total = 0;
  bool has_descriptor = false; // the first 8 bytes hold the descriptor
};

// ---- cast targets -------------------------------------------------------------
// A heap type as an instruction operand: a canonical type id, or an abstract
// heap type tagged with kAbstractTarget.
inline constexpr uint32_t kAbstractTarget = 0x80000000u;
inline uint32_t abstract_target(AbsHeap a) {
  return kAbstractTarget | uint32_t(a);
}
// An exact target (custom-descriptors): the canonical id of the one type
// accepted, without its subtypes.
inline constexpr uint32_t kExactTarget = 0x40000000u;

// Whether a reference value belongs to the heap type `target` (nullable or not).
bool ref_test(const TypeRegistry& types, uintptr_t ref, uint32_t target, bool nullable);

// The descriptor test of ref.cast_desc_eq / br_on_cast_desc_eq: `ref` is a
// struct whose descriptor is `desc` (non-null), or null when `nullable`.
inline bool desc_test(uintptr_t ref, uintptr_t desc, bool nullable) {
  if (ref == 0) return nullable;
  if (obj_kind(ref) != ObjKind::Struct) return false;
  return reinterpret_cast<StructObj*>(ref)->descriptor() == desc;
}

// ---- field access -------------------------------------------------------------
// Reads a field/element (access code above) into a slot; writes a slot's low
// bytes into a field/element.
inline void read_field(RawValue& dst, const uint8_t* p, uint32_t access) {
  uint32_t size = access & 0xff;
  if (size == 1) {
    uint8_t v = *p;
    dst.set<uint32_t>((access & kAccessSigned) ? uint32_t(int32_t(int8_t(v))) : v);
  } else if (size == 2) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    dst.set<uint32_t>((access & kAccessSigned) ? uint32_t(int32_t(int16_t(v))) : v);
  } else {
    std::memcpy(static_cast<void*>(&dst), p, size);
  }
}
inline void write_field(uint8_t* p, const RawValue& src, uint32_t size) {
  std::memcpy(p, static_cast<const void*>(&src), size);
}

} // namespace tandem::rt
