#include "tests/cli/run.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace titrate::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    auto p = fs::temp_directory_path() / ("titrate-test-" + std::to_string(rd()));
    if (fs::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string &name, const std::string &text) const {
  const auto p = path_ / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

std::string file_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string source_dir() {
  return TITRATE_SOURCE_DIR;
}

namespace {
std::string read_all(const fs::path &p) {
  return file_bytes(p.string());
}
} // namespace

RunResult run_titrate(const TempDir &dir, const std::vector<std::string> &args,
                      const std::string &input, const std::vector<std::string> &env) {
  return run_binary(TITRATE_BINARY, dir, args, input, env);
}

RunResult run_binary(const std::string &binary, const TempDir &dir,
                     const std::vector<std::string> &args, const std::string &input,
                     const std::vector<std::string> &env) {
  const auto in_path = dir.path() / ".stdin";
  const auto out_path = dir.path() / ".stdout";
  const auto err_path = dir.path() / ".stderr";
  std::ofstream(in_path, std::ios::binary) << input;

  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (chdir(dir.path().c_str()) != 0)
      _exit(127);
    if (!freopen(in_path.c_str(), "rb", stdin))
      _exit(127);
    if (!freopen(out_path.c_str(), "wb", stdout))
      _exit(127);
    if (!freopen(err_path.c_str(), "wb", stderr))
      _exit(127);
    for (const char *v : {"TITRATE_DB", "TITRATE_TODAY", "TITRATE_USER", "TITRATE_ROLE"})
      unsetenv(v);
    setenv("XDG_DATA_HOME", dir.path().c_str(), 1);
    for (const auto &kv : env) {
      const auto eq = kv.find('=');
      setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
    }
    std::vector<char *> argv;
    std::string bin = binary;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto &a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_all(out_path);
  r.err = read_all(err_path);
  return r;
}

} // namespace titrate::test
