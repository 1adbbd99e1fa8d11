"""The admin site goes through the permission helper like every other screen:
querysets are scoped, and each change is checked against the object's organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from gongkai.accounts.admin import manageable_users, users_within
from gongkai.formbase import ModelForm
from gongkai.orgs.models import ApiToken, Membership, Organisation
from gongkai.orgs.permissions import Perm, can, organisations_for, scope
from gongkai.orgs.services import (
    ADMIN_ROLES,
    ORG_FIELDS,
    api_token_create,
    api_token_revoke,
    check_can_stop_being_a_body,
    check_membership_grant,
    grant_perm,
    membership_grant,
    membership_revoke,
    organisation_close,
    organisation_create,
    organisation_move,
    organisation_reopen,
    organisation_update,
)
from gongkai.orgs.tree_import import (
    ImportFileError,
    check_rows,
    import_rows,
    read_rows,
    rows_from_dicts,
)
from gongkai.security.uploads import validate_upload

IMPORT_SESSION_KEY = "gongkai_org_import"


def link_or_text(request: HttpRequest, site: Any, target: Any) -> str:
    """``target`` linked to its admin page if the viewer can open it there, else
    plain text (never a link that answers 403 or 404)."""
    target_admin = site._registry.get(type(target))
    if (
        target_admin is not None
        and target_admin.has_view_or_change_permission(request, target)
        and target_admin.get_queryset(request).filter(pk=target.pk).exists()
    ):
        meta = target._meta
        url = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change",
            args=[target.pk],
            current_app=site.name,
        )
        return format_html('<a href="{}">{}</a>', url, target)
    return str(target)


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are limited to the user's organisations.

    ``org_via`` names the path to the row's organisation; ``view_perm`` and
    ``change_perm`` are the permissions needed to see and to change a row.
    """

    org_via = "organisation"
    view_perm = Perm.VIEW
    change_perm: Perm | None = None  # None: read-only in the admin (workflow rows)

    def _org_of(self, obj: Any) -> Organisation:
        if self.org_via == "self":
            return obj
        target = obj
        for part in self.org_via.split("__"):
            target = getattr(target, part)
        return target

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope(
            super().get_queryset(request),
            request.user,
            self.view_perm,
            via=self.org_via,
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, self.view_perm).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return can(request.user, self.view_perm, self._org_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.change_perm is None:
            return False
        if obj is None:
            return organisations_for(request.user, self.change_perm).exists()
        return can(request.user, self.change_perm, self._org_of(obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def related(self, request: HttpRequest, name: str) -> Any:
        """A read-only field showing the object ``name`` refers to through
        :func:`link_or_text` (Django would link it whether or not the viewer may open
        it). The same callable for the whole request, as ``fields`` and
        ``readonly_fields`` must name the same one."""
        cache: dict[str, Any] = request.__dict__.setdefault("_gongkai_related", {})
        if name not in cache:

            def show(obj: Any) -> str:
                target = getattr(obj, name)
                if target is None:
                    return "—"
                return link_or_text(request, self.admin_site, target)

            show.short_description = self.model._meta.get_field(name).verbose_name  # type: ignore[attr-defined]
            cache[name] = show
        return cache[name]


class OrganisationForm(ModelForm):
    """Refuses on the page (not with a 500 on saving) what the service would refuse."""

    class Meta:
        model = Organisation
        fields = (
            "parent",
            "name",
            "short_name",
            "kind",
            "is_disclosure_body",
            "catalogue_template",
            "credit_code",
            "division_code",
            "office_name",
            "office_address",
            "office_hours",
            "office_phone",
            "office_email",
            "office_postcode",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        original = self.instance
        parent = data.get("parent")
        if (
            original.pk is not None
            and parent is not None
            and parent.path.startswith(original.path)
        ):
            raise ValidationError(
                {"parent": f"不能把“{original.label}”移到它自己或它的下级机构之下。"}
            )
        if (
            original.pk is not None
            and data.get("is_active") is False
            and original.is_active
        ):
            if original.depth == 0:
                raise ValidationError({"is_active": "最上级机构不能停用。"})
            if Organisation.objects.filter(parent=original, is_active=True).exists():
                raise ValidationError(
                    {"is_active": "该机构还有启用中的下级机构，请先停用或移走它们。"}
                )
        if (
            original.pk is not None
            and data.get("is_disclosure_body") is False
            and Organisation.objects.filter(
                pk=original.pk, is_disclosure_body=True
            ).exists()
        ):
            check_can_stop_being_a_body(original)
        return data


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    """The organisation tree for a 系统管理员, within their reach: create a body under
    one they manage, edit, move it (上级机构), close (停用) and reopen it, and import
    a whole tree from XLSX/CSV (导入机构) with a preview. Every write goes through
    ``orgs/services.py`` (permission check + audit row)."""

    form = OrganisationForm
    org_via = "self"
    view_perm = Perm.MANAGE_ORGS
    change_perm = Perm.MANAGE_ORGS
    list_display = (
        "tree_label",
        "kind",
        "is_disclosure_body",
        "credit_code",
        "division_code",
        "is_active",
    )
    list_filter = ("kind", "is_disclosure_body", "is_active")
    search_fields = ("name", "short_name", "credit_code")
    # path and depth are the tree's own bookkeeping, kept by the services: not shown.
    readonly_fields = ()
    actions = ["close_selected", "reopen_selected"]
    change_list_template = "admin/orgs/organisation/change_list.html"

    @admin.display(description="机构", ordering="path")
    def tree_label(self, obj: Organisation) -> str:
        return obj.tree_label

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Closed bodies stay listed (to reopen them), reached through their parent.
        return scope(
            Organisation.objects.all(), request.user, Perm.MANAGE_ORGS, via="self"
        ).order_by("path")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, Perm.MANAGE_ORGS).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.depth == 0:
            return (*self.readonly_fields, "parent")  # the top body has no parent
        return self.readonly_fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "parent" in form.base_fields:
            field: Any = form.base_fields["parent"]
            field.queryset = organisations_for(request.user, Perm.MANAGE_ORGS).order_by(
                "path"
            )
            field.required = obj is None  # on a change, empty = where it is
            field.label_from_instance = lambda o: o.tree_label
        return form

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            fields = {name: data[name] for name in ORG_FIELDS if name in data}
            created = organisation_create(
                actor=request.user, parent=data["parent"], **fields
            )
            obj.pk = created.pk
            return
        original = Organisation.objects.get(pk=obj.pk)
        fields = {name: data[name] for name in ORG_FIELDS if name in form.changed_data}
        if fields:
            original = organisation_update(
                actor=request.user, organisation=original, **fields
            )
        if "parent" in form.changed_data and data.get("parent") is not None:
            original = organisation_move(
                actor=request.user, organisation=original, new_parent=data["parent"]
            )
        if "is_active" in form.changed_data and not data["is_active"]:
            organisation_close(actor=request.user, organisation=original)

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Organisation],
        step: Any,
        done: str,
    ) -> None:
        count = 0
        for org in queryset.order_by("-depth"):
            try:
                step(actor=request.user, organisation=org)
                count += 1
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
        if count:
            self.message_user(request, f"已{done} {count} 个机构。")

    @admin.action(description="停用所选机构")
    def close_selected(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> None:
        self._each(request, queryset.filter(is_active=True), organisation_close, "停用")

    @admin.action(description="重新启用所选机构")
    def reopen_selected(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> None:
        self._each(
            request, queryset.filter(is_active=False), organisation_reopen, "重新启用"
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="orgs_organisation_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → preview (each row with its errors) → import all or nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied("您没有管理机构的权限。")
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "导入机构树",
            "opts": self.model._meta,
        }
        if request.method == "POST" and request.POST.get("confirm"):
            stored = request.session.get(IMPORT_SESSION_KEY) or []
            try:
                created = import_rows(request.user, rows_from_dicts(stored))
            except ValidationError as exc:
                context["error"] = "；".join(exc.messages)
                context["rows"] = check_rows(request.user, rows_from_dicts(stored))
                return TemplateResponse(
                    request, "admin/orgs/organisation/import.html", context
                )
            request.session.pop(IMPORT_SESSION_KEY, None)
            self.message_user(request, f"已导入 {len(created)} 个机构。")
            return redirect("admin:orgs_organisation_changelist")
        if request.method == "POST":
            upload = request.FILES.get("file")
            try:
                if upload is None:
                    raise ImportFileError("请选择要导入的 Excel（.xlsx）或 CSV 文件。")
                validate_upload(upload, kinds={"xlsx", "csv"})
                rows = check_rows(request.user, read_rows(upload, upload.name or ""))
            except (ImportFileError, ValidationError) as exc:
                context["error"] = (
                    "；".join(exc.messages)
                    if isinstance(exc, ValidationError)
                    else str(exc)
                )
                return TemplateResponse(
                    request, "admin/orgs/organisation/import.html", context
                )
            request.session[IMPORT_SESSION_KEY] = [row.as_dict() for row in rows]
            context["rows"] = rows
            context["bad"] = sum(1 for row in rows if row.errors)
        return TemplateResponse(request, "admin/orgs/organisation/import.html", context)


class MembershipForm(ModelForm):
    """Refuses on the page what ``check_membership_grant`` refuses (三员分立 included),
    so the form comes back with the message and nothing typed is lost."""

    actor: Any = None  # set per request by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ("user", "organisation", "role")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and all(
            data.get(name) for name in ("user", "organisation", "role")
        ):
            try:
                check_membership_grant(
                    actor=self.actor,
                    user=data["user"],
                    organisation=data["organisation"],
                    role=data["role"],
                )
            except PermissionDenied as exc:
                raise ValidationError({"organisation": str(exc)}) from exc
        return data


def _grantees(user: Any, perm: Perm) -> QuerySet[Any]:
    """The accounts ``user`` may grant roles needing ``perm`` to: a 系统管理员 those
    they manage (``manageable_users``: never the 安全管理员's or 审计管理员's), a
    安全管理员 those within their reach (administrator roles only)."""
    if perm is Perm.MANAGE_ORGS:
        return manageable_users(user)
    return users_within(user, perm)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """岗位授权: a 系统管理员 grants and revokes the business roles on the bodies they
    manage; a 安全管理员 the administrator roles (系统管理员, 安全管理员, 审计管理员)
    within their reach, and sees only those. Who may grant what, and that an
    administrator holds no other role, is ``orgs/services.py: check_membership_grant``
    (三员分立)."""

    form = MembershipForm
    view_perm = Perm.MANAGE_ORGS
    actions = ["revoke_selected"]
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "organisation__name")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("user", "organisation", "role")
        return (
            self.related(request, "user"),
            self.related(request, "organisation"),
            "role",
            "created_at",
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = Membership.objects.select_related("user", "organisation")
        managed = scope(rows, request.user, Perm.MANAGE_ORGS)
        secured = scope(rows, request.user, Perm.MANAGE_SECURITY).filter(
            role__in=ADMIN_ROLES
        )
        return managed | secured

    def _grants_somewhere(self, request: HttpRequest) -> bool:
        return any(
            organisations_for(request.user, perm).exists()
            for perm in (Perm.MANAGE_ORGS, Perm.MANAGE_SECURITY)
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._grants_somewhere(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self._grants_somewhere(request)
        return can(request.user, Perm.MANAGE_ORGS, obj.organisation) or (
            obj.role in ADMIN_ROLES
            and can(request.user, Perm.MANAGE_SECURITY, obj.organisation)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._grants_somewhere(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        perm = grant_perm(obj.role)
        return can(request.user, perm, obj.organisation) and (
            _grantees(request.user, perm).filter(pk=obj.user_id).exists()
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        fields: dict[str, Any] = form.base_fields
        perms = (Perm.MANAGE_ORGS, Perm.MANAGE_SECURITY)
        if "organisation" in fields:
            places = organisations_for(request.user, perms[0])
            places = places | organisations_for(request.user, perms[1])
            fields["organisation"].queryset = places.distinct().order_by("path")
            fields["organisation"].label_from_instance = lambda o: o.tree_label
        if "user" in fields:
            people = _grantees(request.user, perms[0]) | _grantees(
                request.user, perms[1]
            )
            fields["user"].queryset = people.distinct().order_by("username")
        return form

    def save_model(
        self, request: HttpRequest, obj: Membership, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        created = membership_grant(
            actor=request.user,
            user=data["user"],
            organisation=data["organisation"],
            role=data["role"],
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(actor=request.user, membership=obj)

    def get_actions(self, request: HttpRequest) -> Any:
        # Django's 删除所选 answers "no permission" as soon as one selected row is
        # not the user's to revoke (an administrator's, their own): offered instead
        # is 撤销所选, which revokes what the user may and names what it skipped.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="撤销所选岗位授权", permissions=["delete"])
    def revoke_selected(
        self, request: HttpRequest, queryset: QuerySet[Membership]
    ) -> None:
        done, skipped = 0, []
        for membership in queryset.select_related("user", "organisation"):
            if not self.has_delete_permission(request, membership):
                skipped.append(str(membership))
                continue
            membership_revoke(actor=request.user, membership=membership)
            done += 1
        if done:
            self.message_user(request, f"已撤销 {done} 项岗位授权。")
        if skipped:
            self.message_user(
                request,
                f"以下 {len(skipped)} 项不由您撤销，未作改动："
                + "；".join(skipped)
                + "（三员分立：管理员角色只能由安全管理员撤销；本人的角色、"
                "在您管理范围外的人员的角色，也不由您撤销）。",
                messages.WARNING,
            )


class ApiTokenForm(ModelForm):
    scopes = forms.MultipleChoiceField(
        label="权限范围",
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiToken
        fields = ("organisation", "name", "scopes", "expires_at")


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """接口令牌: a 系统管理员 makes a token for a body they manage (shown once, only
    its SHA-256 is kept), sees when each was last used and revokes it. Every step
    goes through ``orgs/services.py`` (permission check + audit row)."""

    form = ApiTokenForm
    view_perm = Perm.MANAGE_ORGS
    change_perm = Perm.MANAGE_ORGS
    list_display = (
        "name",
        "organisation",
        "prefix",
        "scope_labels",
        "state",
        "expires_at",
        "last_used_at",
    )
    list_filter = ("revoked_at",)
    actions = ["revoke_selected"]

    @admin.display(description="权限范围")
    def scope_labels(self, obj: ApiToken) -> str:
        return obj.scope_labels

    @admin.display(description="状态")
    def state(self, obj: ApiToken) -> str:
        if obj.revoked_at:
            return "已吊销"
        if obj.expires_at and obj.expires_at <= timezone.now():
            return "已过期"
        return "有效"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, Perm.MANAGE_ORGS).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return (
            self.related(request, "organisation"),
            "name",
            "prefix",
            "scope_labels",
            "state",
            self.related(request, "created_by"),
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
        )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("organisation", "name", "scopes", "expires_at")
        return self.get_readonly_fields(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "organisation" in form.base_fields:
            field: Any = form.base_fields["organisation"]
            field.queryset = organisations_for(request.user, Perm.MANAGE_ORGS).order_by(
                "path"
            )
            field.label_from_instance = lambda o: o.tree_label
        return form

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: Any, change: bool
    ) -> None:
        if change:
            return  # a token is never edited: revoke it and make another
        data = form.cleaned_data
        token, raw = api_token_create(
            actor=request.user,
            organisation=data["organisation"],
            name=data["name"],
            scopes=list(data["scopes"]),
            expires_at=data.get("expires_at"),
        )
        obj.pk = token.pk
        request._gongkai_new_token = raw  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        raw = getattr(request, "_gongkai_new_token", "")
        token = ApiToken.objects.get(pk=obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "接口令牌已生成",
            "opts": self.model._meta,
            "token": token,
            "raw": raw,
        }
        response = TemplateResponse(
            request, "admin/orgs/apitoken/created.html", context
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="吊销所选令牌")
    def revoke_selected(
        self, request: HttpRequest, queryset: QuerySet[ApiToken]
    ) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                api_token_revoke(actor=request.user, token=token)
                count += 1
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, f"已吊销 {count} 个令牌，使用它们的请求将被拒绝。")
