// The sorts of the Component Model's index spaces (Binary.md `sort` and
// `core:sort`): one table of their names and binary codes, shared by the
// component text encoder (wast/) and the component decoder and validator
// (engine/component/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace tandem {

enum class ComponentSort : uint8_t {
  CoreFunc,
  CoreTable,
  CoreMemory,
  CoreGlobal,
  CoreTag,
  CoreType,
  CoreModule,
  CoreInstance,
  Func,
  Value,
  Type,
  Component,
  Instance,
};
inline constexpr size_t kComponentSortCount = size_t(ComponentSort::Instance) + 1;

struct ComponentSortInfo {
  const char* name; // in messages: "core func", "module", "func", ...
  uint8_t sort;     // the `sort` byte: 0x00 (core, then `core`) or 0x01..0x05
  uint8_t core;     // the `core:sort` byte of a core sort
};

inline constexpr ComponentSortInfo kComponentSorts[kComponentSortCount] = {
    {"core func", 0x00, 0x00},   {"core table", 0x00, 0x01},
    {"core memory", 0x00, 0x02}, {"core global", 0x00, 0x03},
    {"core tag", 0x00, 0x04},    {"core type", 0x00, 0x10},
    {"module", 0x00, 0x11},      {"core instance", 0x00, 0x12},
    {"func", 0x01, 0},           {"value", 0x02, 0},
    {"type", 0x03, 0},           {"component", 0x04, 0},
    {"instance", 0x05, 0},
};

constexpr const ComponentSortInfo& sort_info(ComponentSort s) {
  return kComponentSorts[size_t(s)];
}
constexpr bool is_core_sort(ComponentSort s) {
  return s <= ComponentSort::CoreInstance;
}
// The core sort with `core:sort` byte b.
constexpr std::optional<ComponentSort> core_sort_of_byte(uint8_t b) {
  for (size_t i = 0; i <= size_t(ComponentSort::CoreInstance); ++i)
    if (kComponentSorts[i].core == b) return ComponentSort(i);
  return std::nullopt;
}
// The component-level sort with `sort` byte b (0x01..0x05).
constexpr std::optional<ComponentSort> component_sort_of_byte(uint8_t b) {
  for (size_t i = size_t(ComponentSort::Func); i < kComponentSortCount; ++i)
    if (kComponentSorts[i].sort == b) return ComponentSort(i);
  return std::nullopt;
}

} // namespace tandem
