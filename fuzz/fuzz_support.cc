// Default imports and the termination check shared by the fuzz targets.
#include "fuzz/fuzz_support.h"

#include "decoder/function_decoder.h"
#include "runtime/module_impl.h"

namespace tandem::fuzz {
namespace {

// Stops decoding at the first loop or tail call.
struct UnboundedFinder {
  bool found = false;
  template <Op op> Status visit(const ImmFor<op>&, uint32_t) {
    if constexpr (op == Op::loop || op == Op::return_call || op == Op::return_call_indirect ||
                  op == Op::return_call_ref) {
      found = true;
      return Error::make(ErrorKind::Malformed, "stop");
    }
    return {};
  }
};

} // namespace

bool has_unbounded_control(const wasm::Module& m) {
  const uint8_t* base = m.bytes.data();
  for (const wasm::FunctionBody& body : m.bodies) {
    Reader r(base, base + body.code.offset, base + m.bytes.size());
    UnboundedFinder finder;
    DecodeEnv env;
    (void)decode_instructions<DecodeChecks::None>(r, finder, env);
    if (finder.found) return true;
  }
  return false;
}

std::optional<Value> zero_value(ValType t) {
  switch (t.kind()) {
  case ValKind::I32: return Value::i32(0);
  case ValKind::I64: return Value::i64(0);
  case ValKind::F32: return Value::f32_bits(0);
  case ValKind::F64: return Value::f64_bits(0);
  case ValKind::V128: return Value::v128(V128{});
  default: break;
  }
  if (t.is_ref() && t.nullable()) return Value::null(t);
  return std::nullopt;
}

std::optional<std::vector<Value>> zero_args(const FuncType& type) {
  std::vector<Value> args;
  for (ValType p : type.params) {
    std::optional<Value> v = zero_value(p);
    if (!v) return std::nullopt;
    args.push_back(*v);
  }
  return args;
}

Result<std::vector<Extern>> default_imports(Store& store, const wasm::Module& m,
                                            const HostProvider& provider) {
  std::vector<Extern> out;
  for (const wasm::Import& imp : m.imports) {
    Extern e;
    e.kind = imp.kind;
    switch (imp.kind) {
    case ExternKind::Func: {
      if (!m.is_func_type(imp.type_index))
        return Error::make(ErrorKind::Unsupported, "import of a non-function type");
      const FuncType& type = m.func_type(imp.type_index);
      std::optional<Func> f;
      if (provider) f = provider(store, imp, type);
      if (!f) {
        std::vector<ValType> results = type.results;
        for (ValType r : results)
          if (!zero_value(r)) return Error::make(ErrorKind::Unsupported, "non-null result");
        f = Func::host(store, type,
                       [results](std::span<const Value>, std::span<Value> out_values) -> Status {
                         for (size_t i = 0; i < results.size(); ++i)
                           out_values[i] = *zero_value(results[i]);
                         return {};
                       });
      }
      e.func = *f;
      break;
    }
    case ExternKind::Table: {
      std::optional<Value> init = zero_value(imp.table.elem);
      if (!init) return Error::make(ErrorKind::Unsupported, "non-nullable table import");
      if (imp.table.limits.min > 100000) return Error::make(ErrorKind::Unsupported, "big table");
      TANDEM_ASSIGN(Table t, Table::create(store, imp.table, *init));
      e.table = t;
      break;
    }
    case ExternKind::Memory: {
      if (imp.memory.limits.min > 1024) return Error::make(ErrorKind::Unsupported, "big memory");
      TANDEM_ASSIGN(Memory mem, Memory::create(store, imp.memory));
      e.memory = mem;
      break;
    }
    case ExternKind::Global: {
      std::optional<Value> init = zero_value(imp.global.type);
      if (!init) return Error::make(ErrorKind::Unsupported, "non-nullable global import");
      TANDEM_ASSIGN(Global g, Global::create(store, imp.global, *init));
      e.global = g;
      break;
    }
    case ExternKind::Tag: return Error::make(ErrorKind::Unsupported, "tag import");
    }
    out.push_back(e);
  }
  return out;
}

} // namespace tandem::fuzz
