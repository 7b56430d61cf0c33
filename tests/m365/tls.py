"""Certificates for the stand-in: a throw-away CA, a server certificate for 127.0.0.1, and the
app registration's client certificate (PEM with key and certificate, as IT would issue it)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True)
class TestPKI:
    """Paths of the generated material."""

    ca_path: Path  # CA certificate: the ``verify`` bundle
    server_cert: Path
    server_key: Path
    client_pem: Path  # the app's private key + certificate
    client_thumbprint: str  # SHA-1, upper-case hex (x5t)


def make_pki(folder: Path) -> TestPKI:
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("o365flow test CA"))
        .issuer_name(_name("o365flow test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    srv_key = ec.generate_private_key(ec.SECP256R1())
    srv = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(srv_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    # Entra ID app certificates are RSA; msal signs the client assertion with it.
    app_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    app = (
        x509.CertificateBuilder()
        .subject_name(_name("o365flow worker"))
        .issuer_name(_name("o365flow worker"))
        .public_key(app_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(app_key, hashes.SHA256())
    )
    paths = TestPKI(
        folder / "ca.pem",
        folder / "server.pem",
        folder / "server.key",
        folder / "app.pem",
        app.fingerprint(hashes.SHA1()).hex().upper(),
    )
    paths.ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.server_cert.write_bytes(srv.public_bytes(serialization.Encoding.PEM))
    paths.server_key.write_bytes(_pem_key(srv_key))
    paths.client_pem.write_bytes(_pem_key(app_key) + app.public_bytes(serialization.Encoding.PEM))
    return paths
