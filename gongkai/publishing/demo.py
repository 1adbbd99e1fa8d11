"""Demo data of 主动公开 for the 洛浦街道 tree (idempotent: running twice adds nothing).

* every organisation (街道 and the 8 社区) gets the standard catalogue;
* the 街道 has publications in each workflow state, one of them published late;
* the registers make ``table2_for(luopu, 2021)`` equal the seed report's table 二:
  规章 0 0 0, 规范性文件 0 0 0, 行政许可 3, 行政处罚 3, 行政强制 4, 收费 0.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.publishing import registers, services
from gongkai.publishing.channels import outbox_send
from gongkai.publishing.models import CatalogueItem, EnforcementDecision, Publication

# (kind, decided_on, number, party, summary) — the 2021 decisions behind table 二.
DECISIONS_2021 = (
    (
        "license",
        date(2021, 3, 12),
        "洛浦许〔2021〕1号",
        "某餐饮店",
        "临时占用道路设置外摆许可",
    ),
    (
        "license",
        date(2021, 6, 8),
        "洛浦许〔2021〕2号",
        "某商贸公司",
        "户外广告设施设置许可",
    ),
    (
        "license",
        date(2021, 10, 19),
        "洛浦许〔2021〕3号",
        "某建筑公司",
        "城市道路临时挖掘许可",
    ),
    ("penalty", date(2021, 4, 2), "洛浦罚〔2021〕1号", "某便利店", "违规占道经营"),
    (
        "penalty",
        date(2021, 7, 21),
        "洛浦罚〔2021〕2号",
        "某装修公司",
        "违规倾倒建筑垃圾",
    ),
    (
        "penalty",
        date(2021, 11, 30),
        "洛浦罚〔2021〕3号",
        "某烧烤店",
        "露天烧烤污染环境",
    ),
    (
        "coercion",
        date(2021, 2, 25),
        "洛浦强〔2021〕1号",
        "某摊贩",
        "暂扣违规占道经营物品",
    ),
    (
        "coercion",
        date(2021, 5, 17),
        "洛浦强〔2021〕2号",
        "某广告公司",
        "强制拆除违规广告牌",
    ),
    ("coercion", date(2021, 8, 9), "洛浦强〔2021〕3号", "某个体户", "强制拆除违法搭建"),
    (
        "coercion",
        date(2021, 12, 6),
        "洛浦强〔2021〕4号",
        "某物流公司",
        "暂扣违规停放车辆",
    ),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _item(org: Organisation, l2: str) -> CatalogueItem | None:
    return CatalogueItem.objects.filter(organisation=org, item_l2=l2).first()


def _publication(
    org: Organisation, actor: User, title: str, days_ago: int, **fields: object
) -> Publication | None:
    """Create a draft unless one with this title exists (then return None)."""
    if Publication.objects.filter(organisation=org, title=title).exists():
        return None
    return services.publication_create(
        actor=actor,
        organisation=org,
        title=title,
        formed_on=timezone.localdate() - timedelta(days=days_ago),
        **fields,  # type: ignore[arg-type]
    )


def _on_weekday(days_ago: int) -> datetime:
    """9:30 on the working day ``days_ago`` days before today (a Saturday or Sunday
    moves to the Monday after, never past today)."""
    today = timezone.localdate()
    day = today - timedelta(days=days_ago)
    while day.weekday() >= 5 and day < today:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _through(
    pub: Publication | None,
    head: User,
    officer: User,
    *,
    to: str,
    published: int | None = None,
    changed: int | None = None,
) -> None:
    """Walk a fresh draft along the workflow up to ``to``. A published item is then
    dated ``published`` days ago (and updated ``changed`` days ago), when the body
    published it: the demo has no clock travel, and a whole column dated today
    would not look like a body's records."""
    _walk(pub, head, officer, to=to)
    if pub is None or published is None:
        return
    at = _on_weekday(published)
    Publication.objects.filter(pk=pub.pk).update(
        published_at=at,
        last_changed_at=_on_weekday(changed) if changed is not None else at,
    )


