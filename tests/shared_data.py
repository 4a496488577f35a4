"""Real data the tests read from ../shared/data (beside the checkout in CI). A test that needs it
fails with a clear message when it is missing; it is never skipped in silence."""
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """The path under ../shared/data, or the test fails saying what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: this test reads real data from ../shared/data, which must sit "
                    "beside the checkout (as in CI)", pytrace=False)
    return path
