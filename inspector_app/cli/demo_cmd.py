"""`inspector-app demo --visits N`: fill the practice store with synthetic, realistic visits.

Demo visits go to the practice environment ("oefenomgeving") unless `--echt` asks for the real store
(for benchmarks and office tests on a throw-away `--data-dir`), so they never travel by mistake.
"""

from __future__ import annotations

import argparse
import time

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.services.app import opened_app
from inspector_app.services.demo.generator import create_demo_visits


def register(demo: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app demo ...` to its parser (made by cli.main)."""
    demo.add_argument("--visits", type=int, default=50, help=_("aantal bezoeken (standaard 50)"))
    demo.add_argument("--seed", type=int, default=2026, help=_("startwaarde voor herhaalbare gegevens"))
    demo.add_argument(
        "--echt",
        "--real",
        dest="real",
        action="store_true",
        help=_("in de echte omgeving schrijven in plaats van de oefenomgeving"),
    )
    demo.set_defaults(handler=make_demo)


def make_demo(args: argparse.Namespace) -> int:
    if args.visits < 1 or args.visits > 1_000_000:
        raise InvalidInputError(_("Kies een aantal bezoeken tussen 1 en 1.000.000"))
    started = time.perf_counter()
    with opened_app(args.data_dir, practice=not args.real) as app:
        report = create_demo_visits(app, args.visits, seed=args.seed)
    print(
        _(
            "{visits} demobezoeken aangemaakt ({final} definitief, {signals} met signalen) in {seconds:.1f} s",
            visits=report.visits,
            final=report.final,
            signals=report.with_signals,
            seconds=time.perf_counter() - started,
        )
    )
    return 0
