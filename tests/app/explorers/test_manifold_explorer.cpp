// The Manifold explorer as a user drives it: the first picture unrolls the Swiss roll; Shift+drag in
// either view selects the same points in both; a click on a point shows weights that sum to 1, solve the
// regularised local least-squares problem (checked here from the points themselves) and belong to the
// point's true k nearest neighbours (found here by brute force); changing k in the panel recomputes;
// a neighbour graph in pieces says so in words and keeps the last embedding; lessons set their data and
// parameters; a large reg pulls the weights to the local mean 1/k. Radius neighbourhoods are every point
// within r (found here by brute force), r following the data's scale; colouring by a column of unnamed
// data uses that column; the dense eigensolver gives way to the sparse one on large data. Each lesson is
// checked to show what its text says, with a measure computed here from the points: how well the
// embedding keeps the order along the roll and the sheet's neighbourhoods, and how many neighbour-graph
// edges short-circuit the roll (ends much farther apart along the sheet than through space).

#include "explorer_test_window.hpp"
#include "explorers/manifold_explorer.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/manifold/barycenter_weights.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <Eigen/QR>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

using namespace locallab;

namespace {

constexpr int resultTimeoutMilliseconds = 60000;

// The window a user sees: the explorer's central widget, big enough to click in.
struct ExplorerWindow : test::ExplorerTestWindow<ManifoldExplorer> {
    // The samples are set before the window is shown, which computes the first picture.
    explicit ExplorerWindow(long long samples = 1000)
        : ExplorerTestWindow(QSize(1300, 800), test::WindowContents::pictureOnly,
                             [samples](ManifoldExplorer& explorer) {
                                 ParameterValues values = explorer.panel()->values();
                                 values.set("samples", samples);
                                 explorer.panel()->setValues(values);
                             }) {}
};

// Waits for the result of the latest request, then for both views to have drawn it once.
bool waitForPicture(ManifoldExplorer& explorer, QSignalSpy& shown, int count = 1) {
    test::waitForMore(shown, count - 1, resultTimeoutMilliseconds);
    explorer.inputView()->grabImage();
    explorer.embeddingView()->grabImage();
    return shown.count() >= count;
}

// Spearman's rank correlation: how monotonically one coordinate follows another.
double rankCorrelation(const Eigen::VectorXd& first, const Eigen::VectorXd& second) {
    const auto ranks = [](const Eigen::VectorXd& values) {
        std::vector<Eigen::Index> order(static_cast<std::size_t>(values.size()));
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        std::sort(order.begin(), order.end(),
                  [&](Eigen::Index a, Eigen::Index b) { return values(a) < values(b); });
        Eigen::VectorXd rank(values.size());
        for (std::size_t position = 0; position < order.size(); ++position) {
            rank(order[position]) = static_cast<double>(position);
        }
        return rank;
    };
    const Eigen::VectorXd a = ranks(first).array() - ranks(first).mean();
    const Eigen::VectorXd b = ranks(second).array() - ranks(second).mean();
    return a.dot(b) / (a.norm() * b.norm());
}

// The k nearest other points of `point`, nearest first, by brute force.
std::vector<Eigen::Index> nearestByBruteForce(const Eigen::MatrixXd& points, Eigen::Index point,
                                              std::size_t k) {
    std::vector<Eigen::Index> others;
    for (Eigen::Index other = 0; other < points.rows(); ++other) {
        if (other != point) {
            others.push_back(other);
        }
    }
    const auto distance = [&](Eigen::Index other) {
        return (points.row(other) - points.row(point)).squaredNorm();
    };
    std::partial_sort(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(k), others.end(),
                      [&](Eigen::Index a, Eigen::Index b) { return distance(a) < distance(b); });
    others.resize(k);
    return others;
}

// Every other point within `radius` of `point`, nearest first, by brute force.
std::vector<Eigen::Index> withinRadiusByBruteForce(const Eigen::MatrixXd& points, Eigen::Index point,
                                                   double radius) {
    std::vector<Eigen::Index> inside;
    const auto distance = [&](Eigen::Index other) {
        return (points.row(other) - points.row(point)).squaredNorm();
    };
    for (Eigen::Index other = 0; other < points.rows(); ++other) {
        if (other != point && distance(other) <= radius * radius) {
            inside.push_back(other);
        }
    }
    std::sort(inside.begin(), inside.end(),
              [&](Eigen::Index a, Eigen::Index b) { return distance(a) < distance(b); });
    return inside;
}

// The Swiss roll's own coordinates on its sheet: the arc length along the spiral r = t from t = 0,
// ½(t√(1 + t²) + asinh t), and the height (the y column, off by the noise for noisy data). Distances in
// them are distances along the sheet.
Eigen::MatrixX2d sheetCoordinates(const Dataset& roll) {
    Eigen::MatrixX2d sheet(roll.size(), 2);
    for (Eigen::Index point = 0; point < roll.size(); ++point) {
        const double t = (*roll.latent)(point);
        sheet(point, 0) = 0.5 * (t * std::sqrt(1.0 + t * t) + std::asinh(t));
        sheet(point, 1) = roll.points(point, 1);
    }
    return sheet;
}

// Neighbour-graph edges of a Swiss roll whose ends are farther apart along the sheet than through
// space by more than the gap between two layers of the roll (one turn, 2π): edges that jump between
// layers. Neighbours on one layer are about as far apart either way, also when noise moves them a little.
std::size_t shortCircuitEdges(const ManifoldPicture& picture) {
    const Dataset& roll = *picture.data->dataset;
    const Eigen::MatrixX2d sheet = sheetCoordinates(roll);
    const NeighborhoodList& graph = picture.result.neighborhoods;
    std::size_t count = 0;
    for (Eigen::Index point = 0; point < graph.size(); ++point) {
        for (const Eigen::Index neighbor : graph.neighborsOf(point)) {
            const double through = (roll.points.row(point) - roll.points.row(neighbor)).norm();
            const double along = (sheet.row(point) - sheet.row(neighbor)).norm();
            count += along > through + 2.0 * std::numbers::pi ? 1 : 0;
        }
    }
    return count;
}

// How well the embedding keeps the order along the roll: the larger |rank correlation| of an embedding
// axis with the roll angle.
double unrolling(const ManifoldPicture& picture) {
    const Eigen::VectorXd& angle = *picture.data->dataset->latent;
    return std::max(std::abs(rankCorrelation(picture.result.embedding.col(0), angle)),
                    std::abs(rankCorrelation(picture.result.embedding.col(1), angle)));
}

// How well the embedding keeps neighbourhoods on the sheet: the mean share of each point's 10 nearest
// neighbours along the sheet that are also among its 10 nearest in the embedding (each embedding axis
// scaled to unit variance first, as LLE's eigenvectors are, and the sheet's too).
double neighbourhoodsKept(const ManifoldPicture& picture) {
    constexpr std::size_t k = 10;
    const auto standardized = [](Eigen::MatrixXd coordinates) {
        coordinates = coordinates.rowwise() - coordinates.colwise().mean();
        for (Eigen::Index axis = 0; axis < coordinates.cols(); ++axis) {
            coordinates.col(axis) /= coordinates.col(axis).norm();
        }
        return coordinates;
    };
    const Eigen::MatrixXd sheet = standardized(sheetCoordinates(*picture.data->dataset));
    const Eigen::MatrixXd embedding = standardized(picture.result.embedding.leftCols(2));
    double kept = 0.0;
    for (Eigen::Index point = 0; point < sheet.rows(); ++point) {
        std::vector<Eigen::Index> near = nearestByBruteForce(sheet, point, k);
        std::vector<Eigen::Index> embedded = nearestByBruteForce(embedding, point, k);
        std::sort(near.begin(), near.end());
        std::sort(embedded.begin(), embedded.end());
        std::vector<Eigen::Index> both;
        std::set_intersection(near.begin(), near.end(), embedded.begin(), embedded.end(),
                              std::back_inserter(both));
        kept += static_cast<double>(both.size()) / static_cast<double>(k);
    }
    return kept / static_cast<double>(sheet.rows());
}

// With LOCALLAB_TEST_SNAPSHOTS set to a folder, the window is saved there as NAME.png, for looking at
// what the test drove the explorer to.
void snapshot(QWidget& window, const QString& name) {
    const QString folder = qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS");
    if (!folder.isEmpty()) {
        window.grab().save(folder + "/" + name + ".png");
    }
}

void shiftDrag(QWidget* view, const QPoint& from, const QPoint& to) {
    QTest::mousePress(view, Qt::LeftButton, Qt::ShiftModifier, from);
    QTest::mouseMove(view, (from + to) / 2);
    QTest::mouseMove(view, to);
    QTest::mouseRelease(view, Qt::LeftButton, Qt::ShiftModifier, to);
}

// A point of the embedding with no other point within `clearance` pixels, so a click on it is unambiguous.
Eigen::Index isolatedPoint(const ManifoldExplorer& explorer, double clearance) {
    const Eigen::MatrixXd& embedding = explorer.picture()->result.embedding;
    std::vector<QPointF> positions;
    for (Eigen::Index point = 0; point < embedding.rows(); ++point) {
        positions.push_back(
            explorer.embeddingView()->dataToDisplay({embedding(point, 0), embedding(point, 1)}));
    }
    const QRectF frame = explorer.embeddingView()->frameRect().adjusted(20, 20, -20, -20);
    for (std::size_t point = 0; point < positions.size(); ++point) {
        if (!frame.contains(positions[point])) {
            continue;
        }
        bool alone = true;
        for (std::size_t other = 0; other < positions.size() && alone; ++other) {
            const QPointF offset = positions[other] - positions[point];
            alone = other == point || std::hypot(offset.x(), offset.y()) > clearance;
        }
        if (alone) {
            return static_cast<Eigen::Index>(point);
        }
    }
    return -1;
}

// A place in the embedding's frame with no point within `clearance` pixels.
QPoint emptySpot(const ManifoldExplorer& explorer, double clearance) {
    const Eigen::MatrixXd& embedding = explorer.picture()->result.embedding;
    const QRectF frame = explorer.embeddingView()->frameRect();
    for (double y = frame.top() + 2.0; y < frame.bottom(); y += 5.0) {
        for (double x = frame.left() + 2.0; x < frame.right(); x += 5.0) {
            bool empty = true;
            for (Eigen::Index point = 0; point < embedding.rows() && empty; ++point) {
                const QPointF offset =
                    explorer.embeddingView()->dataToDisplay({embedding(point, 0), embedding(point, 1)}) -
                    QPointF(x, y);
                empty = std::hypot(offset.x(), offset.y()) > clearance;
            }
            if (empty) {
                return QPointF(x, y).toPoint();
            }
        }
    }
    return {-1, -1};
}

} // namespace

