"""Pure computation: calendars, scheduling, levelling, earned value, finance.

Nothing here imports Django or reads the clock; every input is a plain frozen dataclass.
"""
