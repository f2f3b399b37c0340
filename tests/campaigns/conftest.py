import pytest

from campaigns.keywords.matcher import rule_index_invalidate


@pytest.fixture(autouse=True)
def _fresh_keyword_index():
    """The match index lives in process memory across tests, while each test's rules are rolled back."""
    rule_index_invalidate()
    yield
    rule_index_invalidate()
