"""The command line, run in-process: summary, progress, errors, --strict, --help."""

from __future__ import annotations

import pytest

from generator.cli import main
from tests.conftest import dump_text, generate, make_project

PAPERS = [
    ("Graph Neural Networks for Molecules", "We learn molecular graphs with message passing. Results are strong."),
    ("Diffusion Models for Images", "We generate images by denoising diffusion. Samples look real."),
]


def test_summary_line_and_progress(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS),
                                      "002.txt": dump_text(PAPERS[0], date="Mar 14")})
    status = main(["--dumps", str(project / "dumps"), "--docs", str(project / "docs"),
                   "--config", str(project / "mkdocs.yml")])
    out, err = capsys.readouterr()
    assert status == 0
    assert out.startswith("2 dumps, 2 papers (1 duplicates merged); pages: ")
    assert "Reading 2 dumps" in err and "Writing" in err
    assert (project / "docs/papers/graph-neural-networks-for-molecules.md").exists()


def test_cut_off_title_is_an_error_and_nothing_is_written(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS) + "Cut Off Title\n"})
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert f"{project / 'dumps/001.txt'}:7: error: title without an abstract" in err
    assert "nothing written" in err
    assert not (project / "docs/papers").exists()


def test_a_warning_fails_under_strict_without_writing(tmp_path, capsys):
    """Same title, unrelated abstracts: two papers and a warning; --strict refuses."""
    other = (PAPERS[0][0], "We bake bread with sourdough starters in cold ovens overnight.")
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS), "002.txt": dump_text(other)})
    assert generate(project, "--strict") == 1
    err = capsys.readouterr().err
    assert f"{project / 'dumps/002.txt'}:3: warning: same title as papers/" in err
    assert "1 warning(s) and --strict; nothing written" in err
    assert not (project / "docs/papers").exists()
    assert generate(project) == 0
    assert "3 papers" in capsys.readouterr().out


def test_bad_dumps_are_all_reported_and_nothing_is_written(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS), "002.txt": b"\xff\xfe",
                                      "003.txt": ""})
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert f"{project / 'dumps/002.txt'}:1: error: not UTF-8 text" in err
    assert f"{project / 'dumps/003.txt'}:1: error: empty dump" in err
    assert "2 bad dump(s); nothing written" in err
    assert not (project / "docs/papers").exists()


def test_missing_dumps_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["--dumps", str(tmp_path / "nope"), "--docs", str(tmp_path / "docs"),
                 "--config", str(tmp_path / "mkdocs.yml")]) == 1
    assert "no such folder of dumps" in capsys.readouterr().err


def test_bad_config_reports_every_value(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    (project / "mkdocs.yml").write_text(
        "site_name: x\nextra:\n  generator:\n    related_count: many\n    colour: red\n")
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert "Config value 'related_count': expected int, got 'many'" in err
    assert "Config value 'colour': unknown setting" in err


def test_help_describes_the_options(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for option in ("--dumps", "--docs", "--config", "--strict", "--quiet", "example:"):
        assert option in out


@pytest.mark.parametrize(
    ("mkdocs_yml", "message"),
    [
        ("- a list\n", "mkdocs.yml: expected a mapping of settings at the top"),
        ("site_name: x\nextra: [1, 2]\n", "Config value 'extra': expected a mapping"),
        ("site_name: x\nextra:\n  generator: 5\n",
         "Config value 'extra.generator': expected a mapping"),
    ],
)
def test_misshapen_config_is_a_clear_error(tmp_path, capsys, mkdocs_yml, message):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    (project / "mkdocs.yml").write_text(mkdocs_yml)
    assert generate(project) == 1
    assert message in capsys.readouterr().err
