// The Attention explorer as a user drives it: the heatmap is core's attention matrix (rows sum to 1) for
// every kernel; the temperature slider, moved with the keyboard, changes it; a click on a token or on a
// heatmap row makes that token the query, whose output is Σ_j w_ij v_j; hovering a row shows its weights;
// the heatmap's axes name the tokens; bad tokens and temperatures leave a message and the last picture;
// the Layers, Hopfield and Clustering pages compute when shown, and a page left while computing still
// gets its picture.

#include "explorer_test_window.hpp"
#include "explorers/attention_explorer.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/attention/attention_weights.hpp"
#include "locallab/attention/hopfield_retrieval.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSlider>
#include <QSurfaceFormat>
#include <QTabWidget>
#include <QTest>
#include <cmath>
#include <limits>

using namespace locallab;

namespace {

constexpr int resultTimeoutMilliseconds = 30000;

struct ExplorerWindow : test::ExplorerTestWindow<AttentionExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(1200, 800), test::WindowContents::pictureOnly) {}
};

void setValue(AttentionExplorer& explorer, const std::string& name, const ParameterValue& value) {
    ParameterValues values = explorer.panel()->values();
    values.set(name, value);
    explorer.panel()->setValues(values);
    // setValues is not a user action and emits nothing; a commit in the panel does.
    emit explorer.panel()->parameterChanged(QString::fromStdString(name), value);
}

// Core's attention matrix of the explorer's tokens (identity projections, one head), queries × keys.
Eigen::MatrixXd coreWeights(const AttentionExplorer& explorer) {
    const ParameterValues values = explorer.panel()->values();
    AttentionWeightOptions options;
    options.kernel = *parseAttentionKernel(values.choice("kernel"));
    options.temperature = values.real("temperature");
    options.neighborCount = values.integer("neighbors");
    options.causal = values.boolean("causal");
    if (values.boolean("positional")) {
        options.positionalLength = values.real("positional-length");
    }
    return attentionWeights(*explorer.tokens(), *explorer.tokens(), options);
}

std::shared_ptr<const Dataset> tokensAsData(Eigen::MatrixXd points) {
    auto dataset = std::make_shared<Dataset>();
    dataset->columnNames = {"a", "b"};
    dataset->points = std::move(points);
    dataset->origin = "test tokens";
    return dataset;
}

// With LOCALLAB_TEST_SNAPSHOTS set to a folder, the window is saved there as NAME.png, for looking at
// what the test drove the explorer to.
void snapshot(QWidget& window, const QString& name) {
    const QString folder = qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS");
    if (!folder.isEmpty()) {
        QTest::qWait(300);
        window.grab().save(folder + "/" + name + ".png");
    }
}

// The token whose nearest neighbour in the token view is farthest away: a click there is unambiguous.
Eigen::Index loneliestToken(const Eigen::MatrixX2d& projected) {
    Eigen::Index loneliest = 0;
    double widest = -1.0;
    for (Eigen::Index token = 0; token < projected.rows(); ++token) {
        double nearest = std::numeric_limits<double>::infinity();
        for (Eigen::Index other = 0; other < projected.rows(); ++other) {
            if (other != token) {
                nearest = std::min(nearest, (projected.row(token) - projected.row(other)).norm());
            }
        }
        if (nearest > widest) {
            widest = nearest;
            loneliest = token;
        }
    }
    return loneliest;
}

} // namespace

class TestAttentionExplorer : public QObject {
    Q_OBJECT

private slots:
    void heatmapIsCoresAttentionMatrix_data();
    void heatmapIsCoresAttentionMatrix();
    void temperatureSliderChangesTheHeatmap();
    void clickedTokenShowsItsLocalMean();
    void clickedHeatmapRowSelectsItsQuery();
    void hoveredHeatmapRowShowsItsWeights();
    void heatmapAxesNameTheTokens();
    void tokenPictureArrivesAfterASwitchOfPage();
    void cancelledPageComputesWhenShownAgain();
    void seedRedrawsEveryPageItDraws_data();
    void seedRedrawsEveryPageItDraws();
    void severalHeadsShowAGridOfHeatmaps();
    void badInput_data();
    void badInput();
    void layersPageDrawsTheTokensPaths();
    void hopfieldPageRetrievesTheDigit();
    void clusteringPageTrainsTheHeads();
};

