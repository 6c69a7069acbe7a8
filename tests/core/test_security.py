"""Production settings, the deployment check and the headers every page carries."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")


def production_env(tmp_path, **overrides) -> dict:
    """Production settings with every secret read from a `_FILE`, as a deployment would."""
    secret = tmp_path / "secret_key"
    secret.write_text("k7Qf2-production-test-key-" + "Zx9Lm3Rt8Wq5Vb1Nc6Hy4Pj0" * 2 + "\n")
    database = tmp_path / "database_url"
    # Never connected to: the checks below need settings, not a database.
    database.write_text("postgres://quotetrail@db.invalid:5432/quotetrail\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "QUOTETRAIL_", "SQLITE_"))
    }
    env.update(
        QUOTETRAIL_ENV="production",
        DJANGO_SECRET_KEY_FILE=str(secret),
        DATABASE_URL_FILE=str(database),
        DJANGO_ALLOWED_HOSTS="quotetrail.example.org",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_reports_nothing_with_production_settings(tmp_path):
    result = run(production_env(tmp_path), MANAGE, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr and "?:" not in result.stderr


def test_deploy_check_catches_development_settings(tmp_path):
    """The check above can fail: development settings are not fit to deploy."""
    env = production_env(tmp_path, QUOTETRAIL_ENV="development")
    result = run(env, MANAGE, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W018" in result.stderr  # DEBUG on


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "secret": s.SECRET_KEY,
    "hosts": s.ALLOWED_HOSTS,
    "database": [s.DATABASES["default"]["ENGINE"], s.DATABASES["default"]["HOST"]],
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY],
    "ssl": [s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS],
    "lockout": [s.AXES_HANDLER, s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1]],
    "proxies": s.QUOTETRAIL_TRUSTED_PROXIES,
}))
"""


def test_production_settings_come_from_the_environment_and_files(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings",
        QUOTETRAIL_TRUSTED_PROXIES="10.0.0.5, 192.168.10.0/24",
    )
    result = run(env, "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["secret"].startswith("k7Qf2-production-test-key-")  # file read, stripped
    assert values["hosts"] == ["quotetrail.example.org"]
    assert values["database"] == ["django.db.backends.postgresql", "db.invalid"]
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["cookies"] == [True, True, True]
    assert values["ssl"] == [True, 31_536_000, True]
    # Login failures are counted in the database, shared by every worker on every host.
    assert values["lockout"] == [
        "axes.handlers.database.AxesDatabaseHandler",
        "axes.backends.AxesStandaloneBackend",
        "axes.middleware.AxesMiddleware",
    ]
    assert values["proxies"] == ["10.0.0.5", "192.168.10.0/24"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY_FILE", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("DATABASE_URL_FILE", "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(tmp_path, missing, message):
    env = production_env(tmp_path, **{missing: None})
    result = run(env, MANAGE, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize("profile", ["production", "development"])
def test_an_invalid_trusted_proxy_stops_startup_with_a_clear_message(tmp_path, profile):
    env = production_env(
        tmp_path, QUOTETRAIL_ENV=profile, QUOTETRAIL_TRUSTED_PROXIES="10.0.0.1, proxy.internal"
    )
    result = run(env, MANAGE, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: QUOTETRAIL_TRUSTED_PROXIES: 'proxy.internal'" in result.stderr


def test_gunicorn_configuration_is_valid_python_with_threads():
    namespace: dict = {}
    path = settings.BASE_DIR / "config" / "gunicorn.conf.py"
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - our config
    assert namespace["worker_class"] == "gthread"
    assert namespace["workers"] >= 2 and namespace["threads"] >= 1


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_carries_a_strict_content_security_policy(viewer_client, seeded):
    for url in ("/articles/", f"/articles/{seeded.pk}/", "/board/", "/accounts/login/"):
        response = viewer_client.get(url)
        assert response.status_code == 200, url
        policy = csp_directives(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        header = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_pages_refuse_framing_and_cross_origin_openers(viewer_client):
    response = viewer_client.get("/articles/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_style_or_event_handler():
    """The CSP forbids them, so a template using one would break in the browser."""
    import re

    forbidden = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:|hx-on",
        re.IGNORECASE,
    )
    offenders, templates = [], list((settings.BASE_DIR / "templates").rglob("*.html"))
    assert len(templates) > 10
    for path in templates:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if forbidden.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line}")
    assert offenders == []


def test_htmx_is_configured_without_eval_or_injected_styles(viewer_client):
    content = viewer_client.get("/articles/").content.decode()
    assert '"allowEval": false' in content
    assert '"includeIndicatorStyles": false' in content
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


def test_production_static_files_are_hashed_and_compressed(tmp_path):
    root = tmp_path / "static"
    env = production_env(tmp_path, DJANGO_STATIC_ROOT=str(root))
    result = run(env, MANAGE, "collectstatic", "--noinput", "-v", "0")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/app.css"]
    assert hashed_css != "css/app.css" and hashed_css.startswith("css/app.")
    assert (root / hashed_css).exists() and (root / f"{hashed_css}.gz").exists()
    assert (root / f"{manifest['js/app.js']}.gz").exists()