class TestManifoldExplorer : public QObject {
    Q_OBJECT

private slots:
    void firstPictureUnrollsTheSwissRoll();
    void brushingOneViewSelectsTheSameIndicesInTheOther_data();
    void brushingOneViewSelectsTheSameIndicesInTheOther();
    void clickingAPointShowsItsWeights();
    void changingKWithThePanelRecomputes();
    void largeDataReportProgressAndCanBeCancelled();
    void disconnectedGraphSaysSoAndKeepsTheLastEmbedding();
    void dataInPiecesAreColouredByPiece();
    void everyShapeUnrolls_data();
    void everyShapeUnrolls();
    void widerDataAreDrawnByTheirPrincipalComponents();
    void lessonSetsDataAndParameters();
    void largeRegularisationGivesTheLocalMean();
    void radiusNeighbourhoodsAreEveryPointWithinR();
    void colouringByAColumnOfUnnamedDataUsesThatColumn_data();
    void colouringByAColumnOfUnnamedDataUsesThatColumn();
    void denseSolverGivesWayOnLargeData();
    void lessonKTooSmallTearsTheRoll();
    void lessonKTooLargeShortCircuitsTheRoll();
    void lessonTinyRegBreaksTheEmbedding();
    void lessonNoiseThickensTheRoll();
};