void TestAttentionExplorer::heatmapIsCoresAttentionMatrix_data() {
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<double>("positionalLength"); // 0: no positional factor
    QTest::newRow("softmax") << "softmax" << false << 1.0 << 0.0;
    QTest::newRow("softmax, causal") << "softmax" << true << 0.5 << 0.0;
    QTest::newRow("gaussian") << "gaussian" << false << 2.0 << 0.0;
    QTest::newRow("cosine") << "cosine" << false << 0.2 << 0.0;
    QTest::newRow("knn") << "knn" << false << 1.0 << 0.0;
    // The positional term is added after the τ-free scores are divided by τ, never divided itself.
    QTest::newRow("softmax, positional") << "softmax" << false << 0.5 << 2.0;
    QTest::newRow("gaussian, positional, causal") << "gaussian" << true << 3.0 << 1.5;
    QTest::newRow("knn, positional") << "knn" << false << 0.7 << 3.0;
}

void TestAttentionExplorer::heatmapIsCoresAttentionMatrix() {
    QFETCH(QString, kernel);
    QFETCH(bool, causal);
    QFETCH(double, temperature);
    QFETCH(double, positionalLength);
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    ParameterValues values = shown.explorer->panel()->values();
    values.set("kernel", kernel.toStdString());
    values.set("causal", causal);
    values.set("temperature", temperature);
    values.set("positional", positionalLength > 0.0);
    if (positionalLength > 0.0) {
        values.set("positional-length", positionalLength);
    }
    shown.explorer->panel()->setValues(values);
    const qsizetype before = pictures.size();
    emit shown.explorer->panel()->parameterChanged("kernel", kernel.toStdString());
    QVERIFY(test::waitForMore(pictures, before, resultTimeoutMilliseconds));

    const auto picture = shown.explorer->tokenPicture();
    const Eigen::MatrixXd& byKey = *picture->weights; // keys × queries
    QCOMPARE(byKey.rows(), Eigen::Index(16));
    QCOMPARE(byKey.cols(), Eigen::Index(16));
    LOCALLAB_COMPARE_MATRIX_NEAR(byKey.colwise().sum(), Eigen::RowVectorXd::Ones(16), 1e-13, 1e-13);
    LOCALLAB_COMPARE_MATRIX_NEAR(byKey.transpose(), coreWeights(*shown.explorer), 1e-12, 1e-14);
    if (causal) {
        QCOMPARE(byKey(5, 2), 0.0); // query 3 never sees key 6
    }
    // The query's readout, normalised again from its own row of log weights, is the same row.
    const AttentionQueryReadout& readout = *shown.explorer->queryReadout();
    const Eigen::MatrixXd weights = coreWeights(*shown.explorer);
    LOCALLAB_COMPARE_MATRIX_NEAR(readout.weights, weights.row(readout.query).transpose(), 1e-12, 1e-14);
    LOCALLAB_COMPARE_MATRIX_NEAR(
        readout.output, (weights.row(readout.query) * *shown.explorer->tokens()).transpose(), 1e-12, 1e-14);
    // The heatmap shows every cell, repeated so that it stays crisp; query i is the row at y = i.
    const HeatmapGrid& grid = picture->heatmap;
    QCOMPARE(grid.values.rows(), 16 * grid.nodesPerCell);
    QCOMPARE(grid.values(5 * grid.nodesPerCell, 2 * grid.nodesPerCell), byKey(5, 2));
    QVERIFY(std::abs(grid.yMinimum - 0.5) < 0.1 && std::abs(grid.yMaximum - 16.5) < 0.1);
}

