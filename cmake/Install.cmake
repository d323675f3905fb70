# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts on a system besides /usr/sbin/warmboot, and with it the Debian package
# (debian/, `dpkg-buildpackage`; debhelper's dh_auto_install runs this into debian/warmboot):
# /lib/systemd/system/warmboot-{stage,stage-ahead,refresh,record}.service and warmboot-refresh.path
# (which restages when the boot loader's choice changes), the shutdown hook
# /lib/systemd/system-shutdown/warmboot.shutdown, the kernel and initramfs hooks that restage or
# unload a staging made stale, /etc/warmboot/warmboot.conf (every key commented out; a conffile in
# the package, as everything under /etc), /etc/warmboot/hooks.d/, the example configuration,
# warmboot(8) and the bash completion. The package's maintainer scripts, copyright and changelog
# are debian/'s; debhelper compresses the man page.

set(WB_PKG ${CMAKE_CURRENT_SOURCE_DIR}/packaging)
install(FILES ${WB_PKG}/systemd/warmboot-stage.service ${WB_PKG}/systemd/warmboot-stage-ahead.service
              ${WB_PKG}/systemd/warmboot-refresh.path ${WB_PKG}/systemd/warmboot-refresh.service
              ${WB_PKG}/systemd/warmboot-record.service
        DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(PROGRAMS ${WB_PKG}/systemd/warmboot.shutdown DESTINATION /lib/systemd/system-shutdown)
# A staged kernel made stale by a kernel or initramfs change is restaged or unloaded.
foreach(hook_dir /etc/kernel/postinst.d /etc/kernel/postrm.d /etc/initramfs/post-update.d)
  install(PROGRAMS ${WB_PKG}/kernel/zz-warmboot DESTINATION ${hook_dir})
endforeach()
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/etc/warmboot.conf.example
        DESTINATION /etc/warmboot RENAME warmboot.conf
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(DIRECTORY DESTINATION /etc/warmboot/hooks.d
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                              WORLD_READ WORLD_EXECUTE)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/etc/warmboot.conf.example
        DESTINATION share/doc/warmboot/examples RENAME warmboot.conf)
install(FILES ${WB_PKG}/warmboot.8 DESTINATION share/man/man8)
install(FILES ${WB_PKG}/warmboot.bash-completion DESTINATION share/bash-completion/completions
        RENAME warmboot)
