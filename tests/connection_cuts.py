"""Helpers for browser tests that cut a connection on purpose."""


def cut_patches_after(count: int, seen: list):
    """A Playwright route handler that lets ``count`` tus PATCH requests through (noting each in
    ``seen``) and then resets the connection of every later one, as a dropped line would."""
    def handle(route):
        if route.request.method == "PATCH":
            seen.append(route.request)
            if len(seen) > count:
                route.abort("connectionreset")
                return
        route.continue_()
    return handle


def note_patch_offsets(offsets: list):
    """A Playwright route handler that lets every request through, noting the Upload-Offset each
    tus PATCH starts from (where a resumed upload went on)."""
    def handle(route):
        if route.request.method == "PATCH":
            offsets.append(int(route.request.headers["upload-offset"]))
        route.continue_()
    return handle
