#pragma once

// SHA-256 for model content hashes: the models table dedupes on it, so it must be a real
// cryptographic digest (a 64-bit hash would make collisions plausible over large generated sets).

#include <cstddef>
#include <string>
#include <string_view>

namespace sniper::db {

// Lower-case hex digest (64 characters) of the given bytes.
std::string sha256Hex(const void *data, size_t size);
inline std::string sha256Hex(std::string_view text) { return sha256Hex(text.data(), text.size()); }

} // namespace sniper::db
