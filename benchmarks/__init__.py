"""Speed and memory measurements (``make bench``). Not tests: nothing here asserts."""
