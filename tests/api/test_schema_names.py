"""Each schema name in the OpenAPI document stands for one schema. Two different schemas with
the same class name would share one entry, and the document would show one of them for both
operations."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from projectoffice.api import api


def _nested(model: type[BaseModel]) -> dict[str, Any]:
    """Every named schema a model's JSON schema defines, by name."""
    doc = model.model_json_schema(ref_template="#/components/schemas/{model}")
    found = dict(doc.pop("$defs", {}))
    return found


def schemas_by_name() -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                models = [*op.models, *op.response_models.values()]
                for model in models:
                    if not isinstance(model, type) or not issubclass(model, BaseModel):
                        continue
                    for name, schema in _nested(model).items():
                        seen[name].add(json.dumps(schema, sort_keys=True))
                    for field in model.model_fields.values():
                        kind = field.annotation
                        if isinstance(kind, type) and issubclass(kind, BaseModel):
                            seen[kind.__name__].add(json.dumps(
                                {k: v for k, v in kind.model_json_schema(
                                    ref_template="#/components/schemas/{model}").items()
                                 if k != "$defs"}, sort_keys=True))
    return seen


def test_no_schema_name_is_shared_by_two_schemas() -> None:
    shared = sorted(name for name, bodies in schemas_by_name().items() if len(bodies) > 1)
    assert not shared, f"schema names used for different schemas: {shared}"
