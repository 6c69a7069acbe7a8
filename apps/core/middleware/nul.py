"""Requests carrying a NUL character are refused at the door (400)."""

from django.http import HttpResponseBadRequest, JsonResponse


class RejectNulCharactersMiddleware:
    """Refuse (400) any request whose parameters or headers contain a NUL character.

    PostgreSQL cannot store NUL in text, and no legitimate form or client sends one;
    refusing at the door keeps such input from reaching a query or a save as a 500
    (the login lockout stores the User-Agent and Accept headers of failed attempts).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        data = request.POST if request.method == "POST" else request.GET
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return self.refuse(request, "Requests may not contain NUL characters.")
        if "\x00" in request.path:
            return self.refuse(request, "Invalid path.")
        if any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_")):
            return self.refuse(request, "Headers may not contain NUL characters.")
        return self.get_response(request)

    @staticmethod
    def refuse(request, detail: str):
        if request.path.startswith("/api/"):  # the JSON API answers every error as a problem
            body = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": detail}
            return JsonResponse(body, status=400, content_type="application/problem+json")
        return HttpResponseBadRequest(detail, content_type="text/plain")
