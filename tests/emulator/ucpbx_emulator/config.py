"""Run-time settings shared by the API, the control API and the CLI.

A setting made with :func:`option` is also a command-line option (``seed`` ->
``--seed``) with the same default, so the two cannot drift apart.
"""

from dataclasses import dataclass, field, fields

# The canonical base path, plus the one copy-edited into several examples of the docs.
API_BASES = ("/api/v0.0.1", "/api/v1.1.0")


def option(default, help_text=None, choices=None, minimum=None):
    """A setting the command line sets; a value below ``minimum`` is raised to it."""
    return field(default=default, metadata={"cli": {"help": help_text, "choices": choices},
                                            "minimum": minimum})


@dataclass
class Settings:
    username: str = option("api")
    password: str = option("123456", help_text="plain API password")
    latency_ms: int = option(0)
    token_idle_seconds: float = option(1800)
    lockout_threshold: int = option(
        5, help_text="consecutive failed logins that lock the caller IP (0: never)")
    lockout_seconds: float = option(600)
    expired_token_errno: str = option("20004", choices=("20004", "20006"))
    single_token: bool = option(False, help_text="a new login invalidates every earlier token")
    trunk_list_key: str = option("trunkname", choices=("trunkname", "trunklist"))
    # The caller-side "Call Answered" report: ANSWER (OpenVox captures) or ANSWERED (Yeastar).
    caller_answer_action: str = option("ANSWER", choices=("ANSWER", "ANSWERED"),
                                       help_text="action of the caller-side Call Answered report")
    seed: int = option(0, help_text="seed for generated passwords and PINs")
    max_concurrent: int = option(
        0, minimum=0, help_text="requests handled at once; more are answered errno 10025 (0: no limit)")
    # Event reports: attempts per report, pause between attempts, per-attempt timeout.
    report_attempts: int = option(
        5, minimum=1, help_text="attempts per event report before it is given up")
    report_retry_ms: int = option(200, minimum=0, help_text="pause between attempts of an event report")
    report_timeout_seconds: float = 2.0
    api_bases: tuple = field(default=API_BASES)


def command_line_settings():
    """The settings the command line sets, as dataclass fields."""
    return [setting for setting in fields(Settings) if "cli" in setting.metadata]


def add_options(parser):
    for setting in command_line_settings():
        flag = "--" + setting.name.replace("_", "-")
        if setting.type is bool:
            parser.add_argument(flag, action="store_true", help=setting.metadata["cli"]["help"])
        else:
            parser.add_argument(flag, type=setting.type, default=setting.default,
                                **{k: v for k, v in setting.metadata["cli"].items() if v})


def settings_from(args):
    values = {}
    for setting in command_line_settings():
        value = getattr(args, setting.name)
        minimum = setting.metadata["minimum"]
        values[setting.name] = value if minimum is None else max(minimum, value)
    return Settings(**values)
