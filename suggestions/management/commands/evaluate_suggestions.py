"""Score the claim suggester against the labelled articles it ships with."""

from django.core.management.base import BaseCommand, CommandError

from extraction.evaluation import evaluate, format_table, load_labelled_set


class Command(BaseCommand):
    help = (
        "Print precision, recall and F1 of claim suggestions (spans, speakers, figures) "
        "on the labelled article set; with --min, fail when any of the six is below it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min",
            type=float,
            default=None,
            dest="minimum",
            help="Fail when any precision or recall is below this (0..1).",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="Also show each article and every miss.",
        )

    def handle(self, *args, minimum=None, verbose=False, **options):
        report = evaluate(load_labelled_set())
        self.stdout.write(format_table(report, verbose=verbose))
        if minimum is None:
            return
        below = [
            f"{metric} {name} {value:.3f}"
            for metric, score in report.totals.items()
            for name, value in (("precision", score.precision), ("recall", score.recall))
            if value < minimum
        ]
        if below:
            raise CommandError(f"Below --min {minimum}: " + ", ".join(below))
        self.stdout.write(f"All six scores are at least {minimum}.")
