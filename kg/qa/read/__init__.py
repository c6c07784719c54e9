"""Reading a question: what it asks (kinds, asks, indicator words, places, periods), as data."""
