import pytest

from campaigns.keywords.hits import keyword_hits_pending_clear
from campaigns.keywords.matcher import rule_index_invalidate


@pytest.fixture(autouse=True)
def _fresh_keyword_index(request):
    """The match index lives in process memory and the pending hits in Redis across tests, while
    each test's rules are rolled back (and their ids come again in the next run)."""
    rule_index_invalidate()
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        keyword_hits_pending_clear()
    yield
    rule_index_invalidate()
