#include "planner/web/crypto.hpp"

#include "planner/core/errors.hpp"

#include <sodium.h>

#include <array>

namespace titrate::web {

namespace {

std::string to_hex(const unsigned char *bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

} // namespace

void crypto_init() {
  if (sodium_init() < 0)
    throw StorageError("libsodium: initialisation failed");
}

std::string hash_password(std::string_view password) {
  crypto_init();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw StorageError("password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool verify_password(std::string_view password, const std::string &hash) {
  crypto_init();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  crypto_init();
  std::array<unsigned char, 16> bytes{}; // 128 bits
  randombytes_buf(bytes.data(), bytes.size());
  return to_hex(bytes.data(), bytes.size());
}

std::string token_digest(std::string_view token) {
  crypto_init();
  std::array<unsigned char, crypto_generichash_BYTES> out{}; // 32 bytes
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char *>(token.data()),
                     token.size(), nullptr, 0);
  return to_hex(out.data(), out.size());
}

bool equal_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty())
    return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace titrate::web
