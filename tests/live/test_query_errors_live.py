"""docs/query-errors.md on a real cluster: each bad body gets the shown 400 answer, and each
entry's fix gets a real prediction."""
import ast
import json

import pytest
import requests

from tests.live.background import background
from tests.live.clipper_live import (
    fresh_input, post, register_app, same_response_line, shown, wait_for_prediction,
)
from troubleshoot_snippets import default_predictions, query_errors

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

BATCH = [[1.1, 2.2], [3.3, 4.4]]
BAD_BODIES = {
    "json_error_ints_to_doubles.txt": '{"input": [1, 2]}',
    "json_error_malformed.txt": '{"input": [1.1, 2.2]',
    "json_error_missing_input.txt": '{"inp": [1.1]}',
    "json_error_string_input.txt": '{"input": "abc"}',
    # a batch under "input" (ucbrise/clipper#544); under "input_batch" below
    "json_error_batch_under_input.txt": json.dumps({"input": BATCH}),
}


@pytest.fixture(scope="module")
def json_app(clipper_conn):
    register_app(clipper_conn, "json-app")
    return "json-app"


@pytest.mark.parametrize("output_file", sorted(BAD_BODIES))
def test_bad_body_gets_the_shown_answer(clipper_conn, json_app, output_file, capsys):
    capsys.readouterr()
    response = query_errors.send_raw(clipper_conn, json_app, BAD_BODIES[output_file])
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    assert capsys.readouterr().out == shown(output_file)


def serving_app(live, app):
    """`app` linked to the session's sum model replica, once it answers; what was printed is dropped."""
    register_app(live.conn, app, slo_micros=1000000)  # 1 s: a busy machine must not miss it
    default_predictions.link_model(live.conn, app, live.images.shared_replica())
    wait_for_prediction(live.conn, app)
    live.printed()


@background
def test_sending_floats_fixes_the_integer_list(live):
    serving_app(live, "doubles-app")
    response = query_errors.send_as_doubles(live.conn, "doubles-app", [1, 2])
    assert response.json()["default"] is False
    assert same_response_line(live.printed(), "doubles_prediction.txt")


@background
def test_input_batch_gets_one_prediction_per_input(live):
    serving_app(live, "batch-app")
    response = query_errors.send_batch(live.conn, "batch-app", BATCH)
    assert [a["default"] for a in response.json()["batch_predictions"]] == [False, False]
    assert same_response_line(live.printed(), "batch_prediction.txt")


def test_unknown_application_closes_the_connection(clipper_conn, json_app, capsys):
    with pytest.raises(requests.exceptions.ConnectionError) as error:
        query_errors.send_raw(clipper_conn, "no-such-app", '{"input": [1.1, 2.2]}')
    line = "requests.exceptions.ConnectionError: {}\n".format(error.value)
    assert line == shown("unknown_app_disconnect.txt")
    capsys.readouterr()
    query_errors.app_names(clipper_conn)
    # what the snippet printed: a second get_all_apps() could list an app a scenario added meanwhile
    printed = capsys.readouterr().out
    names = ast.literal_eval(printed)
    assert printed == "{}\n".format(names)
    assert json_app in names and "no-such-app" not in names


def test_a_just_registered_app_is_unknown_for_a_moment(clipper_conn, capsys):
    app = "just-registered-app"
    clipper_conn.register_application(name=app, input_type="doubles", default_output="-1.0",
                                      slo_micros=100000)
    # At once: either the route is not there yet (connection closed), or the default answer.
    try:
        status, body = post(clipper_conn, app, fresh_input())
        assert (status, body["default_explanation"]) == (200, "No connected models found for query")
    except requests.exceptions.ConnectionError as error:
        assert "RemoteDisconnected('Remote end closed connection without response')" in str(error)
    capsys.readouterr()
    response = query_errors.query_new_app(clipper_conn, app, fresh_input())
    assert response.json()["default_explanation"] == "No connected models found for query"
    assert capsys.readouterr().out.startswith("200 ")
