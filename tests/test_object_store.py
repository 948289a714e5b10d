"""Publishing site/ to S3-compatible object storage: only what changed goes up, what is gone goes last.

The end-to-end test runs moto's S3 server on 127.0.0.1 and the publisher with boto3: both are in the
test group of the development lock (not in the site's: publishing to Pages needs neither). Another
Python that has them can be named in S3_PUBLISH_PYTHON.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO

from publisher.object_store import (
    LocalFile,
    PublishError,
    RemoteObject,
    content_type,
    list_site_files,
    parse_target,
    plan_sync,
    publish_site,
)
from publisher.pipeline import build_site

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def local(key: str, data: bytes) -> LocalFile:
    return LocalFile(key, Path(key), len(data), hashlib.md5(data).hexdigest())


def test_plan_uploads_new_and_changed_files_each_after_those_it_names_and_deletes_the_gone():
    files = [local("index.html", b"home"), local("assets/a.css", b"new css"), local("raw/1.txt", b"same"),
             local("pagefind/shards.json", b"[]"), local("pagefind/ab/pagefind-entry.json", b"{}"),
             local("pagefind/ab/index/en_1.pf_index", b"x")]
    remote = [RemoteObject("raw/1.txt", 4, hashlib.md5(b"same").hexdigest()),
              RemoteObject("assets/a.css", 7, hashlib.md5(b"old css").hexdigest()),
              RemoteObject("articles/gone/index.html", 10, "x")]
    plan = plan_sync(files, remote)
    assert [f.key for f in plan.uploads] == ["assets/a.css", "pagefind/ab/index/en_1.pf_index", "pagefind/ab/pagefind-entry.json",
                                             "pagefind/shards.json", "index.html"]
    assert plan.deletes == ("articles/gone/index.html",)
    assert plan.unchanged == 1


def test_a_bucket_that_matches_gets_nothing():
    files = [local("index.html", b"home")]
    plan = plan_sync(files, [RemoteObject("index.html", 4, hashlib.md5(b"home").hexdigest())])
    assert plan.uploads == () and plan.deletes == () and plan.unchanged == 1


def test_content_types_by_extension():
    assert content_type("articles/x/index.html") == "text/html; charset=utf-8"
    assert content_type("assets/javascripts/search.js") == "text/javascript; charset=utf-8"
    assert content_type("raw/000_x.txt") == "text/plain; charset=utf-8"
    assert content_type("pagefind/index/en_1.pf_index") == "application/octet-stream"
    assert content_type("sitemap.xml.gz") == "application/gzip"


def test_bad_targets_and_missing_sites_are_clear_errors(tmp_path):
    assert parse_target("s3://archive/news/") == ("archive", "news/")
    assert parse_target("s3://archive") == ("archive", "")
    with pytest.raises(PublishError, match=r"^bucket: target: expected s3://BUCKET or s3://BUCKET/PREFIX$"):
        parse_target("bucket")
    with pytest.raises(PublishError, match=r"no built site here"):
        list_site_files(tmp_path)


class RecordingBucket:
    """An S3 client's three calls the publisher makes, recorded in order against a dict of objects."""

    def __init__(self, objects: dict[str, bytes]):
        self.objects = dict(objects)
        self.calls: list[tuple[str, str]] = []

    def get_paginator(self, name):
        bucket = self

        class Pages:
            def paginate(self, Bucket, Prefix):
                yield {"Contents": [{"Key": k, "Size": len(v), "ETag": f'"{hashlib.md5(v).hexdigest()}"'}
                                    for k, v in bucket.objects.items() if k.startswith(Prefix)]}
        return Pages()

    def put_object(self, Bucket, Key, Body, **extra):
        self.calls.append(("put", Key))
        self.objects[Key] = Body.read()

    def delete_objects(self, Bucket, Delete):
        for item in Delete["Objects"]:
            self.calls.append(("delete", item["Key"]))
            del self.objects[item["Key"]]
        return {}


