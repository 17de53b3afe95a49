// pg_store.cpp: being written (see pg_store.hpp).
