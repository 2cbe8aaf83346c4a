"""Every page carries a Content-Security-Policy that allows scripts from the office only, no
template needs inline script, and the API docs load Swagger UI from the office itself."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from tests.conftest import Office

TEMPLATES = Path(__file__).resolve().parents[2] / "projectoffice"


def test_pages_and_answers_carry_the_policy(office: Office) -> None:
    client = Client()
    for path in ("/login/", "/api/v1/openapi.json"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    client.force_login(office.pm)
    for path in ("/", "/projects/MTX/", "/api/v1/docs"):
        assert "script-src 'self'" in client.get(path)["Content-Security-Policy"], path


def test_api_docs_use_the_offices_own_swagger_ui(office: Office) -> None:
    client = Client()
    client.force_login(office.pm)
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if "//" in s], sources
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    bundle = next(s for s in sources if s.endswith("swagger-ui-bundle.js"))
    served = client.get(bundle)
    assert served.status_code == 200


def test_no_template_runs_inline_script() -> None:
    inline = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|"
                                 r"\son[a-z]+=\"|javascript:", text):
            inline.append(f"{template.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not inline, "\n".join(inline)
