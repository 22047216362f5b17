"""docs/query-errors.md#batch-under-input on a real cluster: a batch sent under
"input" gets the shown 400 answer (ucbrise/clipper#544), and the same batch
under "input_batch" gets one prediction per input."""
import pytest

from tests.live.background import background
from tests.live.clipper_live import register_app, same_response_line, shown, wait_for_prediction
from troubleshoot_snippets import default_predictions, query_errors
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]
BATCH = [[1.1, 2.2], [3.3, 4.4]]


def test_batch_under_input_gets_the_shown_answer(clipper_conn, capsys):
    register_app(clipper_conn, "batch-input-app")
    capsys.readouterr()
    response = query_errors.send_raw(clipper_conn, "batch-input-app", '{"input": [[1.1, 2.2], [3.3, 4.4]]}')
    assert response.status_code == 400
    assert capsys.readouterr().out == shown("json_error_batch_under_input.txt")


@background
def test_input_batch_gets_one_prediction_per_input(live):
    clipper_conn, app = live.conn, "batch-app"
    register_app(clipper_conn, app, slo_micros=1000000)  # 1 s: a busy machine must not miss it
    deploy_image(clipper_conn, "batch-model", "1", live.images["sum-model", "1"])
    default_predictions.link_model(clipper_conn, app, "batch-model")
    wait_for_prediction(clipper_conn, app)
    live.printed()
    response = query_errors.send_batch(clipper_conn, app, BATCH)
    answers = response.json()["batch_predictions"]
    assert [a["default"] for a in answers] == [False, False]
    assert same_response_line(live.printed(), "batch_prediction.txt")
