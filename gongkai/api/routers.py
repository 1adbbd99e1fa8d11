"""Every app's router, mounted on the one API."""

from __future__ import annotations

from ninja import NinjaAPI

from gongkai.accounts.api import router as accounts_router
from gongkai.appeals.api import router as appeals_router
from gongkai.inforequests.api import router as inforequests_router
from gongkai.orgs.api import router as orgs_router
from gongkai.privacy.api import router as privacy_router
from gongkai.publishing.api import router as publishing_router


def register_routers(api: NinjaAPI) -> None:
    api.add_router("/accounts", accounts_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/publishing", publishing_router)
    api.add_router("/privacy", privacy_router)
    api.add_router("/requests", inforequests_router)
    api.add_router("/appeals", appeals_router)
