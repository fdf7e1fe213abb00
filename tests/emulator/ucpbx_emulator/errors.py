"""API error numbers and the exception that carries one to the envelope."""

XML_MALFORMED = "10002"
UNKNOWN_ENDPOINT = "10003"
MISSING_PARAMETER = "10004"
NO_SUCH_EXTENSION = "10006"
EXTENSION_CONFIG_FAILED = "10017"
APPLY_TOO_OFTEN = "10025"
NOT_JSON = "20000"
POST_ONLY = "20001"
LOCKED_OUT = "20002"
BAD_CREDENTIALS = "20003"
NO_SUCH_TOKEN = "20004"
TOKEN_MISSING = "20005"
TOKEN_TIMED_OUT = "20006"
INVALID_PORT = "20008"
HEARTBEAT_FAILED = "20011"


class ApiError(Exception):
    """Raised anywhere in request handling; becomes ``{"status":"Failed","errno":...}``."""

    def __init__(self, errno):
        super().__init__(errno)
        self.errno = str(errno)
