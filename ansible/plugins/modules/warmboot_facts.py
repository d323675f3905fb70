#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2024-2026, the warmboot maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: warmboot_facts
short_description: Read warmboot's preflight check, status, plan and reboot history as facts
version_added: "0.1.0"
description:
  - Runs the C(warmboot) command of the managed host with C(--json) and returns what it says as
    facts - C(warmboot --json check) (can this host reboot warm, exit status 0 ok, 1 warnings,
    2 failures), C(warmboot --json status), C(warmboot --json plan) and C(warmboot --json history).
  - Only reads. These subcommands change nothing on the host, so the module runs the same in
    check mode. It never stages a kernel and never reboots.
  - A subcommand that fails (a broken C(/etc/warmboot/warmboot.conf) makes them exit 8, an
    unusable plan makes C(plan) exit 3) leaves its fact C(null) and says why in C(warmboot_errors);
    the module itself fails only when it cannot run at all.
options:
  binary:
    description: Path of the warmboot command on the managed host.
    type: path
    default: /usr/sbin/warmboot
  gather:
    description: Which of warmboot's documents to read.
    type: list
    elements: str
    choices: [check, status, plan, history]
    default: [check, status, plan, history]
  kernel:
    description:
      - Kernel selection for C(check) and C(plan), as C(--kernel) -
        C(default), C(current), C(latest), a release or a path.
      - Empty means warmboot's own choice (its configuration, else what the boot loader would boot).
    type: str
    default: ''
  initrds:
    description: Initrds to load instead of the boot entry's (C(--initrd), repeated).
    type: list
    elements: path
    default: []
  append:
    description: Words added to the command line (C(--append), repeated).
    type: list
    elements: str
    default: []
  remove:
    description: Keys dropped from the command line (C(--remove), repeated).
    type: list
    elements: str
    default: []
  cmdline:
    description: A command line replacing the planned one (C(--cmdline)); empty keeps it.
    type: str
    default: ''
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
  platform:
    platforms: posix
notes:
  - The JSON documents are warmboot's own, described in warmboot(8); this module adds
    C(exit_status), C(warnings) and C(failures) to the check's document.
  - C(warmboot_history_this_boot) is the history entry of the boot the host is running now
    (C(/proc/sys/kernel/random/boot_id)); C(warmboot-record.service) writes it once the boot
    has reached C(multi-user.target), so right after a reboot it may still be C(null).
seealso:
  - name: warmboot(8)
    description: The manual page of warmboot, its commands, exit codes and JSON output.
    link: https://github.com/warmboot/warmboot/blob/main/packaging/warmboot.8
author:
  - warmboot maintainers (@warmboot)
'''

EXAMPLES = r'''
- name: Read everything warmboot knows about this host
  warmboot.fleet.warmboot_facts:

- name: Would a warm reboot into the oldest kernel with an extra parameter work?
  warmboot.fleet.warmboot_facts:
    gather: [check, plan]
    kernel: 6.1.0-26-amd64
    append: [nomodeset]

- name: Fail when a warm reboot would fail
  ansible.builtin.assert:
    that: warmboot_check.verdict != 'fail'
    fail_msg: "{{ warmboot_check.failures | join('; ') }}"

- name: How long was the last reboot?
  ansible.builtin.debug:
    msg: "{{ warmboot_history_last.kind }} reboot, {{ warmboot_history_last.downtime_s }} s down"
'''

RETURN = r'''
ansible_facts:
  description: What warmboot says about the host.
  returned: always
  type: dict
  contains:
    warmboot_installed:
      description: Whether I(binary) exists on the host; all other facts are C(null) when not.
      type: bool
      sample: true
    warmboot_version:
      description: C(warmboot --version).
      type: str
      sample: warmboot 0.1.0
    warmboot_boot_id:
      description: This boot's C(/proc/sys/kernel/random/boot_id).
      type: str
      sample: 0b9c8a52-6b0f-4e4e-9d6e-2f4c8f1f0d1a
    warmboot_check:
      description:
        - C(warmboot --json check) - C(checks), a list of C(name), C(level) (C(ok), C(warn) or
          C(fail)), C(seen) and C(remedy), and C(verdict), the worst level.
        - Added here - C(exit_status) (0, 1 or 2), C(warnings) and C(failures), one line per check
          of that level - its name, a colon, what was seen and, after C(->), the remedy.
      type: dict
      sample: {"verdict": "warn", "exit_status": 1, "checks": [], "failures": [],
               "warnings": ["watchdog: no watchdog device -> load the board's watchdog driver"]}
    warmboot_status:
      description: C(warmboot --json status) - C(staged), C(staged_by_warmboot), C(plan), C(method),
        C(staged_at), C(enabled) (C(enabled), C(disabled) or C(unknown)) and C(pinned) (why the
        guard pinned the host cold, or C(null)).
      type: dict
    warmboot_plan:
      description: C(warmboot --json plan) - C(kernel), C(initrds), C(cmdline), C(version), C(source),
        C(entry), C(uki) and C(one_shot).
      type: dict
    warmboot_history_last:
      description: The newest entry of C(warmboot --json history) - C(boot_id), C(kind) (C(warm),
        C(cold), C(fallback) or C(warm-failed)), C(downtime_s), C(left_at), C(ready_at), C(left_by),
        C(shutdown_s), C(kernel), C(plan), C(boot), C(health_regressions) and C(time).
      type: dict
    warmboot_history_this_boot:
      description: The history entry of the running boot, or C(null) when it is not recorded yet.
      type: dict
    warmboot_history_count:
      description: How many reboots the history holds (warmboot keeps the newest 50).
      type: int
      sample: 12
    warmboot_errors:
      description: For each gathered document that could not be read, why.
      type: dict
      sample: {"plan": "exit status 3: warmboot: no kernel 6.1.0-9-amd64"}
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id'
# The exit statuses after which each subcommand has printed its JSON document.
OK_STATUSES = {'check': (0, 1, 2), 'status': (0,), 'plan': (0,), 'history': (0,)}


