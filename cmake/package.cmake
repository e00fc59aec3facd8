# Debian 12 packages, made with CPack from a build directory:
#   cpack -G DEB --config BUILD/CPackConfig.cmake   (scripts/package-deb.sh)
# from the install components (install.cmake):
#   model-signing         the CLI, its man page, bash and zsh completions (cli)
#   libmodel-signing-dev  headers, static library, CMake package, model_signing.pc (dev)
#   libmodel-signing<SOVERSION>  the shared library, with BUILD_SHARED_LIBS=ON (lib)
# Dependencies on shared libraries the binaries link come from dpkg-shlibdeps;
# those they load at run time are declared below by hand.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME model-signing)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Sign and verify machine learning models")
set(CPACK_PACKAGE_CONTACT "model_signing maintainers <maintainers@model-signing.invalid>"
    CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # NAME_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_COMPONENTS_ALL dev)
if(MS_BUILD_CLI)
  list(APPEND CPACK_COMPONENTS_ALL cli)
endif()

set(CPACK_DEBIAN_CLI_PACKAGE_NAME model-signing)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CLI_DESCRIPTION "Sign and verify machine learning models
model_signing signs a model (a directory of weights, configs and tokenizers,
or one file) and verifies it before it is loaded: Sigstore keyless signing,
EC keys, X.509 certificates and PKCS#11 tokens, with signatures that the
Python model_signing tool (sigstore/model-transparency) verifies and the
other way round.")
# Loaded with dlopen when first needed, so dpkg-shlibdeps cannot see them:
# libcurl for Sigstore signing and TUF updates (CURLOPT_PROTOCOLS_STR needs
# 7.85), p11-kit for PKCS#11 signing. Without them those commands fail with a
# one-line message; everything else works.
set(ms_dlopened)
if(MS_WITH_SIGSTORE_SIGNING)
  list(APPEND ms_dlopened "libcurl4 (>= 7.85.0)")
endif()
if(MS_WITH_PKCS11)
  list(APPEND ms_dlopened "libp11-kit0")
endif()
list(JOIN ms_dlopened ", " ms_dlopened)
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "${ms_dlopened}")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmodel-signing-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "Sign and verify machine learning models (development files)
The model_signing C++20 library: headers, the library, a CMake package
(find_package(model_signing)) and a pkg-config file (model_signing.pc).")
# Programs built with it link libcrypto (libssl-dev: its headers, CMake and
# pkg-config files) and load libcurl and p11-kit as the CLI does.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libssl-dev (>= 3.0)")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "${ms_dlopened}")

if(BUILD_SHARED_LIBS)
  get_target_property(ms_soversion model_signing_shared SOVERSION)
  list(APPEND CPACK_COMPONENTS_ALL lib)
  set(CPACK_DEBIAN_LIB_PACKAGE_NAME libmodel-signing${ms_soversion})
  set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
  set(CPACK_DEBIAN_LIB_DESCRIPTION "Sign and verify machine learning models (shared library)")
  set(CPACK_DEBIAN_LIB_PACKAGE_RECOMMENDS "${ms_dlopened}")
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
  set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${CPACK_DEBIAN_DEV_PACKAGE_DEPENDS}, libmodel-signing${ms_soversion} (= ${PROJECT_VERSION}-1)")
endif()

include(CPack)
