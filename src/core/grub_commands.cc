// SPDX-License-Identifier: Apache-2.0
#include "core/grub_commands.h"

#include <fmt/ranges.h>

#include <cctype>
#include <initializer_list>

#include "core/grub_lexer.h"
#include "core/grub_test_expr.h"
#include "core/text.h"

namespace warmboot {
namespace {

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (s == p) return true;
  }
  return false;
}

// Expands text as the words of one GRUB command line; nullopt when it does not lex.
std::optional<Result<std::vector<std::string>>> expand_text(std::string_view text,
                                                            const GrubVars& vars,
                                                            GrubExpansionBudget& budget) {
  Result<std::vector<GrubToken>> tokens = lex_grub_script(text, "BLS entry");
  if (!tokens) return std::nullopt;
  std::vector<GrubWord> words;
  for (const GrubToken& token : *tokens) {
    if (token.kind == GrubToken::Kind::Word) words.push_back(token.word);
  }
  return expand_grub_words(words, vars, budget);
}

}  // namespace

GrubMenuArgs parse_menu_args(const std::vector<std::string>& args) {
  GrubMenuArgs out;
  bool have_title = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.starts_with("--id=")) {
      out.id = arg.substr(5);
    } else if (is_one_of(arg, {"--id", "--class", "--users", "--hotkey"})) {
      if (i + 1 < args.size()) {
        if (arg == "--id") out.id = args[i + 1];
        ++i;
      }
    } else if (arg.starts_with("--") && arg.size() > 2) {
      // --unrestricted, --class=x, --users=x, --hotkey=x: nothing we need
    } else if (!have_title) {
      out.title = arg;
      have_title = true;
    } else {
      out.params.push_back(arg);
    }
  }
  return out;
}

GrubLoadEnvArgs parse_load_env_args(const std::vector<std::string>& args) {
  GrubLoadEnvArgs out;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if ((arg == "-f" || arg == "--file") && i + 1 < args.size()) {
      out.file = args[++i];
    } else if (arg.starts_with("--file=")) {
      out.file = arg.substr(7);
    } else if (arg == "-s" || arg == "--skip-sig") {
      // signature checking is GRUB's business
    } else {
      out.only.insert(arg);
    }
  }
  return out;
}

bool is_grubenv_path(std::string_view path) {
  std::string stripped = strip_grub_device(path);
  return stripped == "/grubenv" || stripped.ends_with("/grubenv");
}

bool is_grub_var_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool apply_boot_command(const std::vector<std::string>& args, GrubMenuNode& entry) {
  const std::string& name = args[0];
  if (is_one_of(name, {"linux", "linuxefi", "linux16"})) {
    entry.kernel = args.size() > 1 ? strip_grub_device(args[1]) : std::string();
    entry.options = join_kernel_args(
        std::vector<std::string>(args.begin() + std::min<size_t>(2, args.size()), args.end()));
    return true;
  }
  if (is_one_of(name, {"initrd", "initrdefi", "initrd16"})) {
    entry.initrds.clear();
    for (size_t i = 1; i < args.size(); ++i) entry.initrds.push_back(strip_grub_device(args[i]));
    return true;
  }
  return false;
}

