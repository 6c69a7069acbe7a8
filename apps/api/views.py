"""Settings pages where each person manages their own API tokens.

Every logged-in person may hold tokens (a viewer's token reads what a viewer reads);
the pages only ever show and change the requesting person's tokens.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import NewTokenForm
from .models import ApiToken
from .tokens import revoke


@never_cache  # the answer to a creation carries the token itself
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The person's tokens and a form for a new one. A new token's value is in the
    answer to the POST and nowhere else: not in a URL, a redirect, the session or a
    message, so reloading the list never shows it again."""
    form = NewTokenForm(request.POST if request.method == "POST" else None)
    created = raw = None
    if form.is_bound and form.is_valid():
        issued = form.issue(request.user)
        if issued is not None:
            created, raw = issued
            form = NewTokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.of(request.user),
        "created": created,
        "raw_token": raw,
    }
    status = 400 if form.is_bound else 200
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """Ask before revoking (GET), then revoke (POST); another person's token is a 404."""
    try:
        token = ApiToken.objects.of(request.user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
    if request.method == "GET":
        return render(request, "api/token_revoke.html", {"token": token})
    if token.is_revoked:
        messages.info(request, f"“{token.name}” was already revoked.")
    else:
        revoke(token.pk, request.user)
        messages.success(request, f"Revoked “{token.name}”: it no longer opens the API.")
    return redirect("tokens:list")
