// The migrations, each in SQLite's and PostgreSQL's SQL. The two say the same thing: SQLite's INTEGER PRIMARY
// KEY is PostgreSQL's BIGINT (or BIGSERIAL where the database numbers the rows), WITHOUT ROWID tables are plain tables,
// and triggers raise through a PL/pgSQL function. The comments on the tables are in the SQLite text.
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
)sql",
       R"sql(
CREATE TABLE region (
  id        BIGINT PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  parent_id BIGINT REFERENCES region(id),
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
  id   BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL UNIQUE
);

CREATE TABLE tps (
  election_id  BIGINT NOT NULL REFERENCES election(id),
  village_id   BIGINT NOT NULL REFERENCES region(id),
  number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
  dpt          INTEGER NOT NULL CHECK (dpt >= 0),
  dpt_l        INTEGER,
  dpt_p        INTEGER,
  disabled     INTEGER,
  access       TEXT,
  travel_hours DOUBLE PRECISION,
  PRIMARY KEY (election_id, village_id, number)
);

CREATE TABLE dapil (
  id          BIGSERIAL PRIMARY KEY,
  election_id BIGINT NOT NULL REFERENCES election(id),
  contest     TEXT NOT NULL,
  code        TEXT NOT NULL,
  name        TEXT NOT NULL,
  UNIQUE (election_id, contest, code)
);

