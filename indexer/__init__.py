"""The SQL index of what git holds, plus the state git cannot hold (executions, audit)."""
