// MeanShift image filtering checked against a plain numpy implementation of the joint spatial-range
// filter (fixtures from tests/fixtures/make_image_meanshift_fixtures.py) and against pictures whose
// answer is known: a constant image, a noisy step, speckles on a flat background.

#include "csv_fixture.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/meanshift/image_mean_shift.hpp"
#include "locallab/meanshift/image_mean_shift_parameters.hpp"

#include <QTest>
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

using namespace locallab;
using locallab::test::fixturePath;
using locallab::test::readCsvFixture;

namespace {

constexpr int stepWidth = 40;
constexpr int stepHeight = 24;
constexpr int stepColumn = 20; // the first column of the right tone
const std::array<float, 3> leftTone{60.0f, 80.0f, 100.0f};
const std::array<float, 3> rightTone{170.0f, 150.0f, 40.0f}; // |right − left| ≈ 143

// Deterministic noise in [−amplitude, amplitude] from a linear congruential stream.
class Noise {
public:
    explicit Noise(std::uint64_t seed) : state_(seed) {}
    float next(float amplitude) {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        const double unit = double((state_ >> 11) & ((1ULL << 53) - 1)) / double(1ULL << 53);
        return static_cast<float>((2.0 * unit - 1.0) * amplitude);
    }

private:
    std::uint64_t state_;
};

// Two RGB tones meeting at stepColumn, with noise of ±5 per channel (small against h_r = 30).
ImageArray noisyStep() {
    ImageArray image = ImageArray::filled(stepWidth, stepHeight, 3);
    Noise noise(17);
    for (int y = 0; y < stepHeight; ++y) {
        for (int x = 0; x < stepWidth; ++x) {
            const auto& tone = x < stepColumn ? leftTone : rightTone;
            for (int c = 0; c < 3; ++c) {
                image.at(x, y, c) = tone[static_cast<std::size_t>(c)] + noise.next(5.0f);
            }
        }
    }
    return image;
}

double squaredDistanceTo(const ImageArray& image, int x, int y, const std::array<float, 3>& tone) {
    double distance = 0.0;
    for (int c = 0; c < 3; ++c) {
        const double difference = image.at(x, y, c) - tone[static_cast<std::size_t>(c)];
        distance += difference * difference;
    }
    return distance;
}

ImageArray pictureFromFixture(const std::string& picture) {
    const auto table = readCsvFixture(fixturePath("meanshift/image_" + picture + "_input.csv"));
    const int channels = static_cast<int>(table.values.cols()) - 2;
    const int width = static_cast<int>(table.values.col(0).maxCoeff()) + 1;
    const int height = static_cast<int>(table.values.col(1).maxCoeff()) + 1;
    ImageArray image = ImageArray::filled(width, height, channels);
    for (Eigen::Index row = 0; row < table.values.rows(); ++row) {
        for (int c = 0; c < channels; ++c) {
            image.at(static_cast<int>(table.values(row, 0)), static_cast<int>(table.values(row, 1)), c) =
                static_cast<float>(table.values(row, 2 + c));
        }
    }
    return image;
}

Eigen::MatrixXd asPixelRows(const ImageArray& image) {
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(image.pixelCount()), image.channels);
    for (Eigen::Index pixel = 0; pixel < rows.rows(); ++pixel) {
        for (int c = 0; c < image.channels; ++c) {
            rows(pixel, c) =
                image.values[static_cast<std::size_t>(pixel) * static_cast<std::size_t>(image.channels) +
                             static_cast<std::size_t>(c)];
        }
    }
    return rows;
}

// Cancels itself the first time anything is reported, i.e. in the middle of the work.
class CancelOnFirstReport final : public Progress {
public:
    void report(double) override { canceled_ = true; }
    bool isCanceled() const override { return canceled_.load(); }

private:
    std::atomic<bool> canceled_{false};
};

} // namespace

