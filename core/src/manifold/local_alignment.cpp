#include "locallab/manifold/local_alignment.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace locallab {

namespace {

using StorageIndex = Eigen::SparseMatrix<double>::StorageIndex;

// Columns are summed in runs of this many; cancellation is checked and progress reported once per run.
constexpr Eigen::Index columnsPerRun = 128;
// Summing the columns takes nearly all of the time; joining the runs into one matrix takes the rest.
constexpr double summingShare = 0.9;

// One thread's workspace for summing a column of M: a dense row → sum array, which column last touched
// each row (so the array never needs clearing), and the rows the current column touched.
class ColumnWorkspace {
public:
    explicit ColumnWorkspace(Eigen::Index pointCount)
        : sums_(static_cast<std::size_t>(pointCount)), lastColumn_(static_cast<std::size_t>(pointCount), -1) {
    }

    void start(Eigen::Index column) {
        column_ = column;
        touchedRows_.clear();
    }

    // Adds to M(row, column) when it lies in the lower triangle; the upper one mirrors it.
    void add(Eigen::Index row, double value) {
        if (row < column_) {
            return;
        }
        const auto slot = static_cast<std::size_t>(row);
        if (lastColumn_[slot] != column_) {
            lastColumn_[slot] = column_;
            sums_[slot] = 0.0;
            touchedRows_.push_back(static_cast<StorageIndex>(row));
        }
        sums_[slot] += value;
    }

    // The rows touched, ascending (as the sparse factorisation and Eigen's sparse algebra expect).
    const std::vector<StorageIndex>& sortedRows() {
        std::sort(touchedRows_.begin(), touchedRows_.end());
        return touchedRows_;
    }
    double sum(StorageIndex row) const { return sums_[static_cast<std::size_t>(row)]; }

private:
    std::vector<double> sums_;
    std::vector<Eigen::Index> lastColumn_;
    std::vector<StorageIndex> touchedRows_;
    Eigen::Index column_ = 0;
};

// Blocks given as LocalBlocks, each with its own indices and dense matrix.
class DenseBlocks {
public:
    explicit DenseBlocks(const std::vector<LocalBlock>& blocks) : blocks_(blocks) {}

    std::size_t count() const { return blocks_.size(); }

    // visit(position, index) for every index of the block.
    template <typename Visit>
    void forEachIndex(std::size_t block, const Visit& visit) const {
        const std::vector<Eigen::Index>& indices = blocks_[block].indices;
        for (std::size_t position = 0; position < indices.size(); ++position) {
            visit(position, indices[position]);
        }
    }

    // Column `position` of the block, added to the column being summed.
    void addColumn(std::size_t block, std::size_t position, ColumnWorkspace& workspace) const {
        const LocalBlock& local = blocks_[block];
        const double* column = local.matrix.col(static_cast<Eigen::Index>(position)).data();
        for (std::size_t row = 0; row < local.indices.size(); ++row) {
            workspace.add(local.indices[row], column[row]);
        }
    }

private:
    const std::vector<LocalBlock>& blocks_;
};

// Standard LLE's blocks bbᵀ, b = [1, −w_iᵀ] on [i, i's neighbours], computed from the neighbourhoods and
// weights where they are read. Position 0 is the point itself, position j + 1 its j-th neighbour.
class ReconstructionBlocks {
public:
    ReconstructionBlocks(const NeighborhoodList& neighborhoods, std::span<const double> weights)
        : neighborhoods_(neighborhoods), weights_(weights) {}

    std::size_t count() const { return static_cast<std::size_t>(neighborhoods_.size()); }

    template <typename Visit>
    void forEachIndex(std::size_t block, const Visit& visit) const {
        const auto point = static_cast<Eigen::Index>(block);
        visit(std::size_t{0}, point);
        const auto neighbors = neighborhoods_.neighborsOf(point);
        for (std::size_t j = 0; j < neighbors.size(); ++j) {
            visit(j + 1, neighbors[j]);
        }
    }

