"""A download whose file is missing from storage is a clean 404, on the page and in the API."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projectoffice.documents import actions as documents
from projectoffice.documents.models import Document
from projectoffice.registers import actions
from tests.conftest import Api, Office


def test_missing_files_give_not_found(office: Office) -> None:
    attachment = actions.add_attachment(actor=office.pm, item=office.issue,
                                        upload=SimpleUploadedFile("a.txt", b"evidence"))
    version = documents.upload_version(actor=office.pm,
                                       document=Document.objects.get(pk=office.document.pk),
                                       upload=SimpleUploadedFile("plan.txt", b"the plan"))
    attachment.file.storage.delete(attachment.file.name)
    version.file.storage.delete(version.file.name)

    api = Api(office.pm)
    api.client.raise_request_exception = False
    doc = office.document.reference
    for path in (f"/projects/MTX/issues/ISS-0001/attachments/{attachment.pk}/content",
                 f"/projects/MTX/documents/{doc}/versions/{version.number}/content"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert "missing" in response.json()["message"]

    page = Client(raise_request_exception=False)
    page.force_login(office.pm)
    for path in (f"/projects/MTX/issues/ISS-0001/attachments/{attachment.pk}/",
                 f"/projects/MTX/documents/{doc}/v{version.number}/"):
        response = page.get(path)
        assert response.status_code == 404, path
        assert b"missing" in response.content