class TestImageMeanShift : public QObject {
    Q_OBJECT

private slots:
    void matchesThePlainReference_data();
    void matchesThePlainReference();
    void constantImageStaysConstant_data();
    void constantImageStaysConstant();
    void noisyStepBecomesTwoFlatTonesWithTheEdgeKept();
    void rangeBandwidthAboveTheStepMergesTheTones();
    void specklesSmallerThanTheMinimumAreaAreMerged();
    void cancellationStopsTheComputation();
    void badInputIsRefusedWithAMessage_data();
    void badInputIsRefusedWithAMessage();
    void parametersGiveTheDefaultOptions();
};

void TestImageMeanShift::matchesThePlainReference_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("picture");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<double>("spatial");
    QTest::addColumn<double>("range");
    QTest::addColumn<int>("maxIterations");
    QTest::addColumn<double>("stop");
    const auto cases = readCsvFixture(fixturePath("meanshift/image_cases.csv"));
    for (const auto& row : cases.cells) {
        QTest::newRow(row[0].c_str()) << QString::fromStdString(row[0]) << QString::fromStdString(row[1])
                                      << QString::fromStdString(row[2]) << std::stod(row[3])
                                      << std::stod(row[4]) << std::stoi(row[5]) << std::stod(row[6]);
    }
}

void TestImageMeanShift::matchesThePlainReference() {
    QFETCH(QString, name);
    QFETCH(QString, picture);
    QFETCH(QString, kernel);
    QFETCH(double, spatial);
    QFETCH(double, range);
    QFETCH(int, maxIterations);
    QFETCH(double, stop);
    const ImageArray image = pictureFromFixture(picture.toStdString());
    ImageMeanShiftOptions options;
    options.kernel = RadialKernel(*parseKernelProfile(kernel.toStdString()));
    options.spatialBandwidth = spatial;
    options.rangeBandwidth = range;
    options.maxIterations = maxIterations;
    options.stopDistance = stop;
    const ImageMeanShiftResult result = meanShiftFilterImage(image, options);

    const auto expected =
        readCsvFixture(fixturePath("meanshift/image_" + name.toStdString() + "_filtered.csv"));
    QCOMPARE(result.filtered.width, image.width);
    QCOMPARE(result.filtered.height, image.height);
    QCOMPARE(result.filtered.channels, image.channels);
    // The filter must change the picture, or matching it would prove little.
    QVERIFY((asPixelRows(image) - expected.values).cwiseAbs().maxCoeff() > 5.0);
    LOCALLAB_COMPARE_MATRIX_NEAR(asPixelRows(result.filtered), expected.values, 0.0, 1e-4);
}

