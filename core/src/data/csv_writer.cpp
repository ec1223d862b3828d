#include "locallab/data/csv_writer.hpp"

#include <cstdio>

namespace locallab {

std::string escapeCsvField(const std::string& text) {
    if (text.find_first_of(",\"\n#") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char character : text) {
        quoted += character == '"' ? std::string("\"\"") : std::string(1, character);
    }
    return quoted + "\"";
}

std::string formatNumber(double value) {
    char buffer[32];
    const int length = std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return std::string(buffer, static_cast<std::size_t>(length));
}

void writeCsv(std::ostream& output, const std::vector<std::string>& header, const Eigen::MatrixXd& values,
              const std::string& textHeader, const std::vector<std::string>& texts) {
    const bool withTexts = !texts.empty();
    for (std::size_t column = 0; column < header.size(); ++column) {
        output << (column == 0 ? "" : ",") << escapeCsvField(header[column]);
    }
    if (withTexts) {
        output << (header.empty() ? "" : ",") << escapeCsvField(textHeader);
    }
    output << '\n';
    std::string line;
    for (Eigen::Index row = 0; row < values.rows(); ++row) {
        line.clear();
        for (Eigen::Index column = 0; column < values.cols(); ++column) {
            if (column > 0) {
                line += ',';
            }
            line += formatNumber(values(row, column));
        }
        if (withTexts) {
            if (values.cols() > 0) {
                line += ',';
            }
            line += escapeCsvField(texts[static_cast<std::size_t>(row)]);
        }
        line += '\n';
        output << line;
    }
}

} // namespace locallab