Result<BootEntry> expand_bls_entry(const BootEntry& entry, const GrubVars& vars,
                                   GrubExpansionBudget& budget) {
  BootEntry out = entry;
  if (out.options && out.options->find('$') != std::string::npos) {
    if (auto args = expand_text(*out.options, vars, budget)) {
      if (!*args) return args->error();
      out.options = join_kernel_args(**args);
    }
  }
  out.initrds.clear();
  for (const std::string& initrd : entry.initrds) {
    std::optional<Result<std::vector<std::string>>> expanded;
    if (initrd.find('$') != std::string::npos) expanded = expand_text(initrd, vars, budget);
    if (!expanded) {
      out.initrds.push_back(initrd);
      continue;
    }
    if (!*expanded) return expanded->error();
    for (const std::string& path : **expanded) out.initrds.push_back(strip_grub_device(path));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> grub_preset_vars(std::string_view cfg_path) {
  std::string dir = strip_grub_device(cfg_path);
  dir = dir.substr(0, dir.rfind('/'));
  std::vector<std::pair<std::string, std::string>> vars;
  for (const char* feature :
       {"feature_chainloader_bpb", "feature_ntldr", "feature_platform_search_hint",
        "feature_default_font_path", "feature_all_video_module", "feature_menuentry_id",
        "feature_menuentry_options", "feature_200_final", "feature_nativedisk_cmd",
        "feature_timeout_style"}) {
    vars.emplace_back(feature, "y");
  }
  vars.emplace_back("prefix", dir);
  vars.emplace_back("config_directory", dir);
  vars.emplace_back("cmdpath", dir);
  vars.emplace_back("root", "");
  vars.emplace_back("config_file", std::string(cfg_path));
  return vars;
}

bool grub_command_succeeds(std::string_view command) {
  return !is_one_of(command, {"false", "keystatus", "hwmatch"});
}

bool grub_test_succeeds(const std::vector<std::string>& args, bool have_grubenv) {
  std::vector<std::string> test_args(args.begin() + 1, args.end());
  if (args[0] == "[") {
    if (test_args.empty() || test_args.back() != "]") return false;
    test_args.pop_back();
  }
  GrubFileTest file_test = [have_grubenv](char, std::string_view path) {
    return have_grubenv && is_grubenv_path(path);
  };
  return eval_grub_test(test_args, file_test).value_or(false);
}

GrubMenuNode bls_menu_node(const BootEntry& entry, int line) {
  GrubMenuNode node;
  node.title = entry.title;
  node.id = entry.id;
  node.line = line;
  node.bls = entry;
  return node;
}

GrubVars set_grub_positional(GrubVars& vars, const std::vector<std::string>& params) {
  auto positional = [](std::string_view name) {
    if (name == "#" || name == "@" || name == "*") return true;
    return is_digits(name);
  };
  GrubVars removed;
  for (auto it = vars.begin(); it != vars.end();) {
    if (positional(it->first)) {
      removed.insert(*it);
      it = vars.erase(it);
    } else {
      ++it;
    }
  }
  if (params.empty()) return removed;
  for (size_t i = 0; i < params.size(); ++i) vars[std::to_string(i + 1)] = params[i];
  vars["#"] = std::to_string(params.size());
  vars["@"] = vars["*"] = fmt::format("{}", fmt::join(params, " "));
  return removed;
}

std::optional<std::pair<std::string, GrubWord>> split_grub_assignment(
    const std::vector<GrubWord>& words) {
  if (words.size() != 1 || words[0].parts.empty()) return std::nullopt;
  const GrubWordPart& first = words[0].parts[0];
  if (first.kind != GrubWordPart::Kind::Text || first.quoted) return std::nullopt;
  size_t eq = first.text.find('=');
  if (eq == std::string::npos || !is_grub_var_name(first.text.substr(0, eq))) return std::nullopt;
  GrubWord value = words[0];
  value.parts[0].text = first.text.substr(eq + 1);
  return std::make_pair(first.text.substr(0, eq), std::move(value));
}

std::string grub_copied_variable(const GrubWord& word, std::string_view prefix) {
  std::vector<const GrubWordPart*> parts;
  for (const GrubWordPart& part : word.parts) {
    if (part.kind == GrubWordPart::Kind::Var || !part.text.empty()) parts.push_back(&part);
  }
  if (parts.size() != 2 || parts[0]->kind != GrubWordPart::Kind::Text || parts[0]->text != prefix ||
      parts[1]->kind != GrubWordPart::Kind::Var) {
    return {};
  }
  return parts[1]->text;
}

}  // namespace warmboot
