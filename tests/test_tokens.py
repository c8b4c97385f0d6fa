"""Every secret link and join code comes from `secrets`, the operating system's cryptographic generator.

The tests replace the `secrets` functions with a stand-in that hands out recognisable values,
and check that what the product returns is exactly what the stand-in gave: a token made with
`random` (predictable) or any other source would not match. They look at the returned
plaintext; the last reads the database file itself, where a token is kept only as its SHA-256 hash.
"""

from __future__ import annotations

import secrets

import pytest

from storage import repository as repo
from storage import workshops as ws

MIN_TOKEN_BYTES = 16  # 128 bits
PATCHED = ("token_urlsafe", "token_bytes", "choice")


class RecordingSecrets:
    """Stands in for `secrets`: distinct, recognisable values, and a record of what was asked."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.sizes: list[int | None] = []
        self.chosen: list[str] = []

    def token_urlsafe(self, nbytes: int | None = None) -> str:
        self.sizes.append(nbytes)
        self.tokens.append(f"from-secrets-{len(self.tokens):03}".ljust(43, "x"))
        return self.tokens[-1]

    def token_bytes(self, nbytes: int | None = None) -> bytes:
        self.sizes.append(nbytes)
        return bytes(range(nbytes or 32))

    def choice(self, sequence):
        self.chosen.append(sequence[(7 * len(self.chosen) + 3) % len(sequence)])
        return self.chosen[-1]


@pytest.fixture
def fake(monkeypatch):
    """The `secrets` functions replaced, also where a module imported them by name."""
    stand_in = RecordingSecrets()
    for name in PATCHED:
        monkeypatch.setattr(secrets, name, getattr(stand_in, name))
        for module in (repo, ws):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, getattr(stand_in, name))
    return stand_in


@pytest.fixture
def engine(sqlite_engine):
    return sqlite_engine


def test_a_resume_token_is_what_secrets_gave_for_at_least_128_bits(fake):
    token = repo.new_token()
    assert fake.tokens == [token]
    assert fake.sizes[0] >= MIN_TOKEN_BYTES


def test_a_new_assessment_gets_its_token_from_secrets(fake, engine):
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    assert assessment.token in fake.tokens


def test_the_facilitator_token_is_what_secrets_gave_for_at_least_128_bits(fake, engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    assert workshop.facilitator_token in fake.tokens
    assert min(fake.sizes) >= MIN_TOKEN_BYTES


def test_a_participants_token_comes_from_secrets(fake, engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    assert participant.token in fake.tokens
    assert participant.token != workshop.facilitator_token


def test_join_codes_differ_from_call_to_call():
    assert len({ws.new_join_code() for _ in range(5)}) == 5


def test_a_join_code_is_exactly_the_characters_secrets_chose(fake):
    code = ws.new_join_code()
    assert code == "".join(fake.chosen)
    assert len(code) == ws.JOIN_CODE_LENGTH


def test_a_workshops_join_code_comes_from_secrets(fake, engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    assert workshop.join_code == "".join(fake.chosen)


def stored_bytes(engine) -> bytes:
    """Everything the database file holds, as bytes: a token kept in clear anywhere would show in it."""
    engine.dispose()
    return engine.url.database and open(engine.url.database, "rb").read()


def test_secret_links_are_kept_only_as_hashes(engine):
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    stored = stored_bytes(engine)
    for token in (assessment.token, workshop.facilitator_token, participant.token):
        assert token.encode() not in stored
        assert repo.hash_token(token).encode() in stored
    assert repo.find_assessment(engine, assessment.token).id == assessment.id
