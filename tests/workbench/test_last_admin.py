"""F9: two admins demoting (or removing) each other at the same moment must
not leave a workspace without an admin. On PostgreSQL two threads, each with
its own connection, race through a barrier; the workspace row lock decides
them one after the other. (SQLite runs one writer at a time anyway: there
the two run in turn and the rule is checked the same way.)"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.conftest import make_member
from workspaces.exceptions import NotAllowed, NotFound
from workspaces.models import Membership, Workspace
from workspaces.services import membership_remove, membership_set_role

RUNS = 6


def _race(first, second):
    """Run both at once (threads on PostgreSQL); return what each raised."""
    outcomes = [None, None]
    if connection.vendor != "postgresql":
        for index, action in enumerate((first, second)):
            try:
                action()
            except (ValidationError, NotAllowed, NotFound) as exc:
                outcomes[index] = exc
        return outcomes
    barrier = threading.Barrier(2)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
        except (ValidationError, NotAllowed, NotFound) as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["demote", "remove"])
def test_two_admins_at_once_leave_one_admin(how):
    for run in range(RUNS):
        workspace = Workspace.objects.create(slug=f"race-{how}-{run}", name="Race")
        alice = make_member(workspace, f"alice-{how}-{run}", "admin")
        bob = make_member(workspace, f"bob-{how}-{run}", "admin")
        alice_m, bob_m = (Membership.objects.get(user=u) for u in (alice, bob))
        if how == "demote":
            outcomes = _race(
                lambda a=alice, m=bob_m: membership_set_role(membership=m, actor=a, role="analyst"),
                lambda b=bob, m=alice_m: membership_set_role(membership=m, actor=b, role="analyst"),
            )
        else:
            outcomes = _race(
                lambda a=alice, m=bob_m: membership_remove(membership=m, actor=a),
                lambda b=bob, m=alice_m: membership_remove(membership=m, actor=b),
            )
        admins = Membership.objects.filter(workspace=workspace, role="admin").count()
        assert admins == 1, (run, outcomes)
        assert sum(o is not None for o in outcomes) == 1, outcomes
