#!/usr/bin/env python3
"""News corpus archive: validate the corpus and build the site.

  python build.py            validate, render site_src/, build site/ with MkDocs (strict)
  python build.py serve      the same, then a live preview at http://127.0.0.1:8000
  python build.py check      validate everything, addresses included, writing nothing
  python build.py add FILE   copy a new text into seeds/ and write its metadata, inferred where the text tells
  python build.py export     build the site if needed, then zip a copy for file:// into dist/
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from publisher.export import export_site
from publisher.settings import read_settings
from publisher.build.lock import BuildLocked
from publisher.model import InputError
from publisher.pipeline import Stopwatch, build_site, check_project, today
from publisher.build.publish import PublishError
from publisher.search.index import PagefindError
from publisher.website.mkdocs_build import MkDocsError

ROOT = Path(__file__).resolve().parent


def command_build(args) -> int:
    watch = Stopwatch()
    build_site(ROOT, quiet=args.quiet, stopwatch=watch)
    if watch.up_to_date:
        print(f"Nothing changed since the last build: site_src/ and site/ are up to date ({watch.articles} articles).")
    elif watch.files_changed is not None:
        built = f"; MkDocs built {watch.mkdocs_pages} of them again" if watch.mkdocs_pages is not None else ""
        made, total = watch.search_shards or (0, 0)
        shards = f" Search index: Pagefind indexed {made} of {total} shard{'' if total == 1 else 's'} again." \
            if watch.search_shards is not None else ""
        print(f"Built {watch.articles} articles into site_src/ and site/: {watch.files_changed} "
              f"file{'s' if watch.files_changed != 1 else ''} of site_src/ changed{built}.{shards}")
    else:
        print(f"Built {watch.articles} articles into site_src/ and site/.")
    return 0


def command_serve(args) -> int:
    import logging

    from mkdocs.commands.serve import serve

    from publisher.website.preview import poll_inputs

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")

    if args.poll:
        poll_inputs()
    build_site(ROOT, run_mkdocs=False, quiet=args.quiet)
    inputs = [str(ROOT / name) for name in ("seeds", "metadata", "templates")]
    hook = str(ROOT / "publisher" / "website" / "serve_hook.py")
    # Dirty: after the first build, MkDocs builds only the pages the hook says changed.
    serve(str(ROOT / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True, build_type="dirty", watch=inputs, hooks=[hook])
    return 0


def command_check(args) -> int:
    checked = check_project(ROOT)
    if args.publishing:
        read_settings(ROOT, publishing=True)
    print(f"No problems: {len(checked.corpus.articles)} articles, every published address kept.")
    if checked.new_pages:
        count = len(checked.new_pages)
        print(f"{count} new page{'s' if count != 1 else ''}; the build will record {'them' if count != 1 else 'it'} in published-pages.txt:")
        for path in checked.new_pages:
            print(f"  {path}")
    return 0


def command_add(args) -> int:
    from publisher.intake.add import Given, add_article

    given = Given(title=args.title, outlet=args.outlet, date=args.date, topics=tuple(args.topic),
                  authors=tuple(args.author), url=args.url)
    added = add_article(ROOT, Path(args.file), given, today(), display=args.file)
    print(f"Wrote {added.seed_path} (a byte-for-byte copy of {args.file}) and {added.metadata_path}.")
    if added.inferred:
        print("Inferred from the text (marked with a comment in the file: check each one):")
        for name, value, reason in added.inferred:
            print(f"  {name}: {value}  ({reason})")
    if added.left:
        print("Left for you to fill in:")
        for name, hint in added.left:
            print(f"  {name}: {hint}")
    print(f"Next: edit {added.metadata_path}, then run `python build.py check`.")
    return 0


def command_export(args) -> int:
    export = export_site(ROOT)
    print(f"Exported {export.articles} articles to {export.path.relative_to(ROOT)} "
          f"({export.files} files, {export.size / 1_000_000:.1f} MB): unzip it and open index.html.")
    too_large = export.too_large_to_release()
    if too_large:
        print(f"warning: {too_large}", file=sys.stderr)
    return 0


def read_version(root: Path = ROOT) -> str:
    """The archive's version, from pyproject.toml (its one home)."""
    import tomllib

    try:
        return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown (pyproject.toml is missing or has no version)"