void TestManifoldExplorer::firstPictureUnrollsTheSwissRoll() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    QVERIFY(pictures.front().at(0).toBool());
    const auto picture = shown.explorer->picture();
    QVERIFY(picture && picture->hasEmbedding());
    QCOMPARE(picture->result.embedding.rows(), Eigen::Index{1000});
    QCOMPARE(picture->options.neighbors, Eigen::Index{12});
    // Unrolled: one embedding axis follows the angle along the roll.
    const Eigen::VectorXd& angle = *picture->data->dataset->latent;
    const double along = std::max(std::abs(rankCorrelation(picture->result.embedding.col(0), angle)),
                                  std::abs(rankCorrelation(picture->result.embedding.col(1), angle)));
    QVERIFY2(along > 0.95, qPrintable(QString("rank correlation %1").arg(along)));
    QVERIFY(shown.explorer->messageText().isEmpty());
    QVERIFY(shown.explorer->formulaText().contains("Click a point"));
}

void TestManifoldExplorer::brushingOneViewSelectsTheSameIndicesInTheOther_data() {
    QTest::addColumn<bool>("inEmbedding");
    QTest::newRow("brush the embedding") << true;
    QTest::newRow("brush the input cloud") << false;
}

void TestManifoldExplorer::brushingOneViewSelectsTheSameIndicesInTheOther() {
    QFETCH(bool, inEmbedding);
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    ManifoldExplorer& explorer = *shown.explorer;
    const Eigen::MatrixXd& embedding = explorer.picture()->result.embedding;
    std::vector<Eigen::Index> expected;
    QWidget* view = nullptr;
    if (inEmbedding) {
        // The middle of the embedding, from a quarter to three quarters of its extent on both axes.
        const Eigen::Vector2d low = embedding.leftCols(2).colwise().minCoeff();
        const Eigen::Vector2d high = embedding.leftCols(2).colwise().maxCoeff();
        const QPoint from = explorer.embeddingView()->dataToDisplay(low + 0.25 * (high - low)).toPoint();
        const QPoint to = explorer.embeddingView()->dataToDisplay(low + 0.75 * (high - low)).toPoint();
        // The data rectangle the pixels sent stand for.
        const Eigen::Vector2d corner = explorer.embeddingView()->displayToData(from);
        const Eigen::Vector2d opposite = explorer.embeddingView()->displayToData(to);
        for (Eigen::Index point = 0; point < embedding.rows(); ++point) {
            const double x = embedding(point, 0);
            const double y = embedding(point, 1);
            if (x >= std::min(corner.x(), opposite.x()) && x <= std::max(corner.x(), opposite.x()) &&
                y >= std::min(corner.y(), opposite.y()) && y <= std::max(corner.y(), opposite.y())) {
                expected.push_back(point);
            }
        }
        view = explorer.embeddingView();
        shiftDrag(view, from, to);
    } else {
        // A box in the middle of the 3-D view; the points are those the camera projects into it.
        const QRect box(
            QPoint(explorer.inputView()->width() / 2 - 90, explorer.inputView()->height() / 2 - 70),
            QSize(180, 140));
        const Eigen::MatrixX3d& display = explorer.picture()->data->display;
        for (Eigen::Index point = 0; point < display.rows(); ++point) {
            if (QRectF(box).contains(explorer.inputView()->worldToDisplay(display.row(point).transpose()))) {
                expected.push_back(point);
            }
        }
        view = explorer.inputView();
        shiftDrag(view, box.topLeft(), box.topLeft() + QPoint(180, 140));
    }
    QVERIFY2(expected.size() > 10, qPrintable(QString("only %1 points in the box").arg(expected.size())));
    QVERIFY(expected.size() < 990);
    QCOMPARE(explorer.selection(), expected);
    // Both views highlight exactly those indices.
    QCOMPARE(explorer.inputView()->selection(explorer.inputPointLayer()), expected);
    QCOMPARE(explorer.embeddingView()->selection(explorer.embeddingPointLayer()), expected);
    snapshot(shown.window, inEmbedding ? "manifold_brush_embedding" : "manifold_brush_input");
    QVERIFY(explorer.formulaText().contains(QString("%1 points selected").arg(expected.size())));

    // Esc clears the selection in both.
    QTest::keyClick(view, Qt::Key_Escape);
    QVERIFY(explorer.selection().empty());
    QVERIFY(explorer.inputView()->selection(explorer.inputPointLayer()).empty());
    QVERIFY(explorer.embeddingView()->selection(explorer.embeddingPointLayer()).empty());
}