void TestAttentionExplorer::temperatureSliderChangesTheHeatmap() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const auto first = shown.explorer->tokenPicture();
    const double firstEntropy = shown.explorer->queryReadout()->entropy;

    QSlider* slider = shown.explorer->panel()->sliderFor("temperature");
    QVERIFY(slider);
    slider->setFocus();
    const qsizetype before = pictures.size();
    for (int press = 0; press < 3; ++press) {
        QTest::keyClick(slider, Qt::Key_PageUp);
    }
    QTRY_VERIFY_WITH_TIMEOUT(pictures.size() > before &&
                                 shown.explorer->tokenPicture()->temperature ==
                                     shown.explorer->panel()->values().real("temperature"),
                             resultTimeoutMilliseconds);
    const auto second = shown.explorer->tokenPicture();
    QVERIFY(second->temperature > 1.5 * first->temperature);
    QVERIFY((second->heatmap.values - first->heatmap.values).cwiseAbs().maxCoeff() > 1e-3);
    QVERIFY(second->largestWeight < first->largestWeight);
    // A wider bandwidth spreads the query's weight over more keys.
    QVERIFY(shown.explorer->queryReadout()->entropy > firstEntropy);
    LOCALLAB_COMPARE_MATRIX_NEAR(second->weights->transpose(), coreWeights(*shown.explorer), 1e-12, 1e-14);
    // The τ-free scores were reused, not recomputed.
    QCOMPARE(second->scores, first->scores);
    QVERIFY(shown.explorer->heatmapView()->colorBarRect().width() > 0.0);
}

void TestAttentionExplorer::clickedTokenShowsItsLocalMean() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QSignalSpy queries(shown.explorer, &AttentionExplorer::queryShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    PlotView2D* view = shown.explorer->tokenView();
    QTRY_VERIFY(view->frameRect().width() > 100);
    QTest::qWait(100);

    const Eigen::MatrixX2d projected = shown.explorer->tokenPlane().project(*shown.explorer->tokens());
    const Eigen::Index token = loneliestToken(projected);
    const QPoint click = view->dataToDisplay(projected.row(token).transpose()).toPoint();
    const qsizetype before = queries.size();
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, click);
    QVERIFY(test::waitForMore(queries, before, resultTimeoutMilliseconds));

    const AttentionQueryReadout& readout = *shown.explorer->queryReadout();
    QCOMPARE(readout.query, token);
    // The output is the local mean of the values (the tokens themselves) under the query's weights.
    const Eigen::MatrixXd weights = coreWeights(*shown.explorer);
    const Eigen::VectorXd expected = (weights.row(token) * *shown.explorer->tokens()).transpose();
    LOCALLAB_COMPARE_MATRIX_NEAR(readout.output, expected, 1e-12, 1e-14);
    LOCALLAB_COMPARE_MATRIX_NEAR(readout.weights, weights.row(token).transpose(), 1e-12, 1e-14);
    LOCALLAB_COMPARE_NEAR(readout.entropy,
                          -(weights.row(token).array() * weights.row(token).array().log()).sum(), 1e-12,
                          1e-14);
    QVERIFY2(shown.explorer->formulaText().contains(QStringLiteral("Query %1").arg(token + 1)),
             qPrintable(shown.explorer->formulaText()));
    snapshot(shown.window, "attention_tokens_query");
}

void TestAttentionExplorer::clickedHeatmapRowSelectsItsQuery() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QSignalSpy queries(shown.explorer, &AttentionExplorer::queryShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    PlotView2D* view = shown.explorer->heatmapView();
    QTRY_VERIFY(view->frameRect().width() > 100);
    QTest::qWait(100);
    const qsizetype before = queries.size();
    // Key 3, query 8.
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, view->dataToDisplay({3.0, 8.1}).toPoint());
    QVERIFY(test::waitForMore(queries, before, resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->queryReadout()->query, Eigen::Index(7));
}

