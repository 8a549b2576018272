// The migrations.
#include "store/migrations.h"

namespace tepat::store {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, "regions, TPS and dapil", R"sql(
-- Regions are keyed by their code as a number (35.78.01.1001 → 3578011001), stable across imports.
CREATE TABLE region (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  parent_id INTEGER REFERENCES region(id),
  name      TEXT NOT NULL
);
CREATE INDEX region_parent ON region(parent_id);

CREATE TABLE island (
  code            TEXT PRIMARY KEY,
  regency_code    TEXT NOT NULL,
  name            TEXT NOT NULL,
  coordinate      TEXT NOT NULL,
  populated       INTEGER NOT NULL,
  outermost_small INTEGER NOT NULL
);

CREATE TABLE election (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE
);

CREATE TABLE tps (
  election_id  INTEGER NOT NULL REFERENCES election(id),
  village_id   INTEGER NOT NULL REFERENCES region(id),
  number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
  dpt          INTEGER NOT NULL CHECK (dpt >= 0),
  dpt_l        INTEGER,
  dpt_p        INTEGER,
  disabled     INTEGER,
  access       TEXT,
  travel_hours REAL,
  PRIMARY KEY (election_id, village_id, number)
) WITHOUT ROWID;

CREATE TABLE dapil (
  id          INTEGER PRIMARY KEY,
  election_id INTEGER NOT NULL REFERENCES election(id),
  contest     TEXT NOT NULL,
  code        TEXT NOT NULL,
  name        TEXT NOT NULL,
  UNIQUE (election_id, contest, code)
);

CREATE TABLE dapil_region (
  dapil_id  INTEGER NOT NULL REFERENCES dapil(id) ON DELETE CASCADE,
  region_id INTEGER NOT NULL REFERENCES region(id),
  PRIMARY KEY (dapil_id, region_id)
) WITHOUT ROWID;
CREATE INDEX dapil_region_by_region ON dapil_region(region_id);
)sql"},
  };
  return migrations;
}

}  // namespace tepat::store
