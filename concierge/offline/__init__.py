"""The deterministic offline model: no network, no weights beyond the bundled MiniLM."""