void TestAttentionExplorer::hoveredHeatmapRowShowsItsWeights() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    PlotView2D* view = shown.explorer->heatmapView();
    QTRY_VERIFY(view->frameRect().width() > 100);
    QTest::qWait(100);
    const Eigen::Index query = shown.explorer->queryReadout()->query;
    const Eigen::Index row = query == 4 ? 6 : 4;

    // Key 3 of query row 5 (6 if 5 is the query), no button held.
    // Sent straight to the view: a pointer moved through the display server may arrive late on a busy
    // machine.
    const QPointF over = view->dataToDisplay({3.0, static_cast<double>(row + 1)});
    QMouseEvent move(QEvent::MouseMove, over, view->mapToGlobal(over), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(view, &move);
    QTRY_VERIFY(shown.explorer->hoveredRow() == row);
    QVERIFY2(
        shown.explorer->formulaText().contains(QStringLiteral("Row %1 (t%1) under the mouse").arg(row + 1)),
        qPrintable(shown.explorer->formulaText()));
    // Hovering is not clicking: the query stays.
    QCOMPARE(shown.explorer->queryReadout()->query, query);

    // The token view draws a line from the hovered token to every key down to 1 % of its heaviest weight.
    const Eigen::RowVectorXd weights = coreWeights(*shown.explorer).row(row);
    const Eigen::MatrixX2d projected = shown.explorer->tokenPlane().project(*shown.explorer->tokens());
    std::vector<Eigen::Index> expectedKeys;
    for (Eigen::Index key = 0; key < weights.size(); ++key) {
        if (key != row && weights[key] >= 0.01 * weights.maxCoeff()) {
            expectedKeys.push_back(key);
        }
    }
    QVERIFY(!expectedKeys.empty());
    std::vector<Eigen::Index> drawnKeys;
    for (const PlotView2D::LayerId layer : shown.explorer->hoverLayers()) {
        for (const Eigen::MatrixX2d& line : shown.explorer->tokenView()->polylines(layer)) {
            QCOMPARE(line.rows(), Eigen::Index(2));
            LOCALLAB_COMPARE_MATRIX_NEAR(line.row(0), projected.row(row), 1e-6, 1e-6);
            Eigen::Index end = -1;
            (projected.rowwise() - line.row(1)).rowwise().squaredNorm().minCoeff(&end);
            drawnKeys.push_back(end);
        }
    }
    std::sort(drawnKeys.begin(), drawnKeys.end());
    QVERIFY(drawnKeys == expectedKeys);
    snapshot(shown.window, "attention_tokens_hover");

    // Leaving the matrix takes the hovered row away.
    QTest::mouseMove(view, QPoint(2, 2));
    QTRY_VERIFY(!shown.explorer->hoveredRow().has_value());
    QVERIFY(!shown.explorer->formulaText().contains(QStringLiteral("under the mouse")));
}

