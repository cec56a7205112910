// Storage sizes and the run-time type test of GC references (see gc.h).
#include "runtime/gc.h"

#include "runtime/type_registry.h"

namespace tandem::rt {

uint32_t storage_size(const StorageType& t) {
  switch (t.packed) {
  case Packed::I8: return 1;
  case Packed::I16: return 2;
  case Packed::None: break;
  }
  switch (t.type.kind()) {
  case ValKind::I32:
  case ValKind::F32: return 4;
  case ValKind::V128: return 16;
  default: return 8;
  }
}

bool ref_test(const TypeRegistry& types, uintptr_t ref, uint32_t target, bool nullable) {
  if (ref == 0) return nullable;
  ObjKind kind = obj_kind(ref);
  if (target & kAbstractTarget) {
    switch (AbsHeap(target & 0xff)) {
    case AbsHeap::Any:
    case AbsHeap::Func:
    case AbsHeap::Extern:
    case AbsHeap::Exn: return true; // validation put the value in this hierarchy
    case AbsHeap::Eq:
      return kind == ObjKind::I31 || kind == ObjKind::Struct || kind == ObjKind::Array;
    case AbsHeap::I31: return kind == ObjKind::I31;
    case AbsHeap::Struct: return kind == ObjKind::Struct;
    case AbsHeap::Array: return kind == ObjKind::Array;
    case AbsHeap::None:
    case AbsHeap::NoFunc:
    case AbsHeap::NoExtern:
    case AbsHeap::NoExn: return false;
    }
    return false;
  }
  uint32_t id;
  switch (kind) {
  case ObjKind::Struct:
  case ObjKind::Array: id = reinterpret_cast<const GcHeader*>(ref)->type_id; break;
  case ObjKind::Func: id = reinterpret_cast<const FuncInst*>(ref)->type_id; break;
  default: return false;
  }
  if (target & kExactTarget) return id == (target & ~kExactTarget);
  return types.is_subtype(id, target);
}

} // namespace tandem::rt
