#pragma once
// Tick positions a reader can add up in their head: steps of 1, 2 or 5 times a power of ten.

#include <string>
#include <vector>

namespace locallab {

struct TickSet {
    double step = 0.0;
    std::vector<double> values; // ascending, all inside [minimum, maximum]
};

// About `targetCount` ticks covering [minimum, maximum]; empty when the range is empty or not finite.
TickSet niceTicks(double minimum, double maximum, int targetCount = 5);

// The shortest text that tells neighbouring ticks apart ("0.25", "1e+06"), with "0" for values that
// are zero up to rounding.
std::string formatTick(double value, double step);

} // namespace locallab
