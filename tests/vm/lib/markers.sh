# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# What the guest reported: markers.log and the queries on it and on serial.log, for the generic
# checks, the cases' host_check, the report, scripts/demo.sh and bench/. Everything reads $VM_OUT.
#
#   vm_markers_build               $VM_OUT/markers.log from serial.log: "<host time> <run> <event>
#                                  key=value ..." for every "WARMBOOT-VM <event> ..." console line
#                                  and every "HOST qemu-start|qemu-exit" line
#   vm_count EVENT [RUN]           number of EVENT markers (in RUN)
#   vm_marker EVENT N [RUN]        the Nth one (1-based; -1: the last)
#   vm_field EVENT N KEY [RUN]     value of KEY in it (cmdline= runs to the end of the line)
#   vm_time EVENT N [RUN]          its host time (epoch seconds)
#   vm_line_time RUN REGEX [T]     host time of the first serial line of RUN matching REGEX after T
#   vm_line_between RUN REGEX A B  a serial line of RUN matches REGEX after the run's boot marker A
#                                  and before its boot marker B
#   vm_log_has REGEX [RUN]         the serial log (of RUN) has a line matching REGEX (grep -E)
#   vm_cmdline_has N WORD          the cmdline of boot N has WORD as a whole word
#   vm_calc EXPR NAME=VALUE...     arithmetic on decimal seconds: vm_calc 'a - b' a=1.5 b=0.2
#   vm_median                      the median of the numbers on stdin ("-" ignored; "null" if none)
#   vm_reboot_times N              timings of the Nth reboot (see below)

vm_markers_build() {
  awk '{ i = index($0, "WARMBOOT-VM "); if (i) print $1, $2, substr($0, i + 12)
         else if ($3 == "HOST") print $1, $2, substr($0, index($0, "HOST ") + 5) }' \
    "$VM_OUT/serial.log" >"$VM_OUT/markers.log"
}

vm_count() { awk -v e="$1" -v r="${2:-}" '$3 == e && (r == "" || $2 == r)' "$VM_OUT/markers.log" | wc -l; }
vm_marker() {
  local n=$2
  ((n >= 0)) || n=$(vm_count "$1" "${3:-}")
  awk -v e="$1" -v n="$n" -v r="${3:-}" '$3 == e && (r == "" || $2 == r) && ++c == n' "$VM_OUT/markers.log"
}
vm_field() {
  local line
  line=" $(vm_marker "$1" "$2" "${4:-}")"
  [[ $line == *" $3="* ]] || return 1
  line=${line#* "$3"=}
  [[ $3 == cmdline ]] || line=${line%% *}
  printf '%s\n' "$line"
}
vm_time() {
  local line
  line=$(vm_marker "$1" "$2" "${3:-}")
  [[ -n $line ]] || return 1
  echo "${line%% *}"
}
vm_line_time() {
  awk -v r="$1" -v t="${3:-0}" -v re="$2" '$2 == r && $1 > t && $0 ~ re { print $1; exit }' "$VM_OUT/serial.log"
}
vm_line_between() {
  local ta tb t
  ta=$(vm_time boot "$3" "$1") && tb=$(vm_time boot "$4" "$1") || return 1
  t=$(vm_line_time "$1" "$2" "$ta")
  [[ -n $t ]] && awk -v t="$t" -v b="$tb" 'BEGIN { exit !(t < b) }'
}
# (grep -q in a pipeline would end awk with SIGPIPE, a failure under pipefail)
vm_log_has() { grep -Eq -- "$1" < <(awk -v r="${2:-}" '(r == "" || $2 == r)' "$VM_OUT/serial.log"); }
vm_cmdline_has() { [[ " $(vm_field boot "$1" cmdline) " == *" $2 "* ]]; }
# The median of the numbers on stdin, one a line ("-" ignored; "null" if none).
vm_median() {
  { grep -v '^-$' || true; } | sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "null"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
vm_calc() {
  local expr=$1 a args=()
  shift
  for a in "$@"; do args+=(-v "$a"); done
  awk "${args[@]}" "BEGIN { printf \"%.2f\\n\", $expr }" </dev/null
}

# vm_reboot_times N: timings of the Nth reboot-issued marker and the boot that followed, as
# "how downtime boot overhead shutdown handover stage" (seconds; "-" when unknown):
#   downtime  reboot command issued -> the guest's boot marker (host clock)
#   boot      the new kernel's own boot -> its boot marker (its uptime in the marker)
#   overhead  downtime - boot
#   shutdown  command -> the old kernel's last words ("kexec_core: Starting new kernel" or
#             "reboot: Restarting system")
#   handover  those last words -> the new kernel's clock starts (ready time - uptime): firmware,
#             boot loader and decompression (cold; with QEMU started again if the reset ended it)
#             or purgatory and decompression (kexec)
#   stage     command -> kernel staged (warmboot's "warm reboot into" line or a "staged" marker)
vm_reboot_times() {
  local line t_issue run how ready t_ready up t_down t_stage
  line=$(vm_marker reboot-issued "$1") || return 1
  [[ -n $line ]] || return 1
  read -r t_issue run _ how _ <<<"$line"
  how=${how#how=}
  # The boot that followed: in the same QEMU run, or (a reset that ended QEMU under -no-reboot, a
  # cold reboot the harness powers on again) in the next one.
  ready=$(awk -v r="$run" -v t="$t_issue" '$2 == r && $3 == "qemu-exit" && $1 > t { r++ }
    $2 == r && $3 == "boot" && $1 > t { print; exit }' "$VM_OUT/markers.log")
  if [[ -z $ready ]]; then
    echo "$how - - - - - -"
    return 0
  fi
  t_ready=${ready%% *}
  up=$(sed -n 's/.* uptime=\([^ ]*\).*/\1/p' <<<"$ready")
  t_down=$(vm_line_time "$run" 'kexec_core: Starting new kernel|reboot: Restarting system' "$t_issue")
  t_stage=$(vm_line_time "$run" 'warmboot: warm reboot into|WARMBOOT-VM staged' "$t_issue")
  [[ -n $t_stage ]] && awk -v s="$t_stage" -v r="$t_ready" 'BEGIN { exit !(s < r) }' || t_stage=
  printf '%s %s %s %s %s %s %s\n' "$how" \
    "$(vm_calc 'r - i' r="$t_ready" i="$t_issue")" "$up" \
    "$(vm_calc 'r - i - u' r="$t_ready" i="$t_issue" u="$up")" \
    "$([[ -n $t_down ]] && vm_calc 'd - i' d="$t_down" i="$t_issue" || echo -)" \
    "$([[ -n $t_down ]] && vm_calc 'r - u - d' r="$t_ready" u="$up" d="$t_down" || echo -)" \
    "$([[ -n $t_stage ]] && vm_calc 's - i' s="$t_stage" i="$t_issue" || echo -)"
}