CREATE TABLE dapil_region (
  dapil_id  BIGINT NOT NULL REFERENCES dapil(id) ON DELETE CASCADE,
  region_id BIGINT NOT NULL REFERENCES region(id),
  PRIMARY KEY (dapil_id, region_id)
);
CREATE INDEX dapil_region_by_region ON dapil_region(region_id);
)sql"},
      {2, "the ledger and per-TPS readiness", R"sql(
-- Node and article (item or kit) codes are stored once and referred to by number.
CREATE TABLE ledger_node (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE
);
CREATE TABLE ledger_article (
  id          INTEGER PRIMARY KEY,
  election_id INTEGER NOT NULL REFERENCES election(id),
  code        TEXT NOT NULL,
  UNIQUE (election_id, code)
);

-- Documents, append-only, in ledger order. `body` is the canonical JSON and `body_hash` its SHA-256, which decides
-- whether a repost of the same id is a replay; `hash` links each to the one before (SHA-256 over the previous hash, a
-- newline and `body_hash`).
CREATE TABLE ledger_document (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  election_id INTEGER NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL,
  node_id     INTEGER NOT NULL REFERENCES ledger_node(id),
  to_node_id  INTEGER REFERENCES ledger_node(id),
  at          INTEGER NOT NULL,
  body        TEXT NOT NULL,
  body_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX ledger_document_by_node ON ledger_document(node_id);
CREATE INDEX ledger_document_by_to_node ON ledger_document(to_node_id) WHERE to_node_id IS NOT NULL;

-- The ledger's clock per election: the latest time any of its documents records.
CREATE TABLE ledger_clock (
  election_id INTEGER PRIMARY KEY REFERENCES election(id),
  at          INTEGER NOT NULL
);

-- What later documents did to earlier ones: a dispatch received, a document reversed.
CREATE TABLE ledger_status (
  seq         INTEGER PRIMARY KEY REFERENCES ledger_document(seq),
  received_by TEXT,
  reversed_by TEXT
);

-- The movement lines of each document.
CREATE TABLE ledger_movement (
  seq        INTEGER NOT NULL REFERENCES ledger_document(seq),
  line       INTEGER NOT NULL,
  from_id    INTEGER NOT NULL,
  to_id      INTEGER NOT NULL,
  article_id INTEGER NOT NULL,
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (seq, line)
) WITHOUT ROWID;

-- Balances per node and article, changed in the same transaction as the movements; rows at zero are removed.
CREATE TABLE ledger_balance (
  node_id    INTEGER NOT NULL,
  article_id INTEGER NOT NULL,
  quantity   INTEGER NOT NULL,
  PRIMARY KEY (node_id, article_id)
) WITHOUT ROWID;

CREATE TABLE ledger_kit (
  article_id  INTEGER PRIMARY KEY REFERENCES ledger_article(id),
  election_id INTEGER NOT NULL REFERENCES election(id),
  kit         TEXT NOT NULL,
  tps         TEXT NOT NULL,
  label       TEXT NOT NULL,
  packed_at   TEXT NOT NULL,
  seals       TEXT NOT NULL,
  contents    TEXT NOT NULL,
  UNIQUE (election_id, kit),
  UNIQUE (election_id, label)
);

-- The per-TPS readiness projection, changed in the same transaction as the documents that affect it.
CREATE TABLE readiness_tps (
  election_id       INTEGER NOT NULL REFERENCES election(id),
  tps_key           INTEGER NOT NULL,  -- the TPS code as a number (35.78.01.1001.001 → 3578011001001)
  tps               TEXT NOT NULL,
  dispatched_at     INTEGER NOT NULL,
  first_received_at INTEGER NOT NULL,
  receipts          INTEGER NOT NULL,
  kits              INTEGER NOT NULL,
  misrouted         INTEGER NOT NULL,
  unsealed          INTEGER NOT NULL,
  damaged           INTEGER NOT NULL,
  wrong_items       INTEGER NOT NULL,
  received          TEXT NOT NULL,
  PRIMARY KEY (election_id, tps_key)
) WITHOUT ROWID;
)sql",
       R"sql(
CREATE TABLE ledger_node (
  id   BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL UNIQUE
);
CREATE TABLE ledger_article (
  id          BIGSERIAL PRIMARY KEY,
  election_id BIGINT NOT NULL REFERENCES election(id),
  code        TEXT NOT NULL,
  UNIQUE (election_id, code)
);

CREATE TABLE ledger_document (
  seq         BIGINT PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  election_id BIGINT NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL,
  node_id     BIGINT NOT NULL REFERENCES ledger_node(id),
  to_node_id  BIGINT REFERENCES ledger_node(id),
  at          BIGINT NOT NULL,
  body        TEXT NOT NULL,
  body_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX ledger_document_by_node ON ledger_document(node_id);
CREATE INDEX ledger_document_by_to_node ON ledger_document(to_node_id) WHERE to_node_id IS NOT NULL;

CREATE TABLE ledger_clock (
  election_id BIGINT PRIMARY KEY REFERENCES election(id),
  at          BIGINT NOT NULL
);

CREATE TABLE ledger_status (
  seq         BIGINT PRIMARY KEY REFERENCES ledger_document(seq),
  received_by TEXT,
  reversed_by TEXT
);

CREATE TABLE ledger_movement (
  seq        BIGINT NOT NULL REFERENCES ledger_document(seq),
  line       INTEGER NOT NULL,
  from_id    BIGINT NOT NULL,
  to_id      BIGINT NOT NULL,
  article_id BIGINT NOT NULL,
  quantity   BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (seq, line)
);

CREATE TABLE ledger_balance (
  node_id    BIGINT NOT NULL,
  article_id BIGINT NOT NULL,
  quantity   BIGINT NOT NULL,
  PRIMARY KEY (node_id, article_id)
);

CREATE TABLE ledger_kit (
  article_id  BIGINT PRIMARY KEY REFERENCES ledger_article(id),
  election_id BIGINT NOT NULL REFERENCES election(id),
  kit         TEXT NOT NULL,
  tps         TEXT NOT NULL,
  label       TEXT NOT NULL,
  packed_at   TEXT NOT NULL,
  seals       TEXT NOT NULL,
  contents    TEXT NOT NULL,
  UNIQUE (election_id, kit),
  UNIQUE (election_id, label)
);

CREATE TABLE readiness_tps (
  election_id       BIGINT NOT NULL REFERENCES election(id),
  tps_key           BIGINT NOT NULL,
  tps               TEXT NOT NULL,
  dispatched_at     BIGINT NOT NULL,
  first_received_at BIGINT NOT NULL,
  receipts          BIGINT NOT NULL,
  kits              BIGINT NOT NULL,
  misrouted         BIGINT NOT NULL,
  unsealed          BIGINT NOT NULL,
  damaged           BIGINT NOT NULL,
  wrong_items       BIGINT NOT NULL,
  received          TEXT NOT NULL,
  PRIMARY KEY (election_id, tps_key)
);
)sql"},
      {3, "accounts, sessions and the audit trail", R"sql(
CREATE TABLE account (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'kpu', 'bawaslu', 'vendor')),
  scope         TEXT NOT NULL,
  password_hash TEXT NOT NULL,  -- argon2id, PHC string format
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
-- A session is found by the SHA-256 of its token; the token itself is never stored.
CREATE TABLE account_session (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  address    TEXT NOT NULL
);
CREATE INDEX account_session_by_account ON account_session(account_id);
-- Append-only: every change and every login, kept whatever its outcome.
CREATE TABLE audit (
  seq     INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  address TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  region  TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail  TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql",
       R"sql(
CREATE TABLE account (
  id            BIGSERIAL PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'kpu', 'bawaslu', 'vendor')),
  scope         TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);
