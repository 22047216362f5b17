"""docs/default-predictions.md, SLO too low, keeping the application's URL: registered
again under the same name with a higher SLO, the link survives but the running query
frontend keeps the old SLO until it is restarted. On a cluster of its own, because the
fix restarts the query frontend."""
import pytest
import requests
from clipper_admin import ClipperException

from tests.live.background import background
from tests.live.clipper_live import (
    LOST_RACES, fresh_input, management_frontend_state, post, register_app, wait_connected, wait_for_answer,
    wait_for_prediction,
)
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]

SLO_MISSED = "Failed to retrieve a prediction response within the specified latency SLO"
CLUSTER = "slo-check"
APP, MODEL = "reslo-app", "reslo-model"


@background(own_cluster=CLUSTER)  # the fix restarts the query frontend
def test_reregister_with_a_higher_slo_keeps_the_url(live):
    conn, model_images = live.conn, live.images
    register_app(conn, APP, slo_micros=200000)  # 200 ms (see test_slo_too_low); the model takes 500 ms
    deploy_image(conn, MODEL, "1", model_images["slow-model", "1"])
    snippets.link_model(conn, APP, MODEL)
    wait_connected(conn, MODEL)
    # the first query after the replica connected was once held past its 15 s (an idle run)
    _, body = wait_for_answer(conn, APP, 60, "an answer from the new app")
    assert body["default_explanation"] == SLO_MISSED

    try:
        snippets.reregister_with_higher_slo(conn, APP)
    except requests.exceptions.ConnectionError:
        # a CI try: register_application's connection closed with no response (RemoteDisconnected);
        # 2000 re-registrations on an idle cluster did not repeat it
        LOST_RACES.append("{}: the management frontend closed register_application's connection; it: {}".format(
            APP, management_frontend_state(CLUSTER)))
        if conn.get_app_info(name=APP) is None:  # else it registered and only the answer was lost
            register_app(conn, APP, slo_micros=200000, query=False)
            snippets.reregister_with_higher_slo(conn, APP)
    assert conn.get_app_info(name=APP)["latency_slo_micros"] == 2000000
    assert conn.get_linked_models(app_name=APP) == [MODEL]
    with pytest.raises(ClipperException) as linked:  # what linking again would say
        snippets.link_model(conn, APP, MODEL)
    assert "is already linked to" in str(linked.value)
    # the running frontend still times out at 200 ms; as it reads the registration again, a
    # query can have its connection closed (CI, 2f39271), so each waits for an answer: 15 s
    # (one held query's time) went by without one in a CI try
    for _ in range(3):
        _, body = wait_for_answer(conn, APP, 60, "an answer at the same URL")
        assert body.get("default_explanation") == SLO_MISSED

    snippets.restart_query_frontend(conn)
    # the same URL: gone for a moment, then the model reconnects and answers in time;
    # if it has not within 30 s (seen once under load), the guide restarts the model containers
    try:
        body = wait_for_prediction(conn, APP, timeout=30)
    except AssertionError:
        snippets.restart_model_containers(conn)
        body = wait_for_prediction(conn, APP, timeout=60)
    assert body["default"] is False


def test_unregistered_application_still_answers_until_restart(clipper_conn):
    app = "reslo-gone-app"
    register_app(clipper_conn, app)
    clipper_conn.unregister_application(name=app)
    assert app not in clipper_conn.get_all_apps()
    # the running query frontend keeps the route
    wait_for_answer(clipper_conn, app, 5, "an answer")
    assert post(clipper_conn, app, fresh_input())[1]["default"] is True
