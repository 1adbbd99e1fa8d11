"""Demo: readers' feedback on the 街道's column (some moderated and answered, one
waiting for moderation) and this year's satisfaction survey with a few answers
(idempotent: nothing is added once the survey exists)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.feedback import services
from gongkai.feedback.models import Survey
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication

# (useful, comment, reply of the moderator; None = still waiting for moderation)
FEEDBACK: tuple[tuple[bool | None, str, str | None], ...] = (
    (True, "低保公示信息很清楚，一看就懂。", "感谢您的肯定，我们会继续做好公开工作。"),
    (
        False,
        "高龄津贴的发放标准没有写明，建议补充。",
        "已在最新一期公示中补充发放标准。",
    ),
    (True, "办事指南写得很详细，少跑了一趟。", ""),
    (None, "希望社区公开栏的信息能同步到网上。", None),
)

# Scores (findable, timely, clear, application, overall) and a comment.
ANSWERS: tuple[tuple[str, str], ...] = (
    ("54455", "整体满意，希望增加政策解读。"),
    ("44344", ""),
    ("55555", "申请答复很及时。"),
    ("34433", "部分信息更新不够及时。"),
    ("45454", ""),
)


def load(orgs: dict[str, Organisation]) -> None:
    luopu = orgs.get("luopu")
    head = User.objects.filter(username="head").first()
    if luopu is None or head is None:
        return
    today = timezone.localdate()
    title = f"{today.year}年洛浦街道政务公开满意度测评"
    if Survey.objects.filter(organisation=luopu, title=title).exists():
        return
    publications = list(
        Publication.objects.filter(organisation=luopu, published_at__isnull=False)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:3]
    )
    for i, (useful, comment, reply) in enumerate(FEEDBACK):
        publication = (
            Publication.objects.get(pk=publications[i])
            if i < len(publications)
            else None
        )
        item = services.feedback_submit(
            organisation=luopu,
            publication=publication,
            useful=useful,
            comment=comment,
        )
        if reply is not None:
            services.feedback_moderate(
                actor=head, feedback=item, approve=True, reply=reply
            )
    survey = services.survey_open(
        actor=head,
        organisation=luopu,
        title=title,
        opens_on=date(today.year, 1, 1),
        closes_on=date(today.year, 12, 31),
    )
    keys = ("findable", "timely", "clear", "application", "overall")
    for scores, comment in ANSWERS:
        services.survey_answer(
            survey=survey,
            scores=dict(zip(keys, scores, strict=True)),
            comment=comment,
            today=today,
        )
