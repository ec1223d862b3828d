#pragma once
// Reads a whole file with a single read: the loaders then parse a buffer instead of a stream.

#include <string>

namespace locallab {

// Throws DataError naming the file when it cannot be opened or read.
std::string readFileContents(const std::string& path);

// "data/blobs.csv" → "blobs.csv": messages and titles show the name a user recognises.
std::string fileNameOf(const std::string& path);

} // namespace locallab
