// SPDX-License-Identifier: Apache-2.0
#include "cli/check_facts.h"

#include "core/kernel_config.h"
#include "core/uki_image.h"
#include "os/decompress.h"
#include "os/initrd_reader.h"
#include "os/kernel_unpack_probe.h"

namespace warmboot {
namespace {

InitrdNames to_names(const std::string& path, Result<InitrdListing> listing) {
  InitrdNames names;
  names.path = path;
  if (listing) {
    names.names = std::move(listing->names);
  } else {
    names.error = listing.error();
  }
  return names;
}

// The .initrd section of a unified kernel image, listed.
std::optional<InitrdNames> uki_initrd(const FileSystem& fs, const std::string& kernel) {
  const std::string label = kernel + " (.initrd)";
  auto uki = read_uki(fs, kernel);
  if (!uki) return to_names(label, uki.error());
  if (!uki->initrd || uki->initrd->size == 0) return std::nullopt;
  if (uki->initrd->offset + uki->initrd->size > kMaxInitrdBytes + (64ull << 20))
    return to_names(label, make_error("initrd", "embedded initrd too large to list"));
  auto bytes = fs.read_prefix(kernel, uki->initrd->offset + uki->initrd->size);
  if (!bytes) return to_names(label, bytes.error());
  if (bytes->size() < uki->initrd->offset + uki->initrd->size)
    return to_names(label, make_error("initrd", "truncated unified kernel image"));
  std::string_view section =
      std::string_view(*bytes).substr(uki->initrd->offset, uki->initrd->size);
  return to_names(label, list_initrd(section));
}

}  // namespace

PreflightFacts gather_preflight_facts(Context& ctx, const SelectionRequest& request) {
  PreflightFacts facts;
  if (const auto& config = ctx.config()) facts.stage_ahead = config->stage_ahead;
  auto plan = plan_from_system(ctx.fs, ctx.facts(), request);
  if (plan) {
    facts.plan = std::move(plan.value());
  } else {
    facts.plan_error = plan.error();
  }
  if (ctx.fs.exists(kProcConfigGz)) {
    if (auto text = read_compressed_file(ctx.fs, kProcConfigGz)) facts.proc_config = *text;
  }
  if (facts.plan) {
    if (facts.plan->uki) {
      if (auto embedded = uki_initrd(ctx.fs, facts.plan->kernel))
        facts.initrds.push_back(std::move(*embedded));
    }
    for (const auto& path : facts.plan->initrds)
      facts.initrds.push_back(to_names(path, list_initrd_file(ctx.fs, path)));
    facts.kernel_unpack = probe_kernel_unpack(ctx.fs, *facts.plan, ctx.facts().arch);
  }
  return facts;
}

}  // namespace warmboot
