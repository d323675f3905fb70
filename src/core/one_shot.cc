// SPDX-License-Identifier: Apache-2.0
#include "core/one_shot.h"

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "core/grub_env.h"
#include "core/loader_conf.h"

namespace warmboot {
namespace {

constexpr std::string_view kNextEntry = "next_entry=";
constexpr uint64_t kMaxGrubEnv = 64 * 1024;

bool is_efi_variable(std::string_view where) {
  return where == kLoaderEntryOneShotPath;
}

// Where the line at `pos` ends (past its newline) as parse_grubenv reads it: a variable's value
// goes on over an escaped newline ("\" + newline, how GRUB saves a value holding a newline), so
// "a=x\<newline>next_entry=y" is one variable, not two; a comment line ends at its newline.
size_t grubenv_line_end(std::string_view content, size_t pos) {
  size_t eq = content.find_first_of("=\n", pos);
  if (content[pos] != '#' && eq != std::string_view::npos && content[eq] == '=') {
    size_t i = eq + 1;
    while (i < content.size() && content[i] != '\n') i += content[i] == '\\' ? 2 : 1;
    return std::min(i + 1, content.size());
  }
  size_t end = content.find('\n', pos);
  return end == std::string_view::npos ? content.size() : end + 1;
}

}  // namespace

Result<std::string> grubenv_without_next_entry(std::string_view content, std::string_view path) {
  if (auto parsed = parse_grubenv(content, path); !parsed) return parsed.error();
  std::string out;
  out.reserve(content.size());
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = grubenv_line_end(content, pos);
    std::string_view line = content.substr(pos, end - pos);
    if (line.starts_with(kNextEntry)) {
      out += kNextEntry;
      if (line.ends_with('\n')) out += '\n';
    } else {
      out += line;
    }
    pos = end;
  }
  if (out.size() < content.size()) out.append(content.size() - out.size(), '#');
  return out;
}

Status consume_one_shot(FileSystem& fs, const Plan& plan) {
  if (!plan.one_shot) return {};
  const std::string& where = *plan.one_shot;
  if (is_efi_variable(where)) return fs.remove_file(where);
  auto text = fs.read_file(where, kMaxGrubEnv);
  if (!text) {
    if (text.error().code == ENOENT) return {};
    return text.error();
  }
  auto cleared = grubenv_without_next_entry(*text, where);
  if (!cleared) return cleared.error();
  if (*cleared == *text) return {};
  return fs.write_file(where, *cleared);
}

std::string describe_one_shot(const std::string& where) {
  if (is_efi_variable(where)) return "bootctl set-oneshot's LoaderEntryOneShot";
  return fmt::format("grub-reboot's next_entry in {}", where);
}

}  // namespace warmboot
