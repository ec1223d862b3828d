#include "seed_climbing.hpp"

#include <stdexcept>

namespace locallab::detail {

Space::Space(const Eigen::MatrixXd& data, const Bandwidth& h) : bandwidth(&h) {
    h.checkDimension(data.cols());
    if (h.form() == Bandwidth::Form::Scalar) {
        points = data;
        radius = h.size();
    } else {
        points = h.whiten(data);
    }
}

Eigen::MatrixXd Space::toSpace(const Eigen::MatrixXd& data) const {
    return bandwidth->form() == Bandwidth::Form::Scalar ? data : bandwidth->whiten(data);
}

Eigen::MatrixXd Space::fromSpace(const Eigen::MatrixXd& rows) const {
    if (bandwidth->form() == Bandwidth::Form::Scalar) {
        return rows;
    }
    Eigen::MatrixXd original(rows.rows(), rows.cols());
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
        original.row(r) = bandwidth->unwhitenVector(rows.row(r).transpose()).transpose();
    }
    return original;
}

void checkPoints(const Eigen::MatrixXd& points) {
    if (points.rows() == 0 || points.cols() == 0) {
        throw std::invalid_argument("MeanShift needs at least one data point");
    }
    if (!points.allFinite()) {
        throw std::invalid_argument(
            "the data contains NaN or infinite values; MeanShift needs finite points");
    }
}

Eigen::MatrixXd chooseSeeds(const Space& space, const MeanShiftOptions& options, std::string* note) {
    switch (options.seeding) {
    case SeedingStrategy::AllPoints:
        return space.points;
    case SeedingStrategy::BinSeeding:
        return binSeeds(space.points, space.radius, options.minBinFrequency, note);
    case SeedingStrategy::Given:
        if (options.givenSeeds.rows() == 0 || options.givenSeeds.cols() != space.points.cols()) {
            throw std::invalid_argument("the given seeds must be points with as many columns as the data");
        }
        if (!options.givenSeeds.allFinite()) {
            throw std::invalid_argument("the given seeds contain NaN or infinite values");
        }
        return space.toSpace(options.givenSeeds);
    }
    return space.points;
}

} // namespace locallab::detail
