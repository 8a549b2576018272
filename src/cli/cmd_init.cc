// tepat init: creates the database or migrates it to the newest schema.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/context.h"

namespace tepat::cli {

void AddInitCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("init", "Create the database, or migrate it to the newest schema");
  cmd->callback([&ctx] {
    ctx.status = [&]() -> Status {
      auto store = TRY(store::OpenStore(ctx.db));
      const int before = TRY(store->SchemaVersion());
      RETURN_IF_ERROR(store->Migrate());
      const int after = TRY(store->SchemaVersion());
      if (before == after) {
        *ctx.out << ctx.db << ": schema version " << after << ", up to date\n";
      } else {
        *ctx.out << ctx.db << ": schema version " << before << " → " << after << "\n";
      }
      return {};
    }();
  });
}

}  // namespace tepat::cli
