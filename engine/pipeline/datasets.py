"""The profile and analysis jobs on the executor, as events: a profile is one step (Started,
Warning*, Final); an analysis streams (Started, Warning*, Checked, DownloadWritten* with a
Warning for a download not written, Final);
Failed instead of the rest when a step fails.

`present`, when given, is a picklable function of the step's result (a `steps.Profiled` or
`steps.Analyzed`) run right after it, where it ran (in the app, a worker process: the serving
process then only sends what it made); Final.value (and an analysis's Checked.value) is what it
returns.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from . import steps
from .events import Checked, DownloadWritten, Event, Failed, Final, Started, Warning
from .executor import Executor
from .parse import file_work, is_quick


async def profile_job(path: str | Path, filename: str | None = None, *, executor: Executor,
                      sheet: str | None = None, dictionary: Any = None,
                      outdir: Callable[[], str | Path] | None = None,
                      present: Callable | None = None) -> AsyncIterator[Event]:
    """Profile a dataset, read with `dictionary`'s types and names when given (a dictionary
    file, a Schema or its compact form); its JSON download written into `outdir()`."""
    path = str(path)
    name = filename or Path(path).name
    yield Started("profile", name)
    step = functools.partial(steps.profile_step, present=present)
    out = None if outdir is None else str(outdir())
    work = file_work(path)
    async for event in _one_step(executor, "profile", step, path, name, sheet, dictionary, out,
                                 size=work.size, heavy=work.heavy):
        yield event


async def analyze_job(data_path: str | Path, dictionary_path: str | Path | None = None,
                      mapping: Any = None, *, executor: Executor, sheet: str | None = None,
                      data_filename: str | None = None, dictionary_filename: str | None = None,
                      dictionary_label: str | None = None, missing_values: Any = None,
                      dictionary_sheet: str | None = None,
                      outdir: Callable[[], str | Path] | None = None,
                      present: Callable | None = None) -> AsyncIterator[Event]:
    """Check a dataset against a dictionary (without one, against a starter schema inferred
    from the data): Checked as soon as the check ends, then each download written into
    `outdir()` (DownloadWritten), then Final.  `mapping`: column-to-field pairs (JSON text, a
    dict, or [[column, field], …]); `missing_values`: markers declared missing ('NA,NULL;
    Age=-9', a list, or a dict: see engine.markers); `dictionary_sheet`: the workbook sheet
    the dictionary is read from."""
    data_path = str(data_path)
    name = data_filename or Path(data_path).name
    yield Started("analyze", name)
    dictionary = str(dictionary_path) if dictionary_path else None
    options = {k: v for k, v in dict(sheet=sheet, data_filename=data_filename,
                                     dictionary_filename=dictionary_filename,
                                     dictionary_label=dictionary_label,
                                     missing_values=missing_values or None,
                                     dictionary_sheet=dictionary_sheet or None).items()
               if v is not None}
    work = file_work(data_path)
    heavy = work.heavy or bool(dictionary) and not is_quick(dictionary)
    out = None if outdir is None else str(outdir())
    items = executor.stream(steps.analyze_steps, data_path, dictionary, mapping, out, options,
                            present, size=work.size, heavy=heavy)
    try:
        async with contextlib.aclosing(items):
            async for item in items:
                if item[0] == "warnings":
                    for warning in item[1]:
                        yield Warning(warning)
                elif item[0] == "checked":
                    yield Checked(item[1])
                elif item[0] == "download":
                    yield DownloadWritten(*item[1:])
                else:
                    yield Final("analyze", value=item[1])
    except Exception as exc:  # noqa: BLE001 - the job's failure is its last event
        yield Failed(exc, "analyze")


async def _one_step(executor: Executor, job: str, step: Callable, *args: Any, size: int,
                    heavy: bool) -> AsyncIterator[Event]:
    """The step's warnings and its Final event, or Failed."""
    try:
        warnings, value = await executor.run(step, *args, size=size, heavy=heavy)
    except Exception as exc:  # noqa: BLE001 - the job's failure is its last event
        yield Failed(exc, job)
        return
    for warning in warnings:
        yield Warning(warning)
    yield Final(job, value=value)
