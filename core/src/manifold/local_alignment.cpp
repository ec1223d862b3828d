#include "locallab/manifold/local_alignment.hpp"

namespace locallab {

namespace {

constexpr std::size_t blocksPerProgressStep = 256;
// Collecting the entries and summing them (setFromTriplets) take about the same time.
constexpr double collectingShare = 0.5;

} // namespace

Eigen::SparseMatrix<double>
assembleAlignmentMatrix(Eigen::Index pointCount, const std::vector<LocalBlock>& blocks, Progress& progress) {
    std::size_t entryCount = 0;
    for (const LocalBlock& block : blocks) {
        entryCount += block.indices.size() * block.indices.size();
    }
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(entryCount);
    for (std::size_t blockIndex = 0; blockIndex < blocks.size(); ++blockIndex) {
        if (blockIndex % blocksPerProgressStep == 0) {
            progress.checkCanceled();
            progress.report(collectingShare * static_cast<double>(blockIndex) /
                            static_cast<double>(blocks.size()));
        }
        const LocalBlock& block = blocks[blockIndex];
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
    progress.report(collectingShare);
    Eigen::SparseMatrix<double> alignment(pointCount, pointCount);
    alignment.setFromTriplets(entries.begin(), entries.end());
    progress.checkCanceled();
    progress.report(1.0);
    return alignment;
}

} // namespace locallab
