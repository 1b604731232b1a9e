"""In-tree PEP 517 build backend: setuptools, plus a patched durable-rules on Python >= 3.13.

durable-rules 2.0.28, the last release, is published only as an sdist. Its C extension calls
`PyEval_CallObject`, which Python 3.13 removed: the build succeeds, but `import durable` fails
with an undefined symbol. Replacing that one identifier by `PyObject_CallObject` is enough.

So that `python3 -m pip install -e .` stays the one install command on every Python, this
backend delegates everything to setuptools.build_meta and, on Python >= 3.13 only:

1. builds durable-rules from its sdist with that identifier replaced and the version labelled
   2.0.28+regelwerk.N (the sdist is fetched with the installing interpreter's pip and checked
   against a pinned SHA-256), once per interpreter ABI, and caches the wheel under ${XDG_CACHE_HOME:-~/.cache}/regelwerk/wheels/<SOABI>/;
2. rewrites the project's metadata so that it depends on `durable-rules @ file:///<that wheel>`
   instead of `durable-rules==2.0.28` (pip accepts direct-URL dependencies of local projects).

A second install finds the wheel in the cache and needs neither the network nor a compiler for
durable-rules. On Python 3.11/3.12 pip builds durable-rules==2.0.28 itself; the backend only checks
first, where durable-rules is not installed yet, that a C compiler and the Python headers exist.
Messages for the user are German; they end the build with exit code 1.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (re-exported PEP 517/660 hooks)
    build_sdist,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
)

DURABLE_VERSION = "2.0.28"
DURABLE_PIN = f"durable-rules=={DURABLE_VERSION}"
DURABLE_SDIST = f"durable_rules-{DURABLE_VERSION}.tar.gz"
DURABLE_SDIST_SHA256 = "053b26f5e48d312d4fa27995243f954671be6eece477f150c059c364eb4d7d61"
PATCHED_FILE = "src/rulespy/rules.c"
REMOVED_CALL = "PyEval_CallObject"      # removed from the C API in Python 3.13
REPLACEMENT_CALL = "PyObject_CallObject"  # same signature and semantics for a tuple or NULL
EXPECTED_CALL_SITES = 5                  # occurrences in 2.0.28; anything else means another file
# The patched build carries a local version label, so that `pip show` tells it apart and pip
# replaces an unpatched 2.0.28 already in the environment (same version: pip would keep it).
# `durable-rules==2.0.28` still matches it (PEP 440 ignores local labels there).
# Raise the number whenever the patch changes: the cache then builds a new wheel.
PATCHED_VERSION = f"{DURABLE_VERSION}+regelwerk.1"


class InstallError(Exception):
    """A German message for the person installing; printed without a traceback."""


def _needs_patched_durable() -> bool:
    return sys.version_info >= (3, 13)


def _fail(message: str) -> None:
    bar = "=" * 78
    print(f"\n{bar}\nregelwerk: Installation abgebrochen\n\n{message}\n{bar}\n", file=sys.stderr, flush=True)
    raise SystemExit(1)


# --- the patched durable-rules wheel -------------------------------------------------------------

def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "regelwerk"


def _abi_key() -> str:
    """One cached wheel per interpreter ABI, e.g. cpython-313-x86_64-linux-gnu (free-threaded: 313t)."""
    return sysconfig.get_config_var("SOABI") or f"{sys.implementation.cache_tag}-{sysconfig.get_platform()}"


def _cached_wheel() -> Path | None:
    found = sorted((_cache_dir() / "wheels" / _abi_key()).glob(f"durable_rules-{PATCHED_VERSION}-*.whl"))
    return found[0] if found else None


def _env_of_target_interpreter() -> dict[str, str]:
    """The environment without pip's build isolation (which hides the target's site-packages, and
    with them pip) and without the hook runner's variables (a nested pip would load this backend)."""
    return {
        name: value for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "PYTHONNOUSERSITE")
        and not name.startswith(("_PYPROJECT_HOOKS_", "PEP517_"))
    }


