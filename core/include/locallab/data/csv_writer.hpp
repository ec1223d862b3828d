#pragma once
// Tables written as CSV the way LocalLab reads them back: a header row, numbers with 17 significant
// digits (so a value survives the round trip exactly), and text fields quoted only when they must be.

#include <Eigen/Core>
#include <ostream>
#include <string>
#include <vector>

namespace locallab {

// A field as CSV needs it: quoted, with inner quotes doubled, when it holds a comma, a quote, a line
// break or '#' (which the reader takes for a comment).
std::string escapeCsvField(const std::string& text);

// `value` with 17 significant digits, which always reads back as exactly the same double.
std::string formatNumber(double value);

// A header row, then one line per row of `values`. When `texts` is not empty, each line ends with
// texts[row] in a last column named `textHeader` (class names, say).
void writeCsv(std::ostream& output, const std::vector<std::string>& header, const Eigen::MatrixXd& values,
              const std::string& textHeader = {}, const std::vector<std::string>& texts = {});

} // namespace locallab
