#pragma once
// Runs the real titrate binary in a fresh temporary folder (never the user's data) and captures
// exit code, stdout and stderr. TITRATE_DB, TITRATE_TODAY, TITRATE_USER and TITRATE_ROLE are
// cleared so the tests see only what they pass.
#include <filesystem>
#include <string>
#include <vector>

namespace titrate::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::filesystem::path &path() const { return path_; }
  std::string file(const std::string &name) const { return (path_ / name).string(); }
  // Writes `text` to `name` inside the folder and returns its path.
  std::string write(const std::string &name, const std::string &text) const;

private:
  std::filesystem::path path_;
};

// Runs `titrate args...` with cwd = dir, stdin from `input`; env entries "K=V" are added.
RunResult run_titrate(const TempDir &dir, const std::vector<std::string> &args,
                      const std::string &input = "", const std::vector<std::string> &env = {});
// The same with another executable (e.g. a copy of titrate in a folder of its own).
RunResult run_binary(const std::string &binary, const TempDir &dir,
                     const std::vector<std::string> &args, const std::string &input = "",
                     const std::vector<std::string> &env = {});

// SHA-256-free but exact: the file's bytes (for "byte-identical after a refused command").
std::string file_bytes(const std::string &path);

// The repository root (formulary/, schedules/ live there).
std::string source_dir();

} // namespace titrate::test
