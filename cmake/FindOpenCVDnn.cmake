# Finds OpenCV's dnn module from Debian's libopencv-dnn-dev (which ships no CMake config) and
# defines the imported target OpenCV::dnn (with opencv_core).
find_path(OpenCVDnn_INCLUDE_DIR opencv2/dnn.hpp PATH_SUFFIXES opencv4)
find_library(OpenCVDnn_DNN_LIBRARY opencv_dnn)
find_library(OpenCVDnn_CORE_LIBRARY opencv_core)
if(OpenCVDnn_INCLUDE_DIR AND EXISTS "${OpenCVDnn_INCLUDE_DIR}/opencv2/core/version.hpp")
  file(STRINGS "${OpenCVDnn_INCLUDE_DIR}/opencv2/core/version.hpp" _cv_ver REGEX "#define CV_VERSION_(MAJOR|MINOR|REVISION) ")
  string(REGEX REPLACE ".*MAJOR +([0-9]+).*MINOR +([0-9]+).*REVISION +([0-9]+).*" "\\1.\\2.\\3" OpenCVDnn_VERSION "${_cv_ver}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVDnn
  REQUIRED_VARS OpenCVDnn_INCLUDE_DIR OpenCVDnn_DNN_LIBRARY OpenCVDnn_CORE_LIBRARY
  VERSION_VAR OpenCVDnn_VERSION)
if(OpenCVDnn_FOUND AND NOT TARGET OpenCV::dnn)
  add_library(OpenCV::dnn UNKNOWN IMPORTED)
  set_target_properties(OpenCV::dnn PROPERTIES
    IMPORTED_LOCATION "${OpenCVDnn_DNN_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OpenCVDnn_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${OpenCVDnn_CORE_LIBRARY}")
endif()
mark_as_advanced(OpenCVDnn_INCLUDE_DIR OpenCVDnn_DNN_LIBRARY OpenCVDnn_CORE_LIBRARY)
