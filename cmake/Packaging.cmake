# The Debian package: `cpack -G DEB` in the build directory gives warmboot_VERSION_ARCH.deb.
# Included at the end of the top-level CMakeLists.txt. Nothing here runs at `cmake --build`,
# except compressing the man page and the changelog (lintian wants them gzip -9n).
#
# Layout: /usr/sbin/warmboot, /lib/systemd/system/warmboot-{stage,record}.service,
# /lib/systemd/system-shutdown/warmboot.shutdown, /etc/warmboot/warmboot.conf (a conffile, every
# key commented out), /etc/warmboot/hooks.d/, the example under /usr/share/doc/warmboot/examples,
# warmboot(8), bash completion. Maintainer scripts: packaging/debian/.

set(WB_PKG ${CMAKE_CURRENT_SOURCE_DIR}/packaging)
set(WB_PKG_OUT ${CMAKE_CURRENT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${WB_PKG_OUT})

# gzip -9n: reproducible, as Debian policy wants for manual pages and changelogs.
function(warmboot_gzip source output)
  add_custom_command(OUTPUT ${WB_PKG_OUT}/${output}
                     COMMAND gzip -9nc ${WB_PKG}/${source} > ${WB_PKG_OUT}/${output}
                     DEPENDS ${WB_PKG}/${source} VERBATIM)
endfunction()
warmboot_gzip(warmboot.8 warmboot.8.gz)
warmboot_gzip(debian/changelog changelog.gz)
set(WB_PKG_GZ ${WB_PKG_OUT}/warmboot.8.gz ${WB_PKG_OUT}/changelog.gz)
add_custom_target(warmboot_package_docs ALL DEPENDS ${WB_PKG_GZ})

install(FILES ${WB_PKG}/systemd/warmboot-stage.service ${WB_PKG}/systemd/warmboot-stage-ahead.service
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
install(FILES ${WB_PKG}/debian/copyright ${WB_PKG_OUT}/changelog.gz
        DESTINATION share/doc/warmboot)
install(FILES ${WB_PKG_OUT}/warmboot.8.gz DESTINATION share/man/man8)
install(FILES ${WB_PKG}/warmboot.bash-completion DESTINATION share/bash-completion/completions
        RENAME warmboot)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME warmboot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "warmboot maintainers <maintainers@users.noreply.h-seed-1a2240cb.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "reboot Linux in seconds with kexec, through systemd")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY first; this is the extended description only.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "warmboot hands the machine over to the next kernel with kexec, skipping\n"
       "firmware POST and the boot loader: into the kernel the boot loader would\n"
       "have booted, through a clean systemd shutdown. `warmboot enable` makes\n"
       "every plain reboot warm; poweroff and halt stay cold.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd (>= 252)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "kexec-tools")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${WB_PKG}/debian/conffiles ${WB_PKG}/debian/postinst ${WB_PKG}/debian/prerm
    ${WB_PKG}/debian/postrm)
include(CPack)