def _tail(text: str, lines: int) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _check_compiler() -> None:
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    words = shlex.split(cc)
    compiler = words[0] if words else "cc"
    if shutil.which(compiler) is None:
        _fail(
            f"Kein C-Compiler gefunden (gesucht: {compiler!r}, aus "
            f"{'der Umgebungsvariablen CC' if os.environ.get('CC') else 'der Python-Konfiguration'}).\n"
            f"Unter Python {sys.version_info.major}.{sys.version_info.minor} wird der Regelmotor durable-rules {DURABLE_VERSION} beim\n"
            "Installieren aus den Quellen übersetzt: er erscheint nur als Quellpaket."
            + (f"\nDie letzte Veröffentlichung ruft die in Python 3.13 entfernte C-Funktion {REMOVED_CALL}\n"
               f"auf; Regelwerk ersetzt sie dabei durch {REPLACEMENT_CALL}." if _needs_patched_durable() else "")
            + "\n\nSo beheben:\n"
            "  Debian/Ubuntu:  sudo apt-get install gcc python3-dev\n"
            "  Fedora:         sudo dnf install gcc python3-devel\n"
            "und den Installationsbefehl wiederholen."
        )
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not include.is_file():
        _fail(
            f"Die Python-Header fehlen ({include} nicht gefunden); sie werden gebraucht, um\n"
            f"durable-rules {DURABLE_VERSION} für Python {sys.version_info.major}.{sys.version_info.minor} "
            "zu übersetzen.\n\n"
            "So beheben:\n"
            f"  Debian/Ubuntu:  sudo apt-get install python{sys.version_info.major}.{sys.version_info.minor}-dev\n"
            "  Fedora:         sudo dnf install python3-devel\n"
            "und den Installationsbefehl wiederholen."
        )


def _sdist(work: Path) -> Path:
    """The sdist from the cache, else downloaded with the installing interpreter's pip; hash-checked."""
    cached = _cache_dir() / "sdist" / DURABLE_SDIST
    if not cached.is_file():
        download = work / "download"
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             "--disable-pip-version-check", "--dest", str(download), DURABLE_PIN],
            env=_env_of_target_interpreter(), capture_output=True, text=True,
        )
        got = download / DURABLE_SDIST
        if proc.returncode != 0 or not got.is_file():
            _fail(
                f"Die Quellen von durable-rules {DURABLE_VERSION} ({DURABLE_SDIST}) ließen sich nicht laden,\n"
                f"und im Zwischenspeicher {cached.parent} liegen sie nicht.\n"
                "Ursache meist: keine Verbindung zum Paketverzeichnis. So beheben: beim ersten Installieren\n"
                "unter Python 3.13 online sein (danach genügt der Zwischenspeicher) oder die Datei\n"
                f"{DURABLE_SDIST} dorthin legen.\n\nLetzte Zeilen der Ausgabe von pip:\n{_tail(proc.stdout + proc.stderr, 15)}"
            )
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(got, tmp)
        os.replace(tmp, cached)
    digest = hashlib.sha256(cached.read_bytes()).hexdigest()
    if digest != DURABLE_SDIST_SHA256:
        _fail(
            f"{cached}: SHA-256 {digest} weicht vom erwarteten Wert {DURABLE_SDIST_SHA256} ab.\n"
            "Die Datei ist beschädigt oder nicht die Veröffentlichung 2.0.28. So beheben: Datei löschen\n"
            "und den Installationsbefehl wiederholen."
        )
    return cached


def _replace_exactly(source_dir: Path, name: str, old: str, new: str, count: int) -> None:
    path = source_dir / name
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    if found != count:
        _fail(
            f"{DURABLE_SDIST}:{name}: "
            f"{found}-mal {old!r} statt {count}-mal.\n"
            "Die Quellen sind nicht die bekannte Fassung; die Änderung wird nicht blind angewandt."
        )
    path.write_text(text.replace(old, new), encoding="utf-8")


def _patch(source_dir: Path) -> None:
    """The one change to the code, plus the version label of the build."""
    _replace_exactly(source_dir, PATCHED_FILE, REMOVED_CALL, REPLACEMENT_CALL, EXPECTED_CALL_SITES)
    _replace_exactly(source_dir, "setup.py", f"version = '{DURABLE_VERSION}'", f"version = '{PATCHED_VERSION}'", 1)


def _build_patched_wheel() -> Path:
    _check_compiler()
    target = _cache_dir() / "wheels" / _abi_key()
    with tempfile.TemporaryDirectory(prefix="regelwerk-durable-") as tmp:
        work = Path(tmp)
        with tarfile.open(_sdist(work)) as tar:
            tar.extractall(work, filter="data")
        source_dir = work / f"durable_rules-{DURABLE_VERSION}"
        _patch(source_dir)
        out = work / "wheel"
        # The build environment pip set up for this project already has setuptools: reuse it.
        proc = subprocess.run(
            [sys.executable, "-c",
             "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))",
             str(out)],
            cwd=source_dir, capture_output=True, text=True,
        )
        built = sorted(out.glob("*.whl"))
        if proc.returncode != 0 or len(built) != 1:
            _fail(
                f"durable-rules {DURABLE_VERSION} ließ sich nicht übersetzen (mit {REMOVED_CALL} -> "
                f"{REPLACEMENT_CALL}).\nPrüfen: C-Compiler und Python-Header vorhanden? "
                f"Letzte Zeilen der Ausgabe:\n{_tail(proc.stdout + proc.stderr, 40)}"
            )
        target.mkdir(parents=True, exist_ok=True)
        final = target / built[0].name
        tmp_final = target / f".{built[0].name}.{os.getpid()}.tmp"
        shutil.copyfile(built[0], tmp_final)
        os.replace(tmp_final, final)  # atomic: a parallel install sees the old file or the new one
    return final


