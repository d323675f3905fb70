// SPDX-License-Identifier: Apache-2.0
// A boot loader's one-time choice ("boot this entry next time only"): `grub-reboot` writes
// next_entry into grubenv and grub.cfg's header empties it when GRUB boots; `bootctl set-oneshot`
// sets the EFI variable LoaderEntryOneShot and systemd-boot deletes it when it boots. A plan that
// follows such a choice (Plan::one_shot) is a boot that uses it up: after a warm reboot into it
// the next cold boot must go back to the default, as after the boot loader's own boot.
#pragma once

#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

// grubenv text with every next_entry emptied ("next_entry=", as GRUB's save_env leaves it), the
// block kept at its size with '#' padding. An Error for text that is not a GRUB environment block.
Result<std::string> grubenv_without_next_entry(std::string_view content, std::string_view path);

// Clears the one-time choice the plan follows, as its boot loader would: nothing to do for a plan
// that follows none, or when the choice is already gone.
Status consume_one_shot(FileSystem& fs, const Plan& plan);

// For messages: "grub-reboot's next_entry in /boot/grub/grubenv" or "bootctl set-oneshot's
// LoaderEntryOneShot".
std::string describe_one_shot(const std::string& where);

}  // namespace warmboot
