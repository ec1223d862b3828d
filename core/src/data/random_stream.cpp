#include "locallab/data/random_stream.hpp"

#include <cmath>
#include <numbers>
#include <numeric>
#include <utility>

namespace locallab {

double RandomStream::uniform() {
    constexpr double twoToMinus53 = 1.0 / 9007199254740992.0;
    return static_cast<double>(engine_() >> 11) * twoToMinus53;
}

double RandomStream::normal() {
    if (hasSpareNormal_) {
        hasSpareNormal_ = false;
        return spareNormal_;
    }
    // 1 − uniform() lies in (0, 1], so the logarithm is finite.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    spareNormal_ = radius * std::sin(angle);
    hasSpareNormal_ = true;
    return radius * std::cos(angle);
}

std::uint64_t RandomStream::index(std::uint64_t count) {
    // Draws below `threshold` would make small results more likely than large ones; they are redrawn.
    const std::uint64_t threshold = (0 - count) % count;
    std::uint64_t draw = engine_();
    while (draw < threshold) {
        draw = engine_();
    }
    return draw % count;
}

std::vector<std::size_t> RandomStream::permutation(std::size_t count) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t remaining = count; remaining > 1; --remaining) {
        std::swap(order[remaining - 1], order[index(remaining)]);
    }
    return order;
}

} // namespace locallab
