"""docs/query-errors.md, bytes applications: `input` is one base64 string, not an array."""
import pytest

from tests.live.background import background
from tests.live.clipper_live import same_response_line, shown, wait_for_route, wait_until
from tests.live.conftest import MODEL_FUNCTIONS
from troubleshoot_snippets import default_predictions, query_errors
from troubleshoot_snippets.model_image import build_function_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]

APP, MODEL = "bytes-app", "bytes-model"
PAYLOAD = b"hello clipper"


@background  # in the pool: it waits on an image build and a deploy
def test_bytes_input_is_a_base64_string(live):
    clipper_conn = live.conn
    # 500 ms: on the saturated 2-core machine of a full run, 100 ms was missed for 150 s (run 35)
    clipper_conn.register_application(name=APP, input_type="bytes", default_output="-1.0",
                                      slo_micros=500000)
    wait_for_route(clipper_conn, APP)

    # symptom: a list of byte values, as for the other input types
    live.printed()
    response = query_errors.send_raw(clipper_conn, APP, '{"input": [104, 105]}')
    assert response.status_code == 400
    assert live.printed() == shown("json_error_bytes_array.txt")

    # fix: one base64 string per input; the model gets the decoded bytes
    image = build_function_image(clipper_conn, MODEL, "1", [MODEL_FUNCTIONS],
                                 "model_functions.predict_byte_counts")
    clipper_conn.deploy_model(name=MODEL, version="1", input_type="bytes", image=image)
    default_predictions.link_model(clipper_conn, APP, MODEL)

    def real_answer():
        live.printed()
        response = query_errors.send_bytes(clipper_conn, APP, PAYLOAD)
        return response.status_code == 200 and response.json()["default"] is False
    wait_until(real_answer, 150, "a real prediction from the bytes model")
    printed = live.printed()
    assert same_response_line(printed, "bytes_prediction.txt"), printed