class ShowVersion(argparse.Action):
    """--version, reading pyproject.toml only when asked."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {read_version()}")
        parser.exit()


def make_parser() -> argparse.ArgumentParser:
    """The command line: every subcommand with its own description; shared flags before or after it."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__, formatter_class=raw)
    quiet_help = "no progress bars (they are off in CI and when not in a terminal anyway)"
    parser.add_argument("--quiet", action="store_true", help=quiet_help)
    parser.add_argument("--version", action=ShowVersion)
    # SUPPRESS: a subcommand's own default must not undo `build.py --quiet build`.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help=quiet_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=f"{summary[0].upper()}{summary[1:]}.\n\n{description}",
                                   parents=[shared], formatter_class=raw)

    add("build", "validate and build site_src/ and site/ (the default)",
        "Validate seeds/ and metadata/, render the Markdown pages into site_src/, build site/ with MkDocs in\n"
        "strict mode and index it with Pagefind. On any problem, list them all as path:line: message, exit 1\n"
        "and leave the previous site_src/ and site/ untouched.")
    serve = add("serve", "build, then serve a live preview",
                "Build site_src/ as `build` does, then serve the site with MkDocs, rebuilding when seeds/,\n"
                "metadata/ or templates/ change.")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    serve.add_argument("--poll", action="store_true",
                       help="notice changes by polling the inputs twice a second, as MkDocs does, where the system does not "
                            "report them (some containers and network mounts); rebuilds are slower")
    check = add("check", "validate everything without writing anything",
                "Validate everything the build would, published addresses included, and write nothing. Lists\n"
                "every problem as path:line: field: message and exits 1 when there is one.")
    check.add_argument("--publishing", action="store_true",
                       help="also refuse a site_url or repo_url still at the placeholder of mkdocs.yml (the publish workflow)")
    add_command = add("add", "add a text to seeds/ with its metadata",
                      "Copy a UTF-8 text into seeds/ byte for byte and write its metadata/<id>.yml, with the title,\n"
                      "outlet, date and authors inferred from the text where the options do not give them.")
    add_command.add_argument("file", help="the text to add, UTF-8")
    add_command.add_argument("--title", help="the headline (default: read from the text)")
    add_command.add_argument("--outlet", help="an outlet id from metadata/outlets.yml (default: recognised from the text)")
    add_command.add_argument("--date", help="YYYY-MM-DD, YYYY-MM or YYYY (default: the dateline of the text)")
    add_command.add_argument("--topic", action="append", default=[], help="a topic id from metadata/topics.yml; repeat for several")
    add_command.add_argument("--author", action="append", default=[], help="an author's name; repeat for several (default: the byline)")
    add_command.add_argument("--url", help="where the text was found (also helps recognise the outlet)")
    add("export", "build the site if needed, then zip a copy that works from disk into dist/",
        "Build site/ as `build` does (nothing to do when it is current), then pack it for reading from\n"
        "file:// (no server, no network, search included) into dist/<site>-<version>-offline.zip, the\n"
        "version from CITATION.cff, with its SHA-256 beside it (.zip.sha256).")
    return parser


def main(argv=None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    handlers = {"serve": command_serve, "check": command_check, "add": command_add, "export": command_export}
    handler = handlers.get(args.command, command_build)
    # SIGTERM unwinds like Ctrl-C, so the build's temporary folders are removed on the way out.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Interrupted; site_src/ and site/ each hold a complete build, nothing half-written.", file=sys.stderr)
        return 130
    except BuildLocked as error:
        print(error, file=sys.stderr)
        return 1
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except MkDocsError as error:
        print(f"MkDocs failed; the previous site is untouched:\n{error}", file=sys.stderr)
        return 1
    except PagefindError as error:
        print(f"Pagefind failed; the previous site is untouched:\n{error}", file=sys.stderr)
        return 1
    except PublishError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:  # a full disk or a read-only folder outside the publish step: one line, no traceback
        print(f"cannot {args.command or 'build'}: {error.strerror or error}: {error.filename or ''}; "
              f"nothing was published", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