void TestManifoldExplorer::clickingAPointShowsItsWeights() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    ManifoldExplorer& explorer = *shown.explorer;
    const Eigen::Index point = isolatedPoint(explorer, 3.0);
    QVERIFY(point >= 0);
    const Eigen::MatrixXd& embedding = explorer.picture()->result.embedding;
    const QPoint click =
        explorer.embeddingView()->dataToDisplay({embedding(point, 0), embedding(point, 1)}).toPoint();
    QTest::mouseClick(explorer.embeddingView(), Qt::LeftButton, Qt::NoModifier, click);
    QVERIFY(explorer.focus().has_value());
    const PointReconstruction& focus = *explorer.focus();
    QCOMPARE(focus.point, point);

    // Its neighbours are its 12 nearest points.
    const Eigen::MatrixXd& points = explorer.picture()->data->dataset->points;
    QCOMPARE(focus.neighbors, nearestByBruteForce(points, point, 12));
    // The weights sum to 1, are core's barycentre weights, and solve the regularised local problem: with
    // C the neighbours minus the point and G = C Cᵀ + reg·trace(C Cᵀ)·I, the minimiser of wᵀG w under
    // Σw = 1 has G w equal in every entry (the Lagrange condition).
    const Eigen::Map<const Eigen::VectorXd> weights(focus.weights.data(),
                                                    static_cast<Eigen::Index>(focus.weights.size()));
    LOCALLAB_COMPARE_NEAR(weights.sum(), 1.0, 0.0, 1e-12);
    LOCALLAB_COMPARE_NEAR(focus.weightSum, 1.0, 0.0, 1e-12);
    const auto core = barycenterWeights(points, point, focus.neighbors, 1e-3);
    QVERIFY(core.has_value());
    LOCALLAB_COMPARE_MATRIX_NEAR(weights, *core, 0.0, 1e-12);
    Eigen::MatrixXd offsets(12, 3);
    for (Eigen::Index k = 0; k < 12; ++k) {
        offsets.row(k) = points.row(focus.neighbors[static_cast<std::size_t>(k)]) - points.row(point);
    }
    Eigen::MatrixXd gram = offsets * offsets.transpose();
    gram.diagonal().array() += 1e-3 * gram.trace();
    const Eigen::VectorXd lagrange = gram * weights;
    LOCALLAB_COMPARE_MATRIX_NEAR(lagrange, Eigen::VectorXd::Constant(12, lagrange.mean()), 0.0,
                                 1e-9 * std::abs(lagrange.mean()));
    // The rebuilt point and the local error, from the points.
    const Eigen::VectorXd rebuilt = offsets.transpose() * weights + points.row(point).transpose();
    LOCALLAB_COMPARE_MATRIX_NEAR(focus.rebuilt, rebuilt, 0.0, 1e-9);
    LOCALLAB_COMPARE_NEAR(focus.error, (points.row(point).transpose() - rebuilt).squaredNorm(), 1e-9, 1e-15);

    snapshot(shown.window, "manifold_click");
    // The neighbourhood view labels the 12 edges with the weights (so do the big views, once zoomed in
    // far enough to read them); the formula panel shows them and their sum.
    QCOMPARE(explorer.neighbourhoodView()->dataLabels().size(), std::size_t{12});
    explorer.neighbourhoodView()->grabImage();
    QVERIFY(explorer.neighbourhoodView()->dataLabelsShown());
    for (std::size_t k = 0; k < 12; ++k) {
        QCOMPARE(QString::fromStdString(explorer.neighbourhoodView()->dataLabels()[k].text),
                 QString::number(focus.weights[k], 'f', 2));
    }
    QCOMPARE(explorer.inputView()->dataLabels().size(), std::size_t{12});
    QCOMPARE(explorer.embeddingView()->dataLabels().size(), std::size_t{12});
    const QString formula = explorer.formulaText();
    QVERIFY2(formula.contains(QString("<b>Point %1</b>").arg(point)), qPrintable(formula));
    QVERIFY(formula.contains("= 1.000000"));
    QVERIFY(formula.contains(QString::number(focus.weights.front(), 'f', 3)));

    // A click on empty space hides them again.
    const QPoint empty = emptySpot(explorer, 15.0);
    QVERIFY(empty.x() >= 0);
    QTest::mouseClick(explorer.embeddingView(), Qt::LeftButton, Qt::NoModifier, empty);
    QVERIFY(!explorer.focus().has_value());
    QVERIFY(explorer.embeddingView()->dataLabels().empty());
    QVERIFY(explorer.neighbourhoodView()->dataLabels().empty());
}

void TestManifoldExplorer::changingKWithThePanelRecomputes() {
    ExplorerWindow shown(800);
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    auto* neighbors = qobject_cast<QSpinBox*>(shown.explorer->panel()->controlFor("neighbors"));
    QVERIFY(neighbors);
    neighbors->setValue(20);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto picture = shown.explorer->picture();
    QCOMPARE(picture->options.neighbors, Eigen::Index{20});
    QCOMPARE(picture->result.neighborhoods.smallestSize(), Eigen::Index{20});
    QCOMPARE(picture->result.embedding.rows(), Eigen::Index{800});
}

void TestManifoldExplorer::largeDataReportProgressAndCanBeCancelled() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const auto good = shown.explorer->picture();
    QSignalSpy progress(shown.explorer, &Explorer::progressChanged);
    QSignalSpy busy(shown.explorer, &Explorer::busyChanged);
    auto* samples = qobject_cast<QSpinBox*>(shown.explorer->panel()->controlFor("samples"));
    QVERIFY(samples);
    samples->setValue(20000);
    QVERIFY(!busy.isEmpty() && busy.back().at(0).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), resultTimeoutMilliseconds);
    shown.explorer->cancel();
    QVERIFY(!busy.back().at(0).toBool());
    QTest::qWait(300);
    QCOMPARE(shown.explorer->picture(), good); // the last embedding stays
    QCOMPARE(pictures.count(), 1);
    QVERIFY2(shown.explorer->messageText().contains("Cancelled"), qPrintable(shown.explorer->messageText()));
}

void TestManifoldExplorer::disconnectedGraphSaysSoAndKeepsTheLastEmbedding() {
    ExplorerWindow shown(800);
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const auto good = shown.explorer->picture();
    auto* neighbors = qobject_cast<QSpinBox*>(shown.explorer->panel()->controlFor("neighbors"));
    QVERIFY(neighbors);
    neighbors->setValue(2);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    QVERIFY(!pictures.back().at(0).toBool());
    QVERIFY(shown.explorer->latestPicture()->result.connectedComponents > 1);
    const QString message = shown.explorer->messageText();
    QVERIFY2(message.contains("separate pieces") && message.contains("last one that worked (k = 12)"),
             qPrintable(message));
    QCOMPARE(shown.explorer->picture(), good); // the embedding on screen is the last good one
    snapshot(shown.window, "manifold_k2");
    QVERIFY(shown.explorer->latestPicture()->graphPieces.size() == 800);
}

