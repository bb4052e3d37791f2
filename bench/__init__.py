"""On-demand benchmarks; each prints one JSON object. Not part of the test run."""
