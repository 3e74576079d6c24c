"""Third-party browser code the site serves, fetched from npm when the site is built (never a CDN at run time).

The web editor's script (Decap CMS) is a pinned npm package: `npm pack`
downloads its tarball, the build checks it against the integrity recorded
here (the registry's sha512) and keeps it in the user's cache folder
(~/.cache/showcase/npm, or $XDG_CACHE_HOME/showcase/npm), unpacked, so a
build downloads it once per version. The pages load it from the site itself,
which the deploy configurations' Content-Security-Policy requires.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UserError


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # "sha512-…", as the registry publishes it (`npm view NAME@VERSION dist.integrity`)
    files: tuple[str, ...]  # suffixes of the files under package/dist/ the site needs

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


# Decap CMS's browser build: the main script, the chunks it loads on demand, its WebAssembly.
DECAP_CMS = NpmPackage(
    "decap-cms", "3.16.3",
    "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
    ("decap-cms.js", ".wasm"),
)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "showcase" / "npm"


def package_files(package: NpmPackage) -> dict[str, bytes]:
    """The package's dist files the site needs, by file name (fetched and checked on first use)."""
    folder = cache_dir() / f"{package.name}-{package.version}"
    if not (folder / ".complete").exists():
        _unpack(package, _download(package), folder)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if not path.name.startswith(".")}


def _download(package: NpmPackage) -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise UserError(
            f"生成网页编辑器（/admin/）需要从 npm 获取 {package.spec}，但这台电脑没有 npm：\n"
            "请先安装 Node.js 和 npm（Debian/Ubuntu：sudo apt-get install npm），或运行 make site（会自动安装）"
        )
    with tempfile.TemporaryDirectory(prefix="showcase-npm-") as folder:
        run = subprocess.run(
            [npm, "pack", package.spec, "--pack-destination", folder, "--silent"],
            capture_output=True, text=True, cwd=folder,
        )
        tarballs = list(Path(folder).glob("*.tgz"))
        if run.returncode != 0 or len(tarballs) != 1:
            raise UserError(f"无法从 npm 获取 {package.spec}（网页编辑器 /admin/ 需要它）：\n{run.stderr.strip()}")
        data = tarballs[0].read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if digest != package.integrity:
        raise UserError(f"从 npm 得到的 {package.spec} 与记录的校验值不符（{digest}），为安全起见不使用")
    return data


def _unpack(package: NpmPackage, tarball: bytes, folder: Path) -> None:
    """The files the site needs, into a fresh folder renamed into place (a parallel build sees all or nothing)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/dist/")
                if not member.isfile() or name == member.name or "/" in name or not name.endswith(package.files):
                    continue
                extracted = archive.extractfile(member)
                assert extracted is not None
                (staging / name).write_bytes(extracted.read())
        (staging / ".complete").write_text(package.integrity, encoding="utf-8")
        try:
            staging.rename(folder)
        except OSError:  # another build put it there first
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
