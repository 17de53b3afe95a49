// cmd_db.cpp: being written (`titrate db copy`).
