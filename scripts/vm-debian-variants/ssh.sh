# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # variant_packages is read by scripts/vm-debian-image.sh
# Variant "ssh" of the Debian 12 guest (scripts/vm-debian-image.sh --variant ssh), for tests/fleet:
# a guest Ansible can manage. Sourced by the image script; this file's hash is part of the ssh
# image's cache key only.
#   openssh-server  root logs in with a key only (Debian's PermitRootLogin prohibit-password); the
#                   key is made per run on the host and brought by the payload disk
#                   (tests/fleet/guest.case installs it in /root/.ssh/authorized_keys). The host
#                   keys are made once, when the image is built: every guest of the image shares
#                   them, which a test with its own known_hosts file does not mind.
#   python3         Ansible's modules run in it; python3-apt for ansible.builtin.apt (the role
#                   installs warmboot's .deb with it)
#   networking      systemd-networkd with DHCP on the first Ethernet interface: QEMU's user
#                   network (10.0.2.15, SSH forwarded from a port on the host's 127.0.0.1)
variant_packages=(openssh-server python3 python3-apt)

variant_configure() {
  local root=$1
  mkdir -p "$root/etc/systemd/network"
  printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=ipv4\n' >"$root/etc/systemd/network/80-fleet-dhcp.network"
  chroot "$root" systemctl enable systemd-networkd.service ssh.service >/dev/null 2>&1 ||
    die "enabling systemd-networkd and ssh in the ssh variant failed"
  # Not waiting for a network at boot: the guest's boot stays as short as the plain one's.
  chroot "$root" systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1 || true
  [[ -s $root/etc/ssh/ssh_host_ed25519_key ]] || die "openssh-server made no host key in the image"
}
