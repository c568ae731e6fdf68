"""The exports' world: one workspace with claims in every workflow state, a
protected witness, evidence with archives and links (see world.py)."""

import pytest

from tests.exports.world import build_world


@pytest.fixture
def world(workspace, analyst, reviewer, monitor, ministry, agency):
    return build_world(
        workspace=workspace,
        analyst=analyst,
        reviewer=reviewer,
        monitor=monitor,
        ministry=ministry,
        agency=agency,
    )
