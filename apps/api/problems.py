"""The API's errors as problem details (RFC 9457, `application/problem+json`).

Every refusal names what is wrong in `detail`; a validation refusal also lists each
field at fault in `errors`, so a client can point its user at the field.
"""

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raised anywhere under the API: becomes a problem+json answer with this status."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict] | None = None,
        headers: dict | None = None,
        **extra,
    ):
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors, self.headers, self.extra = errors or [], headers or {}, extra


def invalid(field: str, message: str) -> Problem:
    """A 422 for one field: what a client fixes before sending the request again."""
    return Problem(422, f"{field}: {message}", errors=[{"field": field, "message": message}])


def problem_response(
    status: int,
    detail: str,
    *,
    errors: list[dict] | None = None,
    headers: dict | None = None,
    **extra,
) -> JsonResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_problem(problem: Problem) -> JsonResponse:
    return problem_response(
        problem.status,
        problem.detail,
        errors=problem.errors,
        headers=problem.headers,
        **problem.extra,
    )


def form_errors(form, fields: dict[str, str] | None = None) -> Problem:
    """A 422 from a bound Django form's errors: the API validates with the same forms as
    the pages, so a refusal reads the same in both. `fields` renames form fields to the
    API's names; errors that belong to no field are reported on `body`."""
    fields = fields or {}
    errors = []
    for name, messages in form.errors.items():
        field = "body" if name == "__all__" else fields.get(name, name)
        errors.extend({"field": field, "message": str(message)} for message in messages)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return Problem(422, detail or "The request is not valid.", errors=errors)
