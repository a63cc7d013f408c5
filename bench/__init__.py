"""Benchmarks: `make bench` runs bench/run.py; the bench_*.py scripts run on their own."""
