// Shared pieces of the fuzz targets and the differential driver: default
// imports for any module (host functions returning zeros, fresh tables,
// memories and globals) and a conservative "does this module terminate"
// check used before running exports (the engine has no fuel).
#pragma once

#include "tandem/tandem.h"
#include "wasm/module.h"

#include <functional>
#include <optional>
#include <vector>

namespace tandem::fuzz {

// True when some defined function contains a loop or a tail call: running
// its exports (or its start function) may not terminate.
bool has_unbounded_control(const wasm::Module& m);

// Called for each imported function; return an empty optional to use the
// default host function (returns zero values of the result types).
using HostProvider =
    std::function<std::optional<Func>(Store&, const wasm::Import&, const FuncType&)>;

// Builds one Extern per import, in import order. Fails (Unsupported) for
// imports it cannot satisfy (tags, non-nullable reference globals/tables).
Result<std::vector<Extern>> default_imports(Store& store, const wasm::Module& m,
                                            const HostProvider& provider = {});

// A zero / null value of type t (non-nullable references have none).
std::optional<Value> zero_value(ValType t);

// Arguments of zeros for an export of type `type`, or nullopt.
std::optional<std::vector<Value>> zero_args(const FuncType& type);

} // namespace tandem::fuzz