def _walk(pub: Publication | None, head: User, officer: User, *, to: str) -> None:
    if pub is None or to == "draft":
        return
    pub = services.publication_submit(actor=officer, publication=pub)
    if to == "in_review":
        return
    pub = services.publication_approve(
        actor=head, publication=pub, secrecy_checked=True, note="经保密审查，同意公开。"
    )
    if to == "scheduled":
        services.publication_schedule(
            actor=officer,
            publication=pub,
            go_live_at=timezone.now() + timedelta(days=1),
        )
        return
    pub = services.publication_publish(actor=officer, publication=pub)
    if to == "updated":
        services.publication_update(
            actor=officer,
            publication=pub,
            note="补充咨询电话",
            body=pub.body + "<p>咨询电话：0379-60000002。</p>",
        )
    elif to == "withdrawn":
        services.publication_withdraw(
            actor=head, publication=pub, reason="信息有误，更正后重新发布。"
        )


def _load_street(luopu: Organisation, officer: User, head: User) -> None:
    body = "<p>根据《社会救助暂行办法》，经入户调查、民主评议和审核确认，现将名单公示如下。</p><p>公示期为7天，如有异议请向街道社会事务办反映。</p>"
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道最低生活保障审核确认名单公示",
            12,
            body=body,
            topic="民政、扶贫、救灾\\社会福利",
            catalogue_item=_item(luopu, "低保审核确认及名单公示"),
        ),
        head,
        officer,
        to="published",
        published=10,
    )
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道办事处机构职能及内设机构",
            130,
            body="<p>洛浦街道办事处是老城区人民政府的派出机关，内设党政办公室、社会事务办公室、城市管理办公室等。</p>",
            topic="综合政务\\政务公开",
            catalogue_item=_item(luopu, "机构职能及内设机构"),
        ),
        head,
        officer,
        to="updated",
        published=127,
        changed=21,
    )
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道高龄津贴发放情况",
            75,
            body="<p>本季度共为辖区80周岁以上老年人发放高龄津贴。</p>",
            topic="民政、扶贫、救灾\\社会福利",
            catalogue_item=_item(luopu, "高龄津贴发放"),
        ),
        head,
        officer,
        # Formed 75 days ago, published 45 days later: after its 20 working days
        # (条例第二十六条), the demo's one item published late.
        to="published",
        published=30,
    )
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道安全生产监督检查情况通报",
            2,
            body="<p>街道对辖区沿街商铺开展了消防安全检查。</p>",
            topic="市场监管、安全生产监管\\安全生产监管",
            catalogue_item=_item(luopu, "安全生产监督检查"),
        ),
        head,
        officer,
        to="in_review",
    )
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道就业创业岗位信息",
            1,
            body="<p>辖区企业招聘岗位信息。</p>",
            topic="劳动、人事、监察\\劳动就业",
            catalogue_item=_item(luopu, "就业创业政策及岗位信息"),
        ),
        head,
        officer,
        to="scheduled",
    )
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道临时救助政策解答（草稿）",
            0,
            body="<p>临时救助的对象、标准和申请程序。</p>",
            catalogue_item=_item(luopu, "临时救助政策及结果"),
        ),
        head,
        officer,
        to="draft",
    )
    _through(
        _publication(
            luopu,
            officer,
            "洛浦街道城乡居民医保缴费通知（已撤回）",
            40,
            body="<p>2027年度城乡居民医保缴费开始。</p>",
            catalogue_item=_item(luopu, "城乡居民基本医疗保险"),
        ),
        head,
        officer,
        to="withdrawn",
        published=38,
    )


