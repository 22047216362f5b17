"""docs/query-errors.md on a real cluster: each bad body gets the shown 400 answer."""
import pytest
import requests

from tests.live.clipper_live import register_app, same_response_line, shown, wait_for_prediction
from troubleshoot_snippets import default_predictions, query_errors
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

BAD_BODIES = {
    "json_error_ints_to_doubles.txt": '{"input": [1, 2]}',
    "json_error_malformed.txt": '{"input": [1.1, 2.2]',
    "json_error_missing_input.txt": '{"inp": [1.1]}',
    "json_error_string_input.txt": '{"input": "abc"}',
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


def test_sending_floats_fixes_the_integer_list(clipper_conn, json_app, model_images, capsys):
    deploy_image(clipper_conn, "json-model", "1", model_images["sum-model", "1"])
    default_predictions.link_model(clipper_conn, json_app, "json-model")
    wait_for_prediction(clipper_conn, json_app)
    capsys.readouterr()
    response = query_errors.send_as_doubles(clipper_conn, json_app, [1, 2])
    assert response.json()["default"] is False
    assert same_response_line(capsys.readouterr().out, "doubles_prediction.txt")


def test_unknown_application_closes_the_connection(clipper_conn, json_app, capsys):
    with pytest.raises(requests.exceptions.ConnectionError) as error:
        query_errors.send_raw(clipper_conn, "no-such-app", '{"input": [1.1, 2.2]}')
    line = "requests.exceptions.ConnectionError: {}\n".format(error.value)
    assert line == shown("unknown_app_disconnect.txt")
    names = query_errors.app_names(clipper_conn)
    assert json_app in names and "no-such-app" not in names
    assert capsys.readouterr().out == "{}\n".format(names)
