"""The service's side of the case register that needs no register data: the shared-token mode keeps
guarding ``/api/v1`` while ``/api/register`` authenticates its own users, a register that is not set
up is a Chinese 503, the cookie's ``Secure`` switch, and that every register route goes through the
one authentication (and so CSRF) dependency. The register's own HTTP tests, on both databases, are
tests/caseregister/test_web_register.py."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from service.app import create_app
from service.registerauth import current_principal
from service.routers import calendarfeed, casework, register
from service.settings import Settings
from tests.service.test_service_server import Server

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("token")
    env = {"ECOCLAIM_TOKEN": "geheim-123", "ECOCLAIM_DATA_DIR": str(tmp / "data"), "ECOCLAIM_CHECK_WORKERS": "1"}
    with Server(tmp, env) as srv:
        yield srv


def test_the_shared_token_still_guards_the_stateless_api(token_server: Server):
    assert httpx.get(token_server.url + "/api/v1/health").status_code == 401
    ok = httpx.get(token_server.url + "/api/v1/health", headers={"Authorization": "Bearer geheim-123"})
    assert ok.status_code == 200


def test_the_register_answers_for_itself_under_a_shared_token(token_server: Server):
    answer = httpx.get(token_server.url + "/api/register/me")
    assert answer.status_code == 401 and answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["title"] == "未登录" and "登录" in answer.json()["detail"]


def test_a_register_not_set_up_is_a_chinese_503(token_server: Server):
    answer = httpx.post(token_server.url + "/login", data={"username": "zhang", "password": "x"},
                        headers={"Accept": "application/json"})
    assert answer.status_code == 503 and answer.headers["content-type"].startswith(PROBLEM)
    assert "ecoclaim db init" in answer.json()["detail"]


def test_the_cookie_is_secure_unless_switched_off(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ECOCLAIM_COOKIE_SECURE", raising=False)
    assert Settings().cookie_secure is True
    monkeypatch.setenv("ECOCLAIM_COOKIE_SECURE", "0")
    assert Settings().cookie_secure is False


def _calls(dependant: Dependant) -> set[object]:
    """Every dependency a route depends on, directly or through another dependency."""
    found: set[object] = set()
    for sub in dependant.dependencies:
        found |= {sub.call} | _calls(sub)
    return found


def test_every_register_route_authenticates_through_one_dependency():
    """A route added to the register's routers without ``current_principal`` (directly or through the
    case lookup) would skip both the login and the CSRF check: refused here. Only the login form and the
    calendar subscription (its secret token is the credential) go without."""
    routes = [r for router in (register.router, casework.router, calendarfeed.router) for r in router.routes
              if isinstance(r, APIRoute)]
    unguarded = [r.path for r in routes if r.path not in ("/login", "/api/register/calendar/{token}.ics")
                 and current_principal not in _calls(r.dependant)]
    assert unguarded == []
    assert len(routes) > 20
    assert {"/logout", "/api/register/cases", "/api/register/cases/{case_id}"} <= {r.path for r in routes}
    assert "/api/register/cases/{case_id}" in create_app(Settings(token=None)).openapi()["paths"]


def test_the_register_page_uses_only_local_scripts():
    page = (Path(__file__).resolve().parents[2] / "service" / "static" / "register.html").read_text("utf-8")
    assert '<script src="/static/register.js" defer></script>' in page and "<script>" not in page
