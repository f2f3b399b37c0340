"""the worked example in docs/metrics.md: its file, and the teams, staff, sources and scripts its events name.

Read from `../shared/examples/`, or from the copy in `tests/data/` when the checkout stands alone.
"""

import datetime as dt
import json
from pathlib import Path

from tests.campaigns.factories import ScriptFactory
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory, TeamFactory

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "kpi-worked-example.json"
_COPY = Path(__file__).resolve().parent / "data" / "kpi-worked-example.json"


def worked_example() -> dict:
    """A fresh copy of the example, safe to change."""
    return json.loads((_SHARED if _SHARED.exists() else _COPY).read_text(encoding="utf-8"))


def worked_example_team_changes(example: dict, client) -> None:
    """Apply the staff's `team_changes` as a manager would, through `PATCH /api/v1/staff/{username}/`."""
    for username, info in example["staff"].items():
        for change in info.get("team_changes", []):
            response = client.patch(f"/api/v1/staff/{username}/", change, format="json")
            assert response.status_code == 200, response.json()


def worked_example_world(example: dict) -> None:
    """Create the teams, staff, lead sources and scripts of `example` (staff in the team they start in)."""
    teams = {code: TeamFactory(code=code, name=name) for code, name in example["teams"].items()}
    for username, info in example["staff"].items():
        StaffFactory(
            user__username=username,
            team=teams[info["team"]],
            role=info["role"],
            joined_on=dt.date.fromisoformat(info["joined_on"]),
            left_on=dt.date.fromisoformat(info["left_on"]) if info["left_on"] else None,
        )
    for code, kind in example["lead_sources"].items():
        LeadSourceFactory(code=code, name=code, kind=kind)
    for code in example["scripts"]:
        ScriptFactory(code=code, name=code)
