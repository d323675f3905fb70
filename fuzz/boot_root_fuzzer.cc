// SPDX-License-Identifier: Apache-2.0
// A whole root file system as `list`, `plan` and `check` read it: the machine's facts, the boot
// inventory (grub.cfg + grubenv + BLS entries + UKIs + loader.conf + EFI variables + installed
// kernels), the plan for each kind of --kernel, and every preflight check on it. Together with
// the per-format harnesses this reaches the code that joins the parsers' results.
//
// Input: parts "PATH\nCONTENT" separated by "\n@@\n" (see fuzz_support.h), e.g. a file of
// tests/data/roots/<name> per part. Properties: the default entry is one of the entries; a plan
// names a kernel.
#include <string>
#include <vector>

#include "core/boot_inventory.h"
#include "core/cpio_newc.h"
#include "core/kernel_selection.h"
#include "core/preflight.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

// What the caller would list of an uncompressed initrd (core does not decompress).
InitrdNames list_initrd(const FileSystem& fs, const std::string& path) {
  InitrdNames listed{path, {}, std::nullopt};
  auto bytes = fs.read_file(path, 1 << 20);
  if (!bytes) return InitrdNames{path, {}, bytes.error()};
  CpioNewcScanner scanner;
  if (auto fed = scanner.feed(*bytes); !fed) return InitrdNames{path, {}, fed.error()};
  listed.names = scanner.names();
  return listed;
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  FakeFileSystem fs;
  fuzz::add_files_from_parts(fs, fuzz::as_text(data, size), 64);
  const MachineFacts machine = read_machine_facts(fs, nullptr);

  BootInventory inventory = read_boot_inventory(fs);
  (void)to_string(inventory.loader);
  if (inventory.default_index) FUZZ_CHECK(*inventory.default_index < inventory.entries.size());

  for (const char* kernel : {"default", "latest", "current"}) {
    SelectionRequest request;
    request.kernel = kernel;
    request.edit.append = {"quiet"};
    request.edit.remove = {"BOOT_IMAGE"};
    PreflightFacts facts;
    auto plan = plan_from_system(fs, machine, request);
    if (plan) {
      FUZZ_CHECK(!plan->kernel.empty());
      for (const auto& initrd : plan->initrds) facts.initrds.push_back(list_initrd(fs, initrd));
      facts.plan = *plan;
    } else {
      facts.plan_error = plan.error();
    }
    auto results = run_preflight(fs, machine, facts);
    (void)overall_level(results);
  }
  return 0;
}
