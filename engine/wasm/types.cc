// Printable names for value types and extern kinds (diagnostics and reports).
#include "wasm/types.h"

namespace tandem {

const char* extern_kind_name(ExternKind k) {
  switch (k) {
  case ExternKind::Func: return "func";
  case ExternKind::Table: return "table";
  case ExternKind::Memory: return "memory";
  case ExternKind::Global: return "global";
  case ExternKind::Tag: return "tag";
  }
  return "?";
}

const char* abs_heap_name(AbsHeap a) {
  switch (a) {
  case AbsHeap::NoExn: return "noexn";
  case AbsHeap::NoFunc: return "nofunc";
  case AbsHeap::NoExtern: return "noextern";
  case AbsHeap::None: return "none";
  case AbsHeap::Func: return "func";
  case AbsHeap::Extern: return "extern";
  case AbsHeap::Any: return "any";
  case AbsHeap::Eq: return "eq";
  case AbsHeap::I31: return "i31";
  case AbsHeap::Struct: return "struct";
  case AbsHeap::Array: return "array";
  case AbsHeap::Exn: return "exn";
  }
  return "?";
}

std::string valtype_name(ValType t) {
  switch (t.kind()) {
  case ValKind::I32: return "i32";
  case ValKind::I64: return "i64";
  case ValKind::F32: return "f32";
  case ValKind::F64: return "f64";
  case ValKind::V128: return "v128";
  case ValKind::Bot: return "bot";
  case ValKind::Ref: break;
  }
  HeapType h = t.heap();
  std::string heap = h.is_abstract() ? abs_heap_name(h.abs()) : std::to_string(h.type_index());
  if (h.exact()) heap = "(exact " + heap + ")";
  if (h.shared()) heap = "(shared " + heap + ")";
  return std::string("(ref ") + (t.nullable() ? "null " : "") + heap + ")";
}

} // namespace tandem
