// The k-d tree and the brute-force scan must return exactly the same neighbours, in the same order, for
// every kind of awkward input: ties, duplicates, k beyond n, a zero radius, points exactly on the sphere.

#include "locallab/neighbors/neighbor_index.hpp"

#include <Eigen/Core>
#include <QTest>
#include <algorithm>
#include <random>
#include <vector>

using locallab::Neighbor;
using locallab::NeighborIndex;

namespace {

enum class Layout { Random, IntegerGrid, Duplicates };

Eigen::MatrixXd makePoints(Layout layout, Eigen::Index count, Eigen::Index dimension, unsigned seed) {
    std::mt19937_64 generator(seed);
    std::normal_distribution<double> normal;
    std::uniform_int_distribution<int> smallInteger(0, 3);
    Eigen::MatrixXd points(count, dimension);
    for (Eigen::Index row = 0; row < count; ++row) {
        for (Eigen::Index column = 0; column < dimension; ++column) {
            // Integer coordinates make many distances exactly equal.
            points(row, column) = layout == Layout::Random ? normal(generator) : smallInteger(generator);
        }
    }
    if (layout == Layout::Duplicates) {
        for (Eigen::Index row = 1; row < count; row += 3) {
            points.row(row) = points.row(row - 1);
        }
    }
    return points;
}

bool sameNeighbors(const std::vector<Neighbor>& a, const std::vector<Neighbor>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Neighbor& x, const Neighbor& y) {
        return x.index == y.index && x.squaredDistance == y.squaredDistance;
    });
}

// Distances summed coordinate by coordinate, in the order the index promises to use.
std::vector<Neighbor> referenceWithin(const Eigen::MatrixXd& points, const Eigen::VectorXd& query,
                                      double radiusSquared) {
    std::vector<Neighbor> result;
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        double sum = 0.0;
        for (Eigen::Index column = 0; column < points.cols(); ++column) {
            const double difference = query[column] - points(row, column);
            sum += difference * difference;
        }
        if (sum <= radiusSquared) {
            result.push_back({row, sum});
        }
    }
    std::stable_sort(result.begin(), result.end(), [](const Neighbor& a, const Neighbor& b) {
        return a.squaredDistance < b.squaredDistance;
    });
    return result;
}

} // namespace

Q_DECLARE_METATYPE(Layout)

class NeighborIndexTest : public QObject {
    Q_OBJECT

private slots:
    void treeAndBruteForceAgree_data() {
        QTest::addColumn<Layout>("layout");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("dimension");
        for (const int dimension : {1, 2, 3, 12}) {
            const QByteArray d = " d=" + QByteArray::number(dimension);
            QTest::newRow(("random" + d).constData()) << Layout::Random << 400 << dimension;
            QTest::newRow(("integer grid (ties)" + d).constData()) << Layout::IntegerGrid << 300 << dimension;
            QTest::newRow(("duplicates" + d).constData()) << Layout::Duplicates << 300 << dimension;
            QTest::newRow(("tiny" + d).constData()) << Layout::Random << 5 << dimension;
        }
    }
    void treeAndBruteForceAgree() {
        QFETCH(Layout, layout);
        QFETCH(int, count);
        QFETCH(int, dimension);
        const Eigen::MatrixXd points =
            makePoints(layout, count, dimension, 17u + static_cast<unsigned>(dimension));
        const NeighborIndex tree(points, NeighborIndex::Strategy::KdTree);
        const NeighborIndex scan(points, NeighborIndex::Strategy::BruteForce);
        QVERIFY(tree.usesKdTree());
        QVERIFY(!scan.usesKdTree());
        QCOMPARE(tree.size(), Eigen::Index(count));
        QCOMPARE(tree.dimension(), Eigen::Index(dimension));

        // Queries: data points themselves (exact ties with the point, duplicates) and fresh points.
        Eigen::MatrixXd queries(40, dimension);
        queries.topRows(20) = points.topRows(std::min(20, count)).replicate(20, 1).topRows(20);
        queries.bottomRows(20) = makePoints(layout, 20, dimension, 99u);
        const double squaredRadii[] = {0.0, 0.5, 1.0, 2.0, 9.0};
        for (Eigen::Index q = 0; q < queries.rows(); ++q) {
            const Eigen::VectorXd query = queries.row(q);
            for (const Eigen::Index k :
                 {Eigen::Index(1), Eigen::Index(4), Eigen::Index(count), Eigen::Index(count + 7)}) {
                const auto fromTree = tree.nearest(query, k);
                const auto fromScan = scan.nearest(query, k);
                QCOMPARE(Eigen::Index(fromTree.size()), std::min<Eigen::Index>(k, count));
                QVERIFY2(sameNeighbors(fromTree, fromScan),
                         qPrintable(QString("query %1, k = %2").arg(q).arg(k)));
            }
            for (const double radiusSquared : squaredRadii) {
                const auto fromTree = tree.withinRadius(query, radiusSquared);
                const auto fromScan = scan.withinRadius(query, radiusSquared);
                QVERIFY2(sameNeighbors(fromTree, fromScan),
                         qPrintable(QString("query %1, radius² = %2").arg(q).arg(radiusSquared)));
                QVERIFY(sameNeighbors(fromScan, referenceWithin(points, query, radiusSquared)));
                // The unsorted collection holds the same points, once each, whatever its order.
                for (const NeighborIndex* index : {&tree, &scan}) {
                    std::vector<Neighbor> collected{{-1, -1.0}};
                    index->collectWithinRadius(query.data(), radiusSquared, collected);
                    std::sort(collected.begin(), collected.end(), [](const Neighbor& a, const Neighbor& b) {
                        return a.squaredDistance < b.squaredDistance ||
                               (a.squaredDistance == b.squaredDistance && a.index < b.index);
                    });
                    QVERIFY(sameNeighbors(collected, fromScan));
                }
            }
        }
    }

