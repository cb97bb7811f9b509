"""Field encryption at rest (Fernet: AES-128-CBC + HMAC-SHA256, from `cryptography`)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class FernetCipher:
    """Encrypts with the first key; decrypts with any (so keys can be rotated)."""

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("cannot decrypt: wrong key or corrupted data") from exc

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()
