#include "locallab/manifold/local_tangent_space.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace locallab {

namespace {

// Rows: the neighbours minus their mean (centred) or minus the point itself.
Eigen::MatrixXd gatherNeighbors(const Eigen::MatrixXd& points, std::span<const Eigen::Index> neighbors) {
    Eigen::MatrixXd gathered(static_cast<Eigen::Index>(neighbors.size()), points.cols());
    for (Eigen::Index row = 0; row < gathered.rows(); ++row) {
        gathered.row(row) = points.row(neighbors[static_cast<std::size_t>(row)]);
    }
    return gathered;
}

Eigen::MatrixXd centredNeighbors(const Eigen::MatrixXd& points, std::span<const Eigen::Index> neighbors) {
    Eigen::MatrixXd gathered = gatherNeighbors(points, neighbors);
    gathered.rowwise() -= gathered.colwise().mean();
    return gathered;
}

// Eigen lists eigenvalues ascending; scikit-learn reads them largest first.
void reverseColumns(Eigen::MatrixXd& vectors, Eigen::VectorXd& values) {
    vectors = vectors.rowwise().reverse().eval();
    values = values.reverse().eval();
}

// The first `wanted` left singular vectors of the k × D matrix, largest singular value first. With
// more neighbours than dimensions the thin SVD is cheaper; otherwise the k × k Gram's eigenvectors.
Eigen::MatrixXd leadingDirections(const Eigen::MatrixXd& neighborRows, Eigen::Index wanted) {
    if (neighborRows.rows() > neighborRows.cols()) {
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(neighborRows, Eigen::ComputeThinU);
        return svd.matrixU().leftCols(std::min(wanted, svd.matrixU().cols()));
    }
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(neighborRows * neighborRows.transpose());
    Eigen::MatrixXd vectors = eigen.eigenvectors();
    Eigen::VectorXd values = eigen.eigenvalues();
    reverseColumns(vectors, values);
    return vectors.leftCols(std::min(wanted, vectors.cols()));
}

std::vector<Eigen::Index> asIndices(std::span<const Eigen::Index> neighbors) {
    return {neighbors.begin(), neighbors.end()};
}

} // namespace

LocalBlock ltsaBlock(const Eigen::MatrixXd& points, std::span<const Eigen::Index> neighbors,
                     Eigen::Index components) {
    const auto size = static_cast<Eigen::Index>(neighbors.size());
    const Eigen::MatrixXd tangent = leadingDirections(centredNeighbors(points, neighbors), components);
    Eigen::MatrixXd basis(size, tangent.cols() + 1);
    basis.col(0).setConstant(1.0 / std::sqrt(static_cast<double>(size)));
    basis.rightCols(tangent.cols()) = tangent;
    LocalBlock block{asIndices(neighbors), Eigen::MatrixXd::Identity(size, size)};
    block.matrix.noalias() -= basis * basis.transpose();
    return block;
}

LocalBlock hessianBlock(const Eigen::MatrixXd& points, std::span<const Eigen::Index> neighbors,
                        Eigen::Index components, double hessianTolerance) {
    const auto size = static_cast<Eigen::Index>(neighbors.size());
    const Eigen::MatrixXd tangent = leadingDirections(centredNeighbors(points, neighbors), components);
    const Eigen::Index quadraticCount = components * (components + 1) / 2;

    // [1, tangent coordinates, every product of two of them]: the local constant, linear and
    // quadratic functions, whose orthogonal complement carries the Hessian.
    Eigen::MatrixXd functions(size, 1 + components + quadraticCount);
    functions.col(0).setOnes();
    functions.middleCols(1, components) = tangent;
    Eigen::Index column = 1 + components;
    for (Eigen::Index first = 0; first < components; ++first) {
        for (Eigen::Index second = first; second < components; ++second) {
            functions.col(column++) = tangent.col(first).cwiseProduct(tangent.col(second));
        }
    }
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(functions);
    const Eigen::MatrixXd orthogonal = qr.householderQ();
    Eigen::MatrixXd hessianBasis = orthogonal.rightCols(size - 1 - components);
    Eigen::RowVectorXd columnSums = hessianBasis.colwise().sum();
    for (Eigen::Index c = 0; c < columnSums.size(); ++c) {
        if (std::abs(columnSums(c)) < hessianTolerance) {
            columnSums(c) = 1.0;
        }
    }
    hessianBasis.array().rowwise() /= columnSums.array();
    return {asIndices(neighbors), hessianBasis * hessianBasis.transpose()};
}

