// SPDX-License-Identifier: Apache-2.0
// /etc/warmboot/warmboot.conf (TOML, toml++): parse_config and load_config.
//
// Input: the configuration file. Properties: load_config through a fake root gives what
// parse_config gives; an accepted configuration holds only values the documented checks allow
// (absolute paths, module and interface names, a timeout in range, one-line strings).
#include <string>

#include "core/config.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

bool one_line(const std::string& text) {
  return !text.empty() && text.find_first_of("\r\n") == std::string::npos;
}

bool absolute(const std::string& path) {
  return one_line(path) && path.front() == '/';
}

void check_config(const Config& config) {
  if (config.kernel) FUZZ_CHECK(one_line(*config.kernel));
  if (config.cmdline) FUZZ_CHECK(one_line(*config.cmdline));
  if (config.metrics_path) FUZZ_CHECK(absolute(*config.metrics_path));
  for (const auto& initrd : config.initrds) FUZZ_CHECK(absolute(initrd));
  for (const auto& word : config.append) FUZZ_CHECK(one_line(word));
  for (const auto& key : config.remove) {
    FUZZ_CHECK(!key.empty() && key.find_first_of("= \t\n") == std::string::npos);
  }
  const HookConfig& hooks = config.hooks;
  FUZZ_CHECK(absolute(hooks.directory));
  FUZZ_CHECK(hooks.timeout_sec >= 1 && hooks.timeout_sec <= 3600);
  for (const auto& module : hooks.unload_modules) {
    FUZZ_CHECK(!module.empty() && module.size() <= 55);
  }
  for (const auto& name : hooks.down_interfaces) {
    FUZZ_CHECK(!name.empty() && name.size() <= 15 && name.find('/') == std::string::npos);
  }
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  const std::string_view text = fuzz::as_text(data, size);

  auto parsed = parse_config(text, kConfigPath);
  if (parsed) {
    check_config(*parsed);
  } else {
    FUZZ_CHECK(!parsed.error().op.empty());
    (void)parsed.error().str();
  }

  FakeFileSystem fs;
  fs.add_file(kConfigPath, std::string(text));
  auto loaded = load_config(fs);
  if (size <= (1 << 20)) {  // load_config reads at most 1 MiB
    FUZZ_CHECK(loaded.ok() == parsed.ok());
    if (loaded) FUZZ_CHECK(*loaded == *parsed);
  }
  return 0;
}
