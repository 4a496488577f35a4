from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """{"count", "next", "previous", "results"}; ?page= and ?page_size= (at most 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200


def paginated_response(request, view, rows, serialize):
    """One page of ``rows`` in the archive's list shape, each page's rows through ``serialize``."""
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serialize(page))