ModifiedLocalGeometry modifiedLocalGeometry(const Eigen::MatrixXd& points, Eigen::Index point,
                                            std::span<const Eigen::Index> neighbors) {
    Eigen::MatrixXd relative = gatherNeighbors(points, neighbors);
    relative.rowwise() -= points.row(point);
    const Eigen::Index size = relative.rows();

    ModifiedLocalGeometry geometry;
    if (size > relative.cols()) {
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(relative, Eigen::ComputeFullU);
        geometry.rightVectors = svd.matrixU();
        geometry.eigenvalues = svd.singularValues().array().square();
    } else {
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(relative * relative.transpose());
        geometry.rightVectors = eigen.eigenvectors();
        geometry.eigenvalues = eigen.eigenvalues();
        reverseColumns(geometry.rightVectors, geometry.eigenvalues);
    }

    // Barycentre weights through the spectrum, with scikit-learn's fixed reg = 1e-3·trace: directions
    // beyond the data's rank have eigenvalue 0 and get the regularisation alone.
    const Eigen::Index spectrumSize = geometry.eigenvalues.size();
    const double reg = 1e-3 * geometry.eigenvalues.sum();
    Eigen::VectorXd projected = geometry.rightVectors.transpose() * Eigen::VectorXd::Ones(size);
    projected.head(spectrumSize).array() /= geometry.eigenvalues.array() + reg;
    projected.tail(size - spectrumSize) /= reg;
    geometry.regularWeights = geometry.rightVectors * projected;
    geometry.regularWeights /= geometry.regularWeights.sum();
    return geometry;
}

double modifiedSpreadRatio(const ModifiedLocalGeometry& geometry, Eigen::Index components) {
    const Eigen::VectorXd& values = geometry.eigenvalues;
    const Eigen::Index kept = std::min(components, values.size());
    return values.tail(values.size() - kept).sum() / values.head(kept).sum();
}

LocalBlock modifiedBlock(const ModifiedLocalGeometry& geometry, Eigen::Index point,
                         std::span<const Eigen::Index> neighbors, double medianSpreadRatio,
                         double modifiedTolerance) {
    const auto size = static_cast<Eigen::Index>(neighbors.size());
    const Eigen::VectorXd& values = geometry.eigenvalues;
    const Eigen::Index spectrumSize = values.size();

    // s: how many of the smallest directions count as "noise" — every direction beyond the data's rank,
    // plus those whose share of the spectrum stays below η.
    Eigen::VectorXd cumulative(spectrumSize);
    std::partial_sum(values.begin(), values.end(), cumulative.begin());
    Eigen::Index smallDirections = size - spectrumSize;
    for (Eigen::Index j = 0; j + 1 < spectrumSize; ++j) {
        if (cumulative(spectrumSize - 1) / cumulative(j) - 1.0 < medianSpreadRatio) {
            ++smallDirections;
        }
    }
    // With no small direction the block would be empty (and scikit-learn divides by zero).
    smallDirections = std::clamp<Eigen::Index>(smallDirections, 1, size);

    const Eigen::MatrixXd smallest = geometry.rightVectors.rightCols(smallDirections);
    const Eigen::VectorXd sums = smallest.transpose() * Eigen::VectorXd::Ones(size);
    const double alpha = sums.norm() / std::sqrt(static_cast<double>(smallDirections));
    // A Householder reflection that turns the directions' sums into α·1, so every column of W sums alike.
    Eigen::VectorXd householder = Eigen::VectorXd::Constant(smallDirections, alpha) - sums;
    const double householderNorm = householder.norm();
    if (householderNorm < modifiedTolerance) {
        householder.setZero();
    } else {
        householder /= householderNorm;
    }
    Eigen::MatrixXd localWeights = smallest - 2.0 * (smallest * householder) * householder.transpose();
    localWeights.colwise() += (1.0 - alpha) * geometry.regularWeights;

    LocalBlock block;
    block.indices.reserve(neighbors.size() + 1);
    block.indices.push_back(point);
    block.indices.insert(block.indices.end(), neighbors.begin(), neighbors.end());
    // BᵀB with B = [1, −Wᵀ]: the point rebuilt by each of the s weight vectors.
    Eigen::MatrixXd reconstruction(smallDirections, size + 1);
    reconstruction.col(0).setOnes();
    reconstruction.rightCols(size) = -localWeights.transpose();
    block.matrix = reconstruction.transpose() * reconstruction;
    return block;
}

} // namespace locallab
