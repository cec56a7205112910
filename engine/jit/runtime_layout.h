// Field offsets of the runtime structures compiled code reads or writes.
//
// The structures are standard-layout (runtime/objects.h asserts it), so
// offsetof is well defined; the asserts below pin the sizes compiled code
// assumes for each access.
#pragma once

#include "runtime/objects.h"

#include <cstddef>
#include <cstdint>

namespace tandem::jit::layout {

using namespace tandem::rt;

inline constexpr int32_t kSlotBytes = int32_t(sizeof(RawValue));

inline constexpr int32_t kCtxDepth = int32_t(offsetof(ExecContext, depth));
inline constexpr int32_t kCtxTailCallee = int32_t(offsetof(ExecContext, tail_callee));
inline constexpr int32_t kCtxMaxDepth = int32_t(offsetof(ExecContext, max_depth));
inline constexpr int32_t kCtxStackLimit = int32_t(offsetof(ExecContext, stack_limit));
inline constexpr int32_t kCtxNativeStackLimit = int32_t(offsetof(ExecContext, native_stack_limit));
static_assert(sizeof(ExecContext::depth) == 4 && sizeof(ExecContext::max_depth) == 4);
static_assert(sizeof(ExecContext::native_stack_limit) == 8);

inline constexpr int32_t kFuncEntry = int32_t(offsetof(FuncInst, entry));
inline constexpr int32_t kFuncJitEntry = int32_t(offsetof(FuncInst, jit_entry));
inline constexpr int32_t kFuncTypeId = int32_t(offsetof(FuncInst, type_id));
static_assert(sizeof(FuncInst::type_id) == 4);

static_assert(sizeof(MemoryInst::size) == 8); // loaded as a qword

inline constexpr int32_t kTableElems = int32_t(offsetof(TableInst, elems));
inline constexpr int32_t kTableSize = int32_t(offsetof(TableInst, size));
static_assert(sizeof(TableInst::size) == 8 && sizeof(uintptr_t) == 8);

inline constexpr int32_t kGlobalValue = int32_t(offsetof(GlobalInst, value));

inline constexpr int32_t kExnTag = int32_t(offsetof(ExnObj, tag));
inline constexpr int32_t kExnValues = int32_t(offsetof(ExnObj, values));

} // namespace tandem::jit::layout