    void addColumn(std::size_t block, std::size_t position, ColumnWorkspace& workspace) const {
        const auto point = static_cast<Eigen::Index>(block);
        const auto neighbors = neighborhoods_.neighborsOf(point);
        const double* weights = weights_.data() + neighborhoods_.offset(point);
        const double scale = position == 0 ? 1.0 : -weights[position - 1]; // b[position]
        workspace.add(point, scale);
        for (std::size_t j = 0; j < neighbors.size(); ++j) {
            workspace.add(neighbors[j], -weights[j] * scale);
        }
    }

private:
    const NeighborhoodList& neighborhoods_;
    std::span<const double> weights_;
};

// One place where a point appears: block `block` lists it at `position` of its indices, so column
// `position` of that block adds to the point's column of M.
struct Occurrence {
    StorageIndex block;
    StorageIndex position;
};

// Every point's occurrences, stored flat: those of point p are entries[offsets[p] .. offsets[p + 1]),
// in block order.
struct OccurrencesByPoint {
    std::vector<Eigen::Index> offsets;
    std::vector<Occurrence> entries;
};

// A counting sort of all the blocks' indices by point.
template <typename Blocks>
OccurrencesByPoint occurrencesByPoint(Eigen::Index pointCount, const Blocks& blocks) {
    OccurrencesByPoint occurrences;
    occurrences.offsets.assign(static_cast<std::size_t>(pointCount) + 1, 0);
    for (std::size_t block = 0; block < blocks.count(); ++block) {
        blocks.forEachIndex(block, [&](std::size_t, Eigen::Index point) {
            ++occurrences.offsets[static_cast<std::size_t>(point) + 1];
        });
    }
    std::partial_sum(occurrences.offsets.begin(), occurrences.offsets.end(), occurrences.offsets.begin());
    occurrences.entries.resize(static_cast<std::size_t>(occurrences.offsets.back()));
    std::vector<Eigen::Index> next(occurrences.offsets.begin(), occurrences.offsets.end() - 1);
    for (std::size_t block = 0; block < blocks.count(); ++block) {
        blocks.forEachIndex(block, [&](std::size_t position, Eigen::Index point) {
            const auto slot = static_cast<std::size_t>(next[static_cast<std::size_t>(point)]++);
            occurrences.entries[slot] = {static_cast<StorageIndex>(block),
                                         static_cast<StorageIndex>(position)};
        });
    }
    return occurrences;
}

// The lower-triangle entries of a run of consecutive columns, each column's rows ascending.
struct ColumnRun {
    std::vector<StorageIndex> columnSizes;
    std::vector<StorageIndex> rows;
    std::vector<double> values;
};

// Appends the entries of M's column `column` on and below the diagonal to `run`.
template <typename Blocks>
void sumLowerColumn(Eigen::Index column, const OccurrencesByPoint& occurrences, const Blocks& blocks,
                    ColumnWorkspace& workspace, ColumnRun& run) {
    workspace.start(column);
    const auto begin = static_cast<std::size_t>(occurrences.offsets[static_cast<std::size_t>(column)]);
    const auto end = static_cast<std::size_t>(occurrences.offsets[static_cast<std::size_t>(column) + 1]);
    for (std::size_t entry = begin; entry < end; ++entry) {
        const Occurrence occurrence = occurrences.entries[entry];
        blocks.addColumn(static_cast<std::size_t>(occurrence.block),
                         static_cast<std::size_t>(occurrence.position), workspace);
    }
    const std::vector<StorageIndex>& rows = workspace.sortedRows();
    for (const StorageIndex row : rows) {
        run.rows.push_back(row);
        run.values.push_back(workspace.sum(row));
    }
    run.columnSizes.push_back(static_cast<StorageIndex>(rows.size()));
}

// Joins the runs, in column order, into one compressed column-major matrix.
Eigen::SparseMatrix<double> joinRuns(Eigen::Index pointCount, const std::vector<ColumnRun>& runs) {
    std::vector<Eigen::Index> runStarts(runs.size() + 1, 0);
    for (std::size_t run = 0; run < runs.size(); ++run) {
        runStarts[run + 1] = runStarts[run] + static_cast<Eigen::Index>(runs[run].rows.size());
    }
    Eigen::SparseMatrix<double> lower(pointCount, pointCount);
    lower.resizeNonZeros(runStarts.back());
    StorageIndex* columnStarts = lower.outerIndexPtr();
    tbb::parallel_for(std::size_t{0}, runs.size(), [&](std::size_t run) {
        const ColumnRun& columns = runs[run];
        const Eigen::Index firstColumn = static_cast<Eigen::Index>(run) * columnsPerRun;
        auto start = static_cast<StorageIndex>(runStarts[run]);
        for (std::size_t column = 0; column < columns.columnSizes.size(); ++column) {
            columnStarts[firstColumn + static_cast<Eigen::Index>(column)] = start;
            start += columns.columnSizes[column];
        }
        std::copy(columns.rows.begin(), columns.rows.end(), lower.innerIndexPtr() + runStarts[run]);
        std::copy(columns.values.begin(), columns.values.end(), lower.valuePtr() + runStarts[run]);
    });
    columnStarts[pointCount] = static_cast<StorageIndex>(runStarts.back());
    return lower;
}

// M's lower triangle, its columns summed in parallel runs, each column from the blocks that contain its
// point.
template <typename Blocks>
Eigen::SparseMatrix<double> assembleLowerTriangle(Eigen::Index pointCount, const Blocks& blocks,
                                                  Progress& progress) {
    progress.checkCanceled();
    const OccurrencesByPoint occurrences = occurrencesByPoint(pointCount, blocks);
    const Eigen::Index runCount = (pointCount + columnsPerRun - 1) / columnsPerRun;
    std::vector<ColumnRun> runs(static_cast<std::size_t>(runCount));
    tbb::enumerable_thread_specific<ColumnWorkspace> workspaces([&] { return ColumnWorkspace(pointCount); });
    // Runs end in any order, so the count and its report share a lock: the fractions never go back.
    std::mutex reporting;
    Eigen::Index columnsDone = 0;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, runCount), [&](const auto& range) {
        ColumnWorkspace& workspace = workspaces.local();
        for (Eigen::Index run = range.begin(); run < range.end(); ++run) {
            progress.checkCanceled();
            const Eigen::Index first = run * columnsPerRun;
            const Eigen::Index last = std::min(pointCount, first + columnsPerRun);
            ColumnRun& columns = runs[static_cast<std::size_t>(run)];
            for (Eigen::Index column = first; column < last; ++column) {
                sumLowerColumn(column, occurrences, blocks, workspace, columns);
            }
            const std::lock_guard lock(reporting);
            columnsDone += last - first;
            progress.report(summingShare * static_cast<double>(columnsDone) /
                            static_cast<double>(pointCount));
        }
    });
    progress.checkCanceled();
    Eigen::SparseMatrix<double> lower = joinRuns(pointCount, runs);
    progress.checkCanceled();
    progress.report(1.0);
    return lower;
}

} // namespace

Eigen::SparseMatrix<double>
assembleAlignmentMatrix(Eigen::Index pointCount, const std::vector<LocalBlock>& blocks, Progress& progress) {
    return assembleLowerTriangle(pointCount, DenseBlocks(blocks), progress);
}

Eigen::SparseMatrix<double> assembleReconstructionAlignmentMatrix(const NeighborhoodList& neighborhoods,
                                                                  std::span<const double> weights,
                                                                  Progress& progress) {
    return assembleLowerTriangle(neighborhoods.size(), ReconstructionBlocks(neighborhoods, weights),
                                 progress);
}

} // namespace locallab
