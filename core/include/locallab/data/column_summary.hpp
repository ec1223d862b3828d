#pragma once
// A first look at a column: its range, mean, spread and how many different values it holds (a small
// count says the column is a label or a grid, not a measurement).

#include "locallab/data/dataset.hpp"

#include <Eigen/Core>
#include <string>
#include <vector>

namespace locallab {

struct ColumnSummary {
    std::string name;
    std::string role; // "point", "target" or "label"
    double minimum = 0.0;
    double maximum = 0.0;
    double mean = 0.0;
    double standardDeviation = 0.0; // sample standard deviation (divisor n − 1); 0 for a single value
    Eigen::Index distinctValues = 0;
};

ColumnSummary summarizeColumn(const Eigen::Ref<const Eigen::VectorXd>& values, std::string name,
                              std::string role);

// One summary per point column, then the target and the labels when the dataset has them.
std::vector<ColumnSummary> summarizeDataset(const Dataset& dataset);

} // namespace locallab
