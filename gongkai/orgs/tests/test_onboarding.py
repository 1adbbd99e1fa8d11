"""Issue 23 §1: from an empty platform to a working tree — bootstrap_org, the
first-run screen, and the 系统管理员's tree and role management (import with a
preview and per-row errors, create, move, close, grant, revoke), all audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from gongkai.accounts.models import User
from gongkai.accounts.passwords import password_expired
from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.tests.factories import credit_code, make_org, make_user
from gongkai.orgs.views import setup_code_path

pytestmark = pytest.mark.django_db


def test_bootstrap_org_creates_the_top_body_and_three_separate_administrators() -> None:
    out = io.StringIO()
    call_command(
        "bootstrap_org",
        "--name",
        "洛阳市人民政府",
        "--kind",
        "市级人民政府",
        "--sysadmin",
        "admin",
        "--secadmin",
        "secadmin",
        "--auditor",
        "auditor",
        stdout=out,
    )
    top = Organisation.objects.get()
    assert (top.name, top.kind, top.depth, top.parent) == (
        "洛阳市人民政府",
        "city",
        0,
        None,
    )
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"admin": "sysadmin", "secadmin": "secadmin", "auditor": "auditor"}
    text = out.getvalue()
    for user in User.objects.all():
        # The printed temporary password works once and must be changed at sign-in.
        password = next(
            line.split("\t")[2]
            for line in text.splitlines()
            if f"\t{user.username}\t" in line
        )
        assert user.check_password(password)
        assert password_expired(user)
    assert AuditEvent.objects.filter(action="org.bootstrap").count() == 1
    # Once a body exists, the command refuses (the back office takes over).
    with pytest.raises(CommandError, match="平台上已有机构"):
        call_command(
            "bootstrap_org", "--name", "另一个", "--kind", "city", "--sysadmin", "x"
        )


def test_bootstrap_org_refuses_one_account_for_two_administrator_roles() -> None:
    with pytest.raises(CommandError, match="三权分立"):
        call_command(
            "bootstrap_org",
            "--name",
            "某区人民政府",
            "--kind",
            "district",
            "--sysadmin",
            "same",
            "--auditor",
            "same",
        )
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_the_first_run_screen_needs_the_setup_code_and_then_disappears(
    client, settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    assert client.get("/")["Location"] == "/setup/"
    page = client.get("/setup/")
    assert page.status_code == 200 and "首次设置" in page.content.decode()
    code = setup_code_path().read_text(encoding="utf-8").strip()
    assert setup_code_path().stat().st_mode & 0o777 == 0o600
    form = {
        "setup_code": "wrong",
        "name": "某某区人民政府",
        "kind": "district",
        "username": "first_admin",
        "full_name": "张三",
        "password1": "Strong-pass-2026!",
        "password2": "Strong-pass-2026!",
    }
    wrong = client.post("/setup/", form)
    assert wrong.status_code == 200
    assert "设置码不正确" in wrong.content.decode()
    assert "某某区人民政府" in wrong.content.decode()  # the typed form is kept
    assert not Organisation.objects.exists()
    weak = client.post(
        "/setup/", form | {"setup_code": code, "password1": "123", "password2": "123"}
    )
    assert "密码太短" in weak.content.decode() and not Organisation.objects.exists()
    done = client.post(
        "/setup/", form | {"setup_code": code, "catalogue_template": "township"}
    )
    assert done.status_code == 302
    assert Organisation.objects.get().catalogue_template == "township"  # issue 21
    admin = User.objects.get(username="first_admin")
    assert Membership.objects.get(user=admin).role == "sysadmin"
    assert not setup_code_path().exists()
    assert client.get("/setup/").status_code == 404


def test_bootstrap_org_takes_the_catalogue_template_and_refuses_an_unknown_one() -> (
    None
):
    with pytest.raises(CommandError, match="没有名为“mars”的目录模板"):
        call_command(
            "bootstrap_org",
            "--name",
            "某某镇人民政府",
            "--kind",
            "township",
            "--sysadmin",
            "admin",
            "--catalogue-template",
            "mars",
            stdout=io.StringIO(),
        )
    assert not Organisation.objects.exists()
    call_command(
        "bootstrap_org",
        "--name",
        "某某县民政局",
        "--kind",
        "department",
        "--sysadmin",
        "admin",
        "--catalogue-template",
        "county_department",
        stdout=io.StringIO(),
    )
    assert Organisation.objects.get().catalogue_template_key == "county_department"


CSV_HEADER = "机构全称,简称,机构类型,上级机构,统一社会信用代码,政府信息公开主体\n"


def _upload(client, text: str, name: str = "tree.csv"):
    return client.post(
        "/admin/orgs/organisation/import/",
        {
            "file": SimpleUploadedFile(
                name, text.encode("utf-8"), content_type="text/csv"
            )
        },
    )


def test_importing_a_tree_previews_every_row_error_in_chinese_and_imports_nothing(
    client, tree
) -> None:
    client.force_login(tree.sysadmin)
    before = Organisation.objects.count()
    taken = tree.street.credit_code
    text = CSV_HEADER + (
        f"东城街道办事处,东城街道,街道办事处,测试区人民政府,{credit_code()},是\n"
        "幸福社区居民委员会,,社区（居委会）,东城街道办事处,,\n"
        "西城街道办事处,,街道办事处,远方市人民政府,,\n"  # not within reach / unknown
        f"南城街道办事处,,街道办事处,测试区人民政府,{taken},\n"  # code taken
        "北城街道办事处,,城堡,测试区人民政府,,\n"  # kind unknown
        "和平社区居民委员会,,社区（居委会）,中山街道办事处,,\n"  # parent below
        "中山街道办事处,,街道办事处,测试区人民政府,,也许\n"
    )
    page = _upload(client, text)
    assert page.status_code == 200
    html = page.content.decode()
    assert "远方市人民政府”不存在，或不在您的管理范围内" in html
    assert f"统一社会信用代码 {taken} 已被平台上的其他机构使用" in html
    assert "机构类型“城堡”无效" in html
    assert "上级机构“中山街道办事处”在第 8 行，须列在本行之前" in html
    assert "应填“是”或“否”" in html
    assert "确认导入" not in html
    # Even a forced confirm imports nothing while rows are wrong.
    client.post("/admin/orgs/organisation/import/", {"confirm": "1"})
    assert Organisation.objects.count() == before


def test_importing_a_tree_from_xlsx_creates_it_under_the_admins_reach_audited(
    client, tree
) -> None:
    client.force_login(tree.sysadmin)
    book = Workbook()
    sheet = book.active
    sheet.append(["机构全称", "机构类型", "上级机构", "统一社会信用代码"])
    sheet.append(
        ["东城街道办事处", "街道办事处", tree.district.credit_code, credit_code()]
    )
    sheet.append(["幸福社区居民委员会", "社区（居委会）", "东城街道办事处", None])
    sheet.append(["和平社区居民委员会", "社区（居委会）", "东城街道办事处", None])
    data = io.BytesIO()
    book.save(data)
    page = client.post(
        "/admin/orgs/organisation/import/",
        {"file": SimpleUploadedFile("tree.xlsx", data.getvalue())},
    )
    html = page.content.decode()
    assert "确认导入这 3 个机构" in html and "可以导入" in html
    done = client.post("/admin/orgs/organisation/import/", {"confirm": "1"})
    assert done.status_code == 302
    street = Organisation.objects.get(name="东城街道办事处")
    assert street.parent == tree.district and street.depth == 1
    communities = Organisation.objects.filter(parent=street)
    assert {c.name for c in communities} == {"幸福社区居民委员会", "和平社区居民委员会"}
    assert all(
        not c.is_disclosure_body and c.path.startswith(street.path) for c in communities
    )
    created = AuditEvent.objects.filter(action="org.create", user=tree.sysadmin)
    assert created.count() == 3


def test_a_street_admin_cannot_import_under_the_district(client, tree) -> None:
    street_admin = make_user("t_street_admin", tree.street, "sysadmin", is_staff=True)
    client.force_login(street_admin)
    page = _upload(client, CSV_HEADER + "东城街道办事处,,街道办事处,测试区人民政府,,\n")
    assert "不在您的管理范围内" in page.content.decode()


def test_create_move_and_close_a_body_in_the_back_office(client, tree) -> None:
    client.force_login(tree.sysadmin)
    added = client.post(
        "/admin/orgs/organisation/add/",
        {
            "parent": tree.street.pk,
            "name": "丙社区居民委员会",
            "kind": "community",
            "credit_code": "",
            "is_active": "on",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    body = Organisation.objects.get(name="丙社区居民委员会")
    assert body.parent == tree.street and body.path.startswith(tree.street.path)
    # Move it under the sibling street.
    change = f"/admin/orgs/organisation/{body.pk}/change/"
    form = {
        "parent": tree.sibling_street.pk,
        "name": body.name,
        "kind": "community",
        "credit_code": "",
        "is_active": "on",
    }
    assert client.post(change, form).status_code == 302
    body.refresh_from_db()
    assert body.parent == tree.sibling_street and body.path.startswith(
        tree.sibling_street.path
    )
    assert AuditEvent.objects.filter(action="org.move", user=tree.sysadmin).exists()
    # A street with active communities cannot be closed; the reason is shown.
    page = client.post(
        "/admin/orgs/organisation/",
        {"action": "close_selected", "_selected_action": [tree.street.pk]},
        follow=True,
    )
    assert "还有启用中的下级机构" in page.content.decode()
    tree.street.refresh_from_db()
    assert tree.street.is_active
    client.post(
        "/admin/orgs/organisation/",
        {"action": "close_selected", "_selected_action": [body.pk]},
    )
    body.refresh_from_db()
    assert not body.is_active
    assert AuditEvent.objects.filter(action="org.close", user=tree.sysadmin).exists()
    client.post(
        "/admin/orgs/organisation/",
        {"action": "reopen_selected", "_selected_action": [body.pk]},
    )
    body.refresh_from_db()
    assert body.is_active


def test_grant_and_revoke_roles_within_reach_only(client, tree) -> None:
    client.force_login(tree.sysadmin)
    newcomer = make_user("t_newcomer")
    granted = client.post(
        "/admin/orgs/membership/add/",
        {"user": newcomer.pk, "organisation": tree.street.pk, "role": "officer"},
    )
    assert granted.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert AuditEvent.objects.filter(
        action="membership.grant", user=tree.sysadmin
    ).exists()
    # Outside the reach: another district is not offered.
    other = make_org("另一区人民政府", kind="district")
    refused = client.post(
        "/admin/orgs/membership/add/",
        {"user": newcomer.pk, "organisation": other.pk, "role": "officer"},
    )
    assert refused.status_code == 200
    assert not Membership.objects.filter(organisation=other).exists()
    # 三权分立: the 审计管理员's role is not the 系统管理员's to revoke.
    auditor_membership = Membership.objects.get(user=tree.auditor)
    client.post(
        f"/admin/orgs/membership/{auditor_membership.pk}/delete/", {"post": "yes"}
    )
    assert Membership.objects.filter(pk=auditor_membership.pk).exists()
    revoked = client.post(
        f"/admin/orgs/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert revoked.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(
        action="membership.revoke", user=tree.sysadmin
    ).exists()
