// Type grammar decoding (see binary_types.h). Binary codes are the spec's.
#include "decoder/binary_types.h"

#include <string>

namespace tandem {
namespace {

constexpr uint8_t kCodeI32 = 0x7f, kCodeI64 = 0x7e, kCodeF32 = 0x7d, kCodeF64 = 0x7c;
constexpr uint8_t kCodeV128 = 0x7b, kCodeI8 = 0x78, kCodeI16 = 0x77;
constexpr uint8_t kRefNull = 0x63, kRef = 0x64, kExact = 0x62;
constexpr uint8_t kFuncType = 0x60, kStructType = 0x5f, kArrayType = 0x5e;
constexpr uint8_t kSubOpen = 0x50, kSubFinal = 0x4f, kRecGroup = 0x4e;
constexpr uint8_t kDescriptor = 0x4d, kDescribes = 0x4c;

bool is_abstract_heap_byte(uint8_t b) {
  return b >= 0x69 && b <= 0x74;
}

// A single-byte s7 code, as the reference decoder reads type constructors.
Result<uint8_t> read_s7_byte(Reader& r) {
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b & 0x80) return r.error("integer representation too long");
  return b;
}

} // namespace

Feature heaptype_feature(HeapType h) {
  if (h.exact()) return Feature::custom_descriptors;
  if (h.is_index()) return Feature::function_references;
  switch (h.abs()) {
  case AbsHeap::Func:
  case AbsHeap::Extern: return Feature::reference_types;
  case AbsHeap::NoFunc:
  case AbsHeap::NoExtern:
  case AbsHeap::None:
  case AbsHeap::Any:
  case AbsHeap::Eq:
  case AbsHeap::I31:
  case AbsHeap::Struct:
  case AbsHeap::Array: return Feature::gc;
  case AbsHeap::Exn:
  case AbsHeap::NoExn: return Feature::exceptions;
  }
  return Feature::gc;
}

Feature valtype_feature(ValType t) {
  switch (t.kind()) {
  case ValKind::V128: return Feature::simd;
  case ValKind::Ref: {
    Feature f = heaptype_feature(t.heap());
    if (f == Feature::reference_types && !t.nullable()) return Feature::function_references;
    return f;
  }
  default: return Feature::mvp;
  }
}

Result<HeapType> read_heap_type(Reader& r, const FeatureSet& enabled) {
  const uint8_t* start = r.pos();
  uint32_t start_off = r.offset();
  if (r.peek() == kExact && enabled.has(Feature::custom_descriptors)) {
    // custom-descriptors: 0x62 x is the exact type index x (abstract heap
    // types cannot be exact).
    r.seek(r.pos() + 1);
    uint32_t idx_off = r.offset();
    auto idx = r.s33();
    if (!idx.ok() || *idx < 0) return r.error_at(idx_off, "malformed heap type");
    if (uint64_t(*idx) > HeapType::kIndexMask) return Error::invalid(idx_off, "unknown type");
    return HeapType::index(uint32_t(*idx), false, true);
  }
  auto idx = r.s33();
  if (idx.ok() && *idx >= 0) {
    if (uint64_t(*idx) > HeapType::kIndexMask) return Error::invalid(start_off, "unknown type");
    return HeapType::index(uint32_t(*idx));
  }
  r.seek(start);
  TANDEM_ASSIGN(uint8_t b, read_s7_byte(r));
  if (!is_abstract_heap_byte(b)) return r.error_at(start_off, "malformed heap type");
  return HeapType::abstract(AbsHeap(b));
}

Result<ValType> read_ref_type(Reader& r, const FeatureSet& enabled) {
  uint32_t start = r.offset();
  TANDEM_ASSIGN(uint8_t b, read_s7_byte(r));
  if (is_abstract_heap_byte(b)) return ValType::ref(HeapType::abstract(AbsHeap(b)), true);
  if (b == kRef || b == kRefNull) {
    TANDEM_ASSIGN(HeapType h, read_heap_type(r, enabled));
    return ValType::ref(h, b == kRefNull);
  }
  return r.error_at(start, "malformed reference type");
}

Result<ValType> read_val_type(Reader& r, const FeatureSet& enabled) {
  switch (r.peek()) {
  case kCodeI32: r.seek(r.pos() + 1); return kI32;
  case kCodeI64: r.seek(r.pos() + 1); return kI64;
  case kCodeF32: r.seek(r.pos() + 1); return kF32;
  case kCodeF64: r.seek(r.pos() + 1); return kF64;
  case kCodeV128: r.seek(r.pos() + 1); return kV128;
  default: return read_ref_type(r, enabled);
  }
}

Result<StorageType> read_storage_type(Reader& r, const FeatureSet& enabled) {
  const uint8_t* start = r.pos();
  uint32_t start_off = r.offset();
  if (r.peek() == kCodeI8 || r.peek() == kCodeI16) {
    uint8_t b = *r.pos();
    r.seek(r.pos() + 1);
    return StorageType{kI32, b == kCodeI8 ? Packed::I8 : Packed::I16};
  }
  auto t = read_val_type(r, enabled);
  if (t.ok()) return StorageType{*t, Packed::None};
  if (t.error().kind != ErrorKind::Malformed) return std::move(t).error();
  // The reference decoder retries as a packed type and reports that failure.
  r.seek(start);
  TANDEM_TRY(read_s7_byte(r));
  return r.error_at(start_off, "malformed storage type");
}

