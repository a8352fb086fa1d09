"""``python -m divaecon.params`` prints the tables of assumptions that ``ASSUMPTIONS.md`` holds: every
parameter, how well each uncertain default is known (:func:`divaecon.uncertainty.uncertainty_table`) and the
record of events behind the rates (:func:`divaecon.records.event_rates_table`)."""

from divaecon.params.scenario import assumptions_table

if __name__ == "__main__":  # pragma: no cover
    from divaecon.records import event_rates_table
    from divaecon.uncertainty import uncertainty_table

    print(assumptions_table())
    print()
    print(uncertainty_table())
    print()
    print(event_rates_table())
