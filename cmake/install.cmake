# What `cmake --install` puts under the prefix, in components that the
# Debian packages (package.cmake) split along:
#   cli: bin/model_signing, its man page and shell completions;
#   dev: the headers (with the generated version.h), the static library or
#        the shared library's link name, the CMake package and model_signing.pc;
#   lib: with BUILD_SHARED_LIBS, the shared library itself.
include(CMakePackageConfigHelpers)

set(MS_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/model_signing)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/model_signing
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/model_signing/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/model_signing COMPONENT dev)

install(TARGETS ${MS_INSTALLED_LIBRARY} EXPORT model_signing_targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev)
install(EXPORT model_signing_targets NAMESPACE model_signing::
        FILE model_signingTargets.cmake DESTINATION ${MS_CMAKE_PACKAGE_DIR} COMPONENT dev)

# find_package(model_signing CONFIG): the targets, the dependencies a static
# library brings to the final link, and which optional features are built.
get_target_property(ms_library_type ${MS_INSTALLED_LIBRARY} TYPE)
if(ms_library_type STREQUAL "STATIC_LIBRARY")
  set(MS_STATIC_LIBRARY ON)
else()
  set(MS_STATIC_LIBRARY OFF)
endif()
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/model_signingConfig.cmake.in
  ${PROJECT_BINARY_DIR}/model_signingConfig.cmake
  INSTALL_DESTINATION ${MS_CMAKE_PACKAGE_DIR})
# 0.x: any minor release may break the API, so only the same minor matches;
# from 1.0 on, the same major version.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(ms_compatibility SameMinorVersion)
else()
  set(ms_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/model_signingConfigVersion.cmake
  COMPATIBILITY ${ms_compatibility})
install(FILES ${PROJECT_BINARY_DIR}/model_signingConfig.cmake
              ${PROJECT_BINARY_DIR}/model_signingConfigVersion.cmake
        DESTINATION ${MS_CMAKE_PACKAGE_DIR} COMPONENT dev)

# pkg-config. Paths are relative to the .pc file's own directory, so the
# installed tree can be moved (or installed with --prefix/DESTDIR). A static
# library's dependencies are needed by every link (there is no shared one to
# carry them), so they go in Requires/Libs; a shared library's in the
# .private fields, used only for `pkg-config --static`.
file(RELATIVE_PATH ms_pc_to_prefix
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
set(ms_pc_requires "libcrypto >= 3.0")
set(ms_pc_libs "-pthread")
if(CMAKE_DL_LIBS)
  string(APPEND ms_pc_libs " -l${CMAKE_DL_LIBS}")
endif()
if(MS_STATIC_LIBRARY)
  set(MS_PC_DEPENDENCIES "Requires: ${ms_pc_requires}\nLibs: -L\${libdir} -lmodel_signing ${ms_pc_libs}")
else()
  set(MS_PC_DEPENDENCIES "Requires.private: ${ms_pc_requires}\nLibs: -L\${libdir} -lmodel_signing\nLibs.private: ${ms_pc_libs}")
endif()
set(MS_PC_PREFIX "\${pcfiledir}/${ms_pc_to_prefix}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/model_signing.pc.in ${PROJECT_BINARY_DIR}/model_signing.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/model_signing.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

if(MS_BUILD_CLI)
  install(TARGETS model_signing_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
  install(FILES ${MS_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
  install(FILES ${MS_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME model_signing COMPONENT cli)
  install(FILES ${MS_ZSH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions
          COMPONENT cli)
endif()
