// Feature lookup by -W name and the default/all feature sets.
#include "wasm/features.h"

namespace tandem {

std::optional<Feature> feature_by_name(std::string_view name) {
  for (const auto& info : kFeatureTable)
    if (info.name == name) return info.feature;
  return std::nullopt;
}

FeatureSet FeatureSet::defaults() {
  FeatureSet s;
  for (const auto& info : kFeatureTable) s.set(info.feature, info.default_on);
  return s;
}

FeatureSet FeatureSet::all() {
  FeatureSet s;
  for (const auto& info : kFeatureTable) s.set(info.feature);
  return s;
}

} // namespace tandem
