from django.http import HttpResponseBadRequest


class RejectNulCharactersMiddleware:
    """Refuse (400) any request whose parameters contain a NUL character.

    PostgreSQL cannot store NUL in text, and no legitimate form sends one; refusing
    at the door keeps such input from reaching a query or a save as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        data = request.POST if request.method == "POST" else request.GET
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest(
                    "Requests may not contain NUL characters.", content_type="text/plain"
                )
        if "\x00" in request.path:
            return HttpResponseBadRequest("Invalid path.", content_type="text/plain")
        return self.get_response(request)
