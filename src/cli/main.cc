// SPDX-License-Identifier: Apache-2.0
// warmboot: the entry point. Real machine, real terminal.
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/app.h"

namespace {

bool ask_on_terminal(const std::string& question) {
  std::cerr << question << " Type 'yes' to continue: " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "yes";
}

int64_t seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double realtime_now() {
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

void sleep_for(double seconds) {
  struct timespec pause {};
  pause.tv_sec = static_cast<time_t>(seconds);
  pause.tv_nsec = static_cast<long>((seconds - static_cast<double>(pause.tv_sec)) * 1e9);
  while (::nanosleep(&pause, &pause) != 0 && errno == EINTR) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool interactive = ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO);
  warmboot::AppIo io{std::cout,
                     std::cerr,
                     interactive ? std::function<bool(const std::string&)>(ask_on_terminal)
                                 : std::function<bool(const std::string&)>(),
                     seconds_now,
                     realtime_now,
                     sleep_for};
  int code = warmboot::run_app(args, warmboot::make_real_machine, io);
  if (std::fflush(stdout) != 0 && code == 0) code = 1;  // what run_app's flush could not see
  return code;
}
