"""Score the claim suggester against a directory of labelled articles."""

from django.core.management.base import BaseCommand, CommandError

from extraction.evaluation import LABELLED_DIR, evaluate, format_table, load_labelled_set


class Command(BaseCommand):
    help = (
        "Print precision, recall and F1 of claim suggestions (spans, speakers, figures, "
        "figure scope), speaker resolution, continuation and scope-field accuracy and the "
        "number of duplicate source proposals, for a directory of articles in the label "
        "format (extraction/labelled/FORMAT.md; the development set by default). With --min, "
        "fail when any precision or recall of spans, speakers or figures is below it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--labelled",
            default=str(LABELLED_DIR),
            metavar="DIR",
            help="Directory of labelled articles (*.json, label format 2). Default: the "
            "development set.",
        )
        parser.add_argument(
            "--min",
            type=float,
            default=None,
            dest="minimum",
            help="Fail when any precision or recall of spans, speakers or figures is below "
            "this (0..1).",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="Also show each article and every miss.",
        )

    def handle(self, *args, labelled=None, minimum=None, verbose=False, **options):
        try:
            articles = load_labelled_set(labelled or LABELLED_DIR)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read labelled articles in {labelled}: {exc}") from exc
        report = evaluate(articles)
        self.stdout.write(format_table(report, verbose=verbose))
        if minimum is None:
            return
        below = [
            f"{metric} {name} {value:.3f}"
            for metric, score in report.totals.items()
            if metric in {"spans", "speakers", "figures"}
            for name, value in (("precision", score.precision), ("recall", score.recall))
            if value < minimum
        ]
        if below:
            raise CommandError(f"Below --min {minimum}: " + ", ".join(below))
        self.stdout.write(f"All six scores are at least {minimum}.")
