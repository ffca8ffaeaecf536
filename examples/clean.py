"""Safe counterparts of the patterns in app.py and storage.py: secreview reports nothing here."""

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import subprocess
import tarfile
import tempfile
from typing import Any

import requests
import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from defusedxml.lxml import fromstring as parse_xml
from jinja2 import Environment, FileSystemLoader, select_autoescape

PASSWORD_FIELD = "password"
TOKEN_URL = "https://auth.example.com/oauth/token"
CA_BUNDLE = "/etc/ssl/certs/internal-ca.pem"

templates = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())


def find_user(conn: sqlite3.Connection, name: str) -> list[tuple]:
    """Look a user up with a parameterized query."""
    return conn.execute("SELECT id, email FROM users WHERE name = ?", (name,)).fetchall()


def hash_password(password: str, salt: bytes) -> bytes:
    """Derive a password hash with a memory-hard function."""
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def new_reset_token() -> str:
    """Return an unguessable reset token."""
    return secrets.token_urlsafe(32)


def load_settings(text: str) -> dict:
    """Parse settings as plain data."""
    return yaml.safe_load(text)


def load_cached_profile(blob: bytes) -> dict:
    """Decode a cached profile stored as JSON."""
    return json.loads(blob)


def ping(host: str) -> bytes:
    """Ping a host once without a shell."""
    return subprocess.run(["/usr/bin/ping", "-c", "1", host], check=True, capture_output=True).stdout


def partner_status(account: str, api_token: str) -> dict:
    """Query the partner API over verified TLS."""
    response = requests.get(
        f"https://partner.example.com/accounts/{account}",
        headers={"Authorization": f"Bearer {api_token}"},
        verify=CA_BUNDLE,
        timeout=10,
    )
    return response.json()


def restore_backup(upload_path: str, dest: str) -> None:
    """Extract a backup, refusing members that leave the destination."""
    with tarfile.open(upload_path) as archive:
        archive.extractall(dest, filter="data")


def export_report(rows: list[str]) -> str:
    """Write rows to a private temporary file and return its path."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.writelines(rows)
    os.chmod(f.name, 0o600)
    return f.name


def encrypt_backup(key: bytes, data: bytes) -> bytes:
    """Encrypt with AES-GCM; the nonce is stored in front of the ciphertext."""
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, data, None)


def parse_invoice(xml_bytes: bytes) -> Any:
    """Parse untrusted XML with entity expansion and external entities disabled."""
    return parse_xml(xml_bytes)


def sign_webhook(webhook_secret: bytes, body: bytes) -> str:
    """Sign a webhook body with HMAC-SHA256."""
    return hmac.new(webhook_secret, body, hashlib.sha256).hexdigest()


def file_etag(path: str) -> str:
    """Checksum a file for HTTP caching."""
    with open(path, "rb") as f:
        return hashlib.md5(f.read(), usedforsecurity=False).hexdigest()


def render_page(name: str) -> str:
    """Render an HTML template with autoescaping."""
    return templates.get_template("page.html").render(name=name)
