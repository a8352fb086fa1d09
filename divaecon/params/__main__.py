"""``python -m divaecon.params`` prints the table of assumptions that ``ASSUMPTIONS.md`` holds."""

from divaecon.params.scenario import assumptions_table

if __name__ == "__main__":  # pragma: no cover
    print(assumptions_table())
