#!/usr/bin/env python3
"""News corpus archive: validate the corpus and build the site.

  python build.py            validate, render site_src/, build site/ with MkDocs (strict)
  python build.py serve      the same, then a live preview at http://127.0.0.1:8000
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from publisher.model import InputError
from publisher.pipeline import build_site
from publisher.site import MkDocsError

ROOT = Path(__file__).resolve().parent


def command_build(args) -> int:
    corpus = build_site(ROOT, quiet=args.quiet)
    print(f"Built {len(corpus.articles)} articles into site_src/ and site/.")
    return 0


def command_serve(args) -> int:
    from mkdocs.commands.serve import serve

    build_site(ROOT, run_mkdocs=False, quiet=args.quiet)
    serve(str(ROOT / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="no progress bars (they are off in CI and when not in a terminal anyway)")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="validate and build site_src/ and site/ (the default)")
    serve = commands.add_parser("serve", help="build, then serve a live preview")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    args = parser.parse_args(argv)
    handler = {"serve": command_serve}.get(args.command, command_build)
    try:
        return handler(args)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except MkDocsError as error:
        print(f"MkDocs failed; the previous site is untouched:\n{error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
