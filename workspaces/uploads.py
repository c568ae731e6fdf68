"""Uploads are limited while they stream in.

DATA_UPLOAD_MAX_MEMORY_SIZE does not limit files, and Django's own handlers
keep an upload whole (in memory or a temporary file) before any form sees
it: a 300 MB file cost the server 300 MB before being refused. This handler
runs first and counts each file's bytes as they arrive; past UPLOAD_MAX_BYTES
it skips the file (Django reads and discards the rest without keeping it)
and notes why on the request, for the form to say."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

DEFAULT_UPLOAD_MAX_BYTES = 4 * 1024 * 1024


def upload_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def upload_refusal(request: HttpRequest, field_name: str) -> str:
    """Why the file posted as `field_name` was refused while streaming ("" if it was not)."""
    return getattr(request, "upload_refusals", {}).get(field_name, "")


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes each chunk on, and stops a file
    at the limit."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = upload_max_bytes()
        if self.received > limit:
            refusals = getattr(self.request, "upload_refusals", None)
            if refusals is None:
                refusals = self.request.upload_refusals = {}
            refusals[self.field_name] = (
                f"“{self.file_name}” is larger than {limit / 1024 / 1024:g} MB, the largest file "
                "accepted; it was not read. Upload a smaller file or paste the text."
            )
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        # The next handler (memory or temporary file) holds the file.
        return None
