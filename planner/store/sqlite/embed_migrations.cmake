# cmake -DOUT=file.cpp -DFILES="a.sql|b.sql" -P embed_migrations.cmake
string(REPLACE "|" ";" FILES "${FILES}")
# Each file must be named NNN_name.sql; numbers must run 1, 2, 3 ... without gaps.
set(body "")
set(expected 1)
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME_WE)
  if(NOT name MATCHES "^([0-9][0-9][0-9])_([a-z0-9_]+)$")
    message(FATAL_ERROR "migration ${f}: expected a name like 001_initial.sql")
  endif()
  math(EXPR number "${CMAKE_MATCH_1}")
  if(NOT number EQUAL expected)
    message(FATAL_ERROR "migration ${f}: number ${number}, expected ${expected} (no gaps)")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ ${f} sql)
  string(FIND "${sql}" ")titrate_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "migration ${f}: contains the raw-string delimiter")
  endif()
  string(APPEND body "    {${number}, \"${CMAKE_MATCH_2}\", R\"titrate_sql(${sql})titrate_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from planner/store/sqlite/migrations/*.sql by embed_migrations.cmake.\n"
  "#include \"planner/store/sqlite/sqlite_store.hpp\"\n\n"
  "namespace titrate {\n\n"
  "const std::vector<Migration> &sqlite_migrations() {\n"
  "  static const std::vector<Migration> all{\n${body}  };\n"
  "  return all;\n}\n\n} // namespace titrate\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
