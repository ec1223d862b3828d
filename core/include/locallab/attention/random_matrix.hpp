#pragma once
// Seeded Gaussian matrices for projections and MLP weights. They come from RandomStream (mt19937_64 and
// Box–Muller), not std::normal_distribution, so a seed gives the same weights with every standard library
// and a scene file reproduces the same picture.

#include "locallab/data/random_stream.hpp"

#include <Eigen/Core>

namespace locallab {

// rows × columns entries, independent N(0, standardDeviation²), drawn row by row.
Eigen::MatrixXd gaussianMatrix(Eigen::Index rows, Eigen::Index columns, double standardDeviation,
                               RandomStream& random);

} // namespace locallab
