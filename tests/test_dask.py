"""Compiled NumPy functions on Dask arrays (``codegen.chunked``): lazy dask results equal to
the NumPy backend's, one call of the compiled function per chunk; compiled functions pickle
(rebuilt from their expressions); a gradient computed on a ``dask.distributed`` cluster."""
import pickle
import subprocess
import sys

import numpy as np
import pytest

import symdiff
from symdiff.codegen import chunked

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

FORMULA = "x^2*y + sin(x)*exp(-y)"


@pytest.fixture
def calls(monkeypatch):
    """The chunks the compiled function is called on (the shapes of its array arguments)."""
    seen = []
    block = chunked.block

    def counted(compiled, first, *chunks):
        seen.append(tuple(np.shape(c) for c in chunks))
        return block(compiled, first, *chunks)

    monkeypatch.setattr(chunked, "block", counted)
    return seen


def _gradient(backend="numpy"):
    f = symdiff.parse(FORMULA)
    return symdiff.lambdify(symdiff.gradient(f, ["x", "y"]), ["x", "y"], backend=backend)


def test_a_gradient_is_lazy_and_computed_chunk_by_chunk(calls):
    g = _gradient()
    xs, ys = np.linspace(-2, 2, 10), np.linspace(0.5, 1.5, 10)
    result = g(da.from_array(xs, chunks=4), da.from_array(ys, chunks=4))
    assert calls == []                                     # nothing computed yet
    assert [type(r) for r in result] == [da.Array, da.Array]
    assert [r.chunks for r in result] == [((4, 4, 2),)] * 2
    values = dask.compute(*result, scheduler="sync")
    assert sorted(calls) == [((2,), (2,)), ((4,), (4,)), ((4,), (4,))]   # once a chunk, both rows
    np.testing.assert_allclose(values, g(xs, ys), rtol=1e-15, atol=0)


def test_numbers_and_numpy_arrays_beside_dask_arrays(calls):
    g = _gradient()
    xs = np.arange(12.0).reshape(3, 4) / 7
    x = da.from_array(xs, chunks=(2, 2))
    values = dask.compute(*g(x, 0.25), scheduler="sync")
    np.testing.assert_allclose(values, g(xs, 0.25), rtol=1e-15, atol=0)
    assert len(calls) == 4 and all(shape[1] == () for shape in calls)   # 0.25 stays a number
    ys = np.linspace(1, 2, 4)                  # broadcast along the rows, split to the chunks
    values = dask.compute(*g(x, ys), scheduler="sync")
    np.testing.assert_allclose(values, g(xs, ys), rtol=1e-15, atol=0)


def test_one_output_and_a_hessian_keep_the_numpy_layout():
    f = symdiff.parse(FORMULA)
    xs = np.linspace(-1, 1, 7)
    x = da.from_array(xs, chunks=3)
    value = symdiff.lambdify(f, ["x", "y"])(x, 2.0)
    assert isinstance(value, da.Array) and value.shape == (7,)
    np.testing.assert_allclose(value.compute(scheduler="sync"), f.evaluate(x=xs, y=2.0))
    h = symdiff.lambdify(symdiff.hessian(f, ["x", "y"]), ["x", "y"])
    lazy = h(x, 2.0)
    assert lazy[0][1] is lazy[1][0]                      # mirror entries: one row
    (values,) = dask.compute(lazy, scheduler="sync")
    np.testing.assert_allclose(np.array(values), np.array(h(xs, 2.0)), rtol=1e-15, atol=0)


def test_the_graph_has_one_task_per_chunk():
    g = _gradient()
    x = da.from_array(np.linspace(0, 1, 100), chunks=10)
    dx, dy = g(x, x + 1)
    graph = dx.__dask_graph__()
    ours = [name for name in graph.layers if name.startswith("symdiff-")]
    assert len(ours) == 1 and len(graph.layers[ours[0]]) == 10


def test_dask_is_never_imported_by_symdiff():
    code = ("import sys, numpy, symdiff; f = symdiff.lambdify(symdiff.parse('x^2'), ['x']); "
            "f(numpy.ones(3)); print(sorted(m for m in sys.modules if m.startswith('dask')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_holds_dask_looks_only_at_imported_modules(monkeypatch):
    x = da.ones(3, chunks=2)
    assert chunked.holds_dask([1.0, x]) and not chunked.holds_dask([1.0, np.ones(3)])
    monkeypatch.delitem(sys.modules, "dask.array")
    assert not chunked.holds_dask([1.0, x])


@pytest.mark.parametrize("backend", ["numpy", "math"])
def test_compiled_functions_pickle_as_their_expressions(backend):
    g = _gradient(backend)
    copy = pickle.loads(pickle.dumps(g))
    assert copy is not g and copy.source == g.source and copy.vars == g.vars
    assert [float(v) for v in copy(0.3, 0.7)] == [float(v) for v in g(0.3, 0.7)]


def test_a_gradient_on_a_distributed_cluster():
    distributed = pytest.importorskip("dask.distributed")
    g = _gradient()
    xs, ys = np.linspace(-3, 3, 1000), np.linspace(0, 2, 1000)
    x, y = da.from_array(xs, chunks=250), da.from_array(ys, chunks=250)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        values = client.gather(client.compute(g(x, y)))
        on_worker = client.submit(pickle.loads, pickle.dumps(g)).result()
    np.testing.assert_allclose(values, g(xs, ys), rtol=1e-15, atol=0)
    assert on_worker.source == g.source
