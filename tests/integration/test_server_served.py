"""web.server's app served in this process as the app serves it: it answers, the monitoring
dashboard and Gradio's development reload stream are off, paths outside the upload folder are
refused (the server's configuration: tests/unit/test_server.py)."""

from __future__ import annotations

import httpx
import pytest

from harness.fixtures import fixture_path
from harness.patch_checks import outside_path_refusal, served


@pytest.mark.slow
def test_the_served_app_answers_and_refuses_paths_outside_its_cache(tmp_path):
    """Launched as the app launches: it answers parses one after another; the monitoring
    dashboard is off; Gradio's development reload stream is not served; an input naming a
    server file outside the upload folder is refused (a mounted Gradio app checks paths only
    when marked launched)."""
    from gradio_client import Client, handle_file

    dictionary = fixture_path("house-prices", "data_description.txt")
    with served("all", tmp_path) as app:
        client = Client(app.url, verbose=False, download_files=False)
        for _ in range(3):
            assert "79 fields" in client.predict(handle_file(str(dictionary)), False,
                                                 api_name="/parse_dictionary")[0]
        assert "Cannot move /etc/hostname" in outside_path_refusal(app.url)
        assert httpx.get(app.url + "monitoring/summary").status_code == 403
        # the development reload stream is not served: answered at once, not held open
        assert httpx.get(app.url + "gradio_api/dev/reload", timeout=5).status_code == 404