void TestManifoldExplorer::dataInPiecesAreColouredByPiece() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    // Two copies of a small sheet, far apart: 12 neighbours never reach across.
    auto dataset = std::make_shared<Dataset>();
    dataset->points.resize(200, 3);
    for (Eigen::Index i = 0; i < 100; ++i) {
        const double u = static_cast<double>(i % 10);
        const double v = static_cast<double>(i / 10);
        dataset->points.row(i) << u, v, 0.1 * u * v;
        dataset->points.row(i + 100) << u + 1000.0, v, 0.1 * u * v;
    }
    dataset->columnNames = {"a", "b", "c"};
    dataset->origin = "two sheets";
    shown.explorer->setDataset(dataset);
    QCOMPARE(shown.explorer->panel()->values().choice("data"), std::string("Data explorer's data"));
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto latest = shown.explorer->latestPicture();
    QCOMPARE(latest->pointCount(), Eigen::Index{200});
    QVERIFY(!latest->hasEmbedding());
    QVERIFY2(shown.explorer->messageText().contains("2 separate pieces"),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(shown.explorer->messageText().contains("no embedding of these data"));
    QVERIFY((latest->graphPieces.head(100).array() == 0).all());
    QVERIFY((latest->graphPieces.tail(100).array() == 1).all());
    QCOMPARE(shown.explorer->embeddingPointLayer(), 0); // nothing drawn in the embedding
    snapshot(shown.window, "manifold_pieces");
}

void TestManifoldExplorer::everyShapeUnrolls_data() {
    QTest::addColumn<QString>("shape");
    QTest::addColumn<bool>("radial");
    // The S-curve and the helix unroll along their angle; the sphere without a cap opens into a disc
    // whose radius grows with the distance from the cut.
    QTest::newRow("s-curve") << "s-curve" << false;
    QTest::newRow("helix") << "helix" << false;
    QTest::newRow("sphere without cap") << "sphere without cap" << true;
}

void TestManifoldExplorer::everyShapeUnrolls() {
    QFETCH(QString, shape);
    QFETCH(bool, radial);
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    auto* data = qobject_cast<QComboBox*>(shown.explorer->panel()->controlFor("data"));
    QVERIFY(data);
    data->setCurrentText(shape);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto picture = shown.explorer->picture();
    QVERIFY(picture && picture->hasEmbedding());
    QCOMPARE(picture->source.generator.empty(), false);
    const Eigen::VectorXd& latent = *picture->data->dataset->latent;
    const Eigen::MatrixXd embedding = picture->result.embedding.leftCols(2);
    double agreement = 0.0;
    if (radial) {
        const Eigen::VectorXd radius = (embedding.rowwise() - embedding.colwise().mean()).rowwise().norm();
        agreement = std::abs(rankCorrelation(radius, latent));
    } else {
        agreement = std::max(std::abs(rankCorrelation(embedding.col(0), latent)),
                             std::abs(rankCorrelation(embedding.col(1), latent)));
    }
    QVERIFY2(agreement > 0.9, qPrintable(QString("rank correlation %1").arg(agreement)));
    snapshot(shown.window, "manifold_" + shape.replace(' ', '_'));
}

void TestManifoldExplorer::widerDataAreDrawnByTheirPrincipalComponents() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    // A Swiss roll turned into 5-D by an orthogonal map: the first three principal components carry all
    // of its variance, and drawing by them keeps every distance.
    const Eigen::MatrixXd roll = shown.explorer->picture()->data->dataset->points;
    const Eigen::VectorXd angle = *shown.explorer->picture()->data->dataset->latent;
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(Eigen::MatrixXd::Random(5, 5));
    const Eigen::MatrixXd rotation = qr.householderQ();
    Eigen::MatrixXd wide = Eigen::MatrixXd::Zero(roll.rows(), 5);
    wide.leftCols(3) = roll;
    auto dataset = std::make_shared<Dataset>();
    dataset->points = wide * rotation.transpose();
    dataset->columnNames = {"a", "b", "c", "d", "e"};
    dataset->origin = "rotated roll";
    shown.explorer->setDataset(dataset);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto picture = shown.explorer->latestPicture();
    QVERIFY(picture->data->principalComponents);
    LOCALLAB_COMPARE_NEAR(picture->data->explainedVariance, 1.0, 0.0, 1e-12);
    QCOMPARE(picture->data->axisNames[0], std::string("PC1"));
    const Eigen::MatrixX3d& display = picture->data->display;
    for (const auto& [first, second] : {std::pair<Eigen::Index, Eigen::Index>{0, 1}, {2, 500}, {17, 999}}) {
        LOCALLAB_COMPARE_NEAR((display.row(first) - display.row(second)).norm(),
                              (roll.row(first) - roll.row(second)).norm(), 1e-9, 1e-9);
    }
    // LLE runs on all five columns; a turn changes no distance, so the roll unrolls as before.
    QVERIFY(picture->hasEmbedding());
    const double along = std::max(std::abs(rankCorrelation(picture->result.embedding.col(0), angle)),
                                  std::abs(rankCorrelation(picture->result.embedding.col(1), angle)));
    QVERIFY2(along > 0.95, qPrintable(QString("rank correlation %1").arg(along)));
    snapshot(shown.window, "manifold_wide_data");
}