CREATE TABLE account_session (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES account(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  address    TEXT NOT NULL
);
CREATE INDEX account_session_by_account ON account_session(account_id);
CREATE TABLE audit (
  seq     BIGSERIAL PRIMARY KEY,
  at      BIGINT NOT NULL,
  actor   TEXT NOT NULL,
  address TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  region  TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail  TEXT NOT NULL
);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
)sql"},
      {4, "the audit trail by action (the last ledger verification, an action's history)", R"sql(
CREATE INDEX audit_by_action ON audit(action, seq);
)sql",
       R"sql(
CREATE INDEX audit_by_action ON audit(action, seq);
)sql"},
      {5, "the document that last changed each TPS's readiness (servers follow the ledger by it)", R"sql(
ALTER TABLE readiness_tps ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX readiness_tps_by_seq ON readiness_tps(election_id, seq);
)sql",
       R"sql(
ALTER TABLE readiness_tps ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX readiness_tps_by_seq ON readiness_tps(election_id, seq);
)sql"},
      {6, "supervision: Bawaslu's reports, findings and follow-up plans with their history, numbered per regency",
       R"sql(
CREATE TABLE oversight_report (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  election_id INTEGER NOT NULL REFERENCES election(id),
  number      TEXT NOT NULL,
  stage       TEXT NOT NULL,
  node        TEXT NOT NULL,
  region      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  body        TEXT NOT NULL,
  content     TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (election_id, number)
);
CREATE INDEX oversight_report_by_region ON oversight_report(election_id, region);
CREATE TABLE oversight_item (
  id          TEXT PRIMARY KEY,
  election_id INTEGER NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL,
  number      TEXT NOT NULL,
  region      TEXT NOT NULL,
  state       TEXT NOT NULL,
  body        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (election_id, kind, number)
);
CREATE INDEX oversight_item_by_region ON oversight_item(election_id, kind, region);
CREATE TABLE oversight_event (
  item_id TEXT NOT NULL REFERENCES oversight_item(id),
  seq     INTEGER NOT NULL,
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  state   TEXT NOT NULL,
  note    TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
);
CREATE TABLE oversight_counter (
  election_id INTEGER NOT NULL REFERENCES election(id),
  series      TEXT NOT NULL,
  regency     TEXT NOT NULL,
  year        INTEGER NOT NULL,
  last        INTEGER NOT NULL,
  PRIMARY KEY (election_id, series, regency, year)
);
)sql",
       R"sql(
