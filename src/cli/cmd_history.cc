// SPDX-License-Identifier: Apache-2.0
// `warmboot history [--json]`: the recent reboots of this machine, with their downtime.
// `warmboot history record [--metrics-file PATH]`: run once per boot by warmboot-record.service
// (After=multi-user.target): classifies this boot, takes multi-user.target's activation as
// userspace ready (now, when systemd cannot say), appends it to /var/lib/warmboot/history.json
// with this boot's phases and the previous boot's shutdown, and refreshes the Prometheus textfile
// when a path is set. A cold reboot not made by warmboot left when its shutdown was requested,
// according to the previous boot's journal (else its last entry); without a journal its downtime
// stays null.
#include <syslog.h>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/handover_note.h"
#include "cli/metrics_refresh.h"
#include "cli/report.h"
#include "cli/this_boot.h"
#include "core/config.h"
#include "core/downtime_history.h"
#include "core/guard_pin.h"
#include "core/health_snapshot.h"
#include "core/json_text.h"
#include "core/reboot_metrics.h"
#include "core/staged_record.h"

namespace warmboot {
namespace {

std::string downtime_text(const DowntimeRecord& record) {
  return record.downtime_s ? fmt::format("{:.1f} s", *record.downtime_s) : "-";
}

}  // namespace

ExitCode cmd_history(Context& ctx, const Invocation&) {
  auto history = read_history(ctx.fs);
  if (!history) return fail(ctx, history.error(), ExitCode::Failure);
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& record : *history) {
      nlohmann::json item = to_json(record);
      item["time"] = utc_text(record.ready_at, "%Y-%m-%dT%H:%M:%SZ");
      list.push_back(std::move(item));
    }
    ctx.out << json_text(list);
    return ExitCode::Ok;
  }
  if (history->empty()) {
    fmt::print(ctx.out, "no reboot recorded yet (warmboot-record.service records each boot)\n");
    return ExitCode::Ok;
  }
  fmt::print(ctx.out, "{:<21} {:<11} {:>9}  {}\n", "TIME (UTC)", "KIND", "DOWNTIME", "KERNEL");
  for (const auto& record : *history) {
    fmt::print(ctx.out, "{:<21} {:<11} {:>9}  {}\n", utc_text(record.ready_at),
               to_string(record.kind), downtime_text(record),
               record.kernel.empty() ? "-" : record.kernel);
    for (const auto& lost : record.regressions) fmt::print(ctx.out, "{:>23}lost: {}\n", "", lost);
  }
  if (auto pin = read_pin(ctx.fs)) fmt::print(ctx.out, "\n{}\n", describe_pin(*pin));
  return ExitCode::Ok;
}

namespace {

// How long a warm boot's devices may take to come up after multi-user.target (udev may still be
// probing: a driver that binds a few seconds later is no regression) before what is missing counts.
constexpr double kHealthSettleSeconds = 90;

// This boot's health snapshot; while it lacks something the leaving boot had, look again every 2 s
// for up to kHealthSettleSeconds.
HealthSnapshot settled_health(Context& ctx, const std::string& boot_id) {
  HealthSnapshot now = read_health_snapshot(ctx.fs);
  auto handover = read_handover(ctx.fs);
  if (!handover || !handover->health || handover->boot_id == boot_id || !ctx.sleep) return now;
  const double start = realtime_now(ctx);
  while (!health_regressions(*handover->health, now).empty() &&
         realtime_now(ctx) - start < kHealthSettleSeconds) {
    ctx.sleep(2);
    now = read_health_snapshot(ctx.fs);
  }
  return now;
}

// The guard: a warm-failed boot or a health regression is said loudly and, with [guard]
// on_failure = "pin-cold" (the default; also when the configuration cannot be read, which is
// said), pins the host cold until `warmboot unpin`.
void guard_this_boot(Context& ctx, const DowntimeRecord& record) {
  auto failure = guard_failure(record);
  if (!failure) return;
  const Result<Config>& config = ctx.config();
  const bool pin = !config || config->on_failure == GuardPolicy::PinCold;
  std::string message = fmt::format("WARM REBOOT WENT WRONG: {}{}", *failure,
                                    pin ? "; pinned cold: reboots stay cold until `warmboot unpin`"
                                        : " ([guard] on_failure = \"warn\": not pinned)");
  if (!config) message += " (configuration unreadable, so the default pin-cold applies)";
  ctx.journal.log(
      LOG_ERR, message,
      {{"event", record.kind == RebootKind::WarmFailed ? "warm-failed" : "health-regression"}});
  fmt::print(ctx.err, "warmboot: {}\n", message);
  if (!pin) return;
  GuardPin taken{record.boot_id, realtime_now(ctx), record.kernel, *failure};
  if (auto written = write_pin(ctx.fs, taken); !written)
    fmt::print(ctx.err, "warmboot: could not write the pin: {}\n", written.error().str());
}

}  // namespace

