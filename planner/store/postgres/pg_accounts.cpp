// pg_accounts.cpp: being written (see pg_accounts.hpp).