void TestManifoldExplorer::lessonSetsDataAndParameters() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const std::vector<std::string> lessons = ManifoldExplorer::lessonNames();
    QVERIFY(lessons.size() >= 5);
    shown.explorer->startLesson("k too large: a short circuit");
    const ParameterValues values = shown.explorer->panel()->values();
    QCOMPARE(values.integer("neighbors"), 40LL);
    QVERIFY(values.boolean("show-graph"));
    QCOMPARE(values.choice("data"), std::string("swiss roll"));
    QVERIFY(shown.explorer->lessonText().contains("k too large"));
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    QCOMPARE(shown.explorer->picture()->options.neighbors, Eigen::Index{40});
    QCOMPARE(shown.explorer->picture()->pointCount(), Eigen::Index{1500});
    snapshot(shown.window, "manifold_lesson_k_too_large");

    // Every lesson sets its data, explains itself, and leads to a picture.
    int count = 2;
    for (const std::string& lesson : lessons) {
        if (lesson == "free exploration" || lesson == "k too large: a short circuit") {
            continue;
        }
        shown.explorer->startLesson(lesson);
        QVERIFY(!shown.explorer->lessonText().isEmpty());
        QVERIFY(waitForPicture(*shown.explorer, pictures, ++count));
        QCOMPARE(shown.explorer->latestPicture()->source.generator, std::string("swiss_roll"));
        snapshot(shown.window, QString::fromStdString("manifold_lesson_" + lesson.substr(0, lesson.find(':')))
                                   .replace(' ', '_'));
    }
    shown.explorer->startLesson("free exploration");
    QVERIFY(shown.explorer->lessonText().isEmpty());
}

void TestManifoldExplorer::largeRegularisationGivesTheLocalMean() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    shown.explorer->startLesson("reg: the weights of one point");
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    QVERIFY(shown.explorer->focus().has_value()); // the lesson marks a point
    const std::vector<double> tiny = shown.explorer->focus()->weights;
    auto* reg = qobject_cast<QDoubleSpinBox*>(shown.explorer->panel()->controlFor("reg"));
    QVERIFY(reg);
    reg->setValue(1.0);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    QVERIFY(shown.explorer->focus().has_value());
    // The weights at reg = 1 solve (G + trace(G)·I) w ∝ 1, checked from the points: every entry of
    // (G + trace(G)·I) w is the same.
    const PointReconstruction& focus = *shown.explorer->focus();
    const Eigen::MatrixXd& points = shown.explorer->picture()->data->dataset->points;
    Eigen::MatrixXd offsets(12, 3);
    for (Eigen::Index k = 0; k < 12; ++k) {
        offsets.row(k) = points.row(focus.neighbors[static_cast<std::size_t>(k)]) - points.row(focus.point);
    }
    Eigen::MatrixXd gram = offsets * offsets.transpose();
    gram.diagonal().array() += gram.trace();
    const Eigen::Map<const Eigen::VectorXd> weights(focus.weights.data(), 12);
    const Eigen::VectorXd lagrange = gram * weights;
    LOCALLAB_COMPARE_MATRIX_NEAR(lagrange, Eigen::VectorXd::Constant(12, lagrange.mean()), 0.0,
                                 1e-9 * std::abs(lagrange.mean()));
    // A diagonal this heavy pulls every weight towards 1/k, the plain local mean, far more than reg = 10⁻⁹.
    const auto farthestFromMean = [](const std::vector<double>& values) {
        double farthest = 0.0;
        for (const double value : values) {
            farthest = std::max(farthest, std::abs(value - 1.0 / 12.0));
        }
        return farthest;
    };
    QVERIFY2(
        farthestFromMean(focus.weights) < 0.5 * farthestFromMean(tiny),
        qPrintable(QString("%1 vs %2").arg(farthestFromMean(focus.weights)).arg(farthestFromMean(tiny))));
}

void TestManifoldExplorer::radiusNeighbourhoodsAreEveryPointWithinR() {
    ExplorerWindow shown(800);
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    ManifoldExplorer& explorer = *shown.explorer;
    auto* neighborhood = qobject_cast<QComboBox*>(explorer.panel()->controlFor("neighborhood"));
    auto* radius = qobject_cast<QDoubleSpinBox*>(explorer.panel()->controlFor("radius"));
    QVERIFY(neighborhood && radius);
    QVERIFY(!radius->isEnabled()); // k nearest until asked otherwise
    QVERIFY(explorer.panel()->sliderFor("radius") != nullptr);
    neighborhood->setCurrentText("within radius");
    QVERIFY(radius->isEnabled());
    QVERIFY(!explorer.panel()->controlFor("neighbors")->isEnabled());
    QVERIFY(waitForPicture(explorer, pictures, 2));

    // The first radius follows the data: the median distance to the 12th nearest neighbour, found here
    // by brute force (to the two digits the panel shows).
    auto picture = explorer.picture();
    QVERIFY(picture && picture->options.radius.has_value());
    const Eigen::MatrixXd& points = picture->data->dataset->points;
    std::vector<double> twelfth;
    for (Eigen::Index point = 0; point < points.rows(); ++point) {
        twelfth.push_back(
            (points.row(nearestByBruteForce(points, point, 12).back()) - points.row(point)).norm());
    }
    std::sort(twelfth.begin(), twelfth.end());
    const double median = twelfth[twelfth.size() / 2];
    const double suggested = *picture->options.radius;
    QVERIFY2(std::abs(suggested - median) <= 0.05 * median,
             qPrintable(QString("radius %1, median 12th-neighbour distance %2").arg(suggested).arg(median)));
    LOCALLAB_COMPARE_NEAR(radius->value(), suggested, 1e-9, 1e-9);

    // A radius typed in: every point's neighbours are exactly the points within it, nearest first.
    radius->setValue(1.3 * suggested);
    QVERIFY(waitForPicture(explorer, pictures, 3));
    picture = explorer.latestPicture();
    QVERIFY(picture->options.radius.has_value());
    const double r = *picture->options.radius;
    LOCALLAB_COMPARE_NEAR(r, radius->value(), 0.0, 1e-12);
    QVERIFY(std::abs(r - 1.3 * suggested) < 0.01 * suggested);
    std::size_t smallest = points.rows();
    std::size_t largest = 0;
    for (Eigen::Index point = 0; point < points.rows(); ++point) {
        const auto found = picture->result.neighborhoods.neighborsOf(point);
        const std::vector<Eigen::Index> expected = withinRadiusByBruteForce(points, point, r);
        QCOMPARE(std::vector<Eigen::Index>(found.begin(), found.end()), expected);
        smallest = std::min(smallest, expected.size());
        largest = std::max(largest, expected.size());
    }
    QVERIFY(smallest < largest); // radius neighbourhoods differ in size, unlike k nearest
    QVERIFY(picture->hasEmbedding());
    QVERIFY2(unrolling(*picture) > 0.95, qPrintable(QString("rank correlation %1").arg(unrolling(*picture))));
    snapshot(shown.window, "manifold_radius");

    // The same roll 1000 times larger, from the Data explorer: the radius follows the new scale.
    auto scaled = std::make_shared<Dataset>(*picture->data->dataset);
    scaled->points *= 1000.0;
    scaled->origin = "scaled roll";
    explorer.setDataset(scaled);
    QVERIFY(waitForPicture(explorer, pictures, 4));
    picture = explorer.latestPicture();
    QCOMPARE(picture->pointCount(), Eigen::Index{800});
    QVERIFY(picture->options.radius.has_value());
    LOCALLAB_COMPARE_NEAR(*picture->options.radius, 1000.0 * suggested, 1e-9, 1e-9);
    LOCALLAB_COMPARE_NEAR(radius->value(), 1000.0 * suggested, 1e-9, 1e-9);
    QVERIFY2(explorer.messageText().isEmpty(), qPrintable(explorer.messageText()));
}

