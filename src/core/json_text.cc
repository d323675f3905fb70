// SPDX-License-Identifier: Apache-2.0
#include "core/json_text.h"

#include <nlohmann/json.hpp>

namespace warmboot {

std::string json_text(const nlohmann::json& json, int indent) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace warmboot
