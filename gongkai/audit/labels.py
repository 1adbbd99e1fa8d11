"""What an audit row's codes mean, in Chinese, for the 审计管理员 (the admin's list
and filter): ``auth.login`` is 登录：成功登录. The workflow steps are named by the
core's one table of each flow (``inforequest.send_reply``, ``report.submit`` …);
the rest here. A code not named (a new one) is shown as written, so the auditor
still sees what happened; ``test_admin_chinese`` fails on any the demo writes."""

from __future__ import annotations

from types import ModuleType

from django.apps import apps

from gongkai.core import inforequest_flow, publication_flow, report_flow

# Workflow rows: the action's prefix, its domain, the core flow module whose
# ``Action`` and ``Status`` name its steps and states (each with its label).
FLOWS: tuple[tuple[str, str, ModuleType], ...] = (
    ("inforequest.", "依申请公开", inforequest_flow),
    ("publishing.publication.", "主动公开", publication_flow),
    ("report.", "年度报告", report_flow),
)

ACTIONS = {
    "account.create": "账号：创建账号",
    "account.update": "账号：修改账号",
    "account.password_set": "账号：设置密码",
    "account.demo_disabled": "账号：停用演示账号",
    "api_token.create": "接口令牌：生成",
    "api_token.revoke": "接口令牌：吊销",
    "appeal.register": "复议诉讼：登记案件",
    "appeal.reply": "复议诉讼：登记答复",
    "appeal.decide": "复议诉讼：登记结果",
    "appeal.attach": "复议诉讼：上传材料",
    "appeal.document.download": "复议诉讼：下载材料",
    "audit.export": "审计日志：导出",
    "audit.prune": "审计日志：清理过期记录",
    "auth.login": "登录：成功登录",
    "auth.login_failed": "登录：登录失败",
    "auth.login_locked": "登录：账号或地址被锁定",
    "auth.logout": "登录：退出",
    "auth.otp_enrolled": "登录：绑定动态口令",
    "auth.otp_failed": "登录：动态口令错误",
    "auth.otp_verified": "登录：动态口令通过",
    "auth.password_changed": "登录：修改本人密码",
    "calendar.year_save": "工作日历：保存年度安排",
    "engagement.comment_adopt": "意见征集：登记采纳情况",
    "engagement.comment_moderate": "意见征集：审核意见",
    "engagement.comment_submit": "意见征集：提交意见",
    "engagement.consultation_open": "意见征集：发布征集",
    "engagement.consultation_result": "意见征集：公布结果",
    "engagement.message_answer": "咨询留言：答复",
    "engagement.message_public": "咨询留言：公开",
    "engagement.message_reveal": "咨询留言：查看留言人信息",
    "engagement.message_submit": "咨询留言：提交",
    "feedback.contact_reveal": "意见反馈：查看联系方式",
    "feedback.handling_rate": "满意度评价：评价办理",
    "feedback.moderate": "意见反馈：审核",
    "feedback.submit": "意见反馈：提交",
    "feedback.survey_open": "意见反馈：发布问卷",
    "inforequest.applicant_download": "依申请公开：申请人下载",
    "inforequest.assign": "依申请公开：分配承办人",
    "inforequest.assistance_answer": "依申请公开：答复协办",
    "inforequest.assistance_request": "依申请公开：请求协办",
    "inforequest.attach": "依申请公开：上传材料",
    "inforequest.attachment.download": "依申请公开：下载材料",
    "inforequest.deadline_changes.acknowledge": "依申请公开：确认期限变更",
    "inforequest.deadlines_recomputed": "依申请公开：重新计算期限",
    "inforequest.electronic_delivery": "依申请公开：电子送达",
    "inforequest.end_one_consultation": "依申请公开：一方征求意见结束",
    "inforequest.fill_contact_digests": "依申请公开：补全联系方式索引",
    "inforequest.letter_delivery": "依申请公开：登记文书送达",
    "inforequest.letter_issued": "依申请公开：出具文书",
    "inforequest.letter_settings": "文书设置：保存",
    "inforequest.letter_wording": "文书措辞：保存",
    "inforequest.notice_failed": "依申请公开：通知发送失败",
    "inforequest.redaction.download": "依申请公开：下载待处理文件",
    "inforequest.redaction.mark": "依申请公开：标注需遮盖内容",
    "inforequest.redaction.produce": "依申请公开：生成遮盖后文件",
    "inforequest.redaction.unmark": "依申请公开：取消遮盖标注",
    "inforequest.redaction.upload": "依申请公开：上传待遮盖文件",
    "inforequest.register": "依申请公开：登记申请",
    "inforequest.release_file": "依申请公开：提供公开文件",
    "inforequest.released_file.download": "依申请公开：下载公开文件",
    "inforequest.reminder": "依申请公开：期限提醒",
    "inforequest.reveal": "依申请公开：查看申请人信息",
    "inforequest.transfer_accept": "依申请公开：接收转送",
    "inforequest.transfer_decline": "依申请公开：退回转送",
    "inforequest.transfer_propose": "依申请公开：转送其他机关",
    "inforequests.dossier.export": "依申请公开：导出案卷",
    "inforequests.ledger.export": "依申请公开：导出台账",
    "inspection.dictionary.save": "网站自查：保存词库",
    "inspection.finding.accept": "网站自查：确认问题",
    "inspection.finding.assign": "网站自查：指派问题",
    "inspection.finding.claim_fixed": "网站自查：报告已整改",
    "inspection.finding.reopen": "网站自查：重新打开问题",
    "inspection.report.export": "网站自查：导出报告",
    "inspection.run": "网站自查：运行检查",
    "mail.failed": "邮件：发送失败",
    "membership.grant": "岗位授权：授予",
    "membership.revoke": "岗位授权：撤销",
    "ops.job_run_now": "定时任务：立即运行",
    "org.bootstrap": "机构：初始化",
    "org.close": "机构：停用",
    "org.create": "机构：新建",
    "org.move": "机构：调整上级",
    "org.reopen": "机构：重新启用",
    "org.update": "机构：修改",
    "portal.applicant_code_failed": "网上申请：验证码错误",
    "portal.applicant_oidc_failed": "网上申请：统一身份认证失败",
    "portal.applicant_sign_in": "网上申请：申请人登录",
    "privacy.disclosure.record": "个人信息：登记公开依据",
    "privacy.publication.mask": "个人信息：遮盖",
    "privacy.rules.save": "个人信息：保存检查规则",
    "privacy.scan.run": "个人信息：检查已公开信息",
    "publishing.attachment.add": "主动公开：添加附件",
    "publishing.catalogue.create": "公开目录：新建事项",
    "publishing.catalogue.load_template": "公开目录：载入标准目录",
    "publishing.catalogue.update": "公开目录：修改事项",
    "publishing.decision.import": "执法决定：导入",
    "publishing.decision.register": "执法决定：登记",
    "publishing.delivery.confirm": "发布渠道：确认已发布",
    "publishing.delivery.confirm_take_down": "发布渠道：确认已撤下",
    "publishing.delivery.retry": "发布渠道：重新发送",
    "publishing.delivery.sent": "发布渠道：已发送",
    "publishing.delivery.failed": "发布渠道：发送失败",
    "publishing.delivery.take_down.sent": "发布渠道：已撤下",
    "publishing.delivery.take_down.failed": "发布渠道：撤下失败",
    "publishing.fee.register": "收费登记：登记",
    "publishing.list.export": "主动公开：导出列表",
    "publishing.normative.register": "规范性文件：登记",
    "publishing.normative.repealed": "规范性文件：登记废止",
    "publishing.normative.expired": "规范性文件：登记失效",
    "publishing.publication.create": "主动公开：新建信息",
    "report.edit_text": "年度报告：修改文字",
    "report.import_queued": "年度报告：导入排队识别",
    "report.import_retried": "年度报告：重试识别",
    "report.manual_figure": "年度报告：填写人工数据",
    "report.note_warning": "年度报告：说明检查提示",
    "report.refresh": "年度报告：按最新数据刷新",
    "request_tallies.rebuild": "申请统计：重新汇总",
    "security.backup": "安全：备份",
    "security.otp_reset": "安全：重置动态口令",
    "security.restore": "安全：恢复备份",
    "security.rotate_field_keys": "安全：轮换加密密钥",
    "security.unlock": "安全：解除锁定",
    "security.upload_virus": "安全：拦截带病毒的上传文件",
    "supervision.escalate": "监督：发送逾期提醒",
    "supervision.import_batch": "监督：批量导入年报",
    "supervision.notice_ack": "监督：确认督办通知",
    "supervision.notice_send": "监督：发出督办通知",
    "supervision.rulepack_load": "监督：载入考评指标",
    "supervision.rulepack_use": "监督：选用考评指标",
    "supervision.scheme_save": "监督：保存考评方案",
}

# ``username`` of the rows the platform itself writes (a channel's delivery).
SYSTEM_USERNAME = "system"


def action_label(code: str) -> str:
    """``auth.login`` → 登录：成功登录; a code not named here is shown as written."""
    if code in ACTIONS:
        return ACTIONS[code]
    for prefix, domain, flow in FLOWS:
        if code.startswith(prefix):
            try:
                step = flow.Action(code[len(prefix) :])
            except ValueError:
                continue
            return f"{domain}：{step.label}"
    return code


def object_label(label: str) -> str:
    """``publishing.channeldelivery`` → 渠道发送 (the model's Chinese name)."""
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def username_label(username: str) -> str:
    return "系统自动" if username == SYSTEM_USERNAME else username
