#pragma once
// Turns the column references of LoadOptions into column positions, once the column names of a file
// are known, so the text and .npy loaders resolve them the same way and fail with the same messages.

#include "locallab/data/load_options.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

struct ColumnRoles {
    std::vector<std::size_t> pointColumns; // 0-based positions, in the order asked for
    std::optional<std::size_t> targetColumn;
    std::optional<std::size_t> labelColumn;
};

// The names a file without a header gets: x1, x2, ...
std::vector<std::string> defaultColumnNames(std::size_t count);

// Throws DataError at `file`:`line` when a reference names no column, a number is out of range, a
// column is used twice for different roles, or no column is left for the points.
ColumnRoles resolveColumns(const std::vector<std::string>& columnNames, const LoadOptions& options,
                           const std::string& file, long long line);

} // namespace locallab