def selection_args(params):
    args = []
    if params['kernel']:
        args.append('--kernel=' + params['kernel'])
    args += ['--initrd=' + p for p in params['initrds']]
    args += ['--append=' + a for a in params['append']]
    args += ['--remove=' + r for r in params['remove']]
    if params['cmdline']:
        args.append('--cmdline=' + params['cmdline'])
    return args


def run_json(module, binary, command, extra):
    """(document, error): the JSON document `warmboot --json COMMAND` printed, or why not."""
    rc, out, err = module.run_command([binary, '--json', command] + extra, check_rc=False,
                                      environ_update={'LC_ALL': 'C'})
    if rc not in OK_STATUSES[command]:
        return None, rc, 'exit status %d: %s' % (rc, (err or out).strip())
    try:
        return json.loads(out), rc, None
    except ValueError as e:
        return None, rc, 'exit status %d, but the output is not JSON (%s): %s' % (rc, e, out[:200])


def check_lines(checks, level):
    lines = []
    for c in checks:
        if c.get('level') != level:
            continue
        line = '%s: %s' % (c.get('name', '?'), c.get('seen', ''))
        if c.get('remedy'):
            line += ' -> ' + c['remedy']
        lines.append(line)
    return lines


def canonical_boot_id(text):
    return (text or '').strip().replace('-', '').lower()


def read_boot_id():
    try:
        with open(BOOT_ID_PATH) as f:
            return f.read().strip()
    except (IOError, OSError):
        return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            binary=dict(type='path', default='/usr/sbin/warmboot'),
            gather=dict(type='list', elements='str', default=['check', 'status', 'plan', 'history'],
                        choices=['check', 'status', 'plan', 'history']),
            kernel=dict(type='str', default=''),
            initrds=dict(type='list', elements='path', default=[]),
            append=dict(type='list', elements='str', default=[]),
            remove=dict(type='list', elements='str', default=[]),
            cmdline=dict(type='str', default=''),
        ),
        supports_check_mode=True,
    )
    binary = module.params['binary']
    boot_id = read_boot_id()
    facts = dict(warmboot_installed=False, warmboot_version=None, warmboot_boot_id=boot_id,
                 warmboot_check=None, warmboot_status=None, warmboot_plan=None,
                 warmboot_history_last=None, warmboot_history_this_boot=None,
                 warmboot_history_count=None, warmboot_errors={})
    if not os.path.exists(binary):
        module.exit_json(changed=False, ansible_facts=facts)
    if not os.access(binary, os.X_OK):
        module.fail_json(msg='%s is not executable' % binary, ansible_facts=facts)
    facts['warmboot_installed'] = True
    rc, out, err = module.run_command([binary, '--version'], check_rc=False)
    if rc == 0:
        facts['warmboot_version'] = out.strip()

    selection = selection_args(module.params)
    errors = facts['warmboot_errors']
    for command in module.params['gather']:
        extra = selection if command in ('check', 'plan') else []
        doc, rc, error = run_json(module, binary, command, extra)
        if error:
            errors[command] = error
            continue
        if command == 'check':
            checks = doc.get('checks', []) if isinstance(doc, dict) else []
            doc = dict(doc, exit_status=rc, warnings=check_lines(checks, 'warn'),
                       failures=check_lines(checks, 'fail'))
            facts['warmboot_check'] = doc
        elif command == 'history':
            if not isinstance(doc, list):
                errors[command] = 'not a list of reboots: %s' % json.dumps(doc)[:200]
                continue
            facts['warmboot_history_count'] = len(doc)
            facts['warmboot_history_last'] = doc[-1] if doc else None
            this = canonical_boot_id(boot_id)
            for entry in doc:
                if this and canonical_boot_id(entry.get('boot_id')) == this:
                    facts['warmboot_history_this_boot'] = entry
        else:
            facts['warmboot_' + command] = doc
    module.exit_json(changed=False, ansible_facts=facts)


if __name__ == '__main__':
    main()
