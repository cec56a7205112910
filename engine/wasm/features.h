// Feature identifiers and sets, generated from features.def.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tandem {

enum class Feature : uint8_t {
#define FEATURE(id, name, on, desc) id,
#include "wasm/features.def"
#undef FEATURE
  kCount
};

struct FeatureInfo {
  Feature feature;
  std::string_view name;
  bool default_on;
  std::string_view description;
};

inline constexpr FeatureInfo kFeatureTable[] = {
#define FEATURE(id, name, on, desc) {Feature::id, name, on != 0, desc},
#include "wasm/features.def"
#undef FEATURE
};

inline constexpr std::string_view feature_name(Feature f) {
  return kFeatureTable[size_t(f)].name;
}
std::optional<Feature> feature_by_name(std::string_view name);

class FeatureSet {
public:
  static FeatureSet defaults();
  static FeatureSet all();
  static FeatureSet none() { return FeatureSet(); }
  bool has(Feature f) const { return bits_.test(size_t(f)); }
  void set(Feature f, bool on = true) { bits_.set(size_t(f), on); }
  bool operator==(const FeatureSet&) const = default;

private:
  std::bitset<size_t(Feature::kCount)> bits_;
};

} // namespace tandem