void TestAttentionExplorer::heatmapAxesNameTheTokens() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    PlotView2D* view = shown.explorer->heatmapView();
    // The names drawn are tokens' names in order, from the first token, and most of them fit.
    const auto namesShown = [view](const std::vector<std::string>& names) {
        const DrawnTickLabels& drawn = view->drawnTickLabels();
        for (const std::vector<std::string>* axis : {&drawn.x, &drawn.y}) {
            if (axis->empty() || axis->front() != names.front() || 2 * axis->size() < names.size()) {
                return false;
            }
            auto next = names.begin();
            for (const std::string& label : *axis) {
                next = std::find(next, names.end(), label);
                if (next == names.end()) {
                    return false;
                }
            }
        }
        return true;
    };
    std::vector<std::string> numbered;
    for (int token = 1; token <= 16; ++token) {
        numbered.push_back("t" + std::to_string(token));
    }
    QVERIFY(shown.explorer->tokenNames() == numbered);
    QTRY_VERIFY(namesShown(numbered));

    // Data with text labels: the tokens are named by them.
    auto dataset = std::make_shared<Dataset>(
        *tokensAsData((Eigen::MatrixXd(6, 2) << 0, 0, 1, 0, 0, 1, 2, 2, 3, 1, 1, 3).finished()));
    dataset->labels = (Eigen::VectorXi(6) << 0, 1, 2, 3, 0, 4).finished();
    dataset->labelNames = {"the", "cat", "sat", "on", "mat"};
    shown.explorer->setDataset(dataset);
    qsizetype before = pictures.size();
    setValue(*shown.explorer, "tokens", std::string("data"));
    QVERIFY(test::waitForMore(pictures, before, resultTimeoutMilliseconds));
    const std::vector<std::string> words = {"the", "cat", "sat", "on", "the", "mat"};
    QVERIFY(shown.explorer->tokenNames() == words);
    QTRY_VERIFY(namesShown(words));
    snapshot(shown.window, "attention_tokens_named");

    // Too many tokens to name: numbers again.
    before = pictures.size();
    setValue(*shown.explorer, "tokens", std::string("mixture"));
    setValue(*shown.explorer, "count", 100LL);
    QTRY_VERIFY_WITH_TIMEOUT(shown.explorer->tokenPicture()->weights->cols() == 100,
                             resultTimeoutMilliseconds);
    QTRY_VERIFY(!view->drawnTickLabels().y.empty() && view->drawnTickLabels().y.front().front() != 't');
}

void TestAttentionExplorer::tokenPictureArrivesAfterASwitchOfPage() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QSignalSpy pages(shown.explorer, &AttentionExplorer::pageShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const auto first = shown.explorer->tokenPicture();
    // A new temperature starts a Tokens job, and the user opens another page before its picture comes
    // back (results arrive through the event loop, which has not run in between).
    setValue(*shown.explorer, "temperature", 3.0);
    shown.explorer->showPage(AttentionExplorer::Page::Hopfield);
    QVERIFY(test::waitForMore(pages, 0, resultTimeoutMilliseconds));
    shown.explorer->showPage(AttentionExplorer::Page::Tokens);
    QTRY_VERIFY_WITH_TIMEOUT(shown.explorer->tokenPicture() != first, 5000);
    const auto picture = shown.explorer->tokenPicture();
    QCOMPARE(picture->temperature, shown.explorer->panel()->values().real("temperature"));
    LOCALLAB_COMPARE_MATRIX_NEAR(picture->weights->transpose(), coreWeights(*shown.explorer), 1e-12, 1e-14);
    QVERIFY((picture->heatmap.values - first->heatmap.values).cwiseAbs().maxCoeff() > 1e-3);
}

void TestAttentionExplorer::cancelledPageComputesWhenShownAgain() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const auto first = shown.explorer->tokenPicture();
    // The user stops the job a new temperature started; its picture never comes.
    setValue(*shown.explorer, "temperature", 0.25);
    shown.explorer->cancel();
    QTest::qWait(200);
    QCOMPARE(shown.explorer->tokenPicture(), first);
    // Coming back to the page computes it.
    shown.explorer->showPage(AttentionExplorer::Page::Layers);
    shown.explorer->showPage(AttentionExplorer::Page::Tokens);
    QTRY_VERIFY_WITH_TIMEOUT(shown.explorer->tokenPicture() != first, 5000);
    QCOMPARE(shown.explorer->tokenPicture()->temperature, 0.25);
}

void TestAttentionExplorer::seedRedrawsEveryPageItDraws_data() {
    QTest::addColumn<int>("page");
    QTest::newRow("Hopfield: the mask") << int(AttentionExplorer::Page::Hopfield);
    QTest::newRow("Clustering: the mixture") << int(AttentionExplorer::Page::Clustering);
}