def test_deletes_come_after_every_upload_and_pages_after_assets(tmp_path):
    site = tmp_path / "site"
    for rel, text in {"index.html": "home", "new/index.html": "new", "assets/app.js": "js", "raw/a.txt": "a"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    bucket = RecordingBucket({"old/index.html": b"old", "raw/a.txt": b"a", "index.html": b"stale"})
    plan = publish_site(bucket, site, "archive")
    # Pages last, after every asset (in any order among themselves: they go up in parallel).
    assert sorted(bucket.calls[-3:-1]) == [("put", "index.html"), ("put", "new/index.html")]
    assert bucket.calls[-1] == ("delete", "old/index.html")
    assert {k: v.decode() for k, v in bucket.objects.items()} == {
        "index.html": "home", "new/index.html": "new", "assets/app.js": "js", "raw/a.txt": "a"}
    assert plan.unchanged == 1


# End to end: moto's S3 server, a real build, an edit, a second publish.

def s3_python() -> str:
    chosen = os.environ.get("S3_PUBLISH_PYTHON") or sys.executable
    found = subprocess.run([chosen, "-c", "import boto3, moto.server"], capture_output=True, text=True)
    assert found.returncode == 0, f"{chosen} lacks boto3 or moto[server] (bash setup.sh installs both): {found.stderr}"
    return chosen


@pytest.fixture
def s3_server():
    """moto's S3 server on a free port of 127.0.0.1; yields (python, endpoint URL)."""
    python = s3_python()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(endpoint + "/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        request = urllib.request.Request(endpoint + "/archive", method="PUT")  # make the bucket
        urllib.request.urlopen(request, timeout=10).close()
        yield python, endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_publisher(python: str, endpoint: str, site: Path, target: str = "s3://archive") -> subprocess.CompletedProcess:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "PYTHONPATH": str(REPO)}
    return subprocess.run([python, "-m", "publisher.object_store", str(site), target, "--endpoint-url", endpoint],
                          cwd=REPO, env=env, capture_output=True, text=True)


def publish(python: str, endpoint: str, site: Path) -> tuple[set[str], set[str]]:
    """Run the publisher as the workflow does; return the keys it uploaded and deleted."""
    done = run_publisher(python, endpoint, site)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    return ({line.removeprefix("upload ") for line in lines if line.startswith("upload ")},
            {line.removeprefix("delete ") for line in lines if line.startswith("delete ")})


def bucket_objects(endpoint: str) -> dict[str, str]:
    """Every object's key and ETag, read with plain ListObjectsV2 requests."""
    found: dict[str, str] = {}
    token = ""
    while True:
        query = "list-type=2" + (f"&continuation-token={urllib.parse.quote(token)}" if token else "")
        with urllib.request.urlopen(f"{endpoint}/archive?{query}", timeout=30) as answer:
            tree = ET.fromstring(answer.read())
        for item in tree.iter(S3_NS + "Contents"):
            found[item.findtext(S3_NS + "Key")] = item.findtext(S3_NS + "ETag").strip('"')
        token = tree.findtext(S3_NS + "NextContinuationToken") or ""
        if not token:
            return found


FETCH = """
import boto3, hashlib, json, sys
answer = boto3.client("s3", endpoint_url=sys.argv[1]).get_object(Bucket="archive", Key=sys.argv[2])
print(json.dumps({"type": answer["ContentType"], "cache": answer.get("CacheControl"),
                  "md5": hashlib.md5(answer["Body"].read()).hexdigest()}))
"""


def fetch_object(python: str, endpoint: str, key: str) -> dict:
    """One object as a signed GET returns it: its Content-Type, Cache-Control and its bytes' MD5."""
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    done = subprocess.run([python, "-c", FETCH, endpoint, key], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def site_digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.md5(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_publish_edit_publish_again_leaves_the_bucket_equal_to_site(make_project, s3_server):
    python, endpoint = s3_server
    root = make_project()
    build_site(root, quiet=True)
    site = root / "site"
    first = site_digests(site)
    uploaded, deleted = publish(python, endpoint, site)
    assert uploaded == set(first) and deleted == set()
    assert bucket_objects(endpoint) == first

    page = fetch_object(python, endpoint, "articles/index.html")
    assert page["type"] == "text/html; charset=utf-8" and page["cache"] == "public, max-age=300"
    assert page["md5"] == first["articles/index.html"]
    assert fetch_object(python, endpoint, "assets/stylesheets/archive.css")["type"] == "text/css; charset=utf-8"

    seed = root / "seeds" / "001_alpha.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA correction was added to this article.\n", encoding="utf-8")
    stale = site / "stale-by-hand.txt"  # a file the next build does not make: its object must go
    stale.write_text("left over")
    uploaded, _ = publish(python, endpoint, site)
    assert uploaded == {"stale-by-hand.txt"}
    stale.unlink()
    build_site(root, quiet=True)
    second = site_digests(site)
    uploaded, deleted = publish(python, endpoint, site)
    assert uploaded == {key for key, digest in second.items() if first.get(key) != digest}
    assert any(key.startswith("raw/001_") for key in uploaded)  # the edited text itself
    assert len(uploaded) < len(second) // 2  # not the whole site again
    assert deleted == (set(first) - set(second)) | {"stale-by-hand.txt"}
    assert bucket_objects(endpoint) == second

    assert publish(python, endpoint, site) == (set(), set())  # idempotent

    missing = run_publisher(python, endpoint, site, "s3://no-such-bucket")
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("s3://no-such-bucket: An error occurred (NoSuchBucket)")
