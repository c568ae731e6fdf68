"""Turn domain errors raised anywhere below a view into clear 4xx answers."""

from claims.exceptions import NotAllowed, StaleVersion, TransitionNotAllowed
from claims.views.common import error_response


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed):
            return error_response(request, str(exception), status=403)
        if isinstance(exception, StaleVersion):
            return error_response(
                request, exception.message, status=409, details=exception.changed_fields
            )
        if isinstance(exception, TransitionNotAllowed):
            return error_response(request, exception.message, status=409)
        return None
