// SPDX-License-Identifier: Apache-2.0
#include "core/filesystem.h"

namespace warmboot {

bool FileSystem::is_file(std::string_view path) const {
  auto info = stat(path);
  return info && info->type == FileInfo::Type::Regular;
}

bool FileSystem::is_dir(std::string_view path) const {
  auto info = stat(path);
  return info && info->type == FileInfo::Type::Directory;
}

}  // namespace warmboot
