"""The shipped travel and dining catalog: schema, validated loading, and ranked search."""
