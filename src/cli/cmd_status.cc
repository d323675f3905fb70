// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/plan_output.h"
#include "cli/report.h"
#include "core/enable_setup.h"
#include "core/guard_pin.h"
#include "core/json_text.h"
#include "core/staged_record.h"

namespace warmboot {

ExitCode cmd_status(Context& ctx, const Invocation&) {
  auto loaded = ctx.kexec.is_loaded();
  if (!loaded) return fail(ctx, loaded.error(), ExitCode::Failure);
  auto record = read_staged_record(ctx.fs);
  // /run is a tmpfs, but a record from another boot (e.g. under --root) says nothing about now.
  bool ours = *loaded && record && record->boot_id == ctx.facts().boot_id;

  if (ctx.json) {
    nlohmann::json doc;
    doc["staged"] = *loaded;
    doc["staged_by_warmboot"] = ours;
    doc["plan"] = ours ? to_json(record->plan) : nlohmann::json(nullptr);
    doc["method"] = ours ? nlohmann::json(to_string(record->method)) : nlohmann::json(nullptr);
    doc["staged_at"] = ours ? nlohmann::json(record->staged_at) : nlohmann::json(nullptr);
    doc["enabled"] = to_string(enable_state(ctx.fs));
    auto pin = read_pin(ctx.fs);
    doc["pinned"] = pin ? nlohmann::json(describe_pin(*pin)) : nlohmann::json(nullptr);
    ctx.out << json_text(doc);
    return ExitCode::Ok;
  }
  if (!*loaded) {
    fmt::print(ctx.out, "no kernel is staged\n");
  } else if (!ours) {
    fmt::print(ctx.out, "a kernel is staged, but not by warmboot (no record in {})\n",
               kStagedRecordPath);
  } else {
    fmt::print(ctx.out, "staged by warmboot with {}:\n", to_string(record->method));
    print_plan(ctx.out, record->plan);
  }
  EnableState enabled = enable_state(ctx.fs);
  fmt::print(ctx.out, "warm on plain reboot: {}{}\n", to_string(enabled),
             enabled == EnableState::Foreign ? fmt::format(" ({} was edited)", kEnableDropIn) : "");
  if (auto pin = read_pin(ctx.fs))
    fmt::print(ctx.out, "guard: {}; `warmboot unpin` lifts it\n", describe_pin(*pin));
  return ExitCode::Ok;
}

}  // namespace warmboot
