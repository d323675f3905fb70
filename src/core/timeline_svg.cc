// SPDX-License-Identifier: Apache-2.0
// render_svg: the cold and warm timelines as horizontal stacked bars on one time axis.
#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "core/reboot_timeline.h"

namespace warmboot {
namespace {

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* colour_of(const std::string& phase) {
  if (phase == "shutdown") return "#d9534f";
  if (phase == "firmware" || phase == "reset+POST") return "#8c6d31";
  if (phase == "loader") return "#bd9e39";
  if (phase == "kexec") return "#9467bd";
  if (phase == "kernel") return "#1f77b4";
  if (phase == "initrd") return "#17becf";
  if (phase == "userspace") return "#2ca02c";
  return "#7f7f7f";
}

// A tick every 1, 2, 5, 10, 20, 50... seconds, about eight on the axis, whatever the length (a
// 47-day "downtime" from a machine that was off once drew 4 million one-second ticks).
double tick_step(double longest) {
  double raw = std::max(longest / 8, 1.0);
  double base = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (base * m >= raw) return base * m;
  }
  return base * 10;
}

// At most this many ticks, however the step came out.
constexpr int kMaxTicks = 20;

}  // namespace

std::string render_svg(const std::vector<RebootTimeline>& timelines, const std::string& title) {
  constexpr double kLeft = 70, kRight = 30, kBarWidth = 800, kBarHeight = 34, kGap = 46, kTop = 50;
  double longest = 0;
  for (const auto& t : timelines) longest = std::max(longest, t.total());
  if (!std::isfinite(longest) || longest <= 0) longest = 1;
  double scale = kBarWidth / longest;
  double height = kTop + static_cast<double>(timelines.size()) * (kBarHeight + kGap) + 60;
  double width = kLeft + kBarWidth + kRight;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2:.0f}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{3}</text>\n",
      width, height, kLeft, xml_escape(title));
  double y = kTop;
  for (const auto& t : timelines) {
    svg += fmt::format("<text x=\"8\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n",
                       y + kBarHeight / 2 + 4, xml_escape(t.kind));
    double x = kLeft;
    for (const auto& p : t.phases) {
      double w = p.seconds * scale;
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"{}\">"
          "<title>{}: {:.2f} s</title></rect>\n",
          x, y, w, kBarHeight, colour_of(p.name), xml_escape(p.name), p.seconds);
      if (w > 48) {
        svg += fmt::format(
            "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"white\" font-size=\"11\">{} {:.1f}s</text>\n",
            x + 4, y + kBarHeight / 2 + 4, xml_escape(p.name), p.seconds);
      }
      x += w;
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{:.1f} s</text>\n", x + 4,
                       y + kBarHeight / 2 + 4, t.total());
    svg += fmt::format("<text x=\"{:.0f}\" y=\"{:.1f}\" fill=\"#555\" font-size=\"11\">{}</text>\n",
                       kLeft, y + kBarHeight + 15, xml_escape(t.basis));
    y += kBarHeight + kGap;
  }
  double step = tick_step(longest);
  svg += fmt::format(
      "<line x1=\"{0:.0f}\" y1=\"{1:.1f}\" x2=\"{2:.0f}\" y2=\"{1:.1f}\" "
      "stroke=\"black\"/>\n",
      kLeft, y, kLeft + kBarWidth);
  const int ticks = std::min(kMaxTicks, static_cast<int>(longest / step + 1e-9));
  for (int i = 0; i <= ticks; ++i) {
    const double s = step * i;
    double x = kLeft + s * scale;
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"black\"/><text x=\"{0:.1f}\" y=\"{3:.1f}\" "
        "text-anchor=\"middle\">{4:g} s</text>\n",
        x, y, y + 5, y + 19, s);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace warmboot
