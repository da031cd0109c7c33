// The one translation unit that compiles Asio, Asio SSL and Beast. Every target defines
// BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION (from CMake), so the
// header-only libraries are built once here instead of in every TU: faster builds, no ODR mess.
// Do not include these src.hpp files anywhere else.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
