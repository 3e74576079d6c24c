"""Running the shipped nginx configuration (deploy/) with Debian's nginx, for tests/browser/test_deploy_browser.py
and tests/test_deploy.py (a plain module, not a test file).

The container image runs deploy/docker/nginx.conf; no container engine runs
here, so the tests run that same file with the same nginx, changing only
what a test must: the port, the site folder, where the shared files are,
and (as root) the user the workers run as. A second server serves a copy of
the site under a sub-path the way deploy/nginx/department.conf describes.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SUB_PATH = "/elsewhere/"  # deliberately not the path site_url names


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_conf(site: Path, workdir: Path, port: int, sub_port: int) -> str:
    """deploy/docker/nginx.conf for this machine, plus a server with the site under SUB_PATH."""
    text = (DEPLOY / "docker" / "nginx.conf").read_text(encoding="utf-8")
    replacements = {
        "listen 8080;": f"listen 127.0.0.1:{port};",
        "listen [::]:8080;": "",
        "root /srv/site;": f"root {site};",
        "/etc/nginx/showcase/": f"{DEPLOY / 'nginx'}/",
        "pid /tmp/nginx.pid;": f"pid {workdir / 'nginx.pid'};",
        "/tmp/nginx-": f"{workdir}/nginx-",
        "access_log /dev/stdout;": "access_log off;",
        "error_log /dev/stderr warn;": f"error_log {workdir / 'error.log'} warn;",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/docker/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    www = workdir / "www"
    (www / SUB_PATH.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    if not (www / SUB_PATH.strip("/")).exists():
        (www / SUB_PATH.strip("/")).symlink_to(site)
    sub_server = f"""
    server {{
        listen 127.0.0.1:{sub_port};
        disable_symlinks off;
        location {SUB_PATH} {{
            root {www};
            error_page 404 {SUB_PATH}404.html;
            include {DEPLOY / 'nginx'}/showcase-server.conf;
        }}
    }}
"""
    text = text.rstrip().removesuffix("}") + sub_server + "}\n"
    user = "user root;\n" if _is_root() else ""
    return user + text


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


@contextlib.contextmanager
def nginx(site: Path, workdir: Path) -> Iterator[tuple[str, str]]:
    """Serve `site` with the shipped configuration; yields (root URL, sub-path URL)."""
    port, sub_port = free_port(), free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_conf(site, workdir, port, sub_port), encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-q", "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        root = f"http://127.0.0.1:{port}/"
        _wait_for(root, process)
        yield root, f"http://127.0.0.1:{sub_port}{SUB_PATH}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()  # type: ignore[union-attr]


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {process.stderr.read()}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise RuntimeError("nginx did not answer within 10 s")
