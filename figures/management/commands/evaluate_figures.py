"""Score reconciliation and matching on reporting sequences:

    manage.py evaluate_figures --sequences figures/sequences/dev
    manage.py evaluate_figures --sequences DIR --verbose   # every miss and wrong proposal

Each sequence (*.json in DIR, claims-workbench-figure-sequence/1) is loaded
into a fresh workspace through the claim services, reconciled, and matched
claim by claim; found is compared with expected. Everything is rolled back
at the end unless --keep.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from figures.evaluation import RELATIONS, evaluate_sequence, load_sequence_file, totals


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Evaluate figures reconciliation and match proposals on reporting sequences."

    def add_arguments(self, parser):
        parser.add_argument("--sequences", required=True, help="A directory of sequence files.")
        parser.add_argument("--verbose", action="store_true", help="List misses and extras.")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the evaluation workspaces (else rolled back)."
        )

    def handle(self, *args, sequences: str, verbose: bool, keep: bool, **options):
        directory = Path(sequences)
        files = sorted(directory.glob("*.json")) if directory.is_dir() else []
        if not files:
            raise CommandError(f"No sequence files (*.json) in {directory}.")
        results = []
        try:
            with transaction.atomic():
                for path in files:
                    try:
                        data = load_sequence_file(path)
                    except ValueError as exc:
                        raise CommandError(str(exc)) from None
                    result = evaluate_sequence(path.stem, data)
                    results.append(result)
                    self._print_sequence(result, verbose)
                if not keep:
                    raise _Rollback
        except _Rollback:
            pass
        self._print_totals(results)
        return None

    def _print_sequence(self, result, verbose: bool) -> None:
        w = self.stdout.write
        w(f"\n{result.name}")
        for name, score in result.scores.items():
            w(f"  {name:<13} found {score.correct}/{score.expected} expected, {score.found} found")
        w(f"  false conflicts: {len(result.false_conflicts)}")
        for relation in RELATIONS:
            s = result.proposals[relation]
            w(
                f"  proposals {relation:<13} correct {s.correct}, found {s.found}, "
                f"expected {s.expected}"
            )
        if verbose:
            for name in result.scores:
                for item in result.missing[name]:
                    w(f"    missing {name}: {item}")
                for item in result.extra[name]:
                    w(f"    extra {name}: {item}")
            for pair, found, wanted, reason in result.wrong_proposals:
                w(f"    proposal {pair}: found {found}, expected {wanted} — {reason}")

    def _print_totals(self, results) -> None:
        w = self.stdout.write
        reconciliation, proposals, overall = totals(results)
        w(f"\nTotal over {len(results)} sequences")
        for name, s in reconciliation.items():
            w(f"  {name:<13} found {s.correct}/{s.expected} expected ({s.found} found)")
        false = sum(len(r.false_conflicts) for r in results)
        w(f"  false conflicts: {false}")
        for relation in RELATIONS:
            s = proposals.get(relation)
            if s is None:
                continue
            w(
                f"  proposals {relation:<13} precision {s.precision:.3f} recall {s.recall:.3f}"
                f" ({s.correct} correct of {s.found} found, {s.expected} expected)"
            )
        w(
            f"  proposals (all)          precision {overall.precision:.3f} recall "
            f"{overall.recall:.3f} ({overall.correct} correct of {overall.found} found, "
            f"{overall.expected} expected)"
        )
