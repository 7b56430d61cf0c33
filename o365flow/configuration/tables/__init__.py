"""One validator per table of the configuration file. Each takes the raw table and the shared
``Problems`` list and returns the typed settings (defaults where a value was refused, so every
problem in the file is found in one go)."""
