"""A fake identity provider we can run: real keys, real signatures, a real JWKS endpoint
on a loopback HTTP server (the one third party the tests stand in for)."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from indexer.revisions import upgrade
from service.api.app import create_app
from service.container import build_container
from service.settings import Settings

ISSUER = "https://idp.example.test"
AUDIENCE = "wfv"


@dataclass
class SigningKey:
    kid: str
    private: Any
    algorithm: str

    @classmethod
    def rsa(cls, kid: str) -> "SigningKey":
        return cls(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256")

    @classmethod
    def ec(cls, kid: str) -> "SigningKey":
        return cls(kid, ec.generate_private_key(ec.SECP256R1()), "ES256")

    def jwk(self) -> dict[str, Any]:
        converter = RSAAlgorithm if self.algorithm.startswith("RS") else ECAlgorithm
        key: dict[str, Any] = json.loads(converter.to_jwk(self.private.public_key()))
        return key | {"kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def public_pem(self) -> str:
        pem: bytes = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem.decode()

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        token: str = jwt.encode(
            claims, self.private, algorithm=self.algorithm, headers={"kid": self.kid, **header}
        )
        return token

    def sign_json(self, payload: str) -> str:
        """A token whose payload is exactly ``payload``: JSON no dict can hold, such as an
        integer too large for a float or a lone surrogate."""
        token: str = jwt.api_jws.encode(
            payload.encode("utf-8", "surrogatepass"),
            self.private,
            algorithm=self.algorithm,
            headers={"kid": self.kid},
        )
        return token


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "user_alice",
        "org_id": "acme",
        "permissions": ["workflows:admin"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    return base | overrides


@dataclass
class Jwks:
    keys: list[SigningKey] = field(default_factory=list)
    fetches: int = 0

    def document(self) -> bytes:
        self.fetches += 1
        return json.dumps({"keys": [key.jwk() for key in self.keys]}).encode()


@contextmanager
def serve_jwks(jwks: Jwks) -> Iterator[str]:
    """``http://127.0.0.1:<port>/.well-known/jwks.json`` for as long as the block runs."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = jwks.document()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def client_for(settings: Settings, **update: object) -> TestClient:
    """The real app on ``settings`` changed by ``update`` (validators not run: a test may
    build what production would refuse to start with)."""
    container = build_container(settings.model_copy(update=update))
    if container.settings.resolved_database_url.startswith("sqlite"):
        upgrade(container.engine)
    return TestClient(create_app(container=container))
