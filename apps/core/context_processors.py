from .roles import can_import, can_review, can_tag


def roles(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "user_can_tag": can_tag(user),
        "user_can_import": can_import(user),
        "user_can_review": can_review(user),
    }
