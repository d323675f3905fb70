// SPDX-License-Identifier: Apache-2.0
#include "cli/metrics_refresh.h"

#include <syslog.h>

#include "core/config.h"

namespace warmboot {

Status write_metrics(Context& ctx, const std::string& path,
                     const std::vector<DowntimeRecord>& history, const RebootCounts& counts) {
  std::string target = path;
  if (target.empty()) {
    const auto& config = ctx.config();
    if (!config) return config.error();
    if (!config->metrics_path) return {};
    target = *config->metrics_path;
  }
  auto loaded = ctx.kexec.is_loaded();
  return ctx.fs.write_file(target, render_metrics(history, counts, loaded && *loaded));
}

void refresh_metrics(Context& ctx) {
  const auto& config = ctx.config();
  if (!config || !config->metrics_path) return;  // a bad file was reported by whoever read it
  auto history = read_history(ctx.fs);
  std::vector<DowntimeRecord> records = history ? *history : std::vector<DowntimeRecord>{};
  Status written =
      write_metrics(ctx, *config->metrics_path, records, current_counts(ctx.fs, records));
  if (!written) {
    ctx.journal.log(LOG_WARNING, "cannot refresh the metrics textfile: " + written.error().str());
  }
}

}  // namespace warmboot
