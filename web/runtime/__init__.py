"""What keeps the serving process fit: the worker pool for CPU-bound steps (`workers`,
`forkserver`), memory trimming (`memory`), the garbage collector (`heap`), the deleting of
expired files (`sweep`), start-up imports (`warmup`), and blocking generators in threads
(`threads`)."""
