"""A therapist leaving hands their caseload to a colleague; each client is told.

The care links move in one transaction (the leaving therapist's access ends on the next request,
the colleague's starts), audited per client. Clients with an email address get a plain note after
the commit; the page lists those without one, so the clinic tells them another way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from app import mailer
from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.audit import service as audit
from app.errors import Unprocessable
from app.i18n import N_, gettext, use_language
from app.my_data.notify import first_name


@dataclass
class Handover:
    leaving: User
    colleague: User
    clients: list[User] = field(default_factory=list)
    emailed: list[User] = field(default_factory=list)
    not_emailed: list[User] = field(default_factory=list)


def hand_over(session: Session, *, manager: User, leaving: User, colleague: User) -> Handover:
    """Move every active care link from `leaving` to `colleague`. Commits once."""
    if colleague.id == leaving.id:
        raise Unprocessable(N_("Choose a different colleague."))
    if colleague.role != Role.therapist or not colleague.is_active:
        raise Unprocessable(N_("Choose a therapist whose account is switched on."))
    if colleague.organisation_id != leaving.organisation_id:
        raise Unprocessable(N_("Choose a colleague from the same clinic."))
    client_ids = accounts.end_caseload(session, therapist_id=leaving.id)
    clients = []
    for client_id in client_ids:
        accounts.start_care(session, therapist_ids=[colleague.id], client_id=client_id)
        audit.add(
            session,
            actor=manager,
            client_id=client_id,
            action="care_link.handover",
            detail=f"{leaving.id} -> {colleague.id}",
        )
        client = session.get(User, client_id)
        if client is not None:
            clients.append(client)
    session.commit()
    return Handover(leaving, colleague, clients)


def tell_clients(done: Handover, clinic_name: str) -> Handover:
    """After the commit (SMTP can be slow): a short, kind note to each client with an email."""
    for client in done.clients:
        if not client.email:
            done.not_emailed.append(client)
            continue
        words = {
            "leaving": first_name(done.leaving),
            "colleague": done.colleague.preferred_name,
            "clinic": clinic_name,
        }
        with use_language(client.language):  # the client's language, not the operator's
            change = (
                gettext(
                    "%(leaving)s is no longer working with you at %(clinic)s. From today "
                    "%(colleague)s is your therapist in Groundwork and can see your record, as "
                    "%(leaving)s could.",
                    **words,
                )
                if clinic_name
                else gettext(
                    "%(leaving)s is no longer working with you. From today %(colleague)s is your "
                    "therapist in Groundwork and can see your record, as %(leaving)s could.",
                    **words,
                )
            )
            paragraphs = [
                gettext("Hello %(name)s,", name=first_name(client)),
                change,
                gettext(
                    "Your routines, habits, plans and everything you've written stay as they are. "
                    "If you have questions, or would rather talk about this, contact your clinic."
                ),
            ]
            subject = gettext("Your Groundwork therapist has changed")
        text = "\n\n".join(paragraphs) + "\n"
        message = mailer.build(to=client.email, subject=subject, text=text)
        (done.emailed if mailer.send(message) else done.not_emailed).append(client)
    return done
