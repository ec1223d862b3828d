// The numbers behind the pictures: 1-2-5 tick steps, tick label text, and the colour tables checked
// against the published definitions (matplotlib's _cm_listed.py; Okabe & Ito 2008).

#include "fuzzy_compare.hpp"
#include "locallab/widgets/color_maps.hpp"
#include "locallab/widgets/nice_ticks.hpp"

#include <QTest>
#include <vtkLookupTable.h>

using locallab::ColorMap;
using locallab::Rgb;

Q_DECLARE_METATYPE(ColorMap)
Q_DECLARE_METATYPE(Rgb)
Q_DECLARE_METATYPE(std::vector<double>)

class TestPlotScales : public QObject {
    Q_OBJECT
private slots:
    void ticksStepBy1Or2Or5_data();
    void ticksStepBy1Or2Or5();
    void emptyOrInvalidRangesHaveNoTicks();
    void tickTextIsShortAndExact_data();
    void tickTextIsShortAndExact();
    void colorMapsMatchThePublishedTables_data();
    void colorMapsMatchThePublishedTables();
    void categoricalPaletteIsOkabeIto();
    void lookupTableSpansTheRange();
};

void TestPlotScales::ticksStepBy1Or2Or5_data() {
    QTest::addColumn<double>("minimum");
    QTest::addColumn<double>("maximum");
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("step");
    QTest::addColumn<std::vector<double>>("values");
    QTest::newRow("unit interval") << 0.0 << 1.0 << 5 << 0.2
                                   << std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
    // Rough step 15.9/5 = 3.18 is above √10, so it rounds up to 5.
    QTest::newRow("rounds up to 5") << -3.7 << 12.2 << 5 << 5.0 << std::vector<double>{0.0, 5.0, 10.0};
    // Rough step 2.5 is below √10, so 2.
    QTest::newRow("rounds to 2") << 0.0 << 10.0 << 4 << 2.0
                                 << std::vector<double>{0.0, 2.0, 4.0, 6.0, 8.0, 10.0};
    QTest::newRow("negative thousands")
        << -2600.0 << -900.0 << 4 << 500.0 << std::vector<double>{-2500.0, -2000.0, -1500.0, -1000.0};
    QTest::newRow("tiny values") << 1e-7 << 9e-7 << 4 << 2e-7 << std::vector<double>{2e-7, 4e-7, 6e-7, 8e-7};
}

void TestPlotScales::ticksStepBy1Or2Or5() {
    QFETCH(double, minimum);
    QFETCH(double, maximum);
    QFETCH(int, count);
    QFETCH(double, step);
    QFETCH(std::vector<double>, values);
    const locallab::TickSet ticks = locallab::niceTicks(minimum, maximum, count);
    LOCALLAB_COMPARE_NEAR(ticks.step, step, 1e-12, 0.0);
    QCOMPARE(ticks.values.size(), values.size());
    for (size_t index = 0; index < values.size(); ++index) {
        LOCALLAB_COMPARE_NEAR(ticks.values[index], values[index], 1e-12, 1e-12 * step);
    }
}

void TestPlotScales::emptyOrInvalidRangesHaveNoTicks() {
    QVERIFY(locallab::niceTicks(1.0, 1.0).values.empty());
    QVERIFY(locallab::niceTicks(2.0, 1.0).values.empty());
    QVERIFY(locallab::niceTicks(0.0, std::numeric_limits<double>::infinity()).values.empty());
    QVERIFY(locallab::niceTicks(std::nan(""), 1.0).values.empty());
}

void TestPlotScales::tickTextIsShortAndExact_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("step");
    QTest::addColumn<QString>("text");
    QTest::newRow("binary noise hidden") << 0.30000000000000004 << 0.1 << "0.3";
    QTest::newRow("integers") << 15.0 << 5.0 << "15";
    QTest::newRow("rounding noise at zero") << 5.551115123125783e-17 << 0.2 << "0";
    QTest::newRow("two decimals") << -0.04 << 0.02 << "-0.04";
    QTest::newRow("large in scientific") << 2500000.0 << 500000.0 << "2.5e+06";
    QTest::newRow("small in scientific") << 4e-7 << 2e-7 << "4e-07";
}

void TestPlotScales::tickTextIsShortAndExact() {
    QFETCH(double, value);
    QFETCH(double, step);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(locallab::formatTick(value, step)), text);
}

