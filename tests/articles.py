"""Short articles written for the tests (not from the seeds), shared by several test files."""

# The Friday before 2024-03-10 is 2024-03-08.
MACRON_SCHOLZ_MEETING = """---
title: Macron and Scholz meet in Berlin
source: Test Gazette
published: 2024-03-10
---
French President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Friday to discuss \
support for Ukraine.

The two leaders agreed to coordinate their next steps, officials said.
"""
