"""Builds the model_signing package: the extension model_signing._native and
the CLI binary (model_signing/_bin/model_signing) come from the project's
CMake build (target `python_package`, see python/CMakeLists.txt).

Environment:
  MODEL_SIGNING_BUILD_DIR  reuse this already configured CMake build
                           (configured with -DMS_BUILD_PYTHON=ON) instead of
                           configuring a Release build of our own under
                           build/setuptools/; it is brought up to date, not
                           reconfigured.
  CMAKE_BUILD_PARALLEL_LEVEL  parallel jobs, as for any CMake build.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def read_version() -> str:
    with open(os.path.join(ROOT, "python", "model_signing", "__init__.py"), encoding="utf-8") as f:
        match = re.search(r'^__version__ = "([^"]+)"', f.read(), re.M)
    if not match:
        raise RuntimeError("no __version__ in python/model_signing/__init__.py")
    return match.group(1)


def cache_value(build_dir: str, name: str):
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return line.split("=", 1)[1].strip()
    except FileNotFoundError:
        return None
    return None


class CMakeExtension(Extension):
    def __init__(self, name: str):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = os.environ.get("MODEL_SIGNING_BUILD_DIR")
        if build_dir:
            build_dir = os.path.abspath(build_dir)
            if cache_value(build_dir, "MS_BUILD_PYTHON") not in ("ON", "TRUE", "1", "YES"):
                raise RuntimeError(
                    f"MODEL_SIGNING_BUILD_DIR={build_dir} is not a CMake build configured "
                    "with -DMS_BUILD_PYTHON=ON"
                )
        else:
            build_dir = os.path.abspath(os.path.join(self.build_temp, "cmake"))
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.check_call(
                ["cmake", "-S", ROOT, "-B", build_dir, *generator,
                 "-DCMAKE_BUILD_TYPE=Release", "-DMS_BUILD_PYTHON=ON",
                 "-DMS_BUILD_TESTS=OFF", "-DMS_BUILD_BENCH=OFF",
                 f"-DPython3_EXECUTABLE={sys.executable}"]
            )
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "python_package"])

        stage = cache_value(build_dir, "MS_PYTHON_STAGE_DIR") or os.path.join(build_dir, "python", "stage")
        stage = os.path.join(stage, "model_signing")
        native = os.path.join(stage, "_native" + sysconfig.get_config_var("EXT_SUFFIX"))
        if not os.path.exists(native):
            raise RuntimeError(
                f"{native} was not built: the CMake build in {build_dir} is for another "
                f"Python than {sys.executable} (set Python3_EXECUTABLE)"
            )
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(native, target)
        binary_dir = os.path.join(os.path.dirname(target), "_bin")
        os.makedirs(binary_dir, exist_ok=True)
        binary = os.path.join(binary_dir, "model_signing")
        shutil.copyfile(os.path.join(stage, "_bin", "model_signing"), binary)
        os.chmod(binary, 0o755)
        # A RelWithDebInfo build's debug information is most of its size.
        if shutil.which("strip"):
            subprocess.check_call(["strip", "--strip-debug", target, binary])


setup(
    version=read_version(),
    ext_modules=[CMakeExtension("model_signing._native")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": os.path.join("build", "setuptools")}},
)
