from __future__ import annotations

from collections import Counter

import pytest

from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication
from gongkai.search.services import search_documents
from gongkai.synth.bulk_tables import annual_tables_all
from gongkai.synth.load import SynthSize, synth_load

SIZE = SynthSize(orgs=40, applications=1500, publications=300, seed=7)


def _signature(root: Organisation) -> list[tuple[object, ...]]:
    orgs = Organisation.objects.filter(path__startswith=root.path).order_by("pk")
    requests = InfoRequest.objects.filter(organisation__path__startswith=root.path)
    pubs = Publication.objects.filter(organisation__path__startswith=root.path)
    return [
        *orgs.values_list("name", "kind", "depth"),
        *requests.order_by("pk").values_list(
            "applicant_name", "applicant_type", "received_on", "outcome", "status"
        ),
        *pubs.order_by("pk").values_list("title", "published_at"),
    ]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_province_twice() -> None:
    first = synth_load(SIZE)
    second = synth_load(SIZE)
    root1 = Organisation.objects.get(pk=first.root_id)
    root2 = Organisation.objects.get(pk=second.root_id)
    assert root1.pk != root2.pk
    assert _signature(root1) == _signature(root2)


@pytest.mark.django_db
def test_the_tree_has_exactly_the_requested_size_and_valid_paths() -> None:
    result = synth_load(SIZE)
    orgs = list(Organisation.objects.order_by("pk"))
    assert len(orgs) == SIZE.orgs
    by_pk = {o.pk: o for o in orgs}
    for org in orgs:
        parent = by_pk.get(org.parent_id) if org.parent_id else None
        expected = (parent.path if parent else "") + f"{org.pk:08x}."
        assert org.path == expected
        assert org.depth == (parent.depth + 1 if parent else 0)
    assert by_pk[result.root_id].kind == "province"


@pytest.mark.django_db
def test_applications_have_a_realistic_mix_and_consistent_dates() -> None:
    synth_load(SIZE)
    rows = list(InfoRequest.objects.all())
    types = Counter(r.applicant_type for r in rows)
    assert types["natural"] / len(rows) > 0.8
    concluded = [r for r in rows if r.concluded_on]
    granted = sum(r.outcome == "granted" for r in concluded) / len(concluded)
    assert 0.3 < granted < 0.5
    assert all(r.concluded_on >= r.received_on for r in concluded)
    assert all(r.outcome for r in concluded)
    assert any(
        r.received_on.year < r.concluded_on.year for r in concluded
    )  # carry-overs


@pytest.mark.django_db
def test_publications_are_searchable_and_grouped_tables_match_the_selectors() -> None:
    from gongkai.appeals.selectors import table4_for
    from gongkai.inforequests.selectors import table3_for
    from gongkai.publishing.selectors import table2_for

    synth_load(SIZE)
    assert search_documents("通知").hits
    grouped = annual_tables_all(2024)
    for org in Organisation.objects.all()[:15]:
        cells: dict[str, object] = {}
        cells.update(table2_for(org, 2024))
        cells.update(table3_for(org, 2024))
        cells.update(table4_for(org, 2024))
        assert grouped[org.pk] == cells


@pytest.mark.django_db(transaction=True)
def test_a_load_outside_a_transaction_leaves_the_search_index_as_migrated() -> None:
    """The bulk load drops the PostgreSQL GIN index and builds it once after; the
    index must come back exactly as the migrations define it (no pending list), and
    the session's relaxed commit setting must not outlive the load."""
    from django.db import connection

    synth_load(SynthSize(orgs=10, applications=0, publications=60, seed=3))
    assert search_documents("通知").hits
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reloptions, i.indexdef FROM pg_class c"
            " JOIN pg_indexes i ON i.indexname = c.relname"
            " WHERE c.relname = 'search_doc_tsv'"
        )
        options, definition = cursor.fetchone()
        cursor.execute("SHOW synchronous_commit")
        commit_setting = cursor.fetchone()[0]
    assert options == ["fastupdate=off"]
    assert "USING gin (tsv)" in definition
    assert commit_setting == "on"