def _durable_installed_in_target() -> bool:
    """Whether the environment being installed into already has durable-rules (pip then compiles nothing)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import importlib.metadata as m; print(m.version('durable-rules'))"],
        env=_env_of_target_interpreter(), capture_output=True, text=True,
    )
    return proc.returncode == 0 and proc.stdout.strip().startswith(DURABLE_VERSION)


def _durable_requirement() -> str | None:
    """The requirement that replaces the plain pin, or None where the plain pin works."""
    if not _needs_patched_durable():
        # pip compiles durable-rules itself; without a compiler its own message is English and long:
        # say it in German before pip gets there
        if not _durable_installed_in_target():
            _check_compiler()
        return None
    wheel = _cached_wheel() or _build_patched_wheel()
    return f"durable-rules @ {wheel.resolve().as_uri()}"


# --- metadata rewriting ---------------------------------------------------------------------------

def _rewrite_metadata_text(text: str, requirement: str, where: str) -> str:
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if line.strip() == f"Requires-Dist: {DURABLE_PIN}"]
    if len(hits) != 1:
        raise InstallError(f"{where}: erwartet genau eine Zeile 'Requires-Dist: {DURABLE_PIN}', gefunden {len(hits)}")
    lines[hits[0]] = f"Requires-Dist: {requirement}"
    return "\n".join(lines)


def _rewrite_metadata_dir(dist_info: Path, requirement: str) -> None:
    metadata = dist_info / "METADATA"
    text = metadata.read_text(encoding="utf-8")
    if f"Requires-Dist: {requirement}" not in text:
        metadata.write_text(_rewrite_metadata_text(text, requirement, str(metadata)), encoding="utf-8")


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _rewrite_wheel(wheel: Path, requirement: str) -> None:
    """Make the METADATA inside a built wheel carry the requirement (and fix its RECORD line)."""
    with zipfile.ZipFile(wheel) as zin:
        names = zin.namelist()
        meta_name = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        record_name = meta_name.rsplit("/", 1)[0] + "/RECORD"
        text = zin.read(meta_name).decode("utf-8")
        if f"Requires-Dist: {requirement}" in text:
            return
        new_meta = _rewrite_metadata_text(text, requirement, f"{wheel.name}:{meta_name}").encode("utf-8")
        record = [
            f"{meta_name},{_record_hash(new_meta)},{len(new_meta)}" if line.split(",", 1)[0] == meta_name else line
            for line in zin.read(record_name).decode("utf-8").splitlines()
        ]
        tmp = wheel.with_suffix(".tmp")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename == meta_name:
                    data = new_meta
                elif info.filename == record_name:
                    data = ("\n".join(record) + "\n").encode("utf-8")
                else:
                    data = zin.read(info)
                zout.writestr(info, data)
    os.replace(tmp, wheel)


# --- PEP 517 / PEP 660 hooks ----------------------------------------------------------------------

def _guarded(hook):
    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except InstallError as error:
            _fail(str(error))
    return wrapper


def _prepare_metadata(setuptools_hook, metadata_directory, config_settings=None):
    name = setuptools_hook(metadata_directory, config_settings)
    requirement = _durable_requirement()
    if requirement:
        _rewrite_metadata_dir(Path(metadata_directory) / name, requirement)
    return name


def _build(setuptools_hook, wheel_directory, config_settings=None, metadata_directory=None):
    name = setuptools_hook(wheel_directory, config_settings, metadata_directory)
    requirement = _durable_requirement()
    if requirement:
        _rewrite_wheel(Path(wheel_directory) / name, requirement)
    return name


@_guarded
def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _prepare_metadata(_setuptools.prepare_metadata_for_build_wheel, metadata_directory, config_settings)


@_guarded
def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return _prepare_metadata(_setuptools.prepare_metadata_for_build_editable, metadata_directory, config_settings)


@_guarded
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _build(_setuptools.build_wheel, wheel_directory, config_settings, metadata_directory)


@_guarded
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _build(_setuptools.build_editable, wheel_directory, config_settings, metadata_directory)
