#include "app/cli.hpp"
#include "app/huge_pages.hpp"

int main(int argc, char** argv) {
    nra::reexec_with_huge_pages(argv);
    return nra::run_cli(argc, argv);
}
