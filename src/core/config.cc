// SPDX-License-Identifier: Apache-2.0
#include "core/config.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>

#include <toml++/toml.h>
#include <functional>
#include <map>

namespace warmboot {
namespace {

constexpr const char* kRemedy = "see warmboot(8) or /usr/share/doc/warmboot/examples/warmboot.conf";

using Check = std::function<std::optional<std::string>(const std::string&)>;  // problem, if any

Error located(std::string_view path, const toml::source_region& where, std::string message) {
  return Error{fmt::format("{}:{}:{}", path, where.begin.line, where.begin.column), 0,
               std::string(path), std::move(message), kRemedy};
}

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return "must not be empty";
  if (s.find_first_of("\n\r") != std::string::npos) return "must be on one line";
  return std::nullopt;
}

std::optional<std::string> absolute_path(const std::string& s) {
  if (s.empty() || s[0] != '/') return "must be an absolute path";
  return non_empty(s);
}

std::optional<std::string> param_key_only(const std::string& s) {
  if (s.empty() || s.find_first_of("= \t\n") != std::string::npos)
    return "must be a parameter name without '=' or spaces";
  return std::nullopt;
}

std::optional<std::string> module_name(const std::string& s) {
  if (s.empty() || s.size() > 55) return "must be a module name of 1 to 55 characters";
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      return "must be a module name (letters, digits, '_' and '-')";
  return std::nullopt;
}

std::optional<std::string> interface_name(const std::string& s) {
  if (s.empty() || s.size() > 15) return "must be an interface name of 1 to 15 characters";
  if (s == "." || s == ".." || s.find_first_of("/: \t\n") != std::string::npos)
    return "must be an interface name (no '/', ':' or spaces)";
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(std::string_view path) : path_(path) {}

  Status string(const toml::node& node, const std::string& key, std::string& out,
                const Check& check) {
    const auto* value = node.as_string();
    if (!value) return wrong(node, key, "a string");
    if (auto problem = check(value->get())) return bad(node, key, *problem);
    out = value->get();
    return {};
  }
  Status string(const toml::node& node, const std::string& key, std::optional<std::string>& out,
                const Check& check = non_empty) {
    std::string value;
    if (auto done = string(node, key, value, check); !done) return done;
    out = std::move(value);
    return {};
  }
  Status boolean(const toml::node& node, const std::string& key, bool& out) {
    const auto* value = node.as_boolean();
    if (!value) return wrong(node, key, "true or false");
    out = value->get();
    return {};
  }
  // "auto", true or false.
  Status stage_ahead(const toml::node& node, const std::string& key, StageAhead& out) {
    constexpr const char* kExpected = "\"auto\", true or false";
    if (const auto* flag = node.as_boolean()) {
      out = flag->get() ? StageAhead::On : StageAhead::Off;
      return {};
    }
    const auto* word = node.as_string();
    if (!word) return wrong(node, key, kExpected);
    if (word->get() != "auto")
      return bad(node, key, fmt::format("must be {}, not \"{}\"", kExpected, word->get()));
    out = StageAhead::Auto;
    return {};
  }
  Status integer(const toml::node& node, const std::string& key, int& out, int lo, int hi) {
    const auto* value = node.as_integer();
    if (!value) return wrong(node, key, "a whole number");
    if (value->get() < lo || value->get() > hi)
      return bad(node, key, fmt::format("must be between {} and {}", lo, hi));
    out = static_cast<int>(value->get());
    return {};
  }
  Status strings(const toml::node& node, const std::string& key, std::vector<std::string>& out,
                 const Check& check) {
    const auto* array = node.as_array();
    if (!array) return wrong(node, key, "an array of strings");
    std::vector<std::string> values;
    for (const auto& item : *array) {
      std::string value;
      if (auto done = string(item, key, value, check); !done) return done;
      values.push_back(std::move(value));
    }
    out = std::move(values);
    return {};
  }

  using Handler = std::function<Status(const toml::node&, const std::string& key)>;
  Status table(const toml::node& node, const std::string& name,
               const std::map<std::string, Handler>& handlers) {
    const auto* table = node.as_table();
    if (!table) return wrong(node, name, "a table ([" + name + "])");
    for (const auto& [key, value] : *table) {
      std::string full = name + "." + std::string(key.str());
      auto handler = handlers.find(std::string(key.str()));
      if (handler == handlers.end())
        return Error(located(path_, key.source(), fmt::format("unknown key '{}'", full)));
      if (auto done = handler->second(value, full); !done) return done;
    }
    return {};
  }

  Error wrong(const toml::node& node, const std::string& key, const char* expected) {
    return wrong(node, key, std::string(expected));
  }
  Error wrong(const toml::node& node, const std::string& key, const std::string& expected) {
    return located(path_, node.source(), fmt::format("'{}' must be {}", key, expected));
  }
  Error bad(const toml::node& node, const std::string& key, const std::string& problem) {
    return located(path_, node.source(), fmt::format("'{}' {}", key, problem));
  }

 private:
  std::string_view path_;
};

Status read_sections(Parser& p, std::string_view path, const toml::table& root, Config& c) {
  using H = Parser::Handler;
  std::map<std::string, std::map<std::string, H>> sections;
  sections["kernel"] = {
      {"select", [&](auto& n, auto& k) { return p.string(n, k, c.kernel); }},
      {"initrds", [&](auto& n, auto& k) { return p.strings(n, k, c.initrds, absolute_path); }},
      {"cmdline", [&](auto& n, auto& k) { return p.string(n, k, c.cmdline); }},
      {"append", [&](auto& n, auto& k) { return p.strings(n, k, c.append, non_empty); }},
      {"remove", [&](auto& n, auto& k) { return p.strings(n, k, c.remove, param_key_only); }},
      {"dtb", [&](auto& n, auto& k) { return p.string(n, k, c.dtb, absolute_path); }},
  };
  sections["handover"] = {
      {"mode",
       [&](auto& n, auto& k) -> Status {
         std::string mode;
         auto check = [](const std::string& s) -> std::optional<std::string> {
           if (s == "systemd" || s == "force") return std::nullopt;
           return "must be \"systemd\" or \"force\", not \"" + s + "\"";
         };
         if (auto done = p.string(n, k, mode, check); !done) return done;
         c.mode = mode == "force" ? HandoverMode::Force : HandoverMode::Systemd;
         return {};
       }},
      {"fallback", [&](auto& n, auto& k) { return p.boolean(n, k, c.fallback); }},
      {"ignore_inhibitors", [&](auto& n, auto& k) { return p.boolean(n, k, c.ignore_inhibitors); }},
      {"stage_ahead", [&](auto& n, auto& k) { return p.stage_ahead(n, k, c.stage_ahead); }},
      {"require_signed", [&](auto& n, auto& k) { return p.boolean(n, k, c.require_signed); }},
  };
  sections["hooks"] = {
      {"isolate_multi_user",
       [&](auto& n, auto& k) { return p.boolean(n, k, c.hooks.isolate_multi_user); }},
      {"unload_modules",
       [&](auto& n, auto& k) { return p.strings(n, k, c.hooks.unload_modules, module_name); }},
      {"down_interfaces",
       [&](auto& n, auto& k) { return p.strings(n, k, c.hooks.down_interfaces, interface_name); }},
      {"directory",
       [&](auto& n, auto& k) { return p.string(n, k, c.hooks.directory, absolute_path); }},
      {"timeout_sec",
       [&](auto& n, auto& k) { return p.integer(n, k, c.hooks.timeout_sec, 1, 3600); }},
  };
  sections["guard"] = {
      {"on_failure",
       [&](auto& n, auto& k) -> Status {
         std::string policy;
         auto check = [](const std::string& s) -> std::optional<std::string> {
           if (s == "pin-cold" || s == "warn") return std::nullopt;
           return "must be \"pin-cold\" or \"warn\", not \"" + s + "\"";
         };
         if (auto done = p.string(n, k, policy, check); !done) return done;
         c.on_failure = policy == "warn" ? GuardPolicy::Warn : GuardPolicy::PinCold;
         return {};
       }},
      {"watchdog_sec",
       [&](auto& n, auto& k) -> Status {
         if (auto done = p.integer(n, k, c.watchdog_sec, 0, 3600); !done) return done;
         if (c.watchdog_sec != 0 && c.watchdog_sec < kMinWatchdogSec) {
           return p.bad(n, k,
                        fmt::format("must be 0 (off) or at least {}: a healthy kernel must reach "
                                    "its watchdog driver well within it",
                                    kMinWatchdogSec));
         }
         return {};
       }},
  };
  sections["metrics"] = {
      {"path", [&](auto& n, auto& k) { return p.string(n, k, c.metrics_path, absolute_path); }},
  };

  std::map<std::string, H> top;
  for (const auto& [name, handlers] : sections) {
    // Init-captures, not the bindings themselves: clang before 16 cannot capture those.
    top[name] = [&p, name = name, &handlers = handlers](auto& n, auto&) {
      return p.table(n, name, handlers);
    };
  }
  for (const auto& [key, value] : root) {
    auto handler = top.find(std::string(key.str()));
    if (handler == top.end()) {
      return Error(located(
          path, key.source(),
          fmt::format(
              "unknown key '{}' (sections: [kernel], [handover], [hooks], [guard], [metrics])",
              key.str())));
    }
    if (auto done = handler->second(value, std::string(key.str())); !done) return done;
  }
  return {};
}

}  // namespace

const char* to_string(StageAhead setting) {
  switch (setting) {
    case StageAhead::Auto:
      return "auto";
    case StageAhead::On:
      return "true";
    case StageAhead::Off:
      return "false";
  }
  return "auto";
}

Result<Config> parse_config(std::string_view text, std::string_view path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return located(path, e.source(), std::string(e.description()));
  }
  Config config;
  Parser parser(path);
  if (auto done = read_sections(parser, path, root, config); !done) return done.error();
  return config;
}

Result<Config> load_config(const FileSystem& fs, std::string_view path) {
  auto text = fs.read_file(path, 1 << 20);
  if (!text) {
    if (text.error().code == ENOENT) return Config{};
    return text.error();
  }
  return parse_config(*text, path);
}

}  // namespace warmboot
