"""Template context shared by every page."""
from ..policy import viewer_for


def site(request):
    viewer = viewer_for(getattr(request, "user", None))
    # not "site_name": Django's login view sets that to the request's host
    return {"archive_name": "Songkeeper", "is_steward_somewhere": bool(viewer.steward_of) or viewer.is_staff,
            "is_member_somewhere": bool(viewer.member_of) or viewer.is_staff}
