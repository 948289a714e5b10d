#!/usr/bin/env python3
"""News corpus archive: validate the corpus and build the site.

  python build.py            validate, render site_src/, build site/ with MkDocs (strict)
  python build.py serve      the same, then a live preview at http://127.0.0.1:8000
  python build.py check      validate everything, addresses included, writing nothing
  python build.py add FILE   copy a new text into seeds/ and write its metadata, inferred where the text tells
  python build.py export     validate, render site_src/, zip a copy for file:// into dist/
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from publisher.export import export_site
from publisher.lock import BuildLocked
from publisher.model import InputError
from publisher.pipeline import Stopwatch, build_site, check_project, today
from publisher.publish import PublishError
from publisher.site import MkDocsError, PagefindError

ROOT = Path(__file__).resolve().parent


def command_build(args) -> int:
    watch = Stopwatch()
    corpus = build_site(ROOT, quiet=args.quiet, stopwatch=watch)
    if watch.up_to_date:
        print(f"Nothing changed since the last build: site_src/ and site/ are up to date ({len(corpus.articles)} articles).")
    else:
        print(f"Built {len(corpus.articles)} articles into site_src/ and site/.")
    return 0


def command_serve(args) -> int:
    import logging

    from mkdocs.commands.serve import serve

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")

    build_site(ROOT, run_mkdocs=False, quiet=args.quiet)
    inputs = [str(ROOT / name) for name in ("seeds", "metadata", "templates")]
    hook = str(ROOT / "publisher" / "serve_hook.py")
    serve(str(ROOT / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True, watch=inputs, hooks=[hook])
    return 0


def command_check(args) -> int:
    corpus = check_project(ROOT)
    print(f"No problems: {len(corpus.articles)} articles, every published address kept.")
    return 0


def command_add(args) -> int:
    from publisher.add import Given, add_article

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
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="no progress bars (they are off in CI and when not in a terminal anyway)")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="validate and build site_src/ and site/ (the default)")
    serve = commands.add_parser("serve", help="build, then serve a live preview")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    commands.add_parser("check", help="validate everything without writing anything")
    add = commands.add_parser("add", help="add a text to seeds/ with its metadata")
    add.add_argument("file", help="the text to add, UTF-8")
    add.add_argument("--title", help="the headline (default: read from the text)")
    add.add_argument("--outlet", help="an outlet id from metadata/outlets.yml (default: recognised from the text)")
    add.add_argument("--date", help="YYYY-MM-DD, YYYY-MM or YYYY (default: the dateline of the text)")
    add.add_argument("--topic", action="append", default=[], help="a topic id from metadata/topics.yml; repeat for several")
    add.add_argument("--author", action="append", default=[], help="an author's name; repeat for several (default: the byline)")
    add.add_argument("--url", help="where the text was found (also helps recognise the outlet)")
    commands.add_parser("export", help="validate, render site_src/, then zip a copy that works from disk into dist/")
    args = parser.parse_args(argv)
    handlers = {"serve": command_serve, "check": command_check, "add": command_add, "export": command_export}
    handler = handlers.get(args.command, command_build)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2 is noise here
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
