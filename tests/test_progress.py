"""Progress bars: drawn for a person at a terminal, never in CI, in a pipe or under --quiet."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios


def run_in_terminal(root, *args, ci: str | None = None) -> str:
    """Run build.py with stdout and stderr on a pseudo-terminal; everything it wrote."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal has a size
    process = subprocess.Popen([sys.executable, "build.py", *args], cwd=root, env=env, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(leader)
    assert process.returncode == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode(errors="replace")


def test_a_terminal_shows_a_progress_bar_for_each_long_stage(make_project):
    output = run_in_terminal(make_project())
    assert "Keywords:" in output and "/2 [" in output  # the bar counts the two articles
    assert "Pages:" in output and "MkDocs:" in output
    assert "Built 2 articles into site_src/ and site/." in output


def test_quiet_and_ci_hide_the_bar(make_project):
    for output in (run_in_terminal(make_project(name="quiet"), "--quiet"), run_in_terminal(make_project(name="ci"), ci="true")):
        assert "Keywords:" not in output and "Pages:" not in output and "MkDocs:" not in output
        assert "Built 2 articles into site_src/ and site/." in output


def test_a_pipe_shows_no_bar(make_project):
    root = make_project(name="pipe")
    done = subprocess.run([sys.executable, "build.py"], cwd=root, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "CI"})
    assert done.returncode == 0
    assert done.stderr == "" and done.stdout == "Built 2 articles into site_src/ and site/.\n"
