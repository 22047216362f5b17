"""Every shown Python section runs when pasted alone: statically, no cluster needed.

A section may read only the inputs its page names (docs/index.md's names and
the page's own inline-code names); everything else it imports or binds itself.
And some test execs it alone: tests/live/test_paste_alone_live.py, or the test
EXECUTED_ELSEWHERE names. See tests/support/paste_alone.py.
"""
import pytest

from tests.support import paste_alone
from tests.support.paste_alone import (
    EXECUTED_ELSEWHERE, coverage_errors, free_names, global_inputs, paste_errors,
    python_sections, run_alone, runs_section_text,
)
from tests.support.snippets import ROOT


def test_every_shown_section_reads_only_its_pages_inputs():
    errors = paste_errors()
    assert not errors, "\n".join(errors)


def test_every_shown_section_is_execd_alone_by_a_test():
    errors = coverage_errors()
    assert not errors, "\n".join(errors)


def test_index_names_the_inputs_every_snippet_uses():
    assert global_inputs() == {"clipper_conn", "app_name", "model_name", "model_version"}


@pytest.mark.parametrize("source, names", [
    ("import requests\nrequests.post(url)\n", ["url"]),
    ("requests.post(url)\n", ["requests", "url"]),
    ("def predict(inputs):\n    return [str(sum(x)) for x in inputs]\nprint(predict(x))\n", ["x"]),
    ("def f():\n    return np.array([1])\n", ["np"]),
    ("from clipper_admin import ClipperConnection\nc = ClipperConnection(m)\n", ["m"]),
    ("class A:\n    size = limit\n", ["limit"]),
    ("for path in module_paths:\n    shutil.copy(path, d)\n", ["d", "module_paths", "shutil"]),
])
def test_free_names(source, names):
    assert free_names(source) == names


def new_errors(check, project_copy):
    """What `check` reports for the broken copy that it does not report for the project."""
    before = set(check())
    return [e for e in check(project_copy) if e not in before]


def test_a_missing_import_is_reported_with_page_line_and_section(project_copy):
    path = project_copy / "troubleshoot_snippets" / "default_predictions.py"
    text = path.read_text()
    assert "    import requests\n\n    url =" in text
    path.write_text(text.replace("    import requests\n\n    url =", "    url =", 1))
    page = project_copy / "docs" / "default-predictions.md"
    line = next(n for n, l in enumerate(page.read_text().splitlines(), 1)
                if l.strip() == '--8<-- "troubleshoot_snippets/default_predictions.py:query"')
    assert new_errors(paste_errors, project_copy) == [
        "docs/default-predictions.md:{}: troubleshoot_snippets/default_predictions.py:query uses "
        "`requests`, which a reader pasting it alone does not have: import it inside the "
        "section".format(line)]


def test_an_input_the_page_does_not_name_is_reported(project_copy):
    page = project_copy / "docs" / "query-errors.md"
    text = page.read_text()
    assert "`values`" in text
    page.write_text(text.replace("`values`", "values"))
    errors = new_errors(paste_errors, project_copy)
    assert len(errors) == 1 and "query_errors.py:send_as_doubles uses `values`" in errors[0], errors


def test_a_module_named_on_the_page_is_still_a_missing_import(project_copy):
    """`docker` in a page's prose is the package, not a variable the reader has."""
    path = project_copy / "troubleshoot_snippets" / "docker_cluster.py"
    text = path.read_text()
    assert "    import docker\n\n" in text
    assert "`docker`" in (project_copy / "docs" / "docker-cluster.md").read_text()
    path.write_text(text.replace("    import docker\n\n", "", 1))
    errors = new_errors(paste_errors, project_copy)
    assert errors and all("docker_cluster.py:start_over uses `docker`" in e for e in errors), errors


def test_a_new_section_no_test_can_run_is_reported(project_copy):
    module = project_copy / "troubleshoot_snippets" / "query_errors.py"
    module.write_text(module.read_text() + (
        "\n\ndef frob(clipper_conn, frobnicator):\n"
        "    # --8<-- [start:frob]\n"
        "    clipper_conn.get_all_apps(frobnicator)\n"
        "    # --8<-- [end:frob]\n"))
    page = project_copy / "docs" / "query-errors.md"
    page.write_text(page.read_text() + (
        "\nHere `frobnicator` is a flag.\n\n```python\n"
        '--8<-- "troubleshoot_snippets/query_errors.py:frob"\n```\n'))
    assert new_errors(paste_errors, project_copy) == []
    errors = new_errors(coverage_errors, project_copy)
    assert len(errors) == 1, errors
    assert "query_errors.py:frob needs `frobnicator`" in errors[0]
    assert errors[0].startswith("docs/query-errors.md:")


def test_a_section_listed_as_run_elsewhere_must_be_run_there(project_copy, monkeypatch):
    listed = ("troubleshoot_snippets/docker_cluster.py", "start_clipper")
    monkeypatch.setitem(EXECUTED_ELSEWHERE, listed, ("tests/live/test_docker_cluster_live.py", "why"))
    (project_copy / "tests" / "live").mkdir(parents=True)
    test_file = project_copy / "tests" / "live" / "test_docker_cluster_live.py"
    test_file.write_text('code = section("troubleshoot_snippets/docker_cluster.py", "start_over")\n')
    errors = new_errors(coverage_errors, project_copy)
    assert len(errors) == 1 and "never takes its text" in errors[0], errors
    test_file.write_text('code = section("troubleshoot_snippets/docker_cluster.py", "start_clipper")\n')
    assert new_errors(coverage_errors, project_copy) == []


def test_every_listed_elsewhere_test_runs_its_section():
    for (path, name), (test_file, why) in EXECUTED_ELSEWHERE.items():
        assert (path, name) in python_sections(), "{}:{} is not shown".format(path, name)
        assert why and runs_section_text(ROOT / test_file, path, name)


def test_run_alone_has_only_the_given_names():
    """The namespace is fresh: what the test process imported is not in it."""
    namespace, printed = run_alone("troubleshoot_snippets/model_functions.py", "right_interface", {})
    assert printed == "" and callable(namespace["predict_sums"])
    assert "requests" not in namespace and "clipper_admin" not in namespace
    with pytest.raises(NameError, match="name 'clipper_conn' is not defined"):
        run_alone("troubleshoot_snippets/docker_cluster.py", "get_query_addr", {})


def test_the_live_paste_test_can_set_every_input_it_promises():
    """LIVE_INPUTS and the values the live test makes are the same names."""
    source = (ROOT / paste_alone.LIVE_TEST).read_text()
    missing = [n for n in sorted(paste_alone.LIVE_INPUTS) if '"{}"'.format(n) not in source]
    assert not missing, "{} makes no value for {}".format(paste_alone.LIVE_TEST, missing)
