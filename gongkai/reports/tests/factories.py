"""Shared builders of the reports tests."""

from __future__ import annotations

from typing import Any

from gongkai.orgs.models import Organisation
from gongkai.orgs.tests.factories import make_org

UNIT_NAME = "测试街道综合行政执法队"


def reporting_unit(tree: Any) -> Organisation:
    """A unit under the street that publishes an annual report of its own (a 社区
    publishes none: ``reports.report_common.must_report``), made once per test."""
    found = Organisation.objects.filter(name=UNIT_NAME).first()
    return found or make_org(UNIT_NAME, tree.street, kind="department")
