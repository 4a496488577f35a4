"""Errors services raise; the API turns them into JSON 4xx, pages into messages."""


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    status = 403
    code = "permission_denied"


class StorageError(ServiceError):
    """The storage refused a write (disk full, quota, a file-size limit): nothing was kept."""

    status = 507
    code = "storage_error"


class Conflict(ServiceError):
    status = 409
    code = "conflict"
