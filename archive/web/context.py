"""Template context shared by every page."""
from ..policy import member_somewhere, stewards_somewhere


def site(request):
    user = getattr(request, "user", None)
    # not "site_name": Django's login view sets that to the request's host
    return {"archive_name": "Songkeeper", "is_steward_somewhere": stewards_somewhere(user=user),
            "is_member_somewhere": member_somewhere(user=user)}
