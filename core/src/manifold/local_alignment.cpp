#include "locallab/manifold/local_alignment.hpp"

namespace locallab {

Eigen::SparseMatrix<double>
assembleAlignmentMatrix(Eigen::Index pointCount, const std::vector<LocalBlock>& blocks, Progress& progress) {
    std::size_t entryCount = 0;
    for (const LocalBlock& block : blocks) {
        entryCount += block.indices.size() * block.indices.size();
    }
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(entryCount);
    for (const LocalBlock& block : blocks) {
        const auto size = static_cast<Eigen::Index>(block.indices.size());
        for (Eigen::Index column = 0; column < size; ++column) {
            for (Eigen::Index row = 0; row < size; ++row) {
                entries.emplace_back(block.indices[static_cast<std::size_t>(row)],
                                     block.indices[static_cast<std::size_t>(column)],
                                     block.matrix(row, column));
            }
        }
    }
    progress.checkCanceled();
    Eigen::SparseMatrix<double> alignment(pointCount, pointCount);
    alignment.setFromTriplets(entries.begin(), entries.end());
    return alignment;
}

} // namespace locallab