# 政府信息公开制度 of the 街道 (the portal's second first-level column): title, 文号,
# catalogue item, body paragraphs.
RULES = (
    (
        "洛浦街道办事处政府信息公开保密审查制度",
        "洛街〔2026〕12号",
        "政府信息公开保密审查制度",
        (
            "第一条 为规范政府信息公开保密审查工作，根据《中华人民共和国政府信息公开条例》第十七条，制定本制度。",
            "第二条 拟公开的政府信息由承办科室初审，党政办公室复审，分管领导审定；未经审查的信息不得公开。",
            "第三条 审查中发现涉及国家秘密、商业秘密、个人隐私的，按照条例第十四条、第十五条处理。",
        ),
    ),
    (
        "洛浦街道办事处政府信息公开申请办理制度",
        "洛街〔2026〕13号",
        "政府信息公开申请办理制度",
        (
            "第一条 党政办公室统一受理政府信息公开申请，当日登记，出具回执。",
            "第二条 申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正。",
            "第三条 能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。",
        ),
    ),
    (
        "洛浦街道办事处政府信息发布协调制度",
        "洛街〔2026〕14号",
        "政府信息发布协调制度",
        (
            "第一条 拟公开的政府信息涉及其他机关的，承办科室应当与有关机关协商、确认。",
            "第二条 协商不一致的，报区人民政府办公室协调，保证公开的政府信息准确一致。",
        ),
    ),
    (
        "洛浦街道办事处政策解读和回应关切制度",
        "洛街〔2026〕15号",
        "政策解读和回应关切制度",
        (
            "第一条 街道制发的涉及群众切身利益的文件，与解读材料同步组织、同步审签、同步部署。",
            "第二条 对涉及街道的政务舆情，党政办公室及时收集研判，按照规定时限发布权威信息予以回应。",
        ),
    ),
)


def _load_rules(luopu: Organisation, officer: User, head: User) -> None:
    # Adopted one after another over the past half year, in the order of their 文号.
    for days, (title, number, item, paragraphs) in zip(
        (160, 125, 90, 62), RULES, strict=True
    ):
        _through(
            _publication(
                luopu,
                officer,
                title,
                days,
                body="".join(f"<p>{p}</p>" for p in paragraphs),
                document_number=number,
                topic="综合政务\\政务公开",
                catalogue_item=_item(luopu, item),
            ),
            head,
            officer,
            to="published",
            published=days - 3,
        )


def _load_registers(luopu: Organisation, officer: User) -> None:
    for kind, decided_on, number, party, summary in DECISIONS_2021:
        if EnforcementDecision.objects.filter(
            organisation=luopu, kind=kind, document_number=number
        ).exists():
            continue
        registers.decision_register(
            actor=officer,
            organisation=luopu,
            kind=kind,
            decided_on=decided_on,
            document_number=number,
            party=party,
            summary=summary,
        )


def load(orgs: dict[str, Organisation]) -> None:
    officer, head = _user("officer"), _user("head")
    for key, org in orgs.items():
        # Each body loads the template it follows: 街道 and 社区 the 街道 one, the
        # 乡镇 and the county department theirs (issue 21).
        if key in ("luopu", "township", "housing") or key.startswith("community"):
            services.catalogue_load_template(actor=None, organisation=org)
    luopu = orgs["luopu"]
    if officer is None or head is None:
        return
    _load_street(luopu, officer, head)
    _load_rules(luopu, officer, head)
    _load_registers(luopu, officer)
    for i in range(1, 9):
        community = orgs.get(f"community{i}")
        liaison = _user(f"liaison{i}")
        if community is None or liaison is None:
            continue
        _through(
            _publication(
                community,
                liaison,
                f"{community.short_name or community.name}居务公开栏：本月便民服务安排",
                3 + 2 * i,
                body="<p>社区便民服务站本月开展义诊、法律咨询和就业指导。</p>",
                catalogue_item=_item(community, "办事指南"),
            ),
            head,
            officer,
            to="published",
            published=2 + 2 * i,
        )
    outbox_send()
