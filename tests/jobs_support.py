"""Shared by the jobs tests: a news page to fetch, and running jobs in-process."""

from __future__ import annotations

import contextlib

from workbench.celery import app

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Dozens killed in coastal clashes | The Daily Ledger</title>
<meta property="og:title" content="Dozens killed in coastal clashes">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="article:published_time" content="2025-03-08T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Dozens killed in coastal clashes</h1>
<p>A monitoring group said more than 1,000 people were killed, among them 745 civilians,
in three days of violence along the coast.</p>
<p>The interior ministry blamed the violence on "individual actions" and denied any
policy of reprisals against the population.</p>
<p>Residents told a news agency that gunmen fired at close range in several villages
near the port city.</p>
</article>
<footer>Copyright 2025 The Daily Ledger</footer>
</body></html>
"""


@contextlib.contextmanager
def jobs_in_process(settings):
    """Run sent jobs in-process even when REDIS_URL is set (CI): the Celery app
    caches its configuration, so both Django's setting and the app change."""

    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
