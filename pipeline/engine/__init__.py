"""Executors for many documents: serial, a process pool on this machine, or Dask.

One per-document function (`work.analyze_one`: path -> outcome) runs behind each; see
`executors.make_executor` and `pipeline.batch.analyze_files`.
"""