void TestPlotScales::colorMapsMatchThePublishedTables_data() {
    QTest::addColumn<ColorMap>("map");
    QTest::addColumn<int>("entry");
    QTest::addColumn<Rgb>("published");
    // Entries of matplotlib's 256-entry tables, including ones between our anchors.
    QTest::newRow("viridis 0") << ColorMap::Viridis << 0 << Rgb(0.267004, 0.004874, 0.329415);
    QTest::newRow("viridis 85") << ColorMap::Viridis << 85 << Rgb(0.190631, 0.407061, 0.556089);
    QTest::newRow("viridis 170") << ColorMap::Viridis << 170 << Rgb(0.208030, 0.718701, 0.472873);
    QTest::newRow("viridis 255") << ColorMap::Viridis << 255 << Rgb(0.993248, 0.906157, 0.143936);
    QTest::newRow("magma 0") << ColorMap::Magma << 0 << Rgb(0.001462, 0.000466, 0.013866);
    QTest::newRow("magma 100") << ColorMap::Magma << 100 << Rgb(0.537755, 0.156894, 0.506551);
    QTest::newRow("magma 255") << ColorMap::Magma << 255 << Rgb(0.987053, 0.991438, 0.749504);
    QTest::newRow("greys 0 is white") << ColorMap::Greys << 0 << Rgb(1.0, 1.0, 1.0);
    QTest::newRow("greys 255 is dark grey") << ColorMap::Greys << 255 << Rgb(0.25, 0.25, 0.25);
    QTest::newRow("cividis 0") << ColorMap::Cividis << 0 << Rgb(0.0, 0.135112, 0.304751);
    QTest::newRow("cividis 140") << ColorMap::Cividis << 140 << Rgb(0.532829, 0.520135, 0.472401);
    QTest::newRow("cividis 255") << ColorMap::Cividis << 255 << Rgb(0.995737, 0.909344, 0.217772);
}

void TestPlotScales::colorMapsMatchThePublishedTables() {
    QFETCH(ColorMap, map);
    QFETCH(int, entry);
    QFETCH(Rgb, published);
    // Interpolating between every 16th entry stays within a fraction of one 8-bit step.
    LOCALLAB_COMPARE_MATRIX_NEAR(locallab::colorMapAt(map, entry / 255.0), published, 0.0, 0.006);
}

void TestPlotScales::categoricalPaletteIsOkabeIto() {
    const std::array<const char*, 8> published{"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                               "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
    QCOMPARE(locallab::categoricalPaletteSize(), 8);
    for (int label = 0; label < 8; ++label) {
        const QColor expected(QString::fromLatin1(published[static_cast<size_t>(label)]));
        const Rgb reference(expected.redF(), expected.greenF(), expected.blueF());
        LOCALLAB_COMPARE_MATRIX_NEAR(locallab::categoricalColor(label), reference, 0.0, 0.003);
    }
    // The palette repeats rather than running out, and "no label" is a neutral grey.
    LOCALLAB_COMPARE_MATRIX_NEAR(locallab::categoricalColor(9), locallab::categoricalColor(1), 0.0, 0.0);
    const Rgb unlabelled = locallab::categoricalColor(-1);
    QVERIFY(unlabelled.maxCoeff() - unlabelled.minCoeff() < 1e-12);
}

void TestPlotScales::lookupTableSpansTheRange() {
    const auto table = locallab::makeLookupTable(ColorMap::Viridis, -2.0, 6.0);
    double rgb[3];
    table->GetColor(-2.0, rgb);
    LOCALLAB_COMPARE_MATRIX_NEAR(Eigen::Vector3d(rgb[0], rgb[1], rgb[2]), Rgb(0.267004, 0.004874, 0.329415),
                                 0.0, 0.006);
    table->GetColor(6.0, rgb);
    LOCALLAB_COMPARE_MATRIX_NEAR(Eigen::Vector3d(rgb[0], rgb[1], rgb[2]), Rgb(0.993248, 0.906157, 0.143936),
                                 0.0, 0.006);
    // A constant field still gets a usable table.
    const auto constant = locallab::makeLookupTable(ColorMap::Magma, 4.0, 4.0);
    QVERIFY(constant->GetRange()[1] > constant->GetRange()[0]);
}

QTEST_MAIN(TestPlotScales)
#include "test_plot_scales.moc"
