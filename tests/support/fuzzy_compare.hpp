#pragma once
// The one place that says what "numerically equal" means in LocalLab's tests.
// Use LOCALLAB_COMPARE_NEAR(actual, expected, relative, absolute) for scalars and
// LOCALLAB_COMPARE_MATRIX_NEAR for Eigen objects; a failure prints both values and the worst entry.

#include <Eigen/Core>
#include <QTest>
#include <cmath>
#include <sstream>
#include <string>

namespace locallab::test {

// |actual − expected| ≤ absolute + relative·|expected|, and NaN never equals anything.
inline bool near(double actual, double expected, double relative, double absolute = 0.0) {
    if (std::isnan(actual) || std::isnan(expected)) {
        return false;
    }
    if (std::isinf(actual) || std::isinf(expected)) {
        return actual == expected;
    }
    return std::abs(actual - expected) <= absolute + relative * std::abs(expected);
}

inline std::string describeMismatch(double actual, double expected) {
    std::ostringstream text;
    text.precision(17);
    text << "actual " << actual << ", expected " << expected << ", difference " << (actual - expected);
    return text.str();
}

// Returns an empty string when every entry is near, otherwise a description of the worst entry.
template <typename A, typename B>
std::string matrixMismatch(const Eigen::MatrixBase<A>& actual, const Eigen::MatrixBase<B>& expected,
                           double relative, double absolute = 0.0) {
    std::ostringstream text;
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
        text << "shape " << actual.rows() << "x" << actual.cols() << " differs from expected "
             << expected.rows() << "x" << expected.cols();
        return text.str();
    }
    double worstExcess = -1.0;
    Eigen::Index worstRow = -1;
    Eigen::Index worstColumn = -1;
    for (Eigen::Index column = 0; column < actual.cols(); ++column) {
        for (Eigen::Index row = 0; row < actual.rows(); ++row) {
            const double a = actual(row, column);
            const double e = expected(row, column);
            if (!near(a, e, relative, absolute)) {
                const double excess = std::isfinite(a - e) ? std::abs(a - e) : HUGE_VAL;
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worstRow = row;
                    worstColumn = column;
                }
            }
        }
    }
    if (worstRow < 0) {
        return {};
    }
    text << "entry (" << worstRow << ", " << worstColumn
         << "): " << describeMismatch(actual(worstRow, worstColumn), expected(worstRow, worstColumn));
    return text.str();
}

} // namespace locallab::test

#define LOCALLAB_COMPARE_NEAR(actual, expected, relative, absolute)                                          \
    do {                                                                                                     \
        const double locallabActual = (actual);                                                              \
        const double locallabExpected = (expected);                                                          \
        if (!::locallab::test::near(locallabActual, locallabExpected, (relative), (absolute))) {             \
            QFAIL(qPrintable(QString::fromStdString(                                                         \
                #actual " vs " #expected ": " +                                                              \
                ::locallab::test::describeMismatch(locallabActual, locallabExpected))));                     \
        }                                                                                                    \
    } while (false)

#define LOCALLAB_COMPARE_MATRIX_NEAR(actual, expected, relative, absolute)                                   \
    do {                                                                                                     \
        const std::string locallabMismatch =                                                                 \
            ::locallab::test::matrixMismatch((actual), (expected), (relative), (absolute));                  \
        if (!locallabMismatch.empty()) {                                                                     \
            QFAIL(qPrintable(QString::fromStdString(#actual " vs " #expected ": " + locallabMismatch)));     \
        }                                                                                                    \
    } while (false)
