"""symdiff graph and symdiff.to_dot: the explained graph in Graphviz's DOT language, each
shared subexpression drawn once, and pictures rendered by dot when it is installed (and a
clear message, with the DOT file written anyway, when it is not)."""
import re
import shutil

import graphviz
import pytest

import symdiff
from symdiff import parse, to_dot
from symdiff.cli import commands as cli
from symdiff.teaching.drawing import DotNotFound, write_graph

NODE = re.compile(r"^\s*(n\d+) \[label=(\"[^\"]*\"|\S+)", re.M)
EDGE = re.compile(r"^\s*(n\d+) -> (n\d+)", re.M)


def labels(dot: str) -> list[str]:
    return [label.strip('"') for _, label in NODE.findall(dot)]


def test_the_seed_graph_with_values_and_adjoints():
    dot = to_dot(parse("(w*x + b - y)^2"), {"x": 4, "w": 1, "b": -3, "y": 3})
    assert labels(dot) == [
        "w = 1\\ndL/dw = -16", "x = 4\\ndL/dx = -4", "b = -3\\ndL/db = -4", "y = 3\\ndL/dy = 4",
        "z0 = w*x\\nz0 = 4\\ndL/dz0 = -4", "z1 = z0 + b\\nz1 = 1\\ndL/dz1 = -4",
        "z2 = z1 - y\\nz2 = -2\\ndL/dz2 = -4", "L = z2^2\\nL = 4\\ndL/dL = 1"]
    assert len(EDGE.findall(dot)) == 7
    assert 'n6 -> n7 [label="dL/dz2 = -4"]' in dot
    assert 'label="L = (w*x + b - y)^2 at w = 1, x = 4, b = -3, y = 3"' in dot


def test_without_a_point_only_the_operations():
    dot = to_dot(parse("(apple*apple_count + orange*orange_count)*tax"))
    assert labels(dot) == ["apple", "apple_count", "orange", "orange_count", "tax",
                           "z0 = apple*apple_count", "z1 = orange*orange_count",
                           "z2 = z0 + z1", "L = tax*z2"]
    assert "label=\"d" not in dot


@pytest.mark.parametrize("text, nodes, edges", [
    ("sin(x)^2 + sin(x)", 4, 4),                        # x, sin(x) once, its square, the sum
    ("sin(x)*cos(sin(x)) + exp(sin(x))", 6, 7),
    ("x*y + x*y*z", 6, 6),
])
def test_shared_subexpressions_are_drawn_once(text, nodes, edges):
    dot = to_dot(parse(text), None)
    assert len(NODE.findall(dot)) == nodes and len(EDGE.findall(dot)) == edges
    assert sum("sin(x)" in label for label in labels(dot)) <= 1


def test_a_dag_with_an_exponential_tree_is_drawn_linearly():
    f = symdiff.Var("x")
    for _ in range(30):
        f = symdiff.sin(f) * symdiff.cos(f)          # written out: 2^30 copies of x
    dot = to_dot(f, max_nodes=200)
    assert len(NODE.findall(dot)) == 91


def test_too_many_nodes(capsys):
    f = parse(" + ".join(f"x{i}" for i in range(10)))
    with pytest.raises(symdiff.SymdiffError, match="19 nodes, more than the 5 drawn"):
        to_dot(f, max_nodes=5)
    assert cli.main(["graph", str(f), "--max-nodes", "5"]) == 2
    assert "more than the 5 drawn at most" in capsys.readouterr().err


def test_dot_on_stdout_and_in_a_file(capsys, tmp_path):
    assert cli.main(["graph", "-x^2", "--at", "x=3"]) == 0        # -x^2 is still a formula
    printed = capsys.readouterr().out
    assert printed.startswith("digraph symdiff {") and "L = -z0\\nL = -9" in printed
    path = tmp_path / "g.dot"
    assert cli.main(["graph", "-x^2", "--at", "x=3", "-o", str(path)]) == 0
    assert capsys.readouterr().out == f"wrote {path}\n"
    assert path.read_text() == printed


def _no_dot(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)


def test_without_dot_the_dot_file_is_written_and_a_message_says_so(capsys, tmp_path,
                                                                   monkeypatch):
    _no_dot(monkeypatch)
    svg = tmp_path / "seed.svg"
    assert cli.main(["graph", "(w*x + b - y)^2", "-o", str(svg)]) == 2
    captured = capsys.readouterr()
    dot_path = tmp_path / "seed.dot"
    assert captured.out == ""
    assert captured.err == (
        f"symdiff: error: drawing {svg} needs Graphviz's dot program, which was not found; "
        f"the graph was written to {dot_path} instead. Install Graphviz (e.g. apt-get install "
        f"graphviz) and run: dot -Tsvg {dot_path} -o {svg}\n")
    assert not svg.exists() and dot_path.read_text().startswith("digraph symdiff {")


def test_dot_missing_as_graphviz_reports_it(tmp_path, monkeypatch):
    def missing(*args, **kwargs):
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: "/usr/bin/dot")
    monkeypatch.setattr(graphviz.Source, "pipe", missing)
    with pytest.raises(DotNotFound) as error:
        write_graph(parse("x*y"), tmp_path / "g.png")
    assert error.value.dot_path == tmp_path / "g.dot" and (tmp_path / "g.dot").exists()
    assert not (tmp_path / "g.png").exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_when_dot_is_installed(tmp_path, capsys):
    svg = tmp_path / "seed.svg"
    assert cli.main(["graph", "(w*x + b - y)^2", "--at", "x=4,w=1,b=-3,y=3", "-o",
                     str(svg)]) == 0
    text = svg.read_text()
    assert "<svg" in text and "dL/dz2 = &#45;4" in text


@pytest.mark.parametrize("args, message", [
    (["graph", "x", "-o", "g.txt"], "g.txt: the file name must end in .dot, .gv, .svg, .png or .pdf"),
    (["graph", "x", "-o", "no/such/folder/g.dot"], "cannot write no/such/folder/g.dot"),
    (["graph", "x", "--name", "x"], "--name: the formula already has a variable named 'x'"),
    (["graph", "x", "--max-nodes", "0"], "expected a positive whole number"),
    (["graph", "log(x)", "--at", "x=0"], "log needs a positive argument"),
])
def test_bad_input(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert not list(tmp_path.iterdir())
