# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2154 # state, payload, BENCH_*: the harness and the case set them
# The guest side of bench/reboot-bench.sh: copied into the generated case after its settings
# (BENCH_INSTALL, BENCH_INITRAMFS), and run by the guest harness (tests/vm/guest/lib.sh: marker,
# uptime_s, reboot_cmd, expect_reboot, install_like_the_package, $state, $payload). One reboot per
# step; everything a method needs is set up before its clock starts, except what the method itself
# does after its command (staging on the way down, systemd loading a kernel for `systemctl kexec`).
conf=/etc/warmboot/warmboot.conf

# Once, on the first boot, before the first clock starts: warmboot as the package installs it, and
# (BENCH_INITRAMFS=debian) Debian's own initramfs, as users have it (MODULES=most; the guest images
# trim theirs to a module list).
bench_setup() {
  [[ -f $state/bench-setup ]] && return 0
  [[ $BENCH_INSTALL == files ]] && { install_like_the_package || marker "bench: installing warmboot failed"; }
  if [[ $BENCH_INITRAMFS == debian ]]; then
    rm -f /etc/initramfs-tools/conf.d/warmboot-vm.conf
    update-initramfs -u -k "$(uname -r)" >"$state/initramfs.log" 2>&1 || marker "bench: update-initramfs failed"
  fi
  marker "bench-setup kernel=$(uname -r) initrd_bytes=$(stat -c %s "/boot/initrd.img-$(uname -r)")" \
    "kexec=$(command -v kexec || echo none) initramfs=$BENCH_INITRAMFS"
  touch "$state/bench-setup"
}

# How long warmboot's way down took to say the kernel is staged (staged there, or found staged
# ahead: "nothing to load"), from the previous boot's journal: for the reboots warmboot stages in
# its shutdown unit, whose lines only that journal has. Then, for every reboot, where the way down
# spent its time: warmboot's lines and systemd's targets, in seconds after the command.
bench_report_previous() {
  local n issued line t reused
  read -r n issued 2>/dev/null <"$state/bench-issued" || return 0
  rm -f "$state/bench-issued"
  line=$(journalctl -b -1 -o short-monotonic --no-pager -t warmboot 2>/dev/null |
    grep -E 'staged .*, the reboot will be warm' | tail -n 1)
  t=$(sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' <<<"$line")
  if [[ -n $t ]]; then
    reused=$(journalctl -b -1 --no-pager -t warmboot 2>/dev/null | grep -c 'nothing to load')
    marker "bench-staged n=$n s=$(awk -v t="$t" -v i="$issued" 'BEGIN { printf "%.2f", t - i }') reused=$reused"
  fi
  journalctl -b -1 -o short-monotonic --no-pager 2>/dev/null |
    awk -v i="$issued" '{ t = substr($0, 2, index($0, "]") - 2) + 0 }
      t >= i && / warmboot\[[0-9]+\]: |Reached target|kexec/ {
        printf "  way-down +%.2f %s\n", t - i, substr($0, index($0, "]") + 2) }' | cut -c1-200
}

# off: warmboot disabled (cold, kexec-tools, systemd, warmboot reboot); down: enabled, staging on
# the way down; ahead: enabled with stage_ahead = true. Changed only when the method needs another.
bench_mode() {
  local want=$1 have
  have=$(cat "$state/bench-mode" 2>/dev/null || echo off)
  [[ $want == "$have" ]] && return 0
  if [[ $want == off ]]; then
    warmboot disable >/dev/null || marker "bench: warmboot disable failed"
  else
    printf '[handover]\nstage_ahead = %s\n' "$([[ $want == ahead ]] && echo true || echo false)" >"$conf"
    warmboot enable >/dev/null || marker "bench: warmboot enable failed"
  fi
  echo "$want" >"$state/bench-mode"
}

# GRUB's menu timeout for the next cold boot: Debian's default 5 s, or 0 (a file after the image's).
bench_grub_timeout() {
  [[ -d /etc/default/grub.d ]] || return 0
  local file=/etc/default/grub.d/zz-bench.cfg
  [[ $(cat "$file" 2>/dev/null) == "GRUB_TIMEOUT=$1" ]] && return 0
  echo "GRUB_TIMEOUT=$1" >"$file"
  update-grub >"$state/update-grub.log" 2>&1 || marker "bench: update-grub failed"
}

bench_unload() {
  warmboot unload >/dev/null 2>&1
  command -v kexec >/dev/null && kexec -u 2>/dev/null
  [[ $(cat /sys/kernel/kexec_loaded) == 0 ]] || marker "bench: a kernel stays loaded"
}

mem_available_kib() { awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo; }

# Staged ahead (as warmboot-stage-ahead.service does after boot), measuring what stays pinned.
bench_stage_ahead() {
  local before after
  for _ in $(seq 180); do
    [[ $(systemctl show -P ActiveState warmboot-stage-ahead.service) != activating ]] && break
    sleep 1
  done
  bench_unload
  before=$(mem_available_kib)
  systemctl start warmboot-stage-ahead.service
  after=$(mem_available_kib)
  [[ $(cat /sys/kernel/kexec_loaded) == 1 ]] || marker "bench: not staged ahead"
  marker "bench-pinned kib=$((before - after))"
}

bench_prepare() {
  local r out
  r=$(uname -r)
  # A warm reboot that came back cold pins warmboot cold (its guard): the report shows that reboot,
  # and the methods after it are measured again.
  out=$(warmboot unpin 2>&1) && [[ $out == *unpinned:* ]] && marker "bench-unpinned ${out#warmboot: }"
  case $1 in
    enable) bench_mode down ;;
    enable-ahead) bench_mode ahead ;;
    *) bench_mode off ;;
  esac
  case $1 in
    cold) bench_grub_timeout 5 ;;
    cold-t0) bench_grub_timeout 0 ;;
  esac
  if [[ $1 == enable-ahead ]]; then
    bench_stage_ahead
    return 0
  fi
  bench_unload
  case $1 in
    kexec-tools) # staged before the clock, as its users do with `kexec -l` then `systemctl kexec`
      kexec -l -s "/boot/vmlinuz-$r" --initrd="/boot/initrd.img-$r" --reuse-cmdline ||
        marker "bench: kexec -l failed" ;;
    warmboot-staged) warmboot load >/dev/null || marker "bench: warmboot load failed" ;;
  esac
}

bench_reboot() {
  local method=$1 n u
  bench_setup
  bench_report_previous
  bench_prepare "$method"
  sleep 5 # let the boot settle before the clock starts
  n=$(($(cat "$state/bench-n" 2>/dev/null || echo 0) + 1))
  echo "$n" >"$state/bench-n"
  u=$(uptime_s)
  echo "$n $u" >"$state/bench-issued"
  marker "reboot-issued how=$method uptime=$u"
  case $method in
    cold | cold-t0 | enable | enable-ahead) reboot_cmd "$method" systemctl reboot ;;
    # kexec-tools: loaded above. systemd-kexec: nothing loaded, so systemctl loads the boot
    # loader's default entry itself (systemd-boot's entries, through kexec-tools) first.
    kexec-tools | systemd-kexec) reboot_cmd "$method" systemctl kexec ;;
    warmboot | warmboot-staged) reboot_cmd "$method" warmboot reboot --yes ;;
    warmboot-force) reboot_cmd "$method" warmboot reboot --yes --force ;;
  esac
  expect_reboot 900
}
