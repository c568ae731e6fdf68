"""Answers about a job that any feature's views send: its live progress."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseStopPolling

from jobs.models import Job


def job_progress_response(request: HttpRequest, workspace, job: Job) -> HttpResponse:
    """The progress partial. While the job is active it keeps polling; once the
    job has ended the answer is 286, which makes htmx swap it and stop polling."""
    context = {"workspace": workspace, "job": job, "compact": request.GET.get("compact") == "1"}
    response = render(request, "jobs/_job_progress.html", context)
    if not job.is_active:
        return HttpResponseStopPolling(response.content)
    return response
