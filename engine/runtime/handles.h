// HandleAccess: the one place that turns runtime objects into public API
// handles (the handle classes' constructors are private; this struct is
// their friend).
#pragma once

#include "runtime/store.h"

namespace tandem::rt {

struct HandleAccess {
  static Func func(FuncInst* f) { return Func(f); }
  static Table table(TableInst* t) { return Table(t); }
  static Memory memory(MemoryInst* m) { return Memory(m); }
  static Global global(GlobalInst* g) { return Global(g); }
  static Tag tag(TagInst* t) { return Tag(t); }
  static Instance instance(ModuleInst* i) { return Instance(i); }
  static void set_module(Module& m, std::shared_ptr<const ModuleImpl> impl) {
    m.impl_ = std::move(impl);
  }
  static Extern make(ExternKind kind, void* p) {
    Extern e;
    e.kind = kind;
    switch (kind) {
    case ExternKind::Func: e.func = Func(static_cast<FuncInst*>(p)); break;
    case ExternKind::Table: e.table = Table(static_cast<TableInst*>(p)); break;
    case ExternKind::Memory: e.memory = Memory(static_cast<MemoryInst*>(p)); break;
    case ExternKind::Global: e.global = Global(static_cast<GlobalInst*>(p)); break;
    case ExternKind::Tag: e.tag = Tag(static_cast<TagInst*>(p)); break;
    }
    return e;
  }
};

} // namespace tandem::rt
