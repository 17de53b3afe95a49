// Loading titrate's modules on demand (planner/core/plugin.hpp).
#include "planner/core/plugin.hpp"

#include "planner/core/errors.hpp"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <vector>

#ifndef TITRATE_MODULE_DIR
#define TITRATE_MODULE_DIR "/usr/local/lib/titrate"
#endif

namespace titrate {
namespace {

// The folder of the running executable (/proc/self/exe), or "" when it cannot be read.
std::string executable_dir() {
  std::vector<char> buf(PATH_MAX + 1);
  const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0)
    return "";
  const std::string path(buf.data(), static_cast<std::size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

} // namespace

void *load_module(const std::string &name, const char *entry, const std::string &purpose) {
  static std::mutex mutex;
  static std::map<std::string, void *> loaded; // file name -> dlopen handle (never closed)
  const std::string file = "titrate-" + name + ".so";
  const std::lock_guard<std::mutex> lock(mutex);
  void *handle = nullptr;
  if (const auto it = loaded.find(file); it != loaded.end()) {
    handle = it->second;
  } else {
    std::vector<std::string> dirs;
    if (const std::string here = executable_dir(); !here.empty())
      dirs.push_back(here);
    if (dirs.empty() || dirs.front() != TITRATE_MODULE_DIR)
      dirs.push_back(TITRATE_MODULE_DIR);
    std::string tried, why;
    for (const auto &dir : dirs) {
      const std::string path = dir + "/" + file;
      tried += (tried.empty() ? "" : ", ") + path;
      if (access(path.c_str(), F_OK) != 0)
        continue;
      handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle)
        break;
      const char *err = dlerror();
      why = err ? err : "unknown loader error";
      break; // the file is there but does not load: say why rather than try an older copy
    }
    if (!handle) {
      throw RefusedError(
          "cannot " + purpose + ": titrate's module " + file +
          (why.empty() ? " was not found (looked for " + tried + ")" : " did not load: " + why) +
          "; reinstall titrate with its modules");
    }
    loaded.emplace(file, handle);
  }
  dlerror();
  void *sym = dlsym(handle, entry);
  if (!sym) {
    const char *err = dlerror();
    throw RefusedError("cannot " + purpose + ": titrate's module " + file + " has no entry " +
                       entry + (err ? std::string(": ") + err : std::string()) +
                       "; reinstall titrate with its modules");
  }
  return sym;
}

void require_same_build(const std::string &name, const char *version, unsigned long table_size,
                        unsigned long expected_size, const std::string &purpose) {
  if (std::strcmp(version, TITRATE_VERSION) != 0 || table_size != expected_size)
    throw RefusedError("cannot " + purpose + ": titrate-" + name + ".so is from titrate " +
                       version + " (another build), this is titrate " + TITRATE_VERSION +
                       "; reinstall titrate with its modules");
}

} // namespace titrate
