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
