// The tepat command-line tool.
#include <iostream>

#include "cli/context.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return tepat::cli::Run(argc, argv, std::cout, std::cerr);
}
