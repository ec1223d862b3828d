#pragma once
// Reads the numeric CSV fixtures that the committed tests/fixtures/make_*_fixtures.py scripts write:
// a header row, then comma-separated numbers. Independent of LocalLab's own loaders on purpose, so a
// loader bug cannot hide a numerics bug.

#include <Eigen/Core>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace locallab::test {

struct CsvFixture {
    std::vector<std::string> header;
    Eigen::MatrixXd values;
    std::vector<std::vector<std::string>> cells; // every row as text, for non-numeric columns

    Eigen::Index column(const std::string& name) const {
        for (std::size_t c = 0; c < header.size(); ++c) {
            if (header[c] == name) {
                return static_cast<Eigen::Index>(c);
            }
        }
        throw std::out_of_range("fixture has no column " + name);
    }
};

inline std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ',')) {
        fields.push_back(field);
    }
    return fields;
}

inline CsvFixture readCsvFixture(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        throw std::runtime_error("cannot open fixture " + path);
    }
    CsvFixture fixture;
    std::string line;
    std::getline(file, line);
    fixture.header = splitCsvLine(line);
    while (std::getline(file, line)) {
        if (!line.empty()) {
            fixture.cells.push_back(splitCsvLine(line));
        }
    }
    const auto rows = static_cast<Eigen::Index>(fixture.cells.size());
    const auto columns = static_cast<Eigen::Index>(fixture.header.size());
    fixture.values = Eigen::MatrixXd::Constant(rows, columns, std::nan(""));
    for (Eigen::Index r = 0; r < rows; ++r) {
        for (Eigen::Index c = 0; c < columns && c < static_cast<Eigen::Index>(fixture.cells[r].size()); ++c) {
            try {
                fixture.values(r, c) = std::stod(fixture.cells[r][static_cast<std::size_t>(c)]);
            } catch (const std::exception&) {
                // text cells stay NaN in values; read them from cells
            }
        }
    }
    return fixture;
}

inline std::string fixturePath(const std::string& relative) {
    return std::string(LOCALLAB_FIXTURE_DIR) + "/" + relative;
}

} // namespace locallab::test
