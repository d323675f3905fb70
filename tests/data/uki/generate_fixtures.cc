// SPDX-License-Identifier: Apache-2.0
// Writes the binary fixture files (synthetic kernels, unified kernel images, EFI variables) that
// the unit tests and the fixture trees use. Regenerate after changing tests/unit/uki_builder.h:
//
//   g++ -std=c++20 -Itests/unit tests/data/uki/generate_fixtures.cc -o /tmp/gen_fixtures
//   /tmp/gen_fixtures tests/data
//
// uki_image_test checks that the committed files match what this would write.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "uki_builder.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " TESTS_DATA_DIR\n";
    return 2;
  }
  for (const auto& file : warmboot::testing::generated_fixture_files()) {
    std::filesystem::path path = std::filesystem::path(argv[1]) / file.path;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
    if (!out) {
      std::cerr << "cannot write " << path << "\n";
      return 1;
    }
    std::cout << path.string() << " (" << file.content.size() << " bytes)\n";
  }
  return 0;
}
