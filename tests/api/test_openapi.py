import json

from openapi_spec_validator import validate

from projectoffice.api import api


def schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.json())


def test_openapi_lists_the_foundation_resources():
    paths = schema()["paths"]
    joined = "\n".join(paths)
    for fragment in ("/portfolios", "/programmes", "/projects", "/projects/{code}/members",
                     "/projects/{code}/issues", "/projects/{code}/actions",
                     "/comments", "/attachments", "/audit", "/transitions"):
        assert fragment in joined, fragment


def test_every_operation_declares_its_permission():
    for path, methods in schema()["paths"].items():
        for method, operation in methods.items():
            assert operation.get("x-permission"), f"{method.upper()} {path}"


def test_docs_page_is_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