void TestImageMeanShift::constantImageStaysConstant_data() {
    QTest::addColumn<QString>("kernel");
    for (const auto& name : kernelProfileNames()) {
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
}

void TestImageMeanShift::constantImageStaysConstant() {
    QFETCH(QString, kernel);
    ImageArray image = ImageArray::filled(17, 13, 3);
    for (std::size_t pixel = 0; pixel < image.pixelCount(); ++pixel) {
        image.values[3 * pixel] = 10.0f;
        image.values[3 * pixel + 1] = 20.0f;
        image.values[3 * pixel + 2] = 30.0f;
    }
    ImageMeanShiftOptions options;
    options.kernel = RadialKernel(*parseKernelProfile(kernel.toStdString()));
    options.spatialBandwidth = 3.0;
    const ImageMeanShiftResult result = meanShiftFilterImage(image, options);
    LOCALLAB_COMPARE_MATRIX_NEAR(asPixelRows(result.filtered), asPixelRows(image), 0.0, 1e-4);
    QCOMPARE(result.regionCount, 1);
    QCOMPARE(result.regionLabels, std::vector<int>(image.pixelCount(), 0));
    LOCALLAB_COMPARE_MATRIX_NEAR(asPixelRows(result.segmented), asPixelRows(image), 0.0, 1e-4);
}

void TestImageMeanShift::noisyStepBecomesTwoFlatTonesWithTheEdgeKept() {
    const ImageArray image = noisyStep();
    ImageMeanShiftOptions options;
    options.spatialBandwidth = 5.0;
    options.rangeBandwidth = 30.0;
    const ImageMeanShiftResult result = meanShiftFilterImage(image, options);

    for (int y = 0; y < stepHeight; ++y) {
        for (int x = 0; x < stepWidth; ++x) {
            const bool left = x < stepColumn;
            const auto& own = left ? leftTone : rightTone;
            const auto& other = left ? rightTone : leftTone;
            // Noise was up to √3·5 ≈ 8.7 from the tone; what is left of it is far less.
            QVERIFY2(squaredDistanceTo(result.filtered, x, y, own) < 2.0 * 2.0,
                     qPrintable(QString("pixel (%1, %2) is not flat").arg(x).arg(y)));
            QVERIFY(squaredDistanceTo(result.filtered, x, y, own) <
                    squaredDistanceTo(result.filtered, x, y, other));
        }
    }
    QCOMPARE(result.regionCount, 2);
    for (int y = 0; y < stepHeight; ++y) {
        for (int x = 0; x < stepWidth; ++x) {
            QCOMPARE(result.regionLabels[static_cast<std::size_t>(y * stepWidth + x)],
                     x < stepColumn ? 0 : 1);
        }
    }
    // The segmented picture is the two segments' means: within noise/√n of the tones.
    for (int c = 0; c < 3; ++c) {
        LOCALLAB_COMPARE_NEAR(result.regionMeans[0][static_cast<std::size_t>(c)],
                              leftTone[static_cast<std::size_t>(c)], 0.0, 1.0);
        LOCALLAB_COMPARE_NEAR(result.regionMeans[1][static_cast<std::size_t>(c)],
                              rightTone[static_cast<std::size_t>(c)], 0.0, 1.0);
        QCOMPARE(result.segmented.at(0, 0, c), result.regionMeans[0][static_cast<std::size_t>(c)]);
        QCOMPARE(result.segmented.at(stepWidth - 1, stepHeight - 1, c),
                 result.regionMeans[1][static_cast<std::size_t>(c)]);
    }
}

void TestImageMeanShift::rangeBandwidthAboveTheStepMergesTheTones() {
    ImageMeanShiftOptions options;
    options.spatialBandwidth = 5.0;
    options.rangeBandwidth = 250.0; // the step is about 143
    const ImageMeanShiftResult result = meanShiftFilterImage(noisyStep(), options);
    QCOMPARE(result.regionCount, 1);
    QCOMPARE(result.regionMeans.size(), std::size_t{1});
}

void TestImageMeanShift::specklesSmallerThanTheMinimumAreaAreMerged() {
    constexpr int side = 30;
    ImageArray image = ImageArray::filled(side, side, 1, 100.0f);
    const std::vector<std::pair<int, int>> speckleCorners{{3, 4}, {20, 8}, {12, 25}};
    for (const auto& [left, top] : speckleCorners) {
        for (int y = top; y < top + 2; ++y) {
            for (int x = left; x < left + 2; ++x) {
                image.at(x, y, 0) = 200.0f;
            }
        }
    }
    ImageMeanShiftOptions options;
    options.spatialBandwidth = 4.0;
    options.rangeBandwidth = 16.0;

    options.minimumRegionArea = 1;
    const ImageMeanShiftResult kept = meanShiftFilterImage(image, options);
    QCOMPARE(kept.regionCount, 4);
    QCOMPARE(kept.filtered.at(3, 4, 0), 200.0f); // a speckle is its own mode at this h_r
    const std::set<int> speckleLabels{kept.regionLabels[4 * side + 3], kept.regionLabels[8 * side + 20],
                                      kept.regionLabels[25 * side + 12]};
    QCOMPARE(speckleLabels, (std::set<int>{1, 2, 3}));

    options.minimumRegionArea = 20;
    const ImageMeanShiftResult merged = meanShiftFilterImage(image, options);
    QCOMPARE(merged.regionCount, 1);
    // One segment of 888 pixels at 100 and 12 at 200.
    LOCALLAB_COMPARE_NEAR(merged.regionMeans[0][0], (888.0 * 100.0 + 12.0 * 200.0) / 900.0, 1e-6, 0.0);
    QVERIFY(std::all_of(merged.segmented.values.begin(), merged.segmented.values.end(),
                        [&](float v) { return v == merged.regionMeans[0][0]; }));
}

void TestImageMeanShift::cancellationStopsTheComputation() {
    const ImageArray image = noisyStep();
    SilentProgress canceledBefore;
    canceledBefore.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCanceled, meanShiftFilterImage(image, {}, canceledBefore));
    CancelOnFirstReport canceledDuring;
    QVERIFY_THROWS_EXCEPTION(OperationCanceled, meanShiftFilterImage(image, {}, canceledDuring));
}

