#include "locallab/data/column_summary.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace locallab {

ColumnSummary summarizeColumn(const Eigen::Ref<const Eigen::VectorXd>& values, std::string name,
                              std::string role) {
    ColumnSummary summary;
    summary.name = std::move(name);
    summary.role = std::move(role);
    const Eigen::Index count = values.size();
    if (count == 0) {
        return summary;
    }
    summary.minimum = values.minCoeff();
    summary.maximum = values.maxCoeff();
    summary.mean = values.mean();
    if (count > 1) {
        // Two passes: subtracting the mean first keeps the variance accurate for large offsets.
        const double sumOfSquares = (values.array() - summary.mean).square().sum();
        summary.standardDeviation = std::sqrt(sumOfSquares / static_cast<double>(count - 1));
    }
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    summary.distinctValues = std::unique(sorted.begin(), sorted.end()) - sorted.begin();
    return summary;
}

std::vector<ColumnSummary> summarizeDataset(const Dataset& dataset) {
    std::vector<ColumnSummary> summaries;
    for (Eigen::Index column = 0; column < dataset.dimension(); ++column) {
        const auto index = static_cast<std::size_t>(column);
        std::string name = index < dataset.columnNames.size() ? dataset.columnNames[index]
                                                              : "x" + std::to_string(column + 1);
        summaries.push_back(summarizeColumn(dataset.points.col(column), std::move(name), "point"));
    }
    if (dataset.target) {
        summaries.push_back(summarizeColumn(*dataset.target,
                                            dataset.targetName.empty() ? "y" : dataset.targetName, "target"));
    }
    if (dataset.labels) {
        summaries.push_back(summarizeColumn(dataset.labels->cast<double>(), "label", "label"));
    }
    return summaries;
}

} // namespace locallab