void TestManifoldExplorer::colouringByAColumnOfUnnamedDataUsesThatColumn_data() {
    QTest::addColumn<int>("column");
    QTest::newRow("column 1") << 1;
    QTest::newRow("column 2") << 2;
    QTest::newRow("column 3") << 3;
}

void TestManifoldExplorer::colouringByAColumnOfUnnamedDataUsesThatColumn() {
    QFETCH(int, column);
    ExplorerWindow shown(600);
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    auto unnamed = std::make_shared<Dataset>();
    unnamed->points = shown.explorer->picture()->data->dataset->points;
    unnamed->origin = "unnamed columns";
    QVERIFY(unnamed->columnNames.empty());
    shown.explorer->setDataset(unnamed);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    auto* colorBy = qobject_cast<QComboBox*>(shown.explorer->panel()->controlFor("color-by"));
    QVERIFY(colorBy);
    const QString choice = QString("column %1").arg(column);
    QVERIFY(colorBy->findText(choice) >= 0);
    colorBy->setCurrentText(choice);
    QCOMPARE(shown.explorer->panel()->values().choice("color-by"), choice.toStdString());
    const Eigen::VectorXd colors = shown.explorer->colorValues();
    QCOMPARE(colors.size(), unnamed->points.rows());
    QVERIFY(colors == unnamed->points.col(column - 1));
}

void TestManifoldExplorer::denseSolverGivesWayOnLargeData() {
    ExplorerWindow shown(800);
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    auto* solver = qobject_cast<QComboBox*>(shown.explorer->panel()->controlFor("eigen-solver"));
    QVERIFY(solver);
    solver->setCurrentText("dense");
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    QVERIFY(shown.explorer->picture()->result.usedDenseSolver); // 800 points: as asked
    QVERIFY(shown.explorer->messageText().isEmpty());

    auto* samples = qobject_cast<QSpinBox*>(shown.explorer->panel()->controlFor("samples"));
    samples->setValue(static_cast<int>(interactiveDenseSolverLimit) + 500);
    QVERIFY(waitForPicture(*shown.explorer, pictures, 3));
    const auto picture = shown.explorer->latestPicture();
    QVERIFY(picture->hasEmbedding());
    QVERIFY(!picture->result.usedDenseSolver);
    QCOMPARE(picture->options.eigenSolver, EigenSolverChoice::Sparse);
    const QString message = shown.explorer->messageText();
    QVERIFY2(message.contains("sparse solver") &&
                 message.contains(QString::number(interactiveDenseSolverLimit)),
             qPrintable(message));
    QCOMPARE(shown.explorer->panel()->values().choice("eigen-solver"), std::string("dense")); // not overruled
}

void TestManifoldExplorer::lessonKTooSmallTearsTheRoll() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    shown.explorer->startLesson("k too small: the roll tears");
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const auto small = shown.explorer->latestPicture();
    QVERIFY2(small->hasEmbedding(), small->result.describeProblems().c_str());
    const double smallOrder = unrolling(*small);
    const double smallKept = neighbourhoodsKept(*small);

    auto* neighbors = qobject_cast<QSpinBox*>(shown.explorer->panel()->controlFor("neighbors"));
    neighbors->setValue(12); // "step k up to 8–12"
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto good = shown.explorer->latestPicture();
    const double goodOrder = unrolling(*good);
    const double goodKept = neighbourhoodsKept(*good);
    const QString figures = QString("k = %1: order %2, kept %3; k = 12: order %4, kept %5")
                                .arg(small->options.neighbors)
                                .arg(smallOrder)
                                .arg(smallKept)
                                .arg(goodOrder)
                                .arg(goodKept);
    qInfo("%s", qPrintable(figures));
    QVERIFY2(goodOrder > 0.95, qPrintable(figures));
    // Torn: neighbourhoods on the sheet land apart, and the colours no longer run in order.
    QVERIFY2(smallKept < 0.75 * goodKept, qPrintable(figures));
    QVERIFY2(smallOrder < goodOrder - 0.1, qPrintable(figures));

    neighbors->setValue(8); // already open at the low end of "8–12"
    QVERIFY(waitForPicture(*shown.explorer, pictures, 3));
    QVERIFY2(unrolling(*shown.explorer->latestPicture()) > 0.9,
             qPrintable(QString("k = 8: order %1").arg(unrolling(*shown.explorer->latestPicture()))));

    neighbors->setValue(3); // "at k = 3 the neighbour graph falls apart into pieces, and LLE says so"
    QVERIFY(waitForPicture(*shown.explorer, pictures, 4));
    QVERIFY(shown.explorer->latestPicture()->result.connectedComponents > 1);
    QVERIFY2(shown.explorer->messageText().contains("separate pieces"),
             qPrintable(shown.explorer->messageText()));
}

