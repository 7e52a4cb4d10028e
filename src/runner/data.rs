//! Iteration data files (`-d`): CSV and JSON, parsed as newman parses them.
