"""Benchmarks (``make bench``): each module compares our figure with a baseline measured in the
same run and reports the ratio against its target."""
