#pragma once
// The Local fits explorer's lessons: each is a data set, settings of the explorer's parameters and a place
// for x*, chosen so that one classic point about local regression is plain to see, with a few sentences
// that say what to look at and what to try.
//   boundary-bias        Nadaraya–Watson bends away from a steep trend at the edges; local linear does not
//   outliers             a handful of gross errors drags local linear, robust LOWESS ignores them
//   bandwidth-too-small  h far below the noise scale: the curve chases every point
//   bandwidth-too-large  h as wide as the data: the curve flattens the signal away
//   heteroscedastic      noise that grows with x: one global σ̂ keeps the band's width while the scatter grows
//   cross-validation     a signal whose wiggles shrink: the leave-one-out curve and its optimum

#include "explorers/local_fits_picture.hpp"
#include "locallab/util/parameter.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace locallab {

struct LocalFitsLesson {
    std::string key;
    std::string title;
    std::string explanation; // a few sentences, plain text
    std::shared_ptr<const RegressionSample> sample;
    // The function the data were generated around (without the noise or the planted outliers): what a
    // good fit should follow, drawn with the lesson and used to check that the lesson shows its point.
    std::function<double(double)> truth;
    // Values for some of the explorer's parameters (LocalFitsExplorer::parameterDescriptions names);
    // the others keep what the user chose.
    ParameterValues settings;
    double queryX = 0.0;
};

// The lessons' keys in the order the panel lists them.
const std::vector<std::string>& localFitsLessonKeys();

// Builds the lesson with that key, its data generated from a fixed seed so that every class sees the same
// picture. Throws std::invalid_argument for an unknown key.
LocalFitsLesson makeLocalFitsLesson(const std::string& key);

} // namespace locallab