    void nearestBreaksTiesByLowerIndex() {
        // Eight points on the unit circle around the origin, all at distance 1, plus a far one.
        Eigen::MatrixXd points(100, 2);
        for (Eigen::Index row = 0; row < points.rows(); ++row) {
            points.row(row) << 50.0 + row, 50.0;
        }
        const double ring[8][2] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        const Eigen::Index rows[8] = {97, 13, 70, 2, 55, 31, 88, 40};
        for (int i = 0; i < 8; ++i) {
            points.row(rows[i]) << ring[i][0], ring[i][1];
        }
        for (const auto strategy : {NeighborIndex::Strategy::KdTree, NeighborIndex::Strategy::BruteForce}) {
            const NeighborIndex index(points, strategy);
            const auto found = index.nearest(Eigen::Vector2d(0.0, 0.0), 3);
            QCOMPARE(found.size(), std::size_t(3));
            QCOMPARE(found[0].index, Eigen::Index(2));
            QCOMPARE(found[1].index, Eigen::Index(13));
            QCOMPARE(found[2].index, Eigen::Index(31));
        }
    }

    void pointsExactlyOnTheRadiusAreIncluded() {
        // Distances 3 and 5 are exact in binary (3-4-5 triangles), on every axis.
        Eigen::MatrixXd points(200, 2);
        for (Eigen::Index row = 0; row < points.rows(); ++row) {
            points.row(row) << 100.0 + row, -100.0;
        }
        points.row(10) << 3.0, 4.0;
        points.row(20) << -4.0, 3.0;
        points.row(30) << 0.0, -5.0;
        points.row(40) << 5.0, 0.0;
        points.row(50) << 2.0, 4.0; // inside: distance² 20
        points.row(60) << 4.0, 3.5; // outside: distance² 28.25
        for (const auto strategy : {NeighborIndex::Strategy::KdTree, NeighborIndex::Strategy::BruteForce}) {
            const NeighborIndex index(points, strategy);
            const auto found = index.withinRadius(Eigen::Vector2d(0.0, 0.0), 25.0);
            QCOMPARE(found.size(), std::size_t(5));
            QCOMPARE(found[0].index, Eigen::Index(50));
            for (std::size_t i = 1; i < found.size(); ++i) {
                QCOMPARE(found[i].squaredDistance, 25.0);
                QCOMPARE(found[i].index, Eigen::Index(10 * i));
            }
            QVERIFY(index.withinRadius(Eigen::Vector2d(0.0, 0.0), std::nextafter(25.0, 0.0)).size() == 1);
        }
    }

    void zeroRadiusFindsOnlyCoincidentPoints() {
        Eigen::MatrixXd points = makePoints(Layout::Random, 150, 3, 5u);
        points.row(7) = points.row(120);
        points.row(64) = points.row(120);
        for (const auto strategy : {NeighborIndex::Strategy::KdTree, NeighborIndex::Strategy::BruteForce}) {
            const NeighborIndex index(points, strategy);
            const Eigen::VectorXd query = points.row(120);
            const auto found = index.withinRadius(query, 0.0);
            QCOMPARE(found.size(), std::size_t(3));
            QCOMPARE(found[0].index, Eigen::Index(7));
            QCOMPARE(found[1].index, Eigen::Index(64));
            QCOMPARE(found[2].index, Eigen::Index(120));
        }
    }

    void nearestClampsTheCount() {
        const Eigen::MatrixXd points = makePoints(Layout::Random, 80, 2, 3u);
        const NeighborIndex index(points);
        QVERIFY(index.usesKdTree());
        QCOMPARE(index.nearest(Eigen::Vector2d(0.1, 0.2), 0).size(), std::size_t(0));
        QCOMPARE(index.nearest(Eigen::Vector2d(0.1, 0.2), -3).size(), std::size_t(0));
        const auto all = index.nearest(Eigen::Vector2d(0.1, 0.2), 1000);
        QCOMPARE(all.size(), std::size_t(80));
        QVERIFY(std::is_sorted(all.begin(), all.end(), [](const Neighbor& a, const Neighbor& b) {
            return a.squaredDistance < b.squaredDistance;
        }));
    }

    void automaticStrategyFollowsDimensionAndSize() {
        QVERIFY(NeighborIndex(makePoints(Layout::Random, 500, 3, 1u)).usesKdTree());
        QVERIFY(!NeighborIndex(makePoints(Layout::Random, 500, NeighborIndex::kdTreeMaxDimension + 1, 1u))
                     .usesKdTree());
        QVERIFY(!NeighborIndex(makePoints(Layout::Random, 10, 2, 1u)).usesKdTree());
        const NeighborIndex empty(Eigen::MatrixXd(0, 2));
        QCOMPARE(empty.size(), Eigen::Index(0));
        QVERIFY(empty.nearest(Eigen::Vector2d(0.0, 0.0), 3).empty());
        QVERIFY(empty.withinRadius(Eigen::Vector2d(0.0, 0.0), 1.0).empty());
    }

    void movedIndexKeepsWorking() {
        const Eigen::MatrixXd points = makePoints(Layout::Random, 300, 2, 11u);
        NeighborIndex original(points);
        const auto before = original.nearest(Eigen::Vector2d(0.3, -0.2), 5);
        const NeighborIndex moved(std::move(original));
        QVERIFY(sameNeighbors(moved.nearest(Eigen::Vector2d(0.3, -0.2), 5), before));
    }
};

QTEST_APPLESS_MAIN(NeighborIndexTest)
#include "test_neighbor_index.moc"
