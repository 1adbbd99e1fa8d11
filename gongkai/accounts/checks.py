from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from gongkai.accounts.safety import demo_accounts_blocking_start


@register("gongkai", deploy=True)
def check_no_demo_accounts(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    names = demo_accounts_blocking_start()
    if not names:
        return []
    return [
        Error(
            "数据库中存在演示账号，生产环境不得使用。",
            hint="运行 manage.py remove_demo_accounts，或设置 GONGKAI_ALLOW_DEMO_ACCOUNTS=true。",
            id="gongkai.E001",
        )
    ]
