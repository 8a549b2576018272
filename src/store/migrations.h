// The versioned schema: one list of migrations, each with its SQL per backend. A migration is never edited once
// released; a change is a new migration at the end.
#pragma once

#include <vector>

namespace tepat::store {

struct Migration {
  int version;
  const char* name;
  const char* sqlite;
  const char* postgres;
};

const std::vector<Migration>& Migrations();

}  // namespace tepat::store
