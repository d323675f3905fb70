// SPDX-License-Identifier: Apache-2.0
// `warmboot audit [--json] [--svg FILE]`: after the fact. This boot's phases as systemd measured
// them and what a warm reboot saves (firmware + loader); the previous boot's shutdown, unit by
// unit, slowest first, with stop timeouts flagged; and a cold and a warm reboot of this machine
// side by side (from the downtime history), as terminal bars and optionally an SVG picture.
#include <cerrno>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/report.h"
#include "cli/this_boot.h"
#include "core/downtime_history.h"
#include "core/json_text.h"
#include "core/reboot_timeline.h"

namespace warmboot {
namespace {

std::string seconds_text(const std::optional<double>& value) {
  return value ? fmt::format("{:8.3f} s", *value) : fmt::format("{:>10}", "unknown");
}

void print_boot(Context& ctx, const ThisBoot& boot, const WarmSaving& saving) {
  fmt::print(ctx.out, "This boot ({}), as systemd measured it:\n",
             boot.boot_id.empty() ? "?" : boot.boot_id);
  if (!boot.stamps) {
    fmt::print(ctx.out, "  unknown: {}\n", boot.stamps_problem);
  } else {
    const std::pair<const char*, const std::optional<double>*> rows[] = {
        {"firmware", &boot.phases.firmware},
        {"loader", &boot.phases.loader},
        {"kernel", &boot.phases.kernel},
        {"initrd", &boot.phases.initrd},
        {"userspace", &boot.phases.userspace}};
    for (const auto& [name, value] : rows) {
      fmt::print(ctx.out, "  {:<10} {}\n", name, seconds_text(*value));
    }
    fmt::print(ctx.out, "  {:<10} {:8.3f} s\n", "total", boot.phases.total());
  }
  if (saving.seconds) {
    fmt::print(ctx.out,
               "A warm reboot skips firmware and loader: {:.1f} s ({:.0f} % of this boot).\n",
               *saving.seconds, saving.percent.value_or(0));
  } else {
    fmt::print(ctx.out, "What a warm reboot saves: unknown; {}.\n", saving.note);
  }
}

void print_shutdown(Context& ctx, const ThisBoot& boot, size_t limit) {
  fmt::print(ctx.out, "\n");
  if (!boot.previous_shutdown) {
    fmt::print(ctx.out, "Shutdown of the previous boot: unknown; {}\n", boot.journal_problem);
    return;
  }
  const ShutdownReport& s = *boot.previous_shutdown;
  fmt::print(ctx.out, "Shutdown of the previous boot ({}): {:.1f} s, {} units stopped\n", s.boot_id,
             s.seconds(), s.units.size());
  if (!s.began_with.empty()) fmt::print(ctx.out, "  began with: {}\n", s.began_with);
  if (s.truncated)
    fmt::print(ctx.out, "  (only the journal's last {} entries read)\n", kJournalTail);
  for (const auto& u : worth_showing(s.units, limit)) {
    std::string flags;
    if (u.timed_out) flags += "  TIMED OUT (hit its stop timeout)";
    if (!u.finished) flags += "  still stopping when the journal ended";
    fmt::print(ctx.out, "  {:8.3f} s  {}{}\n", u.seconds, u.unit, flags);
  }
}

}  // namespace

ExitCode cmd_audit(Context& ctx, const Invocation& in) {
  const AuditOptions& options = in.audit;
  ThisBoot boot = read_this_boot(ctx);
  auto history = read_history(ctx.fs);
  std::vector<DowntimeRecord> records = history ? *history : std::vector<DowntimeRecord>{};
  WarmSaving saving = warm_saving(boot.phases, boot.came_from_kexec);
  if (!boot.stamps) saving = WarmSaving{{}, {}, "systemd's boot timings could not be read"};
  std::vector<RebootTimeline> timelines = compare_reboots(records);

  if (!options.svg_path.empty()) {
    std::string svg = render_svg(timelines, "Cold vs warm reboot of this machine");
    // The picture goes where the operator said, relative to the working directory, not --root.
    std::ofstream file(options.svg_path, std::ios::binary | std::ios::trunc);
    if (!(file << svg) || !file.flush()) {
      return fail(ctx,
                  errno_error("audit --svg", errno, options.svg_path, "cannot write the picture",
                              "choose a writable path"),
                  ExitCode::Failure);
    }
  }
  if (ctx.json) {
    nlohmann::json out = {
        {"boot_id", boot.boot_id},
        {"came_from_kexec", boot.came_from_kexec},
        {"boot", boot.stamps ? to_json(boot.phases) : nlohmann::json(nullptr)},
        {"boot_problem", boot.stamps_problem},
        {"warm_saving", to_json(saving)},
        {"shutdown", boot.previous_shutdown ? to_json(*boot.previous_shutdown, options.limit)
                                            : nlohmann::json(nullptr)},
        {"shutdown_problem", boot.journal_problem},
        {"timelines", nlohmann::json::array()}};
    for (const auto& t : timelines) out["timelines"].push_back(to_json(t));
    if (!history) out["history_problem"] = history.error().str();
    ctx.out << json_text(out);
    return ExitCode::Ok;
  }
  print_boot(ctx, boot, saving);
  print_shutdown(ctx, boot, options.limit);
  fmt::print(ctx.out, "\nCold vs warm reboot of this machine:\n");
  if (!history) fmt::print(ctx.out, "  history unreadable: {}\n", history.error().str());
  if (timelines.empty()) {
    fmt::print(ctx.out,
               "  nothing measured yet: warmboot-record.service records every boot; reboot cold "
               "and warm once each\n");
  } else {
    fmt::print(ctx.out, "{}", render_bars(timelines));
  }
  if (!options.svg_path.empty()) fmt::print(ctx.out, "SVG written to {}\n", options.svg_path);
  return ExitCode::Ok;
}

}  // namespace warmboot
