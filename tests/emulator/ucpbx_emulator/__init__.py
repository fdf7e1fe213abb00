"""Emulator of the OpenVox UC Series IP PBX HTTP API (aiohttp)."""

__version__ = "0.1.0"
