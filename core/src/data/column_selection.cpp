#include "locallab/data/column_selection.hpp"

#include "locallab/data/data_error.hpp"

#include <algorithm>
#include <charconv>

namespace locallab {

namespace {

std::string listOf(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

std::size_t findColumn(const std::vector<std::string>& columnNames, const std::string& reference,
                       const std::string& file, long long line) {
    const auto named = std::find(columnNames.begin(), columnNames.end(), reference);
    if (named != columnNames.end()) {
        return static_cast<std::size_t>(named - columnNames.begin());
    }
    std::size_t number = 0;
    const char* end = reference.data() + reference.size();
    const auto [stop, error] = std::from_chars(reference.data(), end, number);
    const bool isNumber = !reference.empty() && error == std::errc() && stop == end;
    if (!isNumber) {
        throw DataError({file, line, 0, {}},
                        "no column named '" + reference + "'; columns are " + listOf(columnNames));
    }
    if (number < 1 || number > columnNames.size()) {
        throw DataError({file, line, 0, {}},
                        "column number " + reference + " is out of range; columns are numbered 1 to " +
                            std::to_string(columnNames.size()) + " (" + listOf(columnNames) + ")");
    }
    return number - 1;
}

std::optional<std::size_t> findOptionalColumn(const std::vector<std::string>& columnNames,
                                              const std::string& reference, const std::string& file,
                                              long long line) {
    if (reference.empty()) {
        return std::nullopt;
    }
    return findColumn(columnNames, reference, file, line);
}

} // namespace

std::vector<std::string> defaultColumnNames(std::size_t count) {
    std::vector<std::string> names;
    names.reserve(count);
    for (std::size_t column = 1; column <= count; ++column) {
        names.push_back("x" + std::to_string(column));
    }
    return names;
}

ColumnRoles resolveColumns(const std::vector<std::string>& columnNames, const LoadOptions& options,
                           const std::string& file, long long line) {
    ColumnRoles roles;
    roles.targetColumn = findOptionalColumn(columnNames, options.targetColumn, file, line);
    roles.labelColumn = findOptionalColumn(columnNames, options.labelColumn, file, line);
    if (roles.targetColumn && roles.targetColumn == roles.labelColumn) {
        throw DataError({file, line, 0, {}}, "column '" + columnNames[*roles.targetColumn] +
                                                 "' cannot be both the target and the label");
    }
    const auto hasOtherRole = [&](std::size_t column) {
        return column == roles.targetColumn || column == roles.labelColumn;
    };
    if (options.columns.empty()) {
        for (std::size_t column = 0; column < columnNames.size(); ++column) {
            if (!hasOtherRole(column)) {
                roles.pointColumns.push_back(column);
            }
        }
    } else {
        for (const auto& reference : options.columns) {
            const std::size_t column = findColumn(columnNames, reference, file, line);
            if (hasOtherRole(column)) {
                throw DataError({file, line, 0, {}},
                                "column '" + columnNames[column] + "' is already the target or the label");
            }
            roles.pointColumns.push_back(column);
        }
    }
    if (roles.pointColumns.empty()) {
        throw DataError({file, line, 0, {}},
                        "no column is left for the points; columns are " + listOf(columnNames));
    }
    return roles;
}

} // namespace locallab
