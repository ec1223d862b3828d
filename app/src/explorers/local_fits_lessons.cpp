#include "explorers/local_fits_lessons.hpp"

#include "locallab/data/generators.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

namespace locallab {
namespace {

// f(x) of the generator's function on the options' interval.
std::function<double(double)> truthOf(const NoisyFunctionOptions& options) {
    return [function = options.function, lower = options.lower, upper = options.upper](double x) {
        return evaluateSmoothFunction(function, (x - lower) / (upper - lower));
    };
}

std::shared_ptr<const RegressionSample> noisyFunctionSample(const NoisyFunctionOptions& options,
                                                            const std::string& origin) {
    RegressionSample sample = regressionSampleOf(makeNoisyFunction(options));
    sample.origin = origin;
    return std::make_shared<const RegressionSample>(std::move(sample));
}

// Shows exactly the listed methods' curves.
void showOnly(ParameterValues& settings, const std::vector<LocalFitMethod>& shown) {
    for (const LocalFitMethod method : localFitMethods()) {
        const bool show = std::find(shown.begin(), shown.end(), method) != shown.end();
        settings.set("show-" + localFitMethodKey(method), show);
    }
}

ParameterValues regressionSettings(double bandwidth, LocalFitMethod featured,
                                   const std::vector<LocalFitMethod>& shown, bool band) {
    ParameterValues settings;
    settings.set("kernel", std::string("gaussian"));
    settings.set("bandwidth", bandwidth);
    settings.set("featured", localFitMethodKey(featured));
    showOnly(settings, shown);
    settings.set("show-band", band);
    return settings;
}

NoisyFunctionOptions sineOptions(long long samples, double noise, std::uint64_t seed) {
    NoisyFunctionOptions options;
    options.samples = samples;
    options.function = SmoothFunction::Sine;
    options.noise = noise;
    options.seed = seed;
    return options;
}

LocalFitsLesson boundaryBias() {
    LocalFitsLesson lesson;
    lesson.title = "Boundary bias: Nadaraya–Watson against local linear";
    lesson.explanation =
        "At the left edge every neighbour of x* lies to its right, where the sine is higher. Nadaraya–Watson "
        "averages them and lands above the curve; local linear fits a line through them and follows the "
        "slope down to the edge. Drag x* inwards: in the middle the two fits agree. Set the local model at "
        "x* to local linear to see its line.";
    const NoisyFunctionOptions options = sineOptions(200, 0.15, 11);
    lesson.sample = noisyFunctionSample(options, lesson.title);
    lesson.truth = truthOf(options);
    lesson.settings =
        regressionSettings(0.08, LocalFitMethod::NadarayaWatson,
                           {LocalFitMethod::NadarayaWatson, LocalFitMethod::LocalLinear}, false);
    lesson.queryX = 0.01;
    return lesson;
}

LocalFitsLesson outliers() {
    LocalFitsLesson lesson;
    lesson.title = "LOWESS and outliers";
    lesson.explanation =
        "The points with x between 0.62 and 0.68 were moved 2 up, as a faulty sensor might. Local linear "
        "weighs them like any other point and bulges towards them. LOWESS's robustness passes give points "
        "with large residuals a weight near 0 (their markers shrink at x*), so its curve stays on the sine. "
        "Set the robustness passes to 0 and LOWESS bulges too.";
    const NoisyFunctionOptions options = sineOptions(150, 0.1, 5);
    RegressionSample sample = regressionSampleOf(makeNoisyFunction(options));
    for (Eigen::Index i = 0; i < sample.x.size(); ++i) {
        if (sample.x[i] > 0.62 && sample.x[i] < 0.68) {
            sample.y[i] += 2.0;
        }
    }
    sample.origin = lesson.title;
    lesson.sample = std::make_shared<const RegressionSample>(std::move(sample));
    lesson.truth = truthOf(options); // the outliers are errors, not signal
    lesson.settings = regressionSettings(0.04, LocalFitMethod::Lowess,
                                         {LocalFitMethod::LocalLinear, LocalFitMethod::Lowess}, false);
    lesson.settings.set("lowess-fraction", 0.3);
    lesson.settings.set("lowess-iterations", 3LL);
    lesson.queryX = 0.65;
    return lesson;
}

LocalFitsLesson bandwidthTooSmall() {
    LocalFitsLesson lesson;
    lesson.title = "Bandwidth too small";
    lesson.explanation =
        "With h = 0.004, less than the spacing of the points, the kernel at x* gives real weight to only a "
        "handful of them (the effective number of points in the formula panel): the curve chases the "
        "noise from point to point. Drag h up and watch the wiggles go; the small plot shows the "
        "cross-validated error climbing at the smallest h, and 'use optimum' smooths the curve.";
    const NoisyFunctionOptions options = sineOptions(200, 0.2, 3);
    lesson.sample = noisyFunctionSample(options, lesson.title);
    lesson.truth = truthOf(options);
    lesson.settings =
        regressionSettings(0.004, LocalFitMethod::LocalLinear, {LocalFitMethod::LocalLinear}, false);
    lesson.queryX = 0.5;
    return lesson;
}

LocalFitsLesson bandwidthTooLarge() {
    LocalFitsLesson lesson;
    lesson.title = "Bandwidth too large";
    lesson.explanation =
        "With h = 0.6 the kernel covers all the data: local linear turns into one least-squares line for "
        "everything and Nadaraya–Watson into nearly the overall mean. The sine is smoothed away. Drag h down "
        "until the curve bends with the data.";
    const NoisyFunctionOptions options = sineOptions(200, 0.2, 3);
    lesson.sample = noisyFunctionSample(options, lesson.title);
    lesson.truth = truthOf(options);
    lesson.settings =
        regressionSettings(0.6, LocalFitMethod::LocalLinear,
                           {LocalFitMethod::NadarayaWatson, LocalFitMethod::LocalLinear}, false);
    lesson.queryX = 0.25;
    return lesson;
}

LocalFitsLesson heteroscedastic() {
    LocalFitsLesson lesson;
    lesson.title = "Heteroscedastic noise";
    lesson.explanation =
        "The noise grows twentyfold from left to right, but the band ±σ·√Σl², the fit's standard error, uses "
        "one estimated noise level σ for the whole curve: it keeps nearly the same width everywhere while "
        "the scatter of the points around the curve widens. So the band overstates the fit's uncertainty "
        "on the left and understates it on the right. The fit itself is still unbiased; it is the stated "
        "uncertainty that is wrong.";
    NoisyFunctionOptions options = sineOptions(300, 0.03, 7);
    options.heteroscedasticity = 20.0;
    lesson.sample = noisyFunctionSample(options, lesson.title);
    lesson.truth = truthOf(options);
    lesson.settings =
        regressionSettings(0.05, LocalFitMethod::LocalLinear, {LocalFitMethod::LocalLinear}, true);
    lesson.queryX = 0.85;
    return lesson;
}

LocalFitsLesson crossValidation() {
    LocalFitsLesson lesson;
    lesson.title = "Choosing h by cross-validation";
    lesson.explanation =
        "The Doppler signal oscillates fast near 0 and slowly near 1. The small plot shows the leave-one-out "
        "error against h; 'use optimum' jumps to its minimum. Even the optimum is a compromise: it blurs the "
        "fast wiggles on the left and still wiggles a little on the right.";
    NoisyFunctionOptions options;
    options.samples = 400;
    options.function = SmoothFunction::Doppler;
    options.noise = 0.05;
    options.seed = 2;
    lesson.sample = noisyFunctionSample(options, lesson.title);
    lesson.truth = truthOf(options);
    lesson.settings =
        regressionSettings(0.1, LocalFitMethod::LocalLinear, {LocalFitMethod::LocalLinear}, false);
    lesson.queryX = 0.1;
    return lesson;
}

const std::map<std::string, std::function<LocalFitsLesson()>>& lessonMakers() {
    static const std::map<std::string, std::function<LocalFitsLesson()>> makers = {
        {"boundary-bias", boundaryBias},
        {"outliers", outliers},
        {"bandwidth-too-small", bandwidthTooSmall},
        {"bandwidth-too-large", bandwidthTooLarge},
        {"heteroscedastic", heteroscedastic},
        {"cross-validation", crossValidation},
    };
    return makers;
}

} // namespace

const std::vector<std::string>& localFitsLessonKeys() {
    static const std::vector<std::string> keys = {"boundary-bias",       "outliers",
                                                  "bandwidth-too-small", "bandwidth-too-large",
                                                  "heteroscedastic",     "cross-validation"};
    return keys;
}

LocalFitsLesson makeLocalFitsLesson(const std::string& key) {
    const auto maker = lessonMakers().find(key);
    if (maker == lessonMakers().end()) {
        throw std::invalid_argument("There is no Local fits lesson called '" + key + "'.");
    }
    LocalFitsLesson lesson = maker->second();
    lesson.key = key;
    return lesson;
}

} // namespace locallab
