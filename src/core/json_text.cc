// SPDX-License-Identifier: Apache-2.0
#include "core/json_text.h"

#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace warmboot {

std::string json_text(const nlohmann::json& json, int indent) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool json_is_exact_text(const nlohmann::json& json) {
  try {
    (void)json.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    return true;
  } catch (const nlohmann::json::type_error&) {  // 316: invalid UTF-8 byte
    return false;
  }
}

std::string json_to_hex(const nlohmann::json& json) {
  std::vector<std::uint8_t> cbor = nlohmann::json::to_cbor(json);
  return fmt::format("{:02x}", fmt::join(cbor, ""));
}

std::optional<nlohmann::json> json_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::vector<std::uint8_t> bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  // allow_exceptions=false does not cover everything: a map or array announcing more elements than
  // can exist still throws (out_of_range 408, found by the state_json fuzz harness).
  try {
    auto json = nlohmann::json::from_cbor(bytes, /*strict=*/true, /*allow_exceptions=*/false);
    if (json.is_discarded()) return std::nullopt;
    return json;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace warmboot
