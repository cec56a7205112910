// Decoding of the type grammar shared by the module decoder and the
// function-body decoder: value, heap, reference, storage and block types,
// limits, and recursion groups (wasm 3.0 plus custom-descriptors clauses).
//
// Error messages follow the reference decoder, including its choice of the
// last alternative's message when several encodings are tried (a byte that is
// no value type gives "malformed reference type", a bad field type gives
// "malformed storage type").
#pragma once

#include "decoder/reader.h"
#include "wasm/features.h"
#include "wasm/types.h"

#include <vector>

namespace tandem {

// The feature a value type needs (mvp for numbers; simd for v128;
// reference_types for funcref/externref; function_references for typed or
// non-null references; gc for the any/eq/i31/struct/array/none hierarchy;
// exceptions for exnref/nullexnref).
Feature valtype_feature(ValType t);
Feature heaptype_feature(HeapType h);

Result<HeapType> read_heap_type(Reader& r, const FeatureSet& enabled);
Result<ValType> read_ref_type(Reader& r, const FeatureSet& enabled);
Result<ValType> read_val_type(Reader& r, const FeatureSet& enabled);
Result<StorageType> read_storage_type(Reader& r, const FeatureSet& enabled);

// Block type: 0x40 (empty), a value type, or a non-negative s33 type index.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex };
  Kind kind = Kind::Empty;
  ValType value;           // Kind::Value
  uint32_t type_index = 0; // Kind::TypeIndex
};
Result<BlockType> read_block_type(Reader& r, const FeatureSet& enabled);

// Limits of a memory (is_memory) or table. Disallowed flag bits are
// "malformed limits flags"; `used` collects memory64/threads/custom-page-sizes.
Result<Limits> read_limits(Reader& r, bool is_memory, const FeatureSet& enabled, FeatureSet& used);

// One entry of the type section (a rec group or a single sub type), appended
// to `types` with rec_group/rec_size filled in.
Status read_rec_type(Reader& r, const FeatureSet& enabled, FeatureSet& used,
                     std::vector<SubType>& types);

} // namespace tandem