void TestManifoldExplorer::lessonKTooLargeShortCircuitsTheRoll() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    shown.explorer->startLesson("k too large: a short circuit");
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const auto large = shown.explorer->latestPicture();
    QVERIFY2(large->hasEmbedding(), large->result.describeProblems().c_str());
    const std::size_t jumps = shortCircuitEdges(*large);
    const QString figures = QString("k = %1: %2 edges across layers (%3 drawn), order %4")
                                .arg(large->options.neighbors)
                                .arg(jumps)
                                .arg(shown.explorer->shortCircuitCount())
                                .arg(unrolling(*large));
    qInfo("%s", qPrintable(figures));
    // Edges jump across the gap, they are drawn as short circuits, and the roll is folded, not unrolled.
    QVERIFY2(jumps >= 30 && jumps <= 300, qPrintable(figures)); // "about a hundred"
    QVERIFY2(shown.explorer->shortCircuitCount() > 0, qPrintable(figures));
    QVERIFY2(unrolling(*large) < 0.8, qPrintable(figures));
    snapshot(shown.window, "manifold_short_circuits");

    auto* neighbors = qobject_cast<QSpinBox*>(shown.explorer->panel()->controlFor("neighbors"));
    neighbors->setValue(12); // "lower k until the colours run smoothly"
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto good = shown.explorer->latestPicture();
    QCOMPARE(shortCircuitEdges(*good), std::size_t{0});
    QCOMPARE(shown.explorer->shortCircuitCount(), std::size_t{0});
    QVERIFY2(unrolling(*good) > 0.95, qPrintable(QString("order %1").arg(unrolling(*good))));
}

void TestManifoldExplorer::lessonTinyRegBreaksTheEmbedding() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    shown.explorer->startLesson("reg: the weights of one point");
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const auto tiny = shown.explorer->latestPicture();
    QVERIFY(shown.explorer->focus().has_value());
    const double tinyError = shown.explorer->focus()->error;
    const double tinyOrder = tiny->hasEmbedding() ? unrolling(*tiny) : 0.0;

    auto* reg = qobject_cast<QDoubleSpinBox*>(shown.explorer->panel()->controlFor("reg"));
    reg->setValue(1e-4); // "the embedding comes back near 10⁻⁴"
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto back = shown.explorer->latestPicture();
    QVERIFY(back->hasEmbedding());
    const QString figures = QString("reg = 1e-9: order %1, error %2; reg = 1e-4: order %3, error %4")
                                .arg(tinyOrder)
                                .arg(tinyError)
                                .arg(unrolling(*back))
                                .arg(shown.explorer->focus()->error);
    qInfo("%s", qPrintable(figures));
    QVERIFY2(tinyOrder < 0.8, qPrintable(figures));
    QVERIFY2(unrolling(*back) > 0.95, qPrintable(figures));
    // "the marked point's local error grows a little"
    QVERIFY2(shown.explorer->focus()->error > tinyError, qPrintable(figures));
}

void TestManifoldExplorer::lessonNoiseThickensTheRoll() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ManifoldExplorer::pictureShown);
    shown.explorer->startLesson("noise: a thick roll");
    QVERIFY(waitForPicture(*shown.explorer, pictures));
    const auto noisy = shown.explorer->latestPicture();
    QVERIFY(noisy->hasEmbedding());
    QCOMPARE(noisy->source.noise, 1.0);
    const std::size_t noisyDrawn = shown.explorer->shortCircuitCount();

    auto* noise = qobject_cast<QDoubleSpinBox*>(shown.explorer->panel()->controlFor("noise"));
    noise->setValue(0.5); // "lower the noise ... the unrolling comes back near σ = 0.5"
    QVERIFY(waitForPicture(*shown.explorer, pictures, 2));
    const auto thinner = shown.explorer->latestPicture();
    QVERIFY(thinner->hasEmbedding());
    const QString figures = QString("noise 1: order %1, %2 edges across layers (%3 drawn); noise 0.5: order "
                                    "%4, %5 edges across layers")
                                .arg(unrolling(*noisy))
                                .arg(shortCircuitEdges(*noisy))
                                .arg(noisyDrawn)
                                .arg(unrolling(*thinner))
                                .arg(shortCircuitEdges(*thinner));
    qInfo("%s", qPrintable(figures));
    // Neighbourhoods reach into the next layer, the blue edges show it, and the order of the colours is lost.
    QVERIFY2(shortCircuitEdges(*noisy) > 0 && noisyDrawn > 0, qPrintable(figures));
    QVERIFY2(unrolling(*noisy) < 0.8, qPrintable(figures));
    QVERIFY2(unrolling(*thinner) > 0.95, qPrintable(figures));
    QVERIFY2(shortCircuitEdges(*thinner) < shortCircuitEdges(*noisy) / 10, qPrintable(figures));
}

QTEST_MAIN(TestManifoldExplorer)
#include "test_manifold_explorer.moc"
