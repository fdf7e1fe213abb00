"""Run-time settings shared by the API, the control API and the CLI."""

from dataclasses import dataclass, field

# The canonical base path, plus the one copy-edited into several examples of the docs.
API_BASES = ("/api/v0.0.1", "/api/v1.1.0")


@dataclass
class Settings:
    username: str = "api"
    password: str = "123456"
    latency_ms: int = 0
    token_idle_seconds: float = 1800
    lockout_threshold: int = 5
    lockout_seconds: float = 600
    expired_token_errno: str = "20004"
    single_token: bool = False
    trunk_list_key: str = "trunkname"
    # The caller-side "Call Answered" report: ANSWER (OpenVox captures) or ANSWERED (Yeastar).
    caller_answer_action: str = "ANSWER"
    seed: int = 0
    # Requests the device handles at once; more are answered errno 10025 (0: no limit).
    max_concurrent: int = 0
    # Event reports: attempts per report, pause between attempts, per-attempt timeout.
    report_attempts: int = 5
    report_retry_ms: int = 200
    report_timeout_seconds: float = 2.0
    api_bases: tuple = field(default=API_BASES)
