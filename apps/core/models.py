"""Core has no models of its own; this module makes Django send it the migrate signals."""
