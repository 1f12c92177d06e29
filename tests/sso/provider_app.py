"""A small, real OpenID provider for the tests (django-oauth-toolkit with OIDC on): its
own process, its own SQLite file, an RS256 key the test generated, a real discovery
document, token endpoint, JWKS and login form.

Run as ``python provider_app.py CONFIG.json``; it prints ``PORT <n>`` when it listens
on 127.0.0.1. The users' groups and ``acr``/``amr`` come from the JSON file named in
the config, read on every sign-in, so a test can change them between sign-ins."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CONFIG = json.loads(Path(sys.argv[1]).read_text())
_django_app: Any = None


def application(environ: dict[str, Any], start_response: Any) -> Any:
    return _django_app(environ, start_response)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


server = make_server("127.0.0.1", 0, application, server_class=_Server, handler_class=_Quiet)
PORT = server.server_port
ISSUER = f"http://127.0.0.1:{PORT}/o"

LOGIN_TEMPLATE = """<!doctype html><html lang="en"><head><title>Test provider</title></head>
<body><h1>Test identity provider</h1>
<form method="post" action="/login/">{% csrf_token %}
<label for="id_username">Username</label><input id="id_username" name="username">
<label for="id_password">Password</label><input id="id_password" name="password" type="password">
<input type="hidden" name="next" value="{{ next }}">
<button type="submit">Sign in to the provider</button></form></body></html>"""

from django.conf import settings  # noqa: E402

settings.configure(
    DEBUG=False,
    SECRET_KEY="test-provider-" + "x" * 50,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "oauth2_provider",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(CONFIG["workdir"]) / "provider.sqlite3"),
        }
    },
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"registration/login.html": LOGIN_TEMPLATE},
                    ),
                    "django.template.loaders.app_directories.Loader",
                ],
                "context_processors": ["django.template.context_processors.request"],
            },
        }
    ],
    LOGIN_URL="/login/",
    # cookies do not tell ports apart: the provider's must not overwrite Silta's on
    # 127.0.0.1 in the browser test
    SESSION_COOKIE_NAME="op_sessionid",
    CSRF_COOKIE_NAME="op_csrftoken",
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": CONFIG["private_key"],
        "OIDC_ISS_ENDPOINT": ISSUER,
        "PKCE_REQUIRED": True,
        "SCOPES": {
            "openid": "OpenID Connect",
            "profile": "Profile",
            "email": "E-mail",
            "groups": "Groups",
        },
        "OAUTH2_VALIDATOR_CLASS": "__main__.Validator",
    },
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import views as auth_views  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import include, path  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402
from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402

urlpatterns = [
    path("login/", auth_views.LoginView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]


def _people() -> dict[str, dict[str, Any]]:
    return dict(json.loads(Path(CONFIG["users_file"]).read_text()))


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = _people()[request.user.username]
        claims: dict[str, Any] = {
            "preferred_username": request.user.username,
            "given_name": person.get("given_name", ""),
            "family_name": person.get("family_name", ""),
            "email": f"{request.user.username}@example.org",
            "groups": person.get("groups", []),
        }
        for name in ("acr", "amr"):
            if name in person:
                claims[name] = person[name]
        return claims


call_command("migrate", verbosity=0, interactive=False)
for username, person in _people().items():
    User.objects.create_user(username, password=person["password"])
get_application_model().objects.create(
    name="Silta",
    client_id=CONFIG["client_id"],
    client_secret=CONFIG["client_secret"],
    client_type="confidential",
    authorization_grant_type="authorization-code",
    redirect_uris=" ".join(CONFIG["redirect_uris"]),
    algorithm="RS256",
    skip_authorization=True,
)
_django_app = get_wsgi_application()
print(f"PORT {PORT}", flush=True)
server.serve_forever()
