"""Fuzzing: hypothesis over the login form, the portal application and status forms;
schemathesis over every operation of the OpenAPI schema as a signed-in officer.
The property everywhere: bad input is refused politely, never a server error."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.accounts.forms import LoginForm
from gongkai.inforequests.models import InfoRequest
from gongkai.portal.tests.test_portal import read_captcha

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text, including control characters, NUL, RTL marks, emoji and CJK.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
)


@pytest.mark.django_db
@FUZZ
@given(username=TEXT, password=TEXT)
def test_the_login_form_never_crashes(tree, username, password):
    request = RequestFactory().post("/login/")
    form = LoginForm(request, data={"username": username, "password": password})
    assert form.is_valid() is False or form.get_user() is not None


@pytest.mark.django_db
@FUZZ
@given(username=TEXT, password=TEXT)
def test_the_login_page_never_answers_500(client, username, password):
    response = client.post(
        reverse("login"), {"username": username, "password": password}
    )
    assert response.status_code in (200, 302)


APPLICATION = st.fixed_dictionaries(
    {
        "applicant_type": st.one_of(
            st.sampled_from(["natural", "legal", "other", "commercial"]), TEXT
        ),
        "applicant_name": TEXT,
        "id_type": st.one_of(
            st.sampled_from(["resident_id", "passport", "credit_code"]), TEXT
        ),
        "id_number": st.one_of(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True), TEXT),
        "phone": TEXT,
        "email": st.one_of(st.emails(), TEXT),
        "address": TEXT,
        "postcode": TEXT,
        "legal_representative": TEXT,
        "contact_person": TEXT,
        "description": st.text(min_size=0, max_size=2500),
        "form": st.one_of(st.sampled_from(["electronic", "paper"]), TEXT),
        "delivery": st.one_of(st.sampled_from(["email", "post", "pickup"]), TEXT),
        "website": st.sampled_from(["", "", "", "http://spam"]),
    }
)


@pytest.mark.django_db
@FUZZ
@given(data=APPLICATION, right_answer=st.booleans())
def test_the_portal_application_never_answers_500_or_stores_a_half_case(
    client, tree, settings, data, right_answer
):
    settings.PORTAL_APPLICATIONS_PER_HOUR = 10_000
    url = reverse("portal:apply", args=[tree.street.pk])
    captcha = read_captcha(client.get(url).content.decode())
    if not right_answer:
        captcha["captcha"] = "x"
    before = InfoRequest.objects.count()
    response = client.post(url, {**data, **captcha})
    assert response.status_code in (200, 302)
    after = InfoRequest.objects.count()
    if response.status_code == 200:
        assert after == before  # refused: nothing stored
    elif "apply/done" in response.get("Location", ""):
        created = InfoRequest.objects.order_by("-id").first()
        assert after == before + 1 and created.tracking_number


@pytest.mark.django_db
@FUZZ
@given(number=TEXT, code=TEXT)
def test_the_status_lookup_never_answers_500(client, settings, number, code):
    settings.PORTAL_STATUS_LOOKUPS_PER_MINUTE = 10_000
    response = client.post(
        reverse("portal:status"), {"tracking_number": number, "query_code": code}
    )
    assert response.status_code in (200, 302, 404)


# --------------------------------------------------------------- schemathesis


def _schema() -> dict:
    import gongkai.api.urls  # noqa: F401  (registers every router)
    from gongkai.api.core import api

    return api.get_openapi_schema()


SCHEMA = schemathesis.openapi.from_dict(_schema())


@pytest.mark.django_db
@SCHEMA.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_operation_answers_500(case, client, tree):
    """Every operation, as a signed-in officer, with generated path, query and body."""
    client.force_login(tree.head)
    path = case.formatted_path
    if case.query:
        path += "?" + urlencode(case.query, doseq=True)
    kwargs: dict = {}
    body = case.body
    if body is not None and not isinstance(body, schemathesis.core.NotSet):
        media = case.media_type or "application/json"
        if isinstance(body, bytes | str):
            kwargs = {"data": body, "content_type": media}
        elif "json" in media or not isinstance(body, dict):
            # A generated body that is no form (a bool, a list): send it as JSON.
            kwargs = {
                "data": json.dumps(body, ensure_ascii=False, default=str),
                "content_type": "application/json",
            }
        else:  # multipart or form: let the test client encode it
            kwargs = {
                "data": {
                    k: (v if isinstance(v, str | bytes) else json.dumps(v, default=str))
                    for k, v in dict(body).items()
                }
            }
    method = case.method.lower()
    if (
        "data" in kwargs
        and isinstance(kwargs["data"], dict)
        and method in ("post", "put", "patch")
    ):
        response = getattr(client, method)(path, kwargs["data"])
    elif "data" in kwargs and isinstance(kwargs["data"], dict):
        # Any other method (schemathesis also tries unusual ones): no body encoding.
        response = client.generic(case.method.upper(), path)
    else:
        response = client.generic(case.method.upper(), path, **kwargs)
    assert response.status_code < 500, (
        case.method,
        path,
        kwargs,
        response.content[:500],
    )
