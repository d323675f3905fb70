// SPDX-License-Identifier: Apache-2.0
// `warmboot check`: one line per preflight check; exit 0 all ok, 1 warnings, 2 a failure.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/check_facts.h"
#include "cli/commands.h"
#include "core/json_text.h"
#include "core/preflight.h"

namespace warmboot {
namespace {

void print_results(std::ostream& out, const std::vector<CheckResult>& results) {
  size_t width = 0;
  for (const auto& result : results) width = std::max(width, result.name.size());
  for (const auto& result : results) {
    fmt::print(out, "{:<4}  {:<{}}  {}\n", to_string(result.level), result.name, width,
               result.seen);
    if (!result.remedy.empty()) fmt::print(out, "      {:<{}}  -> {}\n", "", width, result.remedy);
  }
  const CheckLevel verdict = overall_level(results);
  fmt::print(out, "\n{}\n",
             verdict == CheckLevel::Ok     ? "verdict: ok, a warm reboot should work"
             : verdict == CheckLevel::Warn ? "verdict: warn, a warm reboot should work; see above"
                                           : "verdict: fail, a warm reboot would fail or go cold");
}

}  // namespace

ExitCode cmd_check(Context& ctx, const Invocation& in) {
  const PreflightFacts facts = gather_preflight_facts(ctx, in.selection);
  const std::vector<CheckResult> results = run_preflight(ctx.fs, ctx.facts(), facts);
  if (ctx.json) {
    ctx.out << json_text(to_json(results));
  } else {
    print_results(ctx.out, results);
  }
  switch (overall_level(results)) {
    case CheckLevel::Ok:
      return ExitCode::Ok;
    case CheckLevel::Warn:
      return ExitCode::CheckWarnings;
    case CheckLevel::Fail:
      return ExitCode::CheckFailures;
  }
  return ExitCode::CheckFailures;
}

}  // namespace warmboot