Result<BlockType> read_block_type(Reader& r, const FeatureSet& enabled) {
  const uint8_t* start = r.pos();
  auto idx = r.s33();
  if (idx.ok() && *idx >= 0) {
    BlockType bt;
    bt.kind = BlockType::Kind::TypeIndex;
    bt.type_index = uint32_t(*idx);
    return bt;
  }
  r.seek(start);
  if (r.peek() == 0x40) {
    r.seek(start + 1);
    return BlockType{};
  }
  TANDEM_ASSIGN(ValType t, read_val_type(r, enabled));
  BlockType bt;
  bt.kind = BlockType::Kind::Value;
  bt.value = t;
  return bt;
}

Result<Limits> read_limits(Reader& r, bool is_memory, const FeatureSet& enabled, FeatureSet& used) {
  uint32_t flags_off = r.offset();
  TANDEM_ASSIGN(uint8_t flags, r.u8());
  uint8_t allowed = 0x01 | 0x04;
  if (is_memory && enabled.has(Feature::threads)) allowed |= 0x02;
  if (is_memory && enabled.has(Feature::custom_page_sizes)) allowed |= 0x08;
  if (flags & ~allowed) return r.error_at(flags_off, "malformed limits flags");
  Limits lim;
  lim.is64 = flags & 0x04;
  lim.shared = flags & 0x02;
  if (lim.is64) used.set(Feature::memory64);
  if (lim.shared) used.set(Feature::threads);
  TANDEM_ASSIGN(lim.min, r.u64());
  if (flags & 0x01) {
    TANDEM_ASSIGN(uint64_t max, r.u64());
    lim.max = max;
  }
  if (flags & 0x08) {
    used.set(Feature::custom_page_sizes);
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint32_t log2, r.u32());
    if (log2 >= 64) return r.error_at(off, "invalid custom page size");
    lim.page_size_log2 = log2;
  }
  return lim;
}

namespace {

Status note_valtype(ValType t, FeatureSet& used) {
  used.set(valtype_feature(t));
  return {};
}

Result<FieldType> read_field_type(Reader& r, const FeatureSet& enabled, FeatureSet& used) {
  TANDEM_ASSIGN(StorageType st, read_storage_type(r, enabled));
  TANDEM_TRY(note_valtype(st.type, used));
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t m, r.u8());
  if (m > 1) return r.error_at(off, "malformed mutability");
  return FieldType{st, m == 1};
}

Status read_comp_type(Reader& r, const FeatureSet& enabled, FeatureSet& used, CompositeType& ct) {
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t form, read_s7_byte(r));
  switch (form) {
  case kFuncType: {
    ct.kind = CompositeKind::Func;
    for (auto* list : {&ct.func.params, &ct.func.results}) {
      TANDEM_ASSIGN(uint32_t n, r.len32());
      list->reserve(std::min<size_t>(n, r.remaining()));
      for (uint32_t i = 0; i < n; ++i) {
        TANDEM_ASSIGN(ValType t, read_val_type(r, enabled));
        TANDEM_TRY(note_valtype(t, used));
        list->push_back(t);
      }
    }
    if (ct.func.results.size() > 1) used.set(Feature::multi_value);
    return {};
  }
  case kStructType: {
    ct.kind = CompositeKind::Struct;
    used.set(Feature::gc);
    TANDEM_ASSIGN(uint32_t n, r.len32());
    ct.fields.reserve(std::min<size_t>(n, r.remaining()));
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(FieldType f, read_field_type(r, enabled, used));
      ct.fields.push_back(f);
    }
    return {};
  }
  case kArrayType: {
    ct.kind = CompositeKind::Array;
    used.set(Feature::gc);
    TANDEM_ASSIGN(FieldType f, read_field_type(r, enabled, used));
    ct.fields.push_back(f);
    return {};
  }
  default: return r.error_at(off, "malformed definition type");
  }
}

Status read_sub_type(Reader& r, const FeatureSet& enabled, FeatureSet& used, SubType& st) {
  int b = r.peek();
  if (b == kSubOpen || b == kSubFinal) {
    r.seek(r.pos() + 1);
    used.set(Feature::gc);
    st.final = b == kSubFinal;
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint32_t n, r.len32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(uint32_t super, r.u32());
      if (i == 0) st.super = super;
    }
    if (n > 1) return Error::invalid(off, "multiple supertypes");
  }
  if (r.peek() == kDescribes) {
    r.seek(r.pos() + 1);
    used.set(Feature::custom_descriptors);
    TANDEM_ASSIGN(uint32_t x, r.u32());
    st.describes = x;
  }
  if (r.peek() == kDescriptor) {
    r.seek(r.pos() + 1);
    used.set(Feature::custom_descriptors);
    TANDEM_ASSIGN(uint32_t x, r.u32());
    st.descriptor = x;
  }
  return read_comp_type(r, enabled, used, st.comp);
}

} // namespace

Status read_rec_type(Reader& r, const FeatureSet& enabled, FeatureSet& used,
                     std::vector<SubType>& types) {
  uint32_t group = uint32_t(types.size());
  uint32_t count = 1;
  if (r.peek() == kRecGroup) {
    r.seek(r.pos() + 1);
    used.set(Feature::gc);
    TANDEM_ASSIGN(count, r.len32());
  }
  for (uint32_t i = 0; i < count; ++i) {
    SubType st;
    TANDEM_TRY(read_sub_type(r, enabled, used, st));
    types.push_back(std::move(st));
  }
  for (uint32_t i = group; i < types.size(); ++i) {
    types[i].rec_group = group;
    types[i].rec_size = count;
  }
  return {};
}

} // namespace tandem
