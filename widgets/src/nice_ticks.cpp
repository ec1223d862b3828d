#include "locallab/widgets/nice_ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace locallab {

TickSet niceTicks(double minimum, double maximum, int targetCount) {
    TickSet ticks;
    if (!std::isfinite(minimum) || !std::isfinite(maximum) || !(maximum > minimum)) {
        return ticks;
    }
    const double roughStep = (maximum - minimum) / std::max(1, targetCount);
    const double magnitude = std::pow(10.0, std::floor(std::log10(roughStep)));
    const double fraction = roughStep / magnitude;
    // Round the rough step to the nearest of 1, 2, 5, 10 on a log scale.
    double niceFraction = 10.0;
    if (fraction < std::sqrt(2.0)) {
        niceFraction = 1.0;
    } else if (fraction < std::sqrt(10.0)) {
        niceFraction = 2.0;
    } else if (fraction < std::sqrt(50.0)) {
        niceFraction = 5.0;
    }
    ticks.step = niceFraction * magnitude;
    const double first = std::ceil(minimum / ticks.step - 1e-9);
    const double last = std::floor(maximum / ticks.step + 1e-9);
    for (double index = first; index <= last; index += 1.0) {
        ticks.values.push_back(index * ticks.step);
    }
    return ticks;
}

std::string formatTick(double value, double step) {
    if (std::abs(value) < 1e-9 * std::abs(step)) {
        return "0";
    }
    char text[32];
    const double largest = std::max(std::abs(value), std::abs(step));
    if (largest >= 1e6 || std::abs(step) < 1e-4) {
        // Scientific notation with as many mantissa digits as the step needs.
        const int digits = std::clamp(static_cast<int>(std::floor(std::log10(largest) + 1e-9) -
                                                       std::floor(std::log10(std::abs(step)) + 1e-9)),
                                      0, 8);
        std::snprintf(text, sizeof text, "%.*e", digits, value);
    } else {
        const int decimals =
            std::clamp(static_cast<int>(std::ceil(-std::log10(std::abs(step)) - 1e-9)), 0, 8);
        std::snprintf(text, sizeof text, "%.*f", decimals, value);
    }
    return text;
}

} // namespace locallab