void TestAttentionExplorer::seedRedrawsEveryPageItDraws() {
    QFETCH(int, page);
    ExplorerWindow shown;
    QSignalSpy pages(shown.explorer, &AttentionExplorer::pageShown);
    shown.explorer->showPage(static_cast<AttentionExplorer::Page>(page));
    QVERIFY(test::waitForMore(pages, 0, resultTimeoutMilliseconds));
    const auto hopfield = shown.explorer->hopfieldPicture();
    const auto clustering = shown.explorer->clusteringPicture();
    const qsizetype before = pages.size();
    setValue(*shown.explorer, "seed", 7LL);
    QVERIFY(test::waitForMore(pages, before, resultTimeoutMilliseconds));
    if (page == int(AttentionExplorer::Page::Hopfield)) {
        const auto picture = shown.explorer->hopfieldPicture();
        QVERIFY(picture != hopfield);
        // The query is the stored 8 masked with the new seed.
        const Eigen::VectorXd expected = maskEntries(picture->patterns.col(8), 0.4, 7);
        QVERIFY(picture->query == expected);
        QVERIFY(picture->query != hopfield->query);
    } else {
        const auto picture = shown.explorer->clusteringPicture();
        QVERIFY(picture != clustering);
        QVERIFY((picture->training.centroids - clustering->training.centroids).norm() > 1e-6);
    }
}

void TestAttentionExplorer::severalHeadsShowAGridOfHeatmaps() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    setValue(*shown.explorer, "dimension", 4LL);
    qsizetype before = pictures.size();
    setValue(*shown.explorer, "heads", 2LL);
    QVERIFY(test::waitForMore(pictures, before, resultTimeoutMilliseconds));
    QTRY_COMPARE(shown.explorer->tokenPicture()->scores->headCount, 2);
    const auto picture = shown.explorer->tokenPicture();
    QCOMPARE(picture->headImages.size(), std::size_t(2));
    QCOMPARE(picture->headImages.front().width(), 16);
    // The map drawn large is the mean of the heads: each head attends within its own two coordinates.
    AttentionWeightOptions options;
    options.temperature = 1.0;
    const Eigen::MatrixXd& tokens = *shown.explorer->tokens();
    const Eigen::MatrixXd mean = 0.5 * (attentionWeights(tokens.leftCols(2), tokens.leftCols(2), options) +
                                        attentionWeights(tokens.rightCols(2), tokens.rightCols(2), options));
    LOCALLAB_COMPARE_MATRIX_NEAR(picture->weights->transpose(), mean, 1e-12, 1e-14);
    snapshot(shown.window, "attention_heads");

    before = pictures.size();
    setValue(*shown.explorer, "heads", 5LL); // more heads than coordinates
    QTRY_VERIFY_WITH_TIMEOUT(!shown.explorer->messageText().isEmpty(), resultTimeoutMilliseconds);
    QCOMPARE(shown.explorer->tokenPicture(), picture);
}

void TestAttentionExplorer::badInput_data() {
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a token that is not a number") << "nan"
                                                  << "not a finite number";
    QTest::newRow("zero temperature typed") << "zero temperature"
                                            << "outside the allowed range";
    QTest::newRow("scores that overflow") << "overflow"
                                          << "overflow";
}

