"""Sign-in for browser tests: a real OpenID Connect provider on 127.0.0.1 and an app server that uses it.

The provider (`oidc-provider-mock`) issues real signed ID tokens; on its authorize page the
test types the subject to sign in as, and the claims given to `add_user` come with it. The
app is told about it through an `[auth]` section in a secrets file of the test's own
(`--secrets.files`), never the project's `.streamlit/secrets.toml`. The browser opens the
app at `localhost`, the host of the registered redirect URI, so the sign-in cookie matches.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.request
from pathlib import Path

import pytest
import werkzeug.serving

from tests.e2e.conftest import Server, real_pdf_workers, wait_idle


class Provider:
    """An OpenID provider serving on 127.0.0.1 from a thread of the test process."""

    def __init__(self):
        import oidc_provider_mock

        self.server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(require_nonce=True),
                                                   threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self) -> str:
        """Its address, which is also the issuer of its tokens."""
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def add_user(self, sub: str, **claims) -> None:
        """Let `sub` sign in, with these claims (e.g. email, name) in their ID token."""
        request = urllib.request.Request(f"{self.url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 204

    def authorize(self, page, sub: str) -> None:
        """On the provider's authorize page (where the app sent the browser): sign in as `sub`."""
        page.wait_for_url(f"{self.url}/oauth2/authorize*")
        page.locator("input[name=sub]").fill(sub)
        page.get_by_role("button", name="Authorize").click()


class SignInServer(Server):
    """The app with consultant sign-in configured against `provider`; reached at localhost."""

    def __init__(self, data_dir: Path, provider: Provider, pdf_workers: bool = True):
        self.secrets = data_dir.parent / "secrets.toml"
        super().__init__(data_dir, ("--secrets.files", str(self.secrets)), pdf_workers=pdf_workers)
        self.secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{self.port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            'client_id = "phasegate"\n'
            f'client_secret = "{secrets.token_urlsafe(16)}"\n'
            f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n'
        )
        self.secrets.chmod(0o600)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"


def sign_in(page, server: SignInServer, provider: Provider, sub: str) -> None:
    """Sign in from the sidebar through the provider's page; the app then opens on My workshops."""
    page.goto(server.url)
    wait_idle(page)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign in").click()
    provider.authorize(page, sub)
    page.wait_for_url(f"{server.url}/my-workshops")
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").wait_for()
    wait_idle(page)


@pytest.fixture(scope="module")
def provider():
    running = Provider()
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def signin_server(request, tmp_path_factory, provider):
    data = tmp_path_factory.mktemp("signin") / "data"
    data.mkdir()
    running = SignInServer(data, provider, pdf_workers=real_pdf_workers(request))
    running.start()
    yield running
    running.stop()


ANA = ("ana", {"email": "ana@example.com", "email_verified": True, "name": "Ana Consultant"})
BEN = ("ben", {"email": "ben@example.com", "email_verified": True, "name": "Ben Consultant"})


@pytest.fixture
def consultants(provider):
    """Ana and Ben may sign in at the provider, each with a verified address."""
    for sub, claims in (ANA, BEN):
        provider.add_user(sub, **claims)
    return provider
