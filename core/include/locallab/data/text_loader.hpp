#pragma once
// Loads CSV, TSV, semicolon- and whitespace-separated text into a Dataset.
//
// Accepted: '#' comment lines and trailing '#' comments, blank lines, a header line (detected or
// forced), quoted fields ("a, b" and "say ""hi""" with doubled quotes), Windows line ends. Refused with
// a DataError naming file, line and column: an empty file, a header without rows, ragged rows, cells
// that are not numbers, and NaN or infinite values (every method downstream needs finite numbers).
// Only the columns that are used are parsed, so a text column nobody asked for does no harm.

#include "locallab/data/dataset.hpp"
#include "locallab/data/load_options.hpp"

#include <string>
#include <string_view>

namespace locallab {

// Reads the whole file with one read and parses it in place.
Dataset loadTextFile(const std::string& path, const LoadOptions& options = {});

// Parses text already in memory; `fileName` is only used in messages and Dataset::origin.
Dataset parseText(std::string_view text, const std::string& fileName, const LoadOptions& options = {});

} // namespace locallab
