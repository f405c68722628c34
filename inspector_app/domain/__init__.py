"""Plain domain types shared by every layer: no I/O beyond reading the shipped catalogue."""
