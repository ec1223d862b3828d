#pragma once
// The one entry point the app and the CLI use to read data: the loader is chosen by extension
// (.npy is NumPy's binary format, anything else is read as delimited text).

#include "locallab/data/dataset.hpp"
#include "locallab/data/load_options.hpp"

#include <string>

namespace locallab {

Dataset loadDataset(const std::string& path, const LoadOptions& options = {});

} // namespace locallab
