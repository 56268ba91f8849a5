"""sitrep: sourced, geolocated, time-resolved event data from war reporting."""

__version__ = "0.1.0"
