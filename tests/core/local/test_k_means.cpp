// k-means with k-means++ seeding: well-separated blobs are found (centres = the blobs' own means, which
// is where Lloyd's iteration stops once the partition is right), runs are reproducible, an empty cluster
// takes the farthest point, and data with fewer distinct points than clusters are refused.

#include "fuzzy_compare.hpp"
#include "locallab/data/random_stream.hpp"
#include "locallab/local/k_means.hpp"

#include <QTest>
#include <algorithm>

using namespace locallab;

namespace {

const Eigen::MatrixXd blobCentres{{0.0, 0.0}, {10.0, 0.0}, {0.0, 10.0}, {10.0, 10.0}};

struct Blobs {
    Eigen::MatrixXd points;
    Eigen::VectorXi blob;
};

// Points of each blob within a disc of radius 1.5 around its centre, blobs interleaved in row order.
Blobs blobs(Eigen::Index perBlob, std::uint64_t seed) {
    RandomStream random(seed);
    const Eigen::Index count = perBlob * blobCentres.rows();
    Blobs result{Eigen::MatrixXd(count, 2), Eigen::VectorXi(count)};
    for (Eigen::Index row = 0; row < count; ++row) {
        const auto blob = static_cast<int>(random.index(static_cast<std::uint64_t>(blobCentres.rows())));
        Eigen::RowVector2d offset;
        do {
            offset << random.uniform(-1.5, 1.5), random.uniform(-1.5, 1.5);
        } while (offset.norm() > 1.5);
        result.points.row(row) = blobCentres.row(blob) + offset;
        result.blob(row) = blob;
    }
    return result;
}

} // namespace

class TestKMeans : public QObject {
    Q_OBJECT

private slots:
    void findsWellSeparatedBlobs_data() {
        QTest::addColumn<quint64>("seed");
        for (const quint64 seed : {1u, 2u, 3u, 42u}) {
            QTest::addRow("seed %llu", static_cast<unsigned long long>(seed)) << seed;
        }
    }
    void findsWellSeparatedBlobs() {
        QFETCH(quint64, seed);
        const Blobs data = blobs(50, 7);
        SilentProgress progress;
        KMeansSettings settings;
        settings.clusterCount = 4;
        settings.seed = seed;
        const KMeansResult result = kMeans(data.points, settings, progress);
        QVERIFY(result.converged);
        for (Eigen::Index blob = 0; blob < blobCentres.rows(); ++blob) {
            // The blob's own mean, and the centre nearest to the blob's nominal centre.
            Eigen::RowVector2d mean = Eigen::RowVector2d::Zero();
            int members = 0;
            for (Eigen::Index row = 0; row < data.points.rows(); ++row) {
                if (data.blob(row) == blob) {
                    mean += data.points.row(row);
                    ++members;
                }
            }
            mean /= members;
            Eigen::Index nearest = 0;
            (result.centres.rowwise() - blobCentres.row(blob)).rowwise().squaredNorm().minCoeff(&nearest);
            LOCALLAB_COMPARE_MATRIX_NEAR(result.centres.row(nearest), mean, 1e-12, 1e-12);
            // and every point of the blob is labelled with that centre
            for (Eigen::Index row = 0; row < data.points.rows(); ++row) {
                if (data.blob(row) == blob) {
                    QCOMPARE(result.labels(row), static_cast<int>(nearest));
                }
            }
        }
        double inertia = 0.0;
        for (Eigen::Index row = 0; row < data.points.rows(); ++row) {
            inertia += (data.points.row(row) - result.centres.row(result.labels(row))).squaredNorm();
        }
        LOCALLAB_COMPARE_NEAR(result.inertia, inertia, 1e-12, 0.0);
    }

    void sameSeedSameCentres() {
        const Blobs data = blobs(40, 8);
        SilentProgress progress;
        KMeansSettings settings;
        settings.clusterCount = 6; // more clusters than blobs: the answer depends on the seeding
        settings.seed = 99;
        const KMeansResult first = kMeans(data.points, settings, progress);
        const KMeansResult second = kMeans(data.points, settings, progress);
        QVERIFY(first.centres == second.centres);
        QVERIFY(first.labels == second.labels);
    }

    void everyClusterKeepsAPoint() {
        // As many clusters as distinct points: every point ends up alone with its centre on it.
        const Eigen::MatrixXd points{{0.0, 0.0}, {0.0, 0.0}, {1.0, 0.0}, {5.0, 5.0}, {5.1, 5.0}};
        SilentProgress progress;
        KMeansSettings settings;
        settings.clusterCount = 4;
        const KMeansResult result = kMeans(points, settings, progress);
        LOCALLAB_COMPARE_NEAR(result.inertia, 0.0, 0.0, 1e-24);
        std::vector<int> sizes(4, 0);
        for (Eigen::Index row = 0; row < points.rows(); ++row) {
            ++sizes[static_cast<std::size_t>(result.labels(row))];
        }
        QVERIFY(std::count(sizes.begin(), sizes.end(), 0) == 0);
    }

    void anEmptyClusterTakesTheFarthestPoint() {
        // From the centres 1 and 100, every point first goes to 1; the empty cluster then takes 10, the
        // point farthest from its centre, and the iteration settles at the means 1 and 10.
        const Eigen::MatrixXd points = Eigen::Vector4d(0.0, 1.0, 2.0, 10.0);
        SilentProgress progress;
        KMeansSettings settings;
        settings.clusterCount = 2;
        settings.initialCentres = Eigen::Vector2d(1.0, 100.0);
        const KMeansResult result = kMeans(points, settings, progress);
        QVERIFY(result.converged);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.centres, Eigen::Vector2d(1.0, 10.0), 0.0, 0.0);
        QVERIFY(result.labels == Eigen::Vector4i(0, 0, 0, 1));
        QCOMPARE(result.inertia, 2.0);
        settings.initialCentres = Eigen::Vector3d(0.0, 1.0, 2.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kMeans(points, settings, progress));
    }

    void refusesDataWithTooFewDistinctPoints() {
        const Eigen::MatrixXd identical = Eigen::MatrixXd::Constant(20, 2, 3.0);
        SilentProgress progress;
        KMeansSettings settings;
        settings.clusterCount = 2;
        try {
            kMeans(identical, settings, progress);
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString(error.what()).contains("distinct"), error.what());
        }
        QCOMPARE(distinctRowCount(identical), Eigen::Index{1});
        settings.clusterCount = 1;
        const KMeansResult one = kMeans(identical, settings, progress);
        LOCALLAB_COMPARE_MATRIX_NEAR(one.centres, Eigen::RowVector2d(3.0, 3.0), 0.0, 0.0);
        settings.clusterCount = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kMeans(identical, settings, progress));
    }

    void cancellationStopsTheIterations() {
        const Blobs data = blobs(100, 9);
        SilentProgress canceled;
        canceled.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, kMeans(data.points, KMeansSettings{}, canceled));
    }
};

QTEST_APPLESS_MAIN(TestKMeans)
#include "test_k_means.moc"