void TestAttentionExplorer::badInput() {
    QFETCH(QString, problem);
    QFETCH(QString, expected);
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &AttentionExplorer::pictureShown);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const auto good = shown.explorer->tokenPicture();
    if (problem == "zero temperature") {
        auto* box = qobject_cast<QDoubleSpinBox*>(shown.explorer->panel()->controlFor("temperature"));
        QVERIFY(box);
        auto* edit = box->findChild<QLineEdit*>();
        QVERIFY(edit);
        edit->selectAll();
        QTest::keyClicks(edit, "0");
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(shown.explorer->messageText().contains(expected), resultTimeoutMilliseconds);
        // The smallest allowed τ is used instead: one key per query, still rows that sum to 1.
        QTRY_VERIFY_WITH_TIMEOUT(shown.explorer->tokenPicture()->temperature == 1e-3,
                                 resultTimeoutMilliseconds);
        LOCALLAB_COMPARE_MATRIX_NEAR(shown.explorer->tokenPicture()->weights->colwise().sum(),
                                     Eigen::RowVectorXd::Ones(16), 1e-13, 1e-13);
        return;
    }
    Eigen::MatrixXd points = Eigen::MatrixXd::Random(10, 2);
    if (problem == "nan") {
        points(3, 1) = std::numeric_limits<double>::quiet_NaN();
    } else {
        points *= 1e200; // ⟨x_i, x_j⟩ overflows to ∞
    }
    shown.explorer->setDataset(tokensAsData(points));
    setValue(*shown.explorer, "tokens", std::string("data"));
    QTRY_VERIFY_WITH_TIMEOUT(shown.explorer->messageText().contains(expected), resultTimeoutMilliseconds);
    // The last picture that worked stays.
    QCOMPARE(shown.explorer->tokenPicture(), good);
}

void TestAttentionExplorer::layersPageDrawsTheTokensPaths() {
    ExplorerWindow shown;
    QSignalSpy pages(shown.explorer, &AttentionExplorer::pageShown);
    ParameterValues values = shown.explorer->panel()->values();
    values.set("kernel", std::string("gaussian"));
    values.set("layers", 4LL);
    shown.explorer->panel()->setValues(values);
    shown.explorer->showPage(AttentionExplorer::Page::Layers);
    QVERIFY(test::waitForMore(pages, 0, resultTimeoutMilliseconds));
    QCOMPARE(pages.last().at(0).toInt(), int(AttentionExplorer::Page::Layers));
    const auto picture = shown.explorer->layerPicture();
    QCOMPARE(picture->projectedTokens.size(), std::size_t(5));
    QCOMPARE(picture->heatmaps.size(), std::size_t(4));
    // Pure Gaussian attention is blurring MeanShift: the cloud contracts layer after layer.
    for (std::size_t layer = 1; layer < picture->spreads.size(); ++layer) {
        QVERIFY(picture->spreads[layer] < picture->spreads[layer - 1]);
    }
    QCOMPARE(shown.explorer->layerTimeline()->lastIteration(), 4);
    shown.explorer->layerTimeline()->setPosition(1.5);
    snapshot(shown.window, "attention_layers");
    QVERIFY(shown.explorer->layerView()->frameRect().width() > 0.0);
    // Halfway through layer 2 every token's path (kept in single precision by VTK) runs through its place
    // after layer 0 and 1 to halfway between its places after layers 1 and 2.
    QVERIFY(shown.explorer->tokenPathsLayer().has_value());
    const std::vector<Eigen::MatrixX2d> paths =
        shown.explorer->layerView()->polylines(*shown.explorer->tokenPathsLayer());
    QCOMPARE(paths.size(), std::size_t(16));
    for (Eigen::Index token = 0; token < 16; ++token) {
        const Eigen::MatrixX2d& path = paths[static_cast<std::size_t>(token)];
        QCOMPARE(path.rows(), Eigen::Index(3));
        LOCALLAB_COMPARE_MATRIX_NEAR(path.row(0), picture->projectedTokens[0].row(token), 1e-6, 1e-6);
        LOCALLAB_COMPARE_MATRIX_NEAR(path.row(1), picture->projectedTokens[1].row(token), 1e-6, 1e-6);
        const Eigen::RowVector2d halfway =
            0.5 * (picture->projectedTokens[1].row(token) + picture->projectedTokens[2].row(token));
        LOCALLAB_COMPARE_MATRIX_NEAR(path.row(2), halfway, 1e-6, 1e-6);
    }
    // The layer heatmap names the tokens too.
    QTRY_VERIFY(!shown.explorer->layerHeatmapView()->drawnTickLabels().y.empty() &&
                shown.explorer->layerHeatmapView()->drawnTickLabels().y.front() == "t1");
}

