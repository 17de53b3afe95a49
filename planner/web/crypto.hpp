#pragma once
// The secrets of `titrate serve`, all from libsodium: Argon2id password hashes (crypto_pwhash_str,
// interactive limits), 128-bit random tokens for patient links and sessions (hex, 32 characters),
// and the BLAKE2b-256 digest under which a token is stored (the token itself never is).
#include <string>
#include <string_view>

namespace titrate::web {

// Throws StorageError if libsodium cannot start (it never should).
void crypto_init();

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string &hash);

std::string random_token();                       // 16 random bytes as 32 lower-case hex digits
std::string token_digest(std::string_view token); // hex BLAKE2b-256 of the token text
bool equal_secret(std::string_view a, std::string_view b); // constant time for equal lengths

} // namespace titrate::web
