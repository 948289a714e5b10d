"""Publish a built site/ to an S3-compatible bucket: upload what changed, then delete what is gone.

    python -m publisher.object_store site s3://BUCKET[/PREFIX] [--endpoint-url URL] [--dry-run]

For archives past GitHub Pages' 1 GB: the bucket sits behind a CDN (docs/hosting.md). A file is
changed when the bucket has no object of its key, or the object's size or ETag differs from the
file's size and MD5 (each file goes up in one PUT, for which S3 and its clones make the ETag the
MD5 of the bytes). A file goes up only after the files it names: the search index's chunks, then
each shard's pagefind-entry.json, then pagefind/shards.json, then the pages; objects no longer in
site/ are deleted only after every upload succeeded, so a reader never meets a missing page. Running it again on the same site/ uploads and deletes nothing.

Needs boto3 (not in the build's lock: publishing only). Credentials come from boto3's usual places
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION or a profile).
"""
from __future__ import annotations

import argparse
import hashlib
import mimetypes
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Types a browser must get right, whatever the machine's mimetypes table says.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".wasm": "application/wasm",
}
DEFAULT_TYPE = "application/octet-stream"  # Pagefind's .pf_* index files and anything unknown
# Pages change with every edit; a CDN rechecks them often. Everything else is long-lived.
PAGE_CACHE = "public, max-age=300"
FILE_CACHE = "public, max-age=3600"
THREADS = 8


class PublishError(Exception):
    """The bucket or the site folder cannot be published to or from."""


@dataclass(frozen=True)
class LocalFile:
    key: str  # the object key: prefix + the path under site/
    path: Path
    size: int
    md5: str


@dataclass(frozen=True)
class RemoteObject:
    key: str
    size: int
    etag: str  # without the quotes S3 puts around it


@dataclass(frozen=True)
class SyncPlan:
    uploads: tuple[LocalFile, ...]  # new or changed, pages last
    deletes: tuple[str, ...]  # keys under the prefix that site/ no longer has
    unchanged: int


def content_type(name: str) -> str:
    """The Content-Type for a file name, by its extension."""
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or DEFAULT_TYPE


def cache_control(name: str) -> str:
    return PAGE_CACHE if name.endswith(".html") else FILE_CACHE


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_site_files(site: Path, prefix: str = "") -> list[LocalFile]:
    """Every file under site/, as the object it becomes, in key order."""
    if not (site / "index.html").is_file():
        raise PublishError(f"{site}: no built site here (run `python build.py` first)")
    return sorted((LocalFile(prefix + path.relative_to(site).as_posix(), path, path.stat().st_size, file_md5(path))
                   for path in site.rglob("*") if path.is_file()), key=lambda f: f.key)


def upload_rank(key: str) -> int:
    """When a file goes up: after every file it names (chunks, then Pagefind's entries, then shards.json, then pages)."""
    if key.endswith(".html"):
        return 3
    if key.endswith("pagefind/shards.json"):
        return 2
    if key.endswith("pagefind-entry.json"):
        return 1
    return 0


def plan_sync(local: list[LocalFile], remote: list[RemoteObject]) -> SyncPlan:
    """What to upload and what to delete so that the bucket holds exactly the local files."""
    known = {obj.key: obj for obj in remote}
    uploads = [f for f in local if (obj := known.get(f.key)) is None or obj.size != f.size or obj.etag != f.md5]
    kept = {f.key for f in local}
    uploads.sort(key=lambda f: (upload_rank(f.key), f.key))
    return SyncPlan(tuple(uploads), tuple(sorted(key for key in known if key not in kept)), len(local) - len(uploads))


def parse_target(target: str) -> tuple[str, str]:
    """s3://bucket/some/prefix -> ("bucket", "some/prefix/")."""
    if not target.startswith("s3://") or not target[5:].split("/", 1)[0]:
        raise PublishError(f"{target}: target: expected s3://BUCKET or s3://BUCKET/PREFIX")
    bucket, _, prefix = target[5:].partition("/")
    prefix = prefix.strip("/")
    return bucket, prefix + "/" if prefix else ""


def list_bucket(client: Any, bucket: str, prefix: str) -> list[RemoteObject]:
    """Every object under prefix, with its size and ETag."""
    found = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        found += [RemoteObject(item["Key"], item["Size"], item["ETag"].strip('"')) for item in page.get("Contents", [])]
    return found


def upload_file(client: Any, bucket: str, file: LocalFile) -> None:
    # One PUT per file (not boto3's multipart upload_file), so the ETag stays the MD5 that plan_sync compares.
    with file.path.open("rb") as body:
        client.put_object(Bucket=bucket, Key=file.key, Body=body, ContentType=content_type(file.key),
                          CacheControl=cache_control(file.key), ContentMD5=_base64_md5(file.md5))


def _base64_md5(hex_md5: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_md5)).decode("ascii")


def delete_keys(client: Any, bucket: str, keys: tuple[str, ...]) -> None:
    for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
        batch = [{"Key": key} for key in keys[start:start + 1000]]
        answer = client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise PublishError(f"s3://{bucket}/{first['Key']}: delete: {first.get('Message', first.get('Code'))}")


def publish_site(client: Any, site: Path, bucket: str, prefix: str = "", dry_run: bool = False) -> SyncPlan:
    """Make the bucket's prefix hold exactly site/: upload new and changed files, then delete the rest."""
    plan = plan_sync(list_site_files(site, prefix), list_bucket(client, bucket, prefix))
    if dry_run:
        return plan
    with ThreadPoolExecutor(THREADS) as pool:
        for rank in range(4):  # each rank waits until the one before is all up
            group = [f for f in plan.uploads if upload_rank(f.key) == rank]
            list(pool.map(lambda f: upload_file(client, bucket, f), group))
    delete_keys(client, bucket, plan.deletes)
    return plan


def make_client(endpoint_url: str | None) -> Any:
    try:
        import boto3
    except ImportError as error:
        raise PublishError("boto3 is not installed: `pip install boto3` (publishing only; see docs/hosting.md)") from error
    return boto3.client("s3", endpoint_url=endpoint_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publisher.object_store", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder (site/)")
    parser.add_argument("target", help="s3://BUCKET or s3://BUCKET/PREFIX")
    parser.add_argument("--endpoint-url", help="an S3-compatible endpoint (R2, MinIO...); AWS S3 when left out")
    parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    args = parser.parse_args(argv)
    try:
        bucket, prefix = parse_target(args.target)
        plan = publish_site(make_client(args.endpoint_url), args.site, bucket, prefix, args.dry_run)
    except PublishError as error:
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # botocore's: no credentials, no such bucket, access denied
        if not type(error).__module__.startswith("botocore"):
            raise
        print(f"{args.target}: {error}", file=sys.stderr)
        return 1
    for file in plan.uploads:
        print(f"upload {file.key}")
    for key in plan.deletes:
        print(f"delete {key}")
    verb = "would upload" if args.dry_run else "uploaded"
    print(f"{verb} {len(plan.uploads)}, deleted {len(plan.deletes)}, unchanged {plan.unchanged}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
