// Names for the IR enums (component.h), used in messages and dumps.
#include "component/component.h"

namespace tandem::component {

const char* prim_name(PrimVal p) {
  switch (p) {
  case PrimVal::Bool: return "bool";
  case PrimVal::S8: return "s8";
  case PrimVal::U8: return "u8";
  case PrimVal::S16: return "s16";
  case PrimVal::U16: return "u16";
  case PrimVal::S32: return "s32";
  case PrimVal::U32: return "u32";
  case PrimVal::S64: return "s64";
  case PrimVal::U64: return "u64";
  case PrimVal::F32: return "f32";
  case PrimVal::F64: return "f64";
  case PrimVal::Char: return "char";
  case PrimVal::String: return "string";
  case PrimVal::ErrorContext: return "error-context";
  }
  return "?";
}

const char* origin_name(Origin o) {
  switch (o) {
  case Origin::Import: return "import";
  case Origin::Export: return "export";
  case Origin::Alias: return "alias";
  case Origin::CoreModule: return "core module";
  case Origin::CoreInstance: return "core instance";
  case Origin::CoreType: return "core type";
  case Origin::NestedComponent: return "component";
  case Origin::Instance: return "instance";
  case Origin::Type: return "type";
  case Origin::Canon: return "canon";
  case Origin::Start: return "start";
  case Origin::Value: return "value";
  }
  return "?";
}

const char* canon_name(CanonDef::Kind k) {
  using K = CanonDef::Kind;
  switch (k) {
  case K::Lift: return "canon lift";
  case K::Lower: return "canon lower";
  case K::ResourceNew: return "resource.new";
  case K::ResourceDrop: return "resource.drop";
  case K::ResourceRep: return "resource.rep";
  case K::TaskCancel: return "task.cancel";
  case K::SubtaskCancel: return "subtask.cancel";
  case K::TaskReturn: return "task.return";
  case K::ContextGet: return "context.get";
  case K::ContextSet: return "context.set";
  case K::ThreadYield: return "thread.yield";
  case K::SubtaskDrop: return "subtask.drop";
  case K::StreamNew: return "stream.new";
  case K::StreamRead: return "stream.read";
  case K::StreamWrite: return "stream.write";
  case K::StreamCancelRead: return "stream.cancel-read";
  case K::StreamCancelWrite: return "stream.cancel-write";
  case K::StreamDropReadable: return "stream.drop-readable";
  case K::StreamDropWritable: return "stream.drop-writable";
  case K::FutureNew: return "future.new";
  case K::FutureRead: return "future.read";
  case K::FutureWrite: return "future.write";
  case K::FutureCancelRead: return "future.cancel-read";
  case K::FutureCancelWrite: return "future.cancel-write";
  case K::FutureDropReadable: return "future.drop-readable";
  case K::FutureDropWritable: return "future.drop-writable";
  case K::ErrorContextNew: return "error-context.new";
  case K::ErrorContextDebugMessage: return "error-context.debug-message";
  case K::ErrorContextDrop: return "error-context.drop";
  case K::WaitableSetNew: return "waitable-set.new";
  case K::WaitableSetWait: return "waitable-set.wait";
  case K::WaitableSetPoll: return "waitable-set.poll";
  case K::WaitableSetDrop: return "waitable-set.drop";
  case K::WaitableJoin: return "waitable.join";
  case K::BackpressureInc: return "backpressure.inc";
  case K::BackpressureDec: return "backpressure.dec";
  case K::ThreadIndex: return "thread.index";
  case K::ThreadNewIndirect: return "thread.new-indirect";
  case K::ThreadResumeLater: return "thread.resume-later";
  case K::ThreadSuspend: return "thread.suspend";
  case K::ThreadSuspendThenResume: return "thread.suspend-then-resume";
  case K::ThreadYieldThenResume: return "thread.yield-then-resume";
  case K::ThreadSuspendThenPromote: return "thread.suspend-then-promote";
  case K::ThreadYieldThenPromote: return "thread.yield-then-promote";
  case K::ThreadSpawnRef: return "thread.spawn-ref";
  case K::ThreadSpawnIndirect: return "thread.spawn-indirect";
  case K::ThreadAvailableParallelism: return "thread.available-parallelism";
  }
  return "?";
}

} // namespace tandem::component
