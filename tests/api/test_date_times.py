"""Date-times in the plan and levelling answers carry their offset, as the OpenAPI document's
`date-time` promises (RFC 3339)."""

from __future__ import annotations

import re

from tests.conftest import Api, Office
from tests.planning.helpers import make_plan

MOMENT = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?)([^"]*)"')


def test_plan_and_levelling_date_times_have_offsets(office: Office) -> None:
    make_plan(office)
    api = Api(office.pm)
    seen = 0
    for path in ("/projects/MTX/plan", "/projects/MTX/plan/levelling",
                 "/projects/MTX/plan/variance", "/projects/MTX/plan/milestone-trend",
                 "/master-schedule"):
        response = api.get(path)
        assert response.status_code == 200, path
        for moment, rest in MOMENT.findall(response.content.decode()):
            seen += 1
            assert re.fullmatch(r"Z|[+-]\d\d:\d\d", rest), f"{path}: {moment}{rest}"
    assert seen > 10
