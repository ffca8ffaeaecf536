"""Helpers for running the ping tool safely."""
import subprocess


def ping(host: str) -> bytes:
    """Ping a host once and return the tool's output."""
    return subprocess.run(["ping", "-c", "1", host], check=True, capture_output=True).stdout
