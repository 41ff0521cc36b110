"""The primitive gates, one class each, by family: elementwise, reduce, shape, linalg."""
