"""Synthetic, deterministic data at provincial scale for the benchmarks (bench/).

Not used by the running platform; ``manage.py synth_load`` fills a database.
"""
