"""``--points FILE.csv`` streamed (``cli.points_file``): the same output whatever the chunk
size, problems reported with the line an editor shows when the reading reaches them (what
was written before stays written), and memory that does not grow with the file."""
import contextlib
import csv
import math
import tracemalloc

import pytest

from symdiff.cli import main, points_file

pytest.importorskip("numpy")

#: Blank lines, a quoted cell over two lines, a short row, a row where log(x) is undefined.
MIXED = 'x,y,note\n1,2,a\n\n3,4,"two\nlines"\n-1,0.5,c\n5,6\n\n0.25,1e3,"x, y"\n'
EXPECTED = [
    "x,y,note,d/dx,d/dy",
    "1,2,a,4.0,0.0",
    f'3,4,"two\nlines",{16 / 3!r},{8 * math.log(3)!r}',
    "-1,0.5,c,,",                                   # log(-1): no derivative there
    f"5,6,,{36 / 5!r},{12 * math.log(5)!r}",        # the short row, padded
    f'0.25,1e3,"x, y",{1e6 / 0.25!r},{2e3 * math.log(0.25)!r}',
]

def _run(capsys, path, *more, command=("grad", "log(x)*y^2")):
    status = main([*command, "--points", str(path), *more])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("size", [1, 2, 3, None])
def test_the_output_does_not_depend_on_the_chunk_size(capsys, tmp_path, monkeypatch, size):
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED)
    if size:
        monkeypatch.setattr(points_file, "CHUNK_ROWS", size)
    status, out, err = _run(capsys, path)
    assert (status, err) == (0, "")
    assert out == "\n".join(EXPECTED) + "\n"


@pytest.mark.parametrize("size", [1, 2, 4, None])
@pytest.mark.parametrize("text, message", [
    ('x,y,n\n1,2,\n\n3,4,"a\nb"\n\n4,5\nbad,1\n', "line 8: x = 'bad' is not a number"),
    ('x,y\n1,2\n\n3,"4"\n5\n', "line 5: y = '' is not a number"),
    ('x,y\n\n"1",2\n1,2,3\n', "line 4: 3 cells but the header line names 2 columns"),
])
def test_errors_name_the_line_an_editor_shows(capsys, tmp_path, monkeypatch, size, text,
                                              message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    if size:
        monkeypatch.setattr(points_file, "CHUNK_ROWS", size)
    status, out, err = _run(capsys, path)
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("symdiff: error: --points ") and message in err


def test_a_bad_cell_far_down_is_reported_when_reached(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(points_file, "CHUNK_ROWS", 100)
    path = tmp_path / "long.csv"
    lines = ["x"] + [str(i) for i in range(1, 1000)]
    lines[499] = "1,5"                                  # line 500 has a cell too many
    path.write_text("\n".join(lines) + "\n")
    status, out, err = _run(capsys, path, command=("diff", "x^2", "x"))
    assert status == 2
    assert err == ("symdiff: error: --points " + str(path) + ", line 500: 2 cells but the "
                   "header line names 1 columns; the output columns would not line up\n")
    rows = out.splitlines()                             # the chunks before it: lines 2-401
    assert rows[0] == "x,d/dx" and len(rows) == 401 and rows[-1] == "400,800.0"


def test_a_problem_in_the_first_chunk_leaves_no_output(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x\n" + "1\n" * 1000 + "two\n")
    assert _run(capsys, path, command=("eval", "x"))[:2] == (2, "")


def test_a_header_alone_gives_the_header_line(capsys, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("\n x , y \n\n")
    assert _run(capsys, path)[:2] == (0, "x,y,d/dx,d/dy\n")


def _peak(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    with open(path, "w") as file:
        file.write("x,y\n")
        file.writelines(f"{i * 1e-5!r},{1 + i % 7}\n" for i in range(60_000))
    monkeypatch.setattr(points_file, "CHUNK_ROWS", 1000)

    def load():
        with open(path, newline="") as file:
            return len(list(csv.reader(file)))      # what reading it all would hold at least

    def stream():
        with open(tmp_path / "out.csv", "w") as out, contextlib.redirect_stdout(out):
            assert main(["grad", "x^2*y + sin(x)", "--points", str(path)]) == 0

    small = tmp_path / "small.csv"                  # imports and first compilation
    small.write_text("x,y\n1,2\n")
    with contextlib.redirect_stdout(None):
        main(["grad", "x^2*y + sin(x)", "--points", str(small)])
    full, streamed = _peak(load), _peak(stream)
    assert full > 6_000_000                     # 60,000 rows of cells take megabytes
    assert streamed < full / 5
    with open(tmp_path / "out.csv") as out:
        assert sum(1 for _ in out) == 60_001
