#include "locallab/data/label_encoding.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace locallab {

namespace {

std::optional<int> parseInteger(const std::string& cell) {
    const char* begin = cell.data();
    const char* end = begin + cell.size();
    if (begin != end && *begin == '+') {
        ++begin;
    }
    int value = 0;
    const auto [stop, error] = std::from_chars(begin, end, value);
    if (begin == end || error != std::errc() || stop != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<Eigen::VectorXi> asIntegers(const std::vector<std::string>& cells) {
    Eigen::VectorXi labels(static_cast<Eigen::Index>(cells.size()));
    for (std::size_t row = 0; row < cells.size(); ++row) {
        const auto value = parseInteger(cells[row]);
        if (!value) {
            return std::nullopt;
        }
        labels(static_cast<Eigen::Index>(row)) = *value;
    }
    return labels;
}

} // namespace

EncodedLabels encodeLabels(const std::vector<std::string>& cells) {
    if (auto integers = asIntegers(cells)) {
        return {std::move(*integers), {}};
    }
    std::vector<std::string> names = cells;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    Eigen::VectorXi labels(static_cast<Eigen::Index>(cells.size()));
    for (std::size_t row = 0; row < cells.size(); ++row) {
        const auto found = std::lower_bound(names.begin(), names.end(), cells[row]);
        labels(static_cast<Eigen::Index>(row)) = static_cast<int>(found - names.begin());
    }
    return {std::move(labels), std::move(names)};
}

} // namespace locallab
