// How long loadDataset takes on a 1,000,000-row, 2-column file, as CSV and as .npy.
// The files are written once to the temporary folder (and removed at exit) from a seeded uniform
// sample, with every number at full precision as a user's export would have it.
// tests/bench/compare_data_loading.py times NumPy on the same kind of files.

#include "locallab/data/load_dataset.hpp"
#include "locallab/data/random_stream.hpp"

#include <benchmark/benchmark.h>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

constexpr long long rowCount = 1'000'000;

class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& name)
        : path_(std::filesystem::temp_directory_path() / ("locallab_bench_" + name)) {}
    ~TemporaryFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

void writeCsv(const std::string& path) {
    std::ofstream output(path, std::ios::binary);
    locallab::RandomStream random(1);
    output << "x,y\n";
    char line[64];
    for (long long row = 0; row < rowCount; ++row) {
        const int length =
            std::snprintf(line, sizeof line, "%.17g,%.17g\n", random.uniform(-100.0, 100.0), random.normal());
        output.write(line, length);
    }
}

void writeNpy(const std::string& path) {
    std::ofstream output(path, std::ios::binary);
    std::string header =
        "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rowCount) + ", 2), }";
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64 and ended by
    // '\n'.
    while ((10 + header.size() + 1) % 64 != 0) {
        header += ' ';
    }
    header += '\n';
    const auto length = static_cast<std::uint16_t>(header.size());
    output.write("\x93NUMPY\x01\x00", 8);
    const char lengthBytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    output.write(lengthBytes, 2);
    output << header;
    locallab::RandomStream random(1);
    for (long long row = 0; row < rowCount; ++row) {
        const double values[2] = {random.uniform(-100.0, 100.0), random.normal()};
        output.write(reinterpret_cast<const char*>(values), sizeof values); // this machine is little-endian
    }
}

// Written on first use, removed when the program ends.
const TemporaryFile& csvFile() {
    static const TemporaryFile file("1m_rows.csv");
    [[maybe_unused]] static const bool written = (writeCsv(file.path()), true);
    return file;
}

const TemporaryFile& npyFile() {
    static const TemporaryFile file("1m_rows.npy");
    [[maybe_unused]] static const bool written = (writeNpy(file.path()), true);
    return file;
}

void loadFile(benchmark::State& state, const std::string& path) {
    for (auto _ : state) {
        const locallab::Dataset dataset = locallab::loadDataset(path);
        benchmark::DoNotOptimize(dataset.points.data());
    }
    state.counters["rows"] = static_cast<double>(rowCount);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(path)));
}

void BM_LoadCsvOneMillionRows(benchmark::State& state) {
    loadFile(state, csvFile().path());
}
void BM_LoadNpyOneMillionRows(benchmark::State& state) {
    loadFile(state, npyFile().path());
}

} // namespace

BENCHMARK(BM_LoadCsvOneMillionRows)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadNpyOneMillionRows)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
