#pragma once
// Reads the numeric CSV fixtures under tests/fixtures/local: one header row of column names, then rows of
// numbers. A test fails loudly (QFAIL through an exception message) when a file or column is missing.

#include <Eigen/Core>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace locallab::test {

struct FixtureTable {
    std::vector<std::string> names;
    Eigen::MatrixXd values;

    Eigen::VectorXd column(const std::string& name) const {
        for (std::size_t index = 0; index < names.size(); ++index) {
            if (names[index] == name) {
                return values.col(static_cast<Eigen::Index>(index));
            }
        }
        throw std::runtime_error("fixture has no column '" + name + "'");
    }
};

inline FixtureTable readFixture(const std::string& fileName) {
    const std::string path = std::string(LOCALLAB_FIXTURE_DIR) + "/local/" + fileName;
    std::ifstream file(path);
    if (!file) {
        throw std::runtime_error("cannot open fixture " + path);
    }
    FixtureTable table;
    std::string line;
    std::getline(file, line);
    std::stringstream header(line);
    for (std::string name; std::getline(header, name, ',');) {
        table.names.push_back(name);
    }
    std::vector<std::vector<double>> rows;
    while (std::getline(file, line)) {
        if (line.empty()) {
            continue;
        }
        std::stringstream fields(line);
        std::vector<double> row;
        for (std::string field; std::getline(fields, field, ',');) {
            row.push_back(std::stod(field));
        }
        if (row.size() != table.names.size()) {
            throw std::runtime_error("fixture " + path + " has a row of the wrong length");
        }
        rows.push_back(std::move(row));
    }
    table.values.resize(static_cast<Eigen::Index>(rows.size()),
                        static_cast<Eigen::Index>(table.names.size()));
    for (std::size_t row = 0; row < rows.size(); ++row) {
        for (std::size_t column = 0; column < rows[row].size(); ++column) {
            table.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)) =
                rows[row][column];
        }
    }
    return table;
}

} // namespace locallab::test