void TestImageMeanShift::badInputIsRefusedWithAMessage_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("valueCount");
    QTest::addColumn<float>("firstValue");
    QTest::addColumn<double>("spatial");
    QTest::addColumn<double>("range");
    QTest::addColumn<int>("maxIterations");
    QTest::addColumn<QString>("messagePart");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double infinity = std::numeric_limits<double>::infinity();
    const float nanValue = std::numeric_limits<float>::quiet_NaN();
    QTest::newRow("empty") << 0 << 0 << 1.0f << 8.0 << 16.0 << 20 << "empty";
    QTest::newRow("too few values") << 4 << 10 << 1.0f << 8.0 << 16.0 << 20 << "holds 10 values";
    QTest::newRow("NaN value") << 4 << 16 << nanValue << 8.0 << 16.0 << 20 << "NaN";
    QTest::newRow("infinite value") << 4 << 16 << std::numeric_limits<float>::infinity() << 8.0 << 16.0 << 20
                                    << "infinite";
    QTest::newRow("zero h_s") << 4 << 16 << 1.0f << 0.0 << 16.0 << 20 << "spatial bandwidth";
    QTest::newRow("negative h_s") << 4 << 16 << 1.0f << -2.0 << 16.0 << 20 << "spatial bandwidth";
    QTest::newRow("NaN h_s") << 4 << 16 << 1.0f << nan << 16.0 << 20 << "spatial bandwidth";
    QTest::newRow("zero h_r") << 4 << 16 << 1.0f << 8.0 << 0.0 << 20 << "range bandwidth";
    QTest::newRow("infinite h_r") << 4 << 16 << 1.0f << 8.0 << infinity << 20 << "range bandwidth";
    QTest::newRow("negative iterations") << 4 << 16 << 1.0f << 8.0 << 16.0 << -1 << "iterations";
}

void TestImageMeanShift::badInputIsRefusedWithAMessage() {
    QFETCH(int, width);
    QFETCH(int, valueCount);
    QFETCH(float, firstValue);
    QFETCH(double, spatial);
    QFETCH(double, range);
    QFETCH(int, maxIterations);
    QFETCH(QString, messagePart);
    ImageArray image;
    image.width = width;
    image.height = 4;
    image.values.assign(static_cast<std::size_t>(valueCount), 1.0f);
    if (!image.values.empty()) {
        image.values.front() = firstValue;
    }
    ImageMeanShiftOptions options;
    options.spatialBandwidth = spatial;
    options.rangeBandwidth = range;
    options.maxIterations = maxIterations;
    try {
        meanShiftFilterImage(image, options);
        QFAIL("bad input was accepted");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString(error.what()).contains(messagePart), error.what());
    }
}

void TestImageMeanShift::parametersGiveTheDefaultOptions() {
    const ImageMeanShiftOptions options =
        imageMeanShiftOptionsFrom(ParameterValues(imageMeanShiftParameters()));
    const ImageMeanShiftOptions defaults;
    QCOMPARE(options.spatialBandwidth, defaults.spatialBandwidth);
    QCOMPARE(options.rangeBandwidth, defaults.rangeBandwidth);
    QCOMPARE(options.kernel.profile(), defaults.kernel.profile());
    QCOMPARE(options.minimumRegionArea, defaults.minimumRegionArea);
    QCOMPARE(options.maxIterations, defaults.maxIterations);

    ParameterValues tooWide(imageMeanShiftParameters());
    tooWide.set("spatial-bandwidth", 1000.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, imageMeanShiftOptionsFrom(tooWide));
}

QTEST_APPLESS_MAIN(TestImageMeanShift)
#include "test_image_mean_shift.moc"