CREATE TABLE oversight_report (
  seq         BIGSERIAL PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  election_id BIGINT NOT NULL REFERENCES election(id),
  number      TEXT NOT NULL,
  stage       TEXT NOT NULL,
  node        TEXT NOT NULL,
  region      TEXT NOT NULL,
  at          BIGINT NOT NULL,
  body        TEXT NOT NULL,
  content     TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  UNIQUE (election_id, number)
);
CREATE INDEX oversight_report_by_region ON oversight_report(election_id, region text_pattern_ops);
CREATE TABLE oversight_item (
  id          TEXT PRIMARY KEY,
  election_id BIGINT NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL,
  number      TEXT NOT NULL,
  region      TEXT NOT NULL,
  state       TEXT NOT NULL,
  body        TEXT NOT NULL,
  version     BIGINT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  UNIQUE (election_id, kind, number)
);
CREATE INDEX oversight_item_by_region ON oversight_item(election_id, kind, region text_pattern_ops);
CREATE TABLE oversight_event (
  item_id TEXT NOT NULL REFERENCES oversight_item(id),
  seq     BIGINT NOT NULL,
  at      BIGINT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  state   TEXT NOT NULL,
  note    TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
);
CREATE TABLE oversight_counter (
  election_id BIGINT NOT NULL REFERENCES election(id),
  series      TEXT NOT NULL,
  regency     TEXT NOT NULL,
  year        INTEGER NOT NULL,
  last        BIGINT NOT NULL,
  PRIMARY KEY (election_id, series, regency, year)
);
)sql"},
      {7, "a receipt's counterpart is the node its goods came from: the sender's documents include it", R"sql(
UPDATE ledger_document SET to_node_id = (SELECT n.id FROM ledger_node n
                                         WHERE n.code = json_extract(ledger_document.body, '$.from'))
WHERE kind = 'receipt' AND to_node_id IS NULL;
)sql",
       R"sql(
UPDATE ledger_document d SET to_node_id = n.id FROM ledger_node n
WHERE d.kind = 'receipt' AND d.to_node_id IS NULL AND n.code = (d.body::json ->> 'from');
)sql"},
      {8, "distribution plans and projections: the plan's CSV, the last projection's run, regions and TPS", R"sql(
CREATE TABLE sim_plan (
  election_id INTEGER PRIMARY KEY REFERENCES election(id),
  body        TEXT NOT NULL,
  legs        INTEGER NOT NULL,
  saved_at    INTEGER NOT NULL,
  saved_by    TEXT NOT NULL
);
CREATE TABLE sim_run (
  election_id INTEGER PRIMARY KEY REFERENCES election(id),
  region      TEXT NOT NULL,
  scenarios   INTEGER NOT NULL,
  seed        INTEGER NOT NULL,
  as_of       INTEGER NOT NULL,
  computed_at INTEGER NOT NULL,
  legs        TEXT NOT NULL
);
CREATE TABLE sim_region (
  election_id   INTEGER NOT NULL REFERENCES election(id),
  region        TEXT NOT NULL,
  parent        TEXT NOT NULL,
  tps           INTEGER NOT NULL,
  expected_late REAL NOT NULL,
  sd_late       REAL NOT NULL,
  PRIMARY KEY (election_id, region)
);
CREATE INDEX sim_region_by_parent ON sim_region(election_id, parent);
CREATE TABLE sim_tps (
  election_id    INTEGER NOT NULL REFERENCES election(id),
  tps            TEXT NOT NULL,
  p_late         REAL NOT NULL,
  p_low          REAL NOT NULL,
  p_high         REAL NOT NULL,
  lateness_hours REAL NOT NULL,
  p05            INTEGER NOT NULL,
  p50            INTEGER NOT NULL,
  p95            INTEGER NOT NULL,
  deadline       INTEGER NOT NULL,
  PRIMARY KEY (election_id, tps)
);
CREATE INDEX sim_tps_by_risk ON sim_tps(election_id, p_late DESC, tps);
)sql",
       R"sql(
