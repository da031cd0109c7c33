// The sections of nr-analyzer.yaml, read into an ImproveConfig (throws detail::ConfigError).
#pragma once

#include "config/yaml_fields.hpp"
#include "nra/report/improve_config.hpp"

namespace nra::config::detail {

// `root` is the whole document; null gives the defaults. Warnings go to `src`.
// An SLO's review keys: owner, review_every, last_reviewed, why (slo_review_yaml.cpp).
void read_slo_review(Source& src, const Mapping& m, SloReview& review);

// The `slo_review:` section: windows, retention_days (slo_review_yaml.cpp).
void read_slo_review_settings(Source& src, const Field& at, SloReviewSettings& settings);

// The `baselines:` section (baselines_yaml.cpp).
void read_baselines(Source& src, const Field& at, ImproveConfig& c);

ImproveConfig read_improve_config(Source& src, const Field& root);

}  // namespace nra::config::detail
