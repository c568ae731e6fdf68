"""50 analysts on the 100,000-claim workspace: bench/run_pages.py --locust
starts it headless against the gunicorn it runs (BENCH_* variables name the
workspace, a logged-in session, an article and a claim)."""

import os
import random

from locust import HttpUser, between, task

SLUG = os.environ.get("BENCH_SLUG", "bench-100000")
SESSION = os.environ.get("BENCH_SESSION", "")
ARTICLE = int(os.environ.get("BENCH_ARTICLE", "1"))
CLAIM = int(os.environ.get("BENCH_CLAIM", "1"))
WORDS = ["Baniyas", "killed", "Mona Haddad", "displaced families", "hospital", "Jableh looted"]
STATUSES = ["new", "in_progress", "pending_review", "approved"]


class Analyst(HttpUser):
    # An analyst reads a page for a few seconds before the next (2-6 s: about
    # 12 requests a second from 50 users).
    wait_time = between(2.0, 6.0)

    def on_start(self):
        self.client.cookies.set("sessionid", SESSION)

    def _get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def claims_table(self):
        status = random.choice(STATUSES)
        self._get(f"/w/{SLUG}/claims/?status={status}&sort=updated", "claims table")

    @task(3)
    def search(self):
        self._get(f"/w/{SLUG}/search/?q={random.choice(WORDS)}", "search")

    @task(2)
    def claim_panel(self):
        self._get(f"/w/{SLUG}/claims/{CLAIM + random.randint(-500, 500)}/", "claim panel")

    @task(2)
    def article(self):
        self._get(f"/w/{SLUG}/articles/{ARTICLE + random.randint(-50, 50)}/", "article")

    @task
    def home(self):
        self._get(f"/w/{SLUG}/", "workspace home")

    @task
    def review_queue(self):
        self._get(f"/w/{SLUG}/review/", "review queue")

    @task
    def dashboard(self):
        self._get(f"/w/{SLUG}/dashboard/", "dashboard")

    @task
    def my_claims(self):
        self._get(f"/w/{SLUG}/mine/", "my claims")

    @task
    def sources(self):
        self._get(f"/w/{SLUG}/sources/", "sources")

    @task
    def picker(self):
        self._get(
            f"/w/{SLUG}/sources/pick/?q={random.choice(['Coast', 'Minis', 'Hadad'])}",
            "source picker",
        )
