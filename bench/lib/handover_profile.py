#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Where a warm handover's time goes, seen from outside the guest (bench/reboot-bench.sh --profile).

  handover_profile.py sample SOCKET OUT   every 0.5 s, each vCPU's RIP and halt state from the QEMU
                                          HMP monitor on the unix SOCKET, appended to OUT; runs until
                                          killed (QEMU may end and start again: a power cycle)
  handover_profile.py report SERIAL OUT   a Markdown section from the run's serial.log and those
                                          samples: every warm handover split into its phases

A warm handover is the time from the old kernel's last console line ("kexec_core: Starting new
kernel") to the new kernel's first ("Linux version"), in one QEMU run. On x86 it runs, in order:
  relocation    relocate_kernel swapping into place every staged page whose destination was in use
                when the kernel was staged (3 copies of 4 KiB per page); recognised by its copy loop
                (`rep movsq` of 0x200 quadwords) in the sampled page's code
  purgatory     kexec's purgatory checking the SHA-256 digest of every segment (the first other code
                below 4 GiB)
  decompressor  the new kernel's bzImage decompressing itself (any later code below 4 GiB)
  early kernel  the new kernel before its console prints (and the old one's machine_kexec before
                the first of these)
Each sample interval is given to the phase of the vCPU that is not halted. Sampling adds a monitor
round trip per 0.5 s; the phases are resolved to that step.
"""
import os
import re
import socket
import statistics
import sys
import time

KERNEL_BASE = 0xFFFF800000000000
# relocate_kernel's copy of one page: 512 quadwords.
COPY_LOOP = re.compile(r'movl +\$0x200, %ecx[^\n]*\n[^\n]*rep movsq')
LOW_LIMIT = 1 << 32


def qemu_pid(sock_path):
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open(f'/proc/{p}/comm') as f:
                if not f.read().startswith('qemu-system'):
                    continue
            with open(f'/proc/{p}/cmdline', 'rb') as f:
                if sock_path.encode() in f.read():
                    return p
        except OSError:
            continue
    return None


def until_prompt(conn):
    buf = b''
    while not buf.endswith(b'(qemu) '):
        data = conn.recv(65536)
        if not data:
            raise OSError('monitor closed')
        buf += data
    return buf.decode(errors='replace')


def sample(sock_path, out_path):
    seen_pages = set()
    conn = None
    with open(out_path, 'a', buffering=1) as out:
        while True:
            if not qemu_pid(sock_path):
                conn = None
                time.sleep(0.3)
                continue
            try:
                if conn is None:
                    conn = socket.socket(socket.AF_UNIX)
                    conn.settimeout(3)
                    conn.connect(sock_path)
                    until_prompt(conn)
                now = time.time()
                conn.sendall(b'info registers -a\n')
                cpus, cpu = [], None
                for line in until_prompt(conn).splitlines():
                    m = re.match(r'^CPU#(\d+)', line)
                    if m:
                        cpu = m.group(1)
                    m = re.match(r'^[RE]IP=([0-9a-f]+) .*?HLT=(\d)', line)
                    if m and cpu is not None:
                        cpus.append((cpu, int(m.group(1), 16), m.group(2) == '1'))
                out.write(f'{now:.3f} R ' + ' '.join(f'{c}:{rip:x}:{int(h)}' for c, rip, h in cpus) + '\n')
                for _, rip, halted in cpus:
                    page = rip >> 12
                    if halted or rip >= LOW_LIMIT or page in seen_pages:
                        continue
                    seen_pages.add(page)
                    # The whole page, once: relocate_kernel's page copy is in it or not.
                    conn.sendall(f'xp /1400i 0x{page << 12:x}\n'.encode())
                    code = until_prompt(conn)
                    tag = 'copy' if COPY_LOOP.search(code) else 'code'
                    out.write(f'{now:.3f} P {page:x} {tag}\n')
            except (OSError, ValueError):
                conn = None
            time.sleep(0.5)


def read_serial(path):
    lines = []
    with open(path, errors='replace') as f:
        for line in f:
            parts = line.rstrip('\n').split(' ', 2)
            if len(parts) == 3:
                try:
                    lines.append((float(parts[0]), parts[1], parts[2]))
                except ValueError:
                    pass
    return lines


def read_samples(path):
    samples, tags = [], {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1] == 'R':
                cpus = []
                for field in parts[2:]:
                    c, rip, halted = field.split(':')
                    cpus.append((c, int(rip, 16), halted == '1'))
                samples.append((float(parts[0]), cpus))
            elif len(parts) == 4 and parts[1] == 'P':
                tags[int(parts[2], 16)] = parts[3]
    return samples, tags


PHASES = ('relocation', 'purgatory', 'decompressor', 'early kernel', 'halted')


def split_window(samples, tags, start, end):
    spent = dict.fromkeys(PHASES, 0.0)
    window = [s for s in samples if start <= s[0] <= end]
    purgatory_region = None
    for (t, cpus), (t_next, _) in zip(window, window[1:]):
        busy = [rip for _, rip, halted in cpus if not halted]
        if not busy:
            spent['halted'] += t_next - t
            continue
        rip = min(busy)  # a low (physical) address wins over a kernel one
        if rip >= KERNEL_BASE:
            phase = 'early kernel'
        else:
            if tags.get(rip >> 12) == 'copy':
                phase = 'relocation'
            else:
                region = rip >> 21
                purgatory_region = region if purgatory_region is None else purgatory_region
                phase = 'purgatory' if region == purgatory_region else 'decompressor'
        spent[phase] += t_next - t
    return spent


def report(serial_path, samples_path):
    lines = read_serial(serial_path)
    samples, tags = read_samples(samples_path)
    rows, method, n = [], None, 0
    for i, (t, run, text) in enumerate(lines):
        m = re.search(r'WARMBOOT-VM reboot-issued how=(\S+)', text)
        if m:
            method, issue_run, n = m.group(1), run, n + 1
            continue
        if method and 'Linux version' in text and i > 0:
            last_t, last_run, _ = lines[i - 1]
            if run == issue_run == last_run:  # warm: the same QEMU run
                rows.append((n, method, t - last_t, split_window(samples, tags, last_t, t)))
            method = None
    print('\n## Where each warm handover went (sampled, --profile)\n')
    print('Handover: the old kernel\'s last console line to the new kernel\'s first, in seconds on the host\'s')
    print('clock, split by where the busy vCPU was, sampled every 0.5 s through the QEMU monitor:')
    print('relocation: relocate_kernel swapping into place the staged pages whose destination was in')
    print('use when the kernel was staged; purgatory: its SHA-256 check of the segments; decompressor:')
    print('the bzImage unpacking itself; early kernel: before the console (and the old kernel\'s')
    print('machine_kexec); halted: no vCPU running. See bench/lib/handover_profile.py.')
    print('\n| # | method | handover | ' + ' | '.join(PHASES) + ' |')
    print('|---|---|---:|' + '---:|' * len(PHASES))
    for n, method, total, spent in rows:
        print(f'| {n} | {method} | {total:.1f} | ' + ' | '.join(f'{spent[p]:.1f}' for p in PHASES) + ' |')
    print('\nMedians per method (seconds):\n')
    print('| method | handovers | handover | ' + ' | '.join(PHASES) + ' |')
    print('|---|---:|---:|' + '---:|' * len(PHASES))
    for method in dict.fromkeys(r[1] for r in rows):
        mine = [r for r in rows if r[1] == method]
        med = statistics.median
        print(f'| {method} | {len(mine)} | {med(r[2] for r in mine):.1f} | ' +
              ' | '.join(f'{med(r[3][p] for r in mine):.1f}' for p in PHASES) + ' |')


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'sample':
        sample(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'report':
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
