"""Running the processes: log lines, metrics, the data folder and the garbage collector's settings."""
