"""Tools for developing sitrep (tests and benchmarks), not used by the pipeline itself."""
