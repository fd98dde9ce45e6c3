"""Benchmark suite of tradecurbs: a synthetic corpus generator and a stage-by-stage runner."""