ExitCode cmd_history_record(Context& ctx, const Invocation& in) {
  std::string boot_id = ctx.facts().boot_id;
  if (boot_id.empty()) {
    return fail(ctx, make_error("history record", "cannot read /proc/sys/kernel/random/boot_id"),
                ExitCode::Failure);
  }
  // Longer than the health snapshot's settling (up to 90 s): the second caller then finds this
  // boot recorded.
  auto locked = ctx.fs.lock(kHistoryLockPath, "warmboot history record", 150);
  if (!locked) return fail(ctx, locked.error(), ExitCode::Failure);
  std::string moved_to;
  auto history = read_history_or_start_anew(ctx.fs, realtime_now(ctx), &moved_to);
  if (!history) return fail(ctx, history.error(), ExitCode::Failure);
  if (!moved_to.empty()) {
    std::string message = fmt::format(
        "{} was corrupt or too large: moved to {}, a new history begins", kHistoryPath, moved_to);
    ctx.journal.log(LOG_WARNING, message, {{"event", "history-reset"}});
    fmt::print(ctx.err, "warmboot: {}\n", message);
  }
  bool known = std::any_of(history->begin(), history->end(),
                           [&](const DowntimeRecord& r) { return r.boot_id == boot_id; });
  RebootCounts counts;
  if (known) {
    fmt::print(ctx.out, "warmboot: this boot is already recorded\n");
    counts = current_counts(ctx.fs, *history);
  } else {
    ThisBoot boot = read_this_boot(ctx);
    BootFacts facts;
    facts.kernel = ctx.facts().release();
    facts.previous_boot_id = boot.previous_boot_id;
    if (boot.previous_shutdown) {
      facts.previous_left = boot.previous_shutdown->started_at;
      facts.shutdown_s = boot.previous_shutdown->seconds();
    } else {
      facts.previous_left = boot.previous_end;  // its last sign of life
    }
    if (boot.stamps) facts.phases = boot.phases;
    if (ctx.facts().loader_type) facts.came_from_kexec = ctx.facts().came_from_kexec();
    facts.health = settled_health(ctx, boot_id);
    double ready_at = boot.ready ? boot.ready->realtime : realtime_now(ctx);
    auto record = record_this_boot(ctx.fs, boot_id, ready_at, facts);
    if (!record) return fail(ctx, record.error(), ExitCode::Failure);
    append_record(*history, *record);  // as record_this_boot wrote it
    auto counted = count_new_reboot(ctx.fs, record->kind, *history);
    if (!counted) return fail(ctx, counted.error(), ExitCode::Failure);
    counts = *counted;
    std::string message =
        fmt::format("recorded a {} reboot, downtime {}", to_string(record->kind),
                    record->downtime_s ? fmt::format("{:.3f} s", *record->downtime_s)
                                       : "unknown (no handover record, no earlier boot in the "
                                         "journal)");
    ctx.journal.log(
        LOG_INFO, message,
        {{"event", "boot-recorded"},
         {"kind", to_string(record->kind)},
         {"downtime", record->downtime_s ? fmt::format("{:.3f}", *record->downtime_s) : ""}});
    fmt::print(ctx.out, "warmboot: {}\n", message);
    guard_this_boot(ctx, *record);
  }
  if (auto written = write_metrics(ctx, in.metrics_file, *history, counts); !written) {
    return fail(ctx, written.error(), ExitCode::Failure);
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
