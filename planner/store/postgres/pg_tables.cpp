// pg_tables.cpp: being written (raw table access for `titrate db copy`).
