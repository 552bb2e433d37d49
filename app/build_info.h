#pragma once
// What this binary is: mpstream's version, the git commit it was built from ("unknown" when
// built from a tarball) and the deal.II it links, for --version, log.txt and summary.json.
#include "common/json.h"

#include <string>

namespace mpstream::app
{
  std::string mpstream_version();
  std::string git_commit();
  std::string dealii_version();

  // {"mpstream": ..., "git_commit": ..., "deal.II": ...}
  Json versions_json();
} // namespace mpstream::app
