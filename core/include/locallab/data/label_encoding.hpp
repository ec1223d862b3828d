#pragma once
// Labels arrive as integers ("0", "2") or as names ("setosa"). Integers are kept as they are; names are
// numbered 0..k-1 in sorted order (as scikit-learn's LabelEncoder does) and the names are kept so a
// legend can show them.

#include <Eigen/Core>
#include <string>
#include <vector>

namespace locallab {

struct EncodedLabels {
    Eigen::VectorXi labels;
    std::vector<std::string> names; // names[k] for label k; empty when the labels were integers
};

EncodedLabels encodeLabels(const std::vector<std::string>& cells);

} // namespace locallab
