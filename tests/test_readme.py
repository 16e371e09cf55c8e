"""The README shows real output: its Python session runs as a doctest, and each plain
``$ symdiff ...`` example in it prints exactly what the README says."""
import doctest
import re
import shlex
from pathlib import Path

import pytest

from conftest import REPO, run_in_process

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, flags=re.S | re.M)


def test_python_examples_run_as_shown():
    sessions = [body for lang, body in BLOCKS if lang == "python" and ">>>" in body]
    assert sessions
    for body in sessions:
        test = doctest.DocTestParser().get_doctest(body, {}, "README", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        assert runner.failures == 0, f"{runner.failures} README example(s) print something else"


def _shell_examples():
    """(argv, expected stdout) for each ``$ symdiff ...`` line in plain blocks, up to the
    next ``$`` line; examples with pipes or elided output (``...``) are left out."""
    examples = []
    for lang, body in BLOCKS:
        if lang:
            continue
        chunks = re.split(r"^\$ ", body, flags=re.M)[1:]
        for chunk in chunks:
            command, _, output = chunk.partition("\n")
            command = command.split("  #")[0].strip()
            if not command.startswith("symdiff ") or "|" in command or "..." in output:
                continue
            examples.append((shlex.split(command)[1:], output.rstrip("\n")))
    return examples


SHELL = _shell_examples()


def test_the_readme_has_shell_examples():
    assert len(SHELL) >= 15


@pytest.mark.parametrize("argv, expected", SHELL, ids=[" ".join(a)[:60] for a, _ in SHELL])
def test_shell_example_prints_what_the_readme_says(argv, expected):
    result = run_in_process(argv, cwd=REPO)     # examples name files as from the top folder
    printed = (result.stdout + result.stderr).rstrip("\n")
    assert printed == expected
    assert result.returncode == (2 if result.stderr else 0)
