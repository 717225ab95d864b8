"""The offline bundle: what the phone stores so the calm flow, toolbox, safety plan and crisis lines
work with no network, and so offline ranking uses the same inputs as the server."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.coping import catalog, plans, service, toolbox
from app.coping.library import load_library
from app.coping.models import Plan
from app.coping.schemas import FitPublic, SyncPublic, ToolboxPublic, UsagePublic
from app.i18n import gettext, use_language


def bundle(session: Session, client: User) -> SyncPublic:
    entries = toolbox.toolbox_entries(session, client.id)
    fit = service.client_fit(session, client.id)
    plan = plans.get_plan(session, client.id, "safety")
    return SyncPublic(
        library_version=load_library().version,
        seed=service.seed_for(client),
        strategies=[v for v in catalog.catalog(session, client) if v["custom"]],
        usage={
            k: UsagePublic(uses=u.uses, mean_drop=u.mean_drop, helped=u.helped)
            for k, u in service.usage(session, client.id).items()
        },
        toolbox=[ToolboxPublic.model_validate(e, from_attributes=True) for e in entries],
        fit=FitPublic(
            seeks=sorted(fit.seeks),
            avoids=sorted(fit.avoids),
            overwhelmed=sorted(fit.overwhelmed),
            kit=sorted(fit.kit),
        )
        if fit is not None
        else None,
        safety_plan=_plan_for_phone(plan, client.language),
        crisis=plans.crisis_lines(session, client),
    )


def _plan_for_phone(plan: Plan | None, language: str) -> list[dict[str, str]]:
    """The safety plan's filled sections, headed in the client's language (the text is theirs)."""
    with use_language(language):
        return [
            {"title": gettext(s.title), "text": text}
            for s, text in plans.sections_of(plan, "safety")
            if text
        ]
