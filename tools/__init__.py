"""Offline tools: training and evaluation scripts, run as ``python -m tools.<name>``.

Nothing here is imported by the web app at run time.
"""
