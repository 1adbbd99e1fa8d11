"""Demo: a publication history of 2021–2026 that fills every item of every
catalogue (the 街道's and its 8 社区's), so the portal's columns, the lists and
the 更新周期 checks look like those of a body that has published for years.

Each item goes through the ordinary workflow (create → submit → approve with the
保密审查 → publish); its 发布日期 is then set to a few days after its 成文日期,
as it was when the body published it — the demo has no clock travel, and an item
of 2022 published today would read as 逾期公开. Idempotent: only items that
have no publication yet are filled, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.publishing import services
from gongkai.publishing.models import CatalogueItem, Publication

FIRST_YEAR, LAST_YEAR = 2021, 2026

TITLES = {
    "机构职能及内设机构": "{org}机构职能及内设机构（{year}年更新）",
    "领导信息": "{org}领导班子成员及工作分工（{year}年）",
    "办事指南": "{org}便民服务事项办事指南（{year}年版）",
    "低保审核确认及名单公示": "{org}{year}年最低生活保障审核确认结果公示",
    "特困人员认定及名单公示": "{org}{year}年特困人员认定结果公示",
    "临时救助政策及结果": "{org}{year}年临时救助审批结果公示",
    "残疾人两项补贴": "{org}{year}年残疾人两项补贴发放情况",
    "高龄津贴发放": "{org}{year}年高龄津贴发放情况",
    "居家和社区养老服务": "{org}{year}年居家和社区养老服务项目安排",
    "养老服务补贴": "{org}{year}年养老服务补贴发放情况",
    "就业创业政策及岗位信息": "{org}{year}年就业创业政策及岗位信息",
    "城乡居民基本养老保险": "{org}{year}年度城乡居民基本养老保险参保缴费通知",
    "城乡居民基本医疗保险": "{org}{year}年度城乡居民基本医疗保险参保缴费通知",
    "行政许可办理结果": "{org}{year}年行政许可办理结果汇总",
    "行政处罚决定": "{org}{year}年行政处罚决定信息汇总",
    "行政强制决定": "{org}{year}年行政强制决定信息汇总",
    "安全生产监督检查": "{org}{year}年安全生产监督检查情况通报",
    "突发事件应急预案及预警信息": "{org}{year}年防汛应急预案",
}


def _formed_on(year: int, i: int, k: int, today: date) -> date:
    """A working-day-ish date of ``year``, never within the last ten days."""
    day = date(year, 1 + (i * 5 + k * 3) % 11, 1 + (i * 7 + k) % 27)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return min(day, today - timedelta(days=10 + i % 20))


def _publish(
    org: Organisation,
    item: CatalogueItem,
    year: int,
    formed_on: date,
    author: User,
    head: User,
    publisher: User,
) -> None:
    name = org.short_name or org.name
    title = TITLES.get(item.item_l2, "{org}{year}年{item}").format(
        org=name, year=year, item=item.item_l2
    )
    if Publication.objects.filter(organisation=org, title=title).exists():
        return
    body = (
        f"<p>根据《中华人民共和国政府信息公开条例》，现将{title.removeprefix(name)}予以公开。</p>"
        f"<p>本信息属于“{item.item_l1}”类主动公开内容，由{org.name}负责解释。"
        "如有疑问，请于工作日到办公地点咨询。</p>"
    )
    pub = services.publication_create(
        actor=author,
        organisation=org,
        title=title,
        formed_on=formed_on,
        body=body,
        catalogue_item=item,
    )
    pub = services.publication_submit(actor=author, publication=pub)
    pub = services.publication_approve(
        actor=head, publication=pub, secrecy_checked=True, note="经保密审查，同意公开。"
    )
    pub = services.publication_publish(actor=publisher, publication=pub)
    published = timezone.make_aware(
        datetime.combine(formed_on + timedelta(days=2 + year % 3), time(9, 30))
    )
    Publication.objects.filter(pk=pub.pk).update(
        published_at=published, last_changed_at=published
    )


def load(orgs: dict[str, Organisation]) -> None:
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    if officer is None or head is None:
        return
    today = timezone.localdate()
    span = LAST_YEAR - FIRST_YEAR + 1
    for key, org in orgs.items():
        offsets: tuple[int, ...]
        if key == "luopu":
            author, offsets = officer, (0, 3)  # two years per item
        elif key.startswith("community"):
            liaison = User.objects.filter(username=f"liaison{key[9:]}").first()
            author, offsets = liaison or officer, (int(key[9:] or 0),)
        else:
            continue
        items = CatalogueItem.objects.filter(organisation=org).order_by("pk")
        empty = [
            item
            for item in items
            if not Publication.objects.filter(catalogue_item=item).exists()
        ]
        for i, item in enumerate(empty):
            for k in offsets:
                year = FIRST_YEAR + (i + k) % span
                formed_on = _formed_on(year, i, k, today)
                _publish(org, item, formed_on.year, formed_on, author, head, officer)
    # Delivered to the channels by the demo's last step (publishing/demo_outbox.py).