CREATE TABLE sim_plan (
  election_id BIGINT PRIMARY KEY REFERENCES election(id),
  body        TEXT NOT NULL,
  legs        BIGINT NOT NULL,
  saved_at    BIGINT NOT NULL,
  saved_by    TEXT NOT NULL
);
CREATE TABLE sim_run (
  election_id BIGINT PRIMARY KEY REFERENCES election(id),
  region      TEXT NOT NULL,
  scenarios   BIGINT NOT NULL,
  seed        BIGINT NOT NULL,
  as_of       BIGINT NOT NULL,
  computed_at BIGINT NOT NULL,
  legs        TEXT NOT NULL
);
CREATE TABLE sim_region (
  election_id   BIGINT NOT NULL REFERENCES election(id),
  region        TEXT NOT NULL,
  parent        TEXT NOT NULL,
  tps           BIGINT NOT NULL,
  expected_late DOUBLE PRECISION NOT NULL,
  sd_late       DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (election_id, region)
);
CREATE INDEX sim_region_by_parent ON sim_region(election_id, parent);
CREATE TABLE sim_tps (
  election_id    BIGINT NOT NULL REFERENCES election(id),
  tps            TEXT NOT NULL,
  p_late         DOUBLE PRECISION NOT NULL,
  p_low          DOUBLE PRECISION NOT NULL,
  p_high         DOUBLE PRECISION NOT NULL,
  lateness_hours DOUBLE PRECISION NOT NULL,
  p05            BIGINT NOT NULL,
  p50            BIGINT NOT NULL,
  p95            BIGINT NOT NULL,
  deadline       BIGINT NOT NULL,
  PRIMARY KEY (election_id, tps)
);
CREATE INDEX sim_tps_by_risk ON sim_tps(election_id, p_late DESC, tps);
CREATE INDEX sim_tps_by_code ON sim_tps(election_id, tps text_pattern_ops);
)sql"},
      {9, "procurement reference data: an election's vendors, unit prices and budget lines, each as its CSV", R"sql(
CREATE TABLE procurement_reference (
  election_id INTEGER NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL CHECK (kind IN ('vendors', 'prices', 'budget')),
  body        TEXT NOT NULL,
  records     INTEGER NOT NULL,
  saved_at    INTEGER NOT NULL,
  saved_by    TEXT NOT NULL,
  PRIMARY KEY (election_id, kind)
);
)sql",
       R"sql(
CREATE TABLE procurement_reference (
  election_id BIGINT NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL CHECK (kind IN ('vendors', 'prices', 'budget')),
  body        TEXT NOT NULL,
  records     BIGINT NOT NULL,
  saved_at    BIGINT NOT NULL,
  saved_by    TEXT NOT NULL,
  PRIMARY KEY (election_id, kind)
);
)sql"},
      {10, "procurement data: inventory kept from an earlier election, contracts, amendments, schedules, payments", R"sql(
CREATE TABLE procurement_reference_new (
  election_id INTEGER NOT NULL REFERENCES election(id),
  kind        TEXT NOT NULL CHECK (kind IN ('vendors', 'prices', 'budget', 'inventory', 'contracts', 'amendments',
                                        'schedule', 'payments')),
  body        TEXT NOT NULL,
  records     INTEGER NOT NULL,
  saved_at    INTEGER NOT NULL,
  saved_by    TEXT NOT NULL,
  PRIMARY KEY (election_id, kind)
);
INSERT INTO procurement_reference_new SELECT * FROM procurement_reference;
DROP TABLE procurement_reference;
ALTER TABLE procurement_reference_new RENAME TO procurement_reference;
)sql",
       R"sql(
ALTER TABLE procurement_reference DROP CONSTRAINT procurement_reference_kind_check;
ALTER TABLE procurement_reference ADD CONSTRAINT procurement_reference_kind_check
  CHECK (kind IN ('vendors', 'prices', 'budget', 'inventory', 'contracts', 'amendments', 'schedule', 'payments'));
)sql"},
  };
  return migrations;
}

}  // namespace tepat::store
