"""The garbage collector, tuned for a server that starts big and then allocates per request."""

from __future__ import annotations

import gc

# Full collections: at most one per this many young-generation (gen 1) collections, instead of
# CPython's 10.  Under load each full collection walked the ~400k objects a hundred LLM jobs
# keep, stalled the serving thread for 70-200 ms and found next to nothing to free (the app's
# garbage is freed by reference counting or dies young).
FULL_COLLECTION_EVERY = 1000


def freeze_startup_heap() -> None:
    """Move every object alive after start-up out of the garbage collector's reach, and make
    full collections rare (see FULL_COLLECTION_EVERY).

    The app starts with a few hundred thousand long-lived objects (Gradio, pandas, the parser
    tables); a full collection walks all of them.  Frozen, they are never scanned again (they
    live as long as the process anyway), and collections only look at what requests allocate.
    Young collections keep their default pace: they are short and catch the cycles requests
    leave behind.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
