"""Drawing a formula's computational graph with Graphviz.

The graph is the one ``symdiff explain`` prints (``explain.graph_nodes``): the variables on
the left, one box per step (``z0 = w*x``), the output last, each shared subexpression drawn
once. Given a point, each node also shows its forward value and its adjoint, and each edge
the local derivative of the node it enters.

DOT text is built with the ``graphviz`` Python package and needs nothing else; SVG, PNG and
PDF are rendered by Graphviz's ``dot`` program. When ``dot`` is missing, the DOT file is
written anyway and ``DotNotFound`` says where and how to render it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..core.errors import SymdiffError
from .explain import format_value, graph_nodes
from ..core.nodes import as_expr
from ..printing.text import to_text

#: ``symdiff graph`` refuses to draw more nodes than this unless told otherwise
#: (``--max-nodes``): past a few hundred boxes a drawing is slow to lay out and unreadable.
MAX_NODES = 400
#: File types written as DOT text, and those rendered by ``dot``.
DOT_SUFFIXES = (".dot", ".gv")
RENDERED_SUFFIXES = (".svg", ".png", ".pdf")


class DrawingError(SymdiffError):
    """A graph that cannot be drawn as asked (too large, or a file that cannot be written)."""


class DotNotFound(DrawingError):
    """Rendering needs Graphviz's ``dot``, which is not installed; ``dot_path`` holds the
    DOT text written instead."""

    def __init__(self, message: str, dot_path: Path):
        super().__init__(message)
        self.dot_path = dot_path


def to_dot(expr, point=None, name: str | None = None, max_nodes: int | None = None) -> str:
    """The computational graph of ``expr`` as DOT text (Graphviz's language).

    With ``point`` (a dict of values), nodes show their value and adjoint and edges their
    local derivatives. ``max_nodes`` caps the size: a larger graph is a ``DrawingError``.
    """
    import graphviz

    expr = as_expr(expr)
    nodes = graph_nodes(expr, point, name)
    if max_nodes is not None and len(nodes) > max_nodes:
        raise DrawingError(f"the graph has {len(nodes)} nodes, more than the {max_nodes} "
                           "drawn at most (a drawing that large is unreadable)")
    output = nodes[-1].name
    title = f"{output} = {to_text(expr, max_length=200)}"
    if point is not None:
        title += " at " + ", ".join(f"{n.name} = {format_value(n.value)}"
                                    for n in nodes if n.is_input)
    dot = graphviz.Digraph("symdiff", graph_attr={
        "rankdir": "LR", "label": title, "labelloc": "t", "fontname": "Helvetica"},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "gray40"})
    ids = {node.name: f"n{i}" for i, node in enumerate(nodes)}
    for node in nodes:
        lines = [node.name if node.is_input else f"{node.name} = {node.definition}"]
        if point is not None:
            if not node.is_input:
                lines.append(f"{node.name} = {format_value(node.value)}")
            else:
                lines[0] += f" = {format_value(node.value)}"
            lines.append(f"d{output}/d{node.name} = {format_value(node.adjoint)}")
        attrs = ({"shape": "ellipse", "style": "filled", "fillcolor": "lightyellow"}
                 if node.is_input else {"shape": "box", "style": "rounded"})
        if node is nodes[-1]:
            attrs["peripheries"] = "2"
        dot.node(ids[node.name], "\\n".join(lines), **attrs)   # DOT's escape for a line break
    for node in nodes:
        local = dict(node.local)
        for source in node.inputs:
            label = (f"d{node.name}/d{source} = {format_value(local.get(source))}"
                     if point is not None else "")
            dot.edge(ids[source], ids[node.name], label=label or None)
    return dot.source


def _write(path: Path, data) -> None:
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as error:
        raise DrawingError(f"cannot write {path}: {error.strerror or error}") from None


def write_graph(expr, path, point=None, name: str | None = None,
                max_nodes: int | None = MAX_NODES) -> Path:
    """Draw the graph of ``expr`` into ``path``: DOT text for ``.dot``/``.gv``, a picture
    for ``.svg``/``.png``/``.pdf`` (rendered by Graphviz's ``dot``). Returns the path.

    Raises ``DotNotFound`` (after writing the DOT text next to ``path``, with a ``.dot``
    suffix) when ``dot`` is not installed, and ``DrawingError`` for another file type.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in DOT_SUFFIXES + RENDERED_SUFFIXES:
        *others, last = DOT_SUFFIXES + RENDERED_SUFFIXES
        raise DrawingError(f"{path}: the file name must end in {', '.join(others)} or {last}")
    source = to_dot(expr, point, name, max_nodes)
    if suffix in DOT_SUFFIXES:
        _write(path, source)
        return path
    import graphviz

    picture = None
    if shutil.which("dot") is not None:
        try:
            picture = graphviz.Source(source).pipe(format=suffix[1:], engine="dot")
        except graphviz.ExecutableNotFound:
            picture = None
        except graphviz.CalledProcessError as error:
            detail = (error.stderr or b"").decode(errors="replace").strip()
            raise DrawingError(f"Graphviz's dot could not draw {path}: "
                               f"{detail or error}") from None
    if picture is None:
        dot_path = path.with_suffix(".dot")
        _write(dot_path, source)
        raise DotNotFound(
            f"drawing {path} needs Graphviz's dot program, which was not found; the graph "
            f"was written to {dot_path} instead. Install Graphviz (e.g. apt-get install "
            f"graphviz) and run: dot -T{suffix[1:]} {dot_path} -o {path}", dot_path)
    _write(path, picture)
    return path
