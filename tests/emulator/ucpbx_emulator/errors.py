"""API error numbers and the exception that carries one to the envelope."""

XML_MALFORMED = "10002"
UNKNOWN_ENDPOINT = "10003"
MISSING_PARAMETER = "10004"
NO_SUCH_EXTENSION = "10006"
NUMBER_NOT_FOUND = "10011"
NO_SUCH_IVR = "10012"
NO_SUCH_QUEUE = "10013"
EXTENSION_CONFIG_FAILED = "10017"
IVR_CONFIG_FAILED = "10018"
QUEUE_CONFIG_FAILED = "10019"
APPLY_TOO_OFTEN = "10025"
TRUNK_NAME_INVALID = "10042"
TRUNK_NAME_TAKEN = "10043"
TRUNK_TYPE_INVALID = "10044"
TRUNK_PORT_INVALID = "10046"
TRUNK_DELETE_FAILED = "10061"
NO_SUCH_TRUNK = "10062"
INROUTE_NAME_INVALID = "10063"
INROUTE_EXISTS = "10064"
INROUTE_DESTTYPE_INVALID = "10068"
INROUTE_DEST_INVALID = "10069"
NO_SUCH_INROUTE = "10072"
OUTROUTE_NAME_INVALID = "10073"
OUTROUTE_EXISTS = "10074"
OUTROUTE_PATTERN_INVALID = "10075"
OUTROUTE_PREPEND_INVALID = "10077"
OUTROUTE_TRUNK_INVALID = "10078"
NO_SUCH_OUTROUTE = "10083"
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

    def __init__(self, errno, detail=""):
        # The detail never reaches the API client (the device sends no message text);
        # it explains a refused state document to whoever PUT it.
        super().__init__(errno)
        self.errno = str(errno)
        self.detail = detail
