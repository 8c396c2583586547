"""Large-table work allocates Arrow memory from jemalloc (mimalloc, pyarrow's default, commits
whole arenas the kernel backs with huge pages it compacts memory for: more system CPU), and
arrays made before the switch stay usable."""

from __future__ import annotations

import pyarrow as pa
import pytest

from engine.memory import keep_freed_memory


def test_large_table_work_puts_arrow_on_jemalloc():
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow is built without jemalloc: the pool is left as it is")
    before = pa.array(list(range(1000)))
    keep_freed_memory()
    assert pa.default_memory_pool().backend_name == "jemalloc"
    after = pa.array(list(range(1000)))
    assert before.equals(after) and pa.concat_arrays([before, after]).sum().as_py() == 999000


def _openblas_threads() -> int | None:
    """The thread count numpy's OpenBLAS reports; None where there is no OpenBLAS to ask."""
    import ctypes

    import numpy  # noqa: F401 - loads its BLAS

    with open("/proc/self/maps") as fh:
        paths = {line.split()[-1] for line in fh if "openblas" in line.lower()}
    for path in paths:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(lib, name):
                return getattr(lib, name)()
    return None


def test_large_table_work_keeps_openblas_to_one_thread():
    """Its spare threads busy-wait after each dot product, taking CPU from the column pools."""
    try:
        if _openblas_threads() is None:
            pytest.skip("numpy here is not built on OpenBLAS")
    except OSError:
        pytest.skip("no /proc/self/maps: not Linux")
    keep_freed_memory()
    assert _openblas_threads() == 1
