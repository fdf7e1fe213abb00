"""Run-time settings shared by the API, the control API and the CLI.

A setting whose field carries :func:`cli` metadata is also a command-line option (``seed`` ->
``--seed``) with the same default, so the two cannot drift apart.
"""

from dataclasses import dataclass, field, fields

# The canonical base path, plus the one copy-edited into several examples of the docs.
API_BASES = ("/api/v0.0.1", "/api/v1.1.0")


def cli(help_text=None, choices=None, minimum=None):
    """Field metadata of a setting the command line sets; a value below ``minimum`` is raised to it."""
    return {"cli": {"help": help_text, "choices": choices}, "minimum": minimum}


@dataclass
class Settings:
    username: str = field(default="api", metadata=cli())
    password: str = field(default="123456", metadata=cli(help_text="plain API password"))
    latency_ms: int = field(default=0, metadata=cli())
    token_idle_seconds: float = field(default=1800, metadata=cli())
    lockout_threshold: int = field(
        default=5, metadata=cli(help_text="consecutive failed logins that lock the caller IP (0: never)"))
    lockout_seconds: float = field(default=600, metadata=cli())
    expired_token_errno: str = field(default="20004", metadata=cli(choices=("20004", "20006")))
    single_token: bool = field(default=False, metadata=cli(help_text="a new login invalidates every earlier token"))
    trunk_list_key: str = field(default="trunkname", metadata=cli(choices=("trunkname", "trunklist")))
    # The caller-side "Call Answered" report: ANSWER (OpenVox captures) or ANSWERED (Yeastar).
    caller_answer_action: str = field(default="ANSWER", metadata=cli(
        choices=("ANSWER", "ANSWERED"), help_text="action of the caller-side Call Answered report"))
    seed: int = field(default=0, metadata=cli(help_text="seed for generated passwords and PINs"))
    max_concurrent: int = field(default=0, metadata=cli(
        minimum=0, help_text="requests handled at once; more are answered errno 10025 (0: no limit)"))
    # Event reports: attempts per report, pause between attempts, per-attempt timeout.
    report_attempts: int = field(
        default=5, metadata=cli(minimum=1, help_text="attempts per event report before it is given up"))
    report_retry_ms: int = field(
        default=200, metadata=cli(minimum=0, help_text="pause between attempts of an event report"))
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