void TestAttentionExplorer::hopfieldPageRetrievesTheDigit() {
    ExplorerWindow shown;
    QSignalSpy pages(shown.explorer, &AttentionExplorer::pageShown);
    setValue(*shown.explorer, "beta", 5.0);
    shown.explorer->showPage(AttentionExplorer::Page::Hopfield);
    QVERIFY(test::waitForMore(pages, 0, resultTimeoutMilliseconds));
    const auto picture = shown.explorer->hopfieldPicture();
    QCOMPARE(picture->patterns.cols(), Eigen::Index(10));
    // A large β retrieves the masked 8 exactly.
    LOCALLAB_COMPARE_MATRIX_NEAR(picture->retrieval.retrieved(), picture->patterns.col(8), 1e-9, 1e-9);
    for (std::size_t step = 1; step < picture->retrieval.energies.size(); ++step) {
        QVERIFY(picture->retrieval.energies[step] <= picture->retrieval.energies[step - 1] + 1e-12);
    }
    // The sweep runs from the mean of all ten patterns to a single one.
    QVERIFY(picture->sweepEffectivePatterns[0] > 9.0);
    QVERIFY(picture->sweepEffectivePatterns[picture->sweepEffectivePatterns.size() - 1] < 1.01);
    shown.explorer->hopfieldTimeline()->setPosition(1.0);
    snapshot(shown.window, "attention_hopfield");

    const qsizetype before = pages.size();
    setValue(*shown.explorer, "beta", 1e-3);
    QVERIFY(test::waitForMore(pages, before, resultTimeoutMilliseconds));
    const Eigen::VectorXd mean = shown.explorer->hopfieldPicture()->patterns.rowwise().mean();
    LOCALLAB_COMPARE_MATRIX_NEAR(shown.explorer->hopfieldPicture()->retrieval.retrieved(), mean, 0.05, 0.05);
}

void TestAttentionExplorer::clusteringPageTrainsTheHeads() {
    ExplorerWindow shown;
    QSignalSpy pages(shown.explorer, &AttentionExplorer::pageShown);
    shown.explorer->showPage(AttentionExplorer::Page::Clustering);
    QVERIFY(test::waitForMore(pages, 0, resultTimeoutMilliseconds));
    const auto picture = shown.explorer->clusteringPicture();
    const ClusteringTraining& training = picture->training;
    QCOMPARE(training.cosineCurve.rows(), Eigen::Index(81));
    const Eigen::RowVectorXd last = training.cosineCurve.bottomRows<1>();
    QVERIFY2(last.minCoeff() >= 0.9, qPrintable(QString("cosines %1, %2").arg(last[0]).arg(last[1])));
    QVERIFY(picture->measure.contraction < 1.0);
    // Each head ends aligned with a centroid, and the two heads with different centroids.
    const Eigen::MatrixXd& heads = training.headParameters.back();
    QCOMPARE(heads.rows(), Eigen::Index(2));
    std::vector<Eigen::Index> aligned;
    for (Eigen::Index head = 0; head < heads.rows(); ++head) {
        const Eigen::VectorXd cosines =
            (training.centroids * heads.row(head).transpose()).array() /
            (training.centroids.rowwise().norm().array() * heads.row(head).norm());
        Eigen::Index nearest = 0;
        QVERIFY2(cosines.maxCoeff(&nearest) >= 0.9, qPrintable(QString("head %1").arg(head + 1)));
        aligned.push_back(nearest);
    }
    QVERIFY2(aligned[0] != aligned[1], "both heads went to the same centroid");
    QCOMPARE(shown.explorer->trainingTimeline()->lastIteration(), 80);
    snapshot(shown.window, "attention_clustering");
    shown.explorer->trainingTimeline()->setPosition(0.0);
    QVERIFY(shown.explorer->formulaText().contains("step 0 of 80"));
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    TestAttentionExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_attention_explorer.moc"
